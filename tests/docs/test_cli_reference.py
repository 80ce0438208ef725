"""The CLI reference page is the typer app's own help: every command and option, with no terminal markup left."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path
from types import ModuleType

import typer.main
from typer.core import TyperGroup

from galileo_insights.cli._app import app

HOOK = Path(__file__).resolve().parents[2] / "docs" / "hooks" / "cli_reference.py"


def load_hook() -> ModuleType:
    spec = importlib.util.spec_from_file_location("cli_reference", HOOK)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_every_command_and_option_is_on_the_page() -> None:
    page = load_hook().cli_reference()
    group = typer.main.get_command(app)
    assert isinstance(group, TyperGroup)
    for name, command in group.commands.items():
        assert f"## `galileo-insights {name}`" in page
        for parameter in command.params:
            for flag in parameter.opts:
                if flag.startswith("--"):
                    assert re.search(rf"\* `(-\w, )?{re.escape(flag)}\b", page), f"{name} {flag}"


def test_rich_markup_becomes_markdown() -> None:
    page = load_hook().cli_reference()
    assert not re.search(r"\[/?(bold|cyan|dim)\]|\[/\]", page)
    assert "**--totals**" in page


def test_the_placeholder_is_replaced_only_where_it_stands() -> None:
    hook = load_hook()
    assert hook.on_page_markdown("# Guide\n") == "# Guide\n"
    assert "galileo-insights report" in hook.on_page_markdown(f"# CLI\n\n{hook.PLACEHOLDER}\n")
