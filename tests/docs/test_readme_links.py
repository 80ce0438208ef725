"""The README links every page of the documentation site, and its links lead somewhere on GitHub and in the site."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")
LINK = re.compile(r"\]\(([^)\s]+)\)")
SNIPPET = re.compile(r"<!-- --8<-- \[start:([\w-]+)\] -->\n(.*?)<!-- --8<-- \[end:\1\] -->", re.S)


def nav_pages() -> set[str]:
    """The pages of mkdocs.yml's ``nav`` (``- Title: page.md`` lines), as repository paths."""
    nav = (ROOT / "mkdocs.yml").read_text(encoding="utf-8").partition("\nnav:\n")[2]
    return {f"docs/{page}" for page in re.findall(r"^\s*- [^:\n]+: (\S+\.md)$", nav, re.M)}


def relative_links(text: str) -> list[str]:
    return [target for target in LINK.findall(text) if not re.match(r"[a-z]+:|#", target)]


def test_the_readme_links_every_page_of_the_site() -> None:
    pages = nav_pages()
    assert {"docs/report.md", "docs/reference/cli.md"} <= pages
    # The home page is the README's own opening sections (intro, installation, commands, layout).
    assert pages - {"docs/index.md"} - set(relative_links(README)) == set()


def test_the_readme_links_resolve_on_github() -> None:
    for target in relative_links(README):
        assert (ROOT / target.partition("#")[0]).exists(), target


def test_the_sections_the_site_includes_link_no_repository_path() -> None:
    """A section the site includes is read from ``docs/``, where ``docs/quickstart.md`` would not resolve."""
    for name, text in SNIPPET.findall(README):
        assert [target for target in relative_links(text) if target.startswith("docs/")] == [], name
