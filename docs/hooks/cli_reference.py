"""mkdocs hook: the command-line reference page is generated from the typer app, so it cannot drift from ``--help``.

A page holding the line ``<!-- cli-reference -->`` gets, in its place, typer's Markdown for every command and
option (``typer.cli.get_docs_for_click``), with the help texts' rich markup turned into Markdown.
"""

from __future__ import annotations

import html
import re
from typing import Any

PLACEHOLDER = "<!-- cli-reference -->"
_MARKUP = (
    # Older typer (0.17, the floor) renders rich markup as HTML spans and escapes the text: the same Markdown from both.
    (re.compile(r'<span style="font-weight: bold">(.*?)</span>'), r"**\1**"),
    (re.compile(r"<span style=\"[^\"]*\">(.*?)</span>"), r"\1"),
    (re.compile(r"\[cyan\](.*?)\[/\]"), r"`\1`"),
    (re.compile(r"\[bold\](.*?)\[/\]"), r"**\1**"),
    (re.compile(r"\[dim\](.*?)\[/\]"), r"\1"),
    (re.compile(r"\\\["), "["),
)


def cli_reference() -> str:
    """Markdown for ``galileo-insights`` and each of its commands, from the app's own help."""
    import typer.main  # noqa: PLC0415 - only when a page asks for it
    from typer.cli import get_docs_for_click  # noqa: PLC0415
    from typer.models import Context  # noqa: PLC0415

    from galileo_insights.cli._app import PROG_NAME, app  # noqa: PLC0415

    command = typer.main.get_command(app)
    text = get_docs_for_click(obj=command, ctx=Context(command, info_name=PROG_NAME), name=PROG_NAME, title="")
    if "<span" in text:
        text = html.unescape(text)
    for pattern, replacement in _MARKUP:
        text = pattern.sub(replacement, text)
    # The examples are indented by two spaces for the terminal; in Markdown they are list items.
    text = re.sub(r"^  (`galileo-insights .*)$", r"* \1", text, flags=re.M)
    return text.removeprefix("# \n").strip() + "\n"


def on_page_markdown(markdown: str, **_: Any) -> str:
    return markdown.replace(PLACEHOLDER, cli_reference()) if PLACEHOLDER in markdown else markdown
