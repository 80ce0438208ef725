"""Before a release is built: the tag names the package's version, and CHANGELOG.md has that version's dated section.

python scripts/release_check.py v1.2.0      # exit 0, or 1 with what is wrong (the release workflow runs this)
"""

from __future__ import annotations

import re
import sys
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
VERSION_FILE = ROOT / "wrapper" / "galileo_insights" / "_version.py"
CHANGELOG = ROOT / "CHANGELOG.md"
_VERSION = re.compile(r'^__version__ = "([^"]+)"$', re.MULTILINE)
_SECTION = re.compile(r"^## (.+)$", re.MULTILINE)
_RELEASED = re.compile(r"(\d+\.\d+\.\d+(?:(?:a|b|rc)\d+)?) - (\d{4}-\d{2}-\d{2})")


def package_version(version_file: Path = VERSION_FILE) -> str:
    """The one place the version is written (hatch reads it for the distribution)."""
    found = _VERSION.search(version_file.read_text(encoding="utf-8"))
    if found is None:
        raise ValueError(f'{version_file} has no line __version__ = "..."')
    return found.group(1)


def changelog_sections(changelog: Path = CHANGELOG) -> list[str]:
    """The ``## `` headings of the changelog, in order."""
    return _SECTION.findall(changelog.read_text(encoding="utf-8"))


def problems(tag: str, version_file: Path = VERSION_FILE, changelog: Path = CHANGELOG) -> list[str]:
    """What stops ``tag`` from being released; empty when nothing does."""
    version = package_version(version_file)
    found = []
    if tag != f"v{version}":
        found.append(f"tag {tag} does not name the package version {version} (wrapper/galileo_insights/_version.py)")
    dated = {match.group(1) for section in changelog_sections(changelog) if (match := _RELEASED.fullmatch(section))}
    if version not in dated:
        found.append(f"CHANGELOG.md has no section '## {version} - YYYY-MM-DD' (move the Unreleased notes there)")
    return found


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if len(args) != 1:
        print("usage: release_check.py vX.Y.Z", file=sys.stderr)
        return 2
    found = problems(args[0])
    for problem in found:
        print(f"release_check: {problem}", file=sys.stderr)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
