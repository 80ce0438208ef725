"""Import time of ``galileo_insights`` vs ``httpx``, and client construction time.

Imports are timed as the wall time of a fresh ``python -c "import x"`` minus that of ``python -c "pass"``
(interpreter start and ``site``), the cases interleaved, median over 21 rounds (with 7, two runs on this machine
differed by 0.15x). The children compile to bytecode once (a warm-up run) into a temporary
``PYTHONPYCACHEPREFIX``, so every timed import loads ``.pyc`` files as an installed package would, even where
``PYTHONDONTWRITEBYTECODE`` is set and the tree has no ``__pycache__``
(nothing is written into the repository). The package loads its endpoints on first use, so a third row imports
the token-usage endpoint too (its generated models and attrs): what a script's first ``client.token_usage`` adds.
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
IMPORT_TARGET = 1.15  # import galileo_insights within this many times import httpx
# What the first ``client.token_usage`` imports (its models and attrs): the package loads it lazily.
_FIRST_USE = "galileo_insights.resources.token_usage"


def _python_c(code: str, env: dict[str, str]) -> Callable[[], float]:
    def run() -> float:
        started = time.perf_counter()
        subprocess.run(  # noqa: S603 - our own interpreter, fixed code
            [sys.executable, "-c", code], check=True, timeout=_CHILD_TIMEOUT, env=env
        )
        return time.perf_counter() - started

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
        codes = ("pass", "import httpx", "import galileo_insights", f"import galileo_insights, {_FIRST_USE}")
        cases = [_python_c(code, env) for code in codes]
        for case in cases:  # compile once; the timed runs read the cached bytecode
            case()
        bare, plain_httpx, sdk, used = interleaved_rounds(cases, rounds)
    httpx_ms = [(t - b) * 1000 for t, b in zip(plain_httpx, bare, strict=True)]
    sdk_ms = [(t - b) * 1000 for t, b in zip(sdk, bare, strict=True)]
    used_ms = [(t - b) * 1000 for t, b in zip(used, bare, strict=True)]
    extra = median([s - h for s, h in zip(sdk_ms, httpx_ms, strict=True)])
    relative = ratio_of_medians_per_round(sdk_ms, httpx_ms)
    return [
        Row(
            "import httpx (fresh process, minus bare startup)",
            median(httpx_ms),
            "ms",
            f"bare startup {median(bare) * 1000:.0f} ms",
        ),
        Row(
            "import galileo_insights (fresh process, minus bare)",
            median(sdk_ms),
            "ms",
            f"{relative:.2f}x httpx; {extra:+.0f} ms over httpx",
            f"<= {IMPORT_TARGET}x httpx",
            relative <= IMPORT_TARGET,
        ),
        Row(
            "import galileo_insights + the token-usage endpoint",
            median(used_ms),
            "ms",
            f"{ratio_of_medians_per_round(used_ms, httpx_ms):.2f}x httpx: what the first client.token_usage adds",
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
    return measure_imports() + measure_construction()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.parse_args()
    print(render(measure()))


if __name__ == "__main__":
    main()
