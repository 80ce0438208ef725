"""One version, written once: the distribution, ``__version__``, the User-Agent and the release check agree."""

from __future__ import annotations

import tomllib
from importlib.metadata import version
from pathlib import Path

import galileo_insights
from galileo_insights._base_client import USER_AGENT
from scripts import release_check

ROOT = Path(__file__).resolve().parents[2]


def test_the_version_is_written_once_and_read_everywhere() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert "version" not in project["project"]
    assert project["project"]["dynamic"] == ["version"]
    assert project["tool"]["hatch"]["version"]["path"] == "wrapper/galileo_insights/_version.py"
    assert release_check.package_version() == galileo_insights.__version__
    assert version("galileo-insights") == galileo_insights.__version__  # `make setup` again after changing it
    assert USER_AGENT.startswith(f"galileo-insights/{galileo_insights.__version__} ")


def test_the_changelog_opens_with_unreleased_then_versions_newest_first() -> None:
    sections = release_check.changelog_sections()
    assert sections[0] == "Unreleased"
    assert all(section.split(" - ")[0].count(".") == 2 for section in sections[1:]), sections


def _project(tmp_path: Path, version_line: str, changelog: str) -> tuple[Path, Path]:
    (tmp_path / "_version.py").write_text(version_line + "\n", encoding="utf-8")
    (tmp_path / "CHANGELOG.md").write_text(changelog, encoding="utf-8")
    return tmp_path / "_version.py", tmp_path / "CHANGELOG.md"


def test_a_release_needs_the_tag_to_name_the_version_and_a_dated_section(tmp_path: Path) -> None:
    files = _project(tmp_path, '__version__ = "1.2.0"', "# Changelog\n\n## Unreleased\n\n## 1.2.0 - 2027-01-15\n")
    assert release_check.problems("v1.2.0", *files) == []
    assert release_check.problems("v1.3.0", *files) == [
        "tag v1.3.0 does not name the package version 1.2.0 (wrapper/galileo_insights/_version.py)"
    ]
    undated = _project(tmp_path, '__version__ = "1.2.0"', "## Unreleased\n\n## 1.2.0 - not yet published\n")
    assert release_check.problems("v1.2.0", *undated) == [
        "CHANGELOG.md has no section '## 1.2.0 - YYYY-MM-DD' (move the Unreleased notes there)"
    ]
