"""``galileo-insights --help`` starts about as fast as a minimal typer app (issue 19): printing help and parsing the
options load typer, rich and the options' own modules, never the HTTP stack or the generated models, which the
command that runs imports. ``benchmarks/bench_startup.py`` times it; this holds the cause."""

from __future__ import annotations

import subprocess
import sys

import pytest

HEAVY = ("httpx", "galileo_insights_api", "dateutil")
PROGRAM = (
    "import sys\n"
    "from galileo_insights.cli import main\n"
    "code = main(sys.argv[1:])\n"
    f"print(code, sorted({{name.split('.')[0] for name in sys.modules}} & {set(HEAVY)!r}))\n"
)


@pytest.mark.parametrize(
    "argv",
    [["--help"], ["token-usage", "--help"], ["insights-settings", "enable", "--help"]],
    ids=" ".join,
)
def test_help_loads_no_http_stack_and_no_generated_model(argv: list[str]) -> None:
    done = subprocess.run(
        [sys.executable, "-c", PROGRAM, *argv], capture_output=True, text=True, check=True, env={"COLUMNS": "100"}
    )
    *shown, last = done.stdout.splitlines()
    assert any("Usage:" in line for line in shown)
    assert last == "0 []"
