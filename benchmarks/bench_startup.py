"""Import time of the ``galileo_insights`` client vs ``httpx``, client construction time, and ``--help``.

Imports are timed inside a fresh ``python -c`` (``time.perf_counter()`` around the import statement, printed by
the child): interpreter start and exit, which vary more from run to run than the imports do, are left out (timed
from outside, as wall time minus a bare ``python -c "pass"``, two runs of 7 rounds differed by 0.15x). The cases
are interleaved, median over 21 rounds. The children compile to bytecode once (a warm-up run) into a temporary
``PYTHONPYCACHEPREFIX``, so every timed import loads ``.pyc`` files as an installed package would, even where
``PYTHONDONTWRITEBYTECODE`` is set and the tree has no ``__pycache__``
(nothing is written into the repository). The package loads each name on first use (``import galileo_insights``
alone loads only its version), so the timed statement is a script's first line, ``from galileo_insights import
GalileoInsights`` (the client, its errors and httpx); a third row imports the token-usage endpoint too (its generated
models and attrs): what a script's first ``client.token_usage`` adds.
Construction is ``GalileoInsights()`` with credentials and URL from ``GALILEO_*`` environment variables, then
``close()``, timed in this process against ``httpx.Client()`` + ``close()``: no network either way.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
import timeit
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from benchmarks._table import Row, interleaved_rounds, median, ratio_of_medians_per_round, render

_CHILD_TIMEOUT = 60
IMPORT_TARGET = 1.1  # import the client within this many times import httpx
_CLIENT = "from galileo_insights import GalileoInsights"
# What the first ``client.token_usage`` imports (its models and attrs): the package loads it lazily.
_FIRST_USE = "import galileo_insights.resources.token_usage"


def _import_time(statement: str, env: dict[str, str]) -> Callable[[], float]:
    """Seconds ``statement`` (imports) takes in a fresh interpreter, timed by that interpreter around it."""
    code = f"import time; started = time.perf_counter(); {statement}; print(time.perf_counter() - started)"

    def run() -> float:
        child = subprocess.run(  # noqa: S603 - our own interpreter, fixed code
            [sys.executable, "-c", code], check=True, timeout=_CHILD_TIMEOUT, env=env, capture_output=True, text=True
        )
        return float(child.stdout)

    return run


@contextmanager
def _environment(**values: str) -> Iterator[None]:
    saved = {name: os.environ.get(name) for name in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def measure_imports(rounds: int = 21) -> list[Row]:
    with tempfile.TemporaryDirectory(prefix="bench-pycache-") as cache:
        env = {name: value for name, value in os.environ.items() if name != "PYTHONDONTWRITEBYTECODE"}
        env["PYTHONPYCACHEPREFIX"] = cache
        cases = [_import_time(statement, env) for statement in ("import httpx", _CLIENT, f"{_CLIENT}; {_FIRST_USE}")]
        for case in cases:  # compile once; the timed runs read the cached bytecode
            case()
        plain_httpx, sdk, used = interleaved_rounds(cases, rounds)
    httpx_ms = [t * 1000 for t in plain_httpx]
    sdk_ms = [t * 1000 for t in sdk]
    used_ms = [t * 1000 for t in used]
    extra = median([s - h for s, h in zip(sdk_ms, httpx_ms, strict=True)])
    relative = ratio_of_medians_per_round(sdk_ms, httpx_ms)
    return [
        Row("import httpx (fresh process, timed inside it)", median(httpx_ms), "ms"),
        Row(
            f"{_CLIENT} (fresh process, timed inside it)",
            median(sdk_ms),
            "ms",
            f"{relative:.2f}x httpx; {extra:+.0f} ms over httpx",
            f"<= {IMPORT_TARGET}x httpx",
            relative <= IMPORT_TARGET,
        ),
        Row(
            "the client + the token-usage endpoint",
            median(used_ms),
            "ms",
            f"{ratio_of_medians_per_round(used_ms, httpx_ms):.2f}x httpx: what the first client.token_usage adds",
        ),
    ]


CLI_TARGET = 1.3  # galileo-insights --help within this many times a minimal typer app's --help
_MINIMAL_TYPER = """
import typer
app = typer.Typer(rich_markup_mode="rich")
@app.command()
def main(name: str = "world", count: int = 1) -> None:
    \"\"\"Greet someone.\"\"\"
app()
"""
_OUR_CLI = "import sys; from galileo_insights.cli import main; sys.exit(main())"


def _help_time(code: str, env: dict[str, str]) -> Callable[[], float]:
    """Wall seconds of ``python -c code --help`` in a fresh interpreter, start to exit (what a user waits)."""

    def run() -> float:
        started = time.perf_counter()
        subprocess.run(  # noqa: S603 - our own interpreter, fixed code
            [sys.executable, "-c", code, "--help"], check=True, timeout=_CHILD_TIMEOUT, env=env, capture_output=True
        )
        return time.perf_counter() - started

    return run


def measure_cli(rounds: int = 11) -> list[Row]:
    with tempfile.TemporaryDirectory(prefix="bench-pycache-") as cache:
        env = {name: value for name, value in os.environ.items() if name != "PYTHONDONTWRITEBYTECODE"}
        env["PYTHONPYCACHEPREFIX"] = cache
        env["COLUMNS"] = "100"
        cases = [_help_time(_MINIMAL_TYPER, env), _help_time(_OUR_CLI, env)]
        for case in cases:  # compile once
            case()
        minimal, ours = interleaved_rounds(cases, rounds)
    relative = ratio_of_medians_per_round(ours, minimal)
    return [
        Row("minimal typer app --help (fresh process, start to exit)", median(minimal) * 1000, "ms"),
        Row(
            "galileo-insights --help (fresh process, start to exit)",
            median(ours) * 1000,
            "ms",
            f"{relative:.2f}x the minimal typer app",
            f"<= {CLI_TARGET}x the typer app",
            relative <= CLI_TARGET,
        ),
    ]


def measure_construction(number: int = 10, rounds: int = 7) -> list[Row]:
    import httpx  # noqa: PLC0415 - imported by the caller's process anyway; kept next to its use

    from galileo_insights import GalileoInsights  # noqa: PLC0415

    def sdk() -> float:
        return timeit.timeit(lambda: GalileoInsights().close(), number=number) / number

    def plain() -> float:
        return timeit.timeit(lambda: httpx.Client().close(), number=number) / number

    with _environment(GALILEO_API_KEY="benchmark-key", GALILEO_API_URL="http://127.0.0.1:9"):
        sdk_times, plain_times = interleaved_rounds([sdk, plain], rounds)
    return [
        Row(
            "GalileoInsights() from GALILEO_* env + close()",
            median(sdk_times) * 1000,
            "ms",
            f"{ratio_of_medians_per_round(sdk_times, plain_times):.2f}x httpx.Client() "
            f"({median(plain_times) * 1000:.1f} ms)",
        )
    ]


def measure() -> list[Row]:
    return measure_imports() + measure_construction() + measure_cli()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.parse_args()
    print(render(measure()))


if __name__ == "__main__":
    main()
