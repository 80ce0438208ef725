"""``make generate`` leaves the API change since the committed spec as Markdown for CHANGELOG.md."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from spec_pipeline.generate import write_change_summary

PINNED = Path(__file__).resolve().parents[2] / "openapi" / "openapi.json"


def git(repo: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A checkout whose HEAD holds the pinned spec."""
    (tmp_path / "openapi").mkdir()
    (tmp_path / "openapi" / "openapi.json").write_text(PINNED.read_text())
    git(tmp_path, "init", "-q")
    git(tmp_path, "add", "openapi/openapi.json")
    git(tmp_path, "-c", "user.name=t", "-c", "user.email=t@example.invalid", "commit", "-qm", "pin")
    return tmp_path


def test_summary_names_each_change_and_whether_it_breaks(repo: Path) -> None:
    spec = json.loads(PINNED.read_text())
    spec["info"]["version"] = "2.0.0"
    schemas = spec["components"]["schemas"]
    schemas["LogstreamInsightTokenUsageCreatedAtFilter"]["properties"]["operator"]["enum"].remove("ne")
    schemas["LogStreamInsightTokenUsageDB"]["properties"]["trace_id"] = {"type": "string"}
    (repo / "openapi" / "openapi.json").write_text(json.dumps(spec))

    summary = write_change_summary(repo)

    assert summary == repo / "build" / "api-changes.md"
    text = summary.read_text()
    assert "1.961.4 -> 2.0.0" in text
    breaking, other = text.split("**Other changes**")
    assert '"ne" removed' in breaking
    assert "trace_id" in other


def test_no_change_leaves_no_summary(repo: Path) -> None:
    stale = repo / "build" / "api-changes.md"
    stale.parent.mkdir()
    stale.write_text("from an earlier run")
    assert write_change_summary(repo) is None
    assert not stale.exists()


def test_outside_a_checkout_there_is_no_baseline(tmp_path: Path) -> None:
    (tmp_path / "openapi").mkdir()
    (tmp_path / "openapi" / "openapi.json").write_text(PINNED.read_text())
    assert write_change_summary(tmp_path) is None
