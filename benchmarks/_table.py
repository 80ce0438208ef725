"""What every benchmark shares: the result row, the table, interleaved timing and the machine facts.

A ``Row`` is one line of the table ``run.py`` prints. Cases compared with each other are timed in the same
rounds, back to back, so a busy machine slows them together; ratios are the median of the per-round ratios.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
from collections.abc import Callable, Sequence
from pathlib import Path

import attrs

REPO = Path(__file__).resolve().parents[1]


@attrs.frozen
class Row:
    """One measurement: ``median`` in ``unit``, a comparison in words, the target and whether it was met.

    ``met`` is None for rows that only inform (no target).
    """

    what: str
    median: float
    unit: str
    comparison: str = ""
    target: str = ""
    met: bool | None = None


def process_status_kib(field: str) -> int | None:
    """A size field of this process from ``/proc/self/status`` in KiB (``VmHWM``: peak RSS; ``VmRSS``: RSS now),
    None without ``/proc``."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
    except OSError:
        return None
    return None


def median(values: Sequence[float]) -> float:
    return statistics.median(values)


def interleaved_rounds(
    cases: Sequence[Callable[[], float]], rounds: int, before_round: Callable[[], None] | None = None
) -> list[list[float]]:
    """``rounds`` results of each case (each call returns its own measurement), the order rotated every round."""
    results: list[list[float]] = [[] for _ in cases]
    for round_index in range(rounds):
        if before_round is not None:
            before_round()
        for offset in range(len(cases)):
            which = (round_index + offset) % len(cases)
            results[which].append(cases[which]())
    return results


def ratio_of_medians_per_round(numerator: Sequence[float], denominator: Sequence[float]) -> float:
    """Median over rounds of ``numerator[i] / denominator[i]``."""
    return statistics.median(n / d for n, d in zip(numerator, denominator, strict=True))


def machine_facts() -> list[str]:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return [
        f"CPU: {cpu}; cores usable: {usable} (os.cpu_count()={os.cpu_count()})",
        f"Python {platform.python_version()} ({platform.python_implementation()}) on {platform.platform()}",
        f"git: {_git_head()}",
    ]


def _git_head() -> str:
    try:
        done = subprocess.run(  # noqa: S603 - fixed arguments
            ["git", "-C", str(REPO), "describe", "--always", "--dirty"],  # noqa: S607 - git from PATH
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return "unknown"
    return done.stdout.strip() or "unknown"


def format_value(value: float) -> str:
    if value >= 100:
        return f"{value:,.0f}"
    if value >= 10:
        return f"{value:.1f}"
    return f"{value:.3g}" if value < 1 else f"{value:.2f}"


def render(rows: Sequence[Row]) -> str:
    """The rows as one fixed-width table."""
    header = ("#", "what", "median", "unit", "comparison (same run)", "target", "met?")
    cells = [
        (
            str(index),
            row.what,
            format_value(row.median),
            row.unit,
            row.comparison,
            row.target or "-",
            "-" if row.met is None else ("yes" if row.met else "NO"),
        )
        for index, row in enumerate(rows, 1)
    ]
    widths = [max(len(line[i]) for line in [header, *cells]) for i in range(len(header))]
    right = {0, 2}

    def line(values: Sequence[str]) -> str:
        return "  ".join(
            value.rjust(width) if i in right else value.ljust(width)
            for i, (value, width) in enumerate(zip(values, widths, strict=True))
        ).rstrip()

    rule = "  ".join("-" * width for width in widths)
    return "\n".join([line(header), rule, *(line(cells_of_row) for cells_of_row in cells)])


def print_rounds_table(description: str | None, measure: Callable[[int], Sequence[Row]], rounds: int = 3) -> None:
    """A benchmark script's command line: ``--rounds N`` (default ``rounds``), then its rows as one table."""
    parser = argparse.ArgumentParser(description=description, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=rounds)
    print(render(measure(parser.parse_args().rounds)))
