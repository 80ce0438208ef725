"""``make generate`` / ``make check-generated``: only what the generator's output changes is rewritten, and a
difference is named by its whole path."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from spec_pipeline.generate import HEADER, OUTPUT, differences, sync

from .generated_package import generate_variant


@pytest.mark.slow
def test_a_servers_only_change_rewrites_no_generated_module(tmp_path: Path, pinned: dict[str, Any]) -> None:
    """Only provenance.json, which records the spec's digest, changes."""
    pinned["servers"] = [{"url": "https://api.galileo.ai", "description": "Galileo Public APIs - galileo-v2"}]
    pinned["security"] = []

    fresh = generate_variant(tmp_path, pinned)

    assert differences(OUTPUT, fresh) == ["differs: generated/galileo_insights_api/provenance.json"]
    copy = shutil.copytree(OUTPUT, tmp_path / "committed", ignore=shutil.ignore_patterns("__pycache__"))
    assert sync(fresh, copy) == (["provenance.json"], [], [])


def test_the_header_names_its_source_but_no_digest() -> None:
    header = (OUTPUT / "client.py").read_text(encoding="utf-8")[: len(HEADER)]

    assert header == HEADER
    assert "openapi/openapi.json" in HEADER
    assert "sha" not in HEADER


def tree(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    return root


def test_differences_name_whole_paths(tmp_path: Path) -> None:
    committed = tree(
        tmp_path / "generated" / "pkg",
        {"api/tag/op.py": "hand edit", "api/tag/extra.py": "x", "models/a.py": "a", "models/__pycache__/a.pyc": "c"},
    )
    fresh = tree(tmp_path / "fresh", {"api/tag/op.py": "generated", "models/a.py": "a", "models/b.py": "b"})

    assert differences(committed, fresh) == [
        f"not generated: {committed}/api/tag/extra.py",
        f"missing: {committed}/models/b.py",
        f"differs: {committed}/api/tag/op.py",
    ]


def test_a_hand_edit_in_generated_is_named_from_the_repository_root(tmp_path: Path) -> None:
    fresh = shutil.copytree(OUTPUT, tmp_path / "fresh", ignore=shutil.ignore_patterns("__pycache__"))
    module = fresh / "api" / "logstream_insights" / "get_token_usage.py"
    module.write_text(module.read_text(encoding="utf-8") + "# edited\n", encoding="utf-8")

    assert differences(OUTPUT, fresh) == [
        "differs: generated/galileo_insights_api/api/logstream_insights/get_token_usage.py"
    ]


def test_sync_writes_only_what_differs(tmp_path: Path) -> None:
    target = tree(tmp_path / "out", {"same.py": "same", "old/gone.py": "gone", "changed.py": "v1"})
    fresh = tree(tmp_path / "fresh", {"same.py": "same", "changed.py": "v2", "new/added.py": "added"})
    before = (target / "same.py").stat().st_mtime_ns

    assert sync(fresh, target) == (["changed.py"], ["new/added.py"], ["old/gone.py"])

    assert (target / "same.py").stat().st_mtime_ns == before
    assert (target / "changed.py").read_text() == "v2"
    assert (target / "new" / "added.py").read_text() == "added"
    assert not (target / "old").exists()
