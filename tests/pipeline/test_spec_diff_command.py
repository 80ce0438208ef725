"""The documented command's exit status: 0 nothing breaks, 1 something breaks, 2 the specs cannot be compared.

Run as users run it (``scripts/spec_diff.py`` in a subprocess, and ``make spec-diff``, which must still fail on
a breaking change even though make reports every failure as 2).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from .specs import PINNED_SPEC, load

REPO = Path(__file__).resolve().parents[2]
COMMAND = [sys.executable, str(REPO / "scripts" / "spec_diff.py")]


def spec_diff(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*COMMAND, *args], capture_output=True, text=True, check=False, timeout=60)


def write(path: Path, document: dict[str, Any]) -> str:
    path.write_text(json.dumps(document), encoding="utf-8")
    return str(path)


@pytest.fixture
def additive(tmp_path: Path) -> str:
    """The pin plus one optional response field."""
    document = load(PINNED_SPEC)
    document["components"]["schemas"]["LogStreamInsightTokenUsageDB"]["properties"]["cost"] = {"type": "number"}
    return write(tmp_path / "additive.json", document)


@pytest.fixture
def breaking(tmp_path: Path) -> str:
    """The pin with ``limit`` capped at 100: requests that were valid may now be rejected."""
    document = load(PINNED_SPEC)
    document["components"]["schemas"]["LogstreamInsightTokenUsageRequest"]["properties"]["limit"]["maximum"] = 100
    return write(tmp_path / "breaking.json", document)


def test_exit_0_for_identical_specs() -> None:
    result = spec_diff(str(PINNED_SPEC), str(PINNED_SPEC))

    assert (result.returncode, result.stdout, result.stderr) == (0, "no changes\n", "")


def test_exit_0_when_nothing_breaks(additive: str) -> None:
    result = spec_diff(str(PINNED_SPEC), additive)

    assert result.returncode == 0
    assert result.stdout.splitlines() == [
        "ok       LogStreamInsightTokenUsageDB.cost: optional field added",
        "1 change(s), 0 breaking",
    ]


def test_exit_1_on_a_breaking_change(breaking: str) -> None:
    result = spec_diff(str(PINNED_SPEC), breaking)

    assert result.returncode == 1
    assert result.stdout.splitlines()[0] == (
        "BREAKING LogstreamInsightTokenUsageRequest.limit: constraint maximum 100 added "
        "(values callers send may be rejected)"
    )


def test_exit_1_with_markdown(breaking: str) -> None:
    result = spec_diff("--markdown", str(PINNED_SPEC), breaking)

    assert result.returncode == 1
    assert "**Breaking**" in result.stdout


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "cannot read"),
        ("{not json", "is not a JSON document"),
        ('{"openapi": "3.1.0"}', "is not an OpenAPI document"),
        ("[1, 2]", "is not an OpenAPI document"),
    ],
)
def test_exit_2_when_a_spec_cannot_be_read(tmp_path: Path, content: str | None, message: str) -> None:
    bad = tmp_path / "bad.json"
    if content is not None:
        bad.write_text(content, encoding="utf-8")

    result = spec_diff(str(PINNED_SPEC), str(bad))

    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.startswith("spec-diff: ")
    assert message in result.stderr
    assert result.stderr.count("\n") == 1


def test_exit_2_on_bad_usage() -> None:
    result = spec_diff(str(PINNED_SPEC))

    assert result.returncode == 2
    assert "usage: scripts/spec_diff.py" in result.stderr


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_make_spec_diff_fails_on_breaking_changes_and_passes_otherwise(additive: str, breaking: str) -> None:
    def make(new: str) -> subprocess.CompletedProcess[str]:
        command = ["make", "--no-print-directory", "-C", str(REPO), "spec-diff", f"OLD={PINNED_SPEC}", f"NEW={new}"]
        return subprocess.run(command, capture_output=True, text=True, check=False, timeout=120)

    passed, failed = make(additive), make(breaking)

    assert passed.returncode == 0, passed.stderr
    assert "1 change(s), 0 breaking" in passed.stdout
    assert failed.returncode != 0
    assert "constraint maximum 100 added" in failed.stdout


def test_the_documented_command_names_its_statuses() -> None:
    result = spec_diff("--help")

    assert result.returncode == 0
    assert "Exit status: 0 no breaking change, 1 at least one breaking change, 2" in " ".join(result.stdout.split())
