"""Run every benchmark and print one table: ``.venv/bin/python benchmarks/run.py`` (``make bench``).

Rows, in order: parsing, GC on and off (``bench_parse``), per-page cost over HTTP and in process (``bench_http``), a
45k-record walk against a plain httpx loop and a plain http.client loop (``bench_walk``), a 20k-record export
sequential vs parallel (``bench_export``), parallel walks and exports against the ideal at 50 ms a page, 45k and 1M
records (``bench_parallel``), tables against pyarrow.json and their peak memory (``bench_tables``), 50 log streams'
usage by day against its latency floor (``bench_org``), the org-wide export against its floor and
dlt's load rate beside the export's (``bench_warehouse``), peak RSS at 10k vs 1M records (``bench_memory``) and with a
sleeping consumer of a parallel walk (``bench_slow_consumer``), import, construction and CLI start-up time
(``bench_startup``). Medians throughout; every ratio compares cases timed in the same run. ``--quick`` is a smoke
run (fewer rounds, 100k instead of 1M records, no 1M parallel rows) whose numbers are only indicative.
"""

from __future__ import annotations

import argparse
import importlib
import subprocess
import sys
import time
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as ``python benchmarks/run.py``: make the ``benchmarks`` package importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks import (
    bench_export,
    bench_http,
    bench_memory,
    bench_org,
    bench_parallel,
    bench_slow_consumer,
    bench_startup,
    bench_tables,
    bench_walk,
    bench_warehouse,
)
from benchmarks._table import Row, machine_facts, render

HERE = Path(__file__).resolve().parent
_PARSE_TIMEOUT = 180
# A function of bench_parse that returns rows, under any of these names, is used as it is.
_PARSE_ROW_FUNCTIONS = ("rows", "measure", "results")


def _as_row(value: Any) -> Row:
    """A ``Row``, or anything with (or a mapping of) what/median/unit and optionally comparison/target/met."""
    if isinstance(value, Row):
        return value
    fields: Mapping[str, Any] = value if isinstance(value, Mapping) else vars(value)
    return Row(
        what=f"parse: {fields['what']}",
        median=float(fields["median"]),
        unit=str(fields["unit"]),
        comparison=str(fields.get("comparison", "")),
        target=str(fields.get("target", "")),
        met=fields.get("met"),
    )


def parse_rows() -> tuple[list[Row], str]:
    """``bench_parse``'s rows if it returns them; else its printed output, to be shown below the table."""
    try:
        module = importlib.import_module("benchmarks.bench_parse")
    except Exception:  # a broken bench_parse still gets its own run (and error) below the table
        module = None
    for name in _PARSE_ROW_FUNCTIONS:
        function = getattr(module, name, None)
        if callable(function):
            produced: Iterable[Any] = function()
            try:
                return [_as_row(value) for value in produced], ""
            except (KeyError, TypeError, ValueError):
                break  # rows of a shape we do not know: show its own output instead
    done = subprocess.run(  # noqa: S603 - our own interpreter and script
        [sys.executable, str(HERE / "bench_parse.py")],
        capture_output=True,
        text=True,
        timeout=_PARSE_TIMEOUT,
        check=False,
    )
    output = done.stdout.rstrip()
    if done.returncode:
        output += f"\n(bench_parse.py exited with {done.returncode}: {done.stderr.strip()[-500:]})"
    return [], output


def _progress(started: float, step: str) -> None:
    print(f"[bench {time.perf_counter() - started:5.0f} s] {step}", file=sys.stderr, flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="a smoke run: fewer rounds, 100k records for memory")
    args = parser.parse_args(argv)

    started = time.perf_counter()
    for fact in machine_facts():
        print(fact)
    print(flush=True)

    rows: list[Row] = []
    parse_output = ""
    steps: list[tuple[str, Callable[[], list[Row]]]] = [
        ("http", lambda: bench_http.measure_http(5, 5) if args.quick else bench_http.measure_http()),
        ("in-process", lambda: bench_http.measure_in_process(10, 5) if args.quick else bench_http.measure_in_process()),
        ("walk", lambda: bench_walk.measure(rounds=1 if args.quick else 9)),
        ("export", lambda: bench_export.measure(rounds=1 if args.quick else 3)),
        ("parallel", lambda: bench_parallel.measure(("45k",) if args.quick else ("45k", "1M"))),
        ("tables", lambda: bench_tables.measure(2, 200_000) if args.quick else bench_tables.measure()),
        ("org usage", lambda: bench_org.measure(rounds=1 if args.quick else 3)),
        ("warehouse", lambda: bench_warehouse.measure(rounds=1 if args.quick else 3)),
        ("memory", lambda: bench_memory.measure(100_000 if args.quick else bench_memory.LARGE)),
        ("slow consumer", lambda: bench_slow_consumer.measure(5 if args.quick else 20)),
        ("imports", lambda: bench_startup.measure_imports(3 if args.quick else 7)),
        ("construction", bench_startup.measure_construction),
        ("cli start", lambda: bench_startup.measure_cli(3 if args.quick else 11)),
    ]
    _progress(started, "parse")
    parse_table, parse_output = parse_rows()
    rows += parse_table
    for name, step in steps:
        _progress(started, name)
        rows += step()
    _progress(started, "done")

    print(render(rows))
    if parse_output:
        print("\nbench_parse.py (its own output, verbatim):")
        print(parse_output)
    missed = [row.what for row in rows if row.met is False]
    print(f"\ntargets met: {sum(row.met is True for row in rows)} of {sum(row.met is not None for row in rows)}")
    for what in missed:
        print(f"missed: {what}")
    print(f"total time: {time.perf_counter() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
