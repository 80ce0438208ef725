"""Parallel walks against the ideal: ``list(concurrency=)`` and ``export_to_parquet`` at 50 ms per page.

The server (``_timeline``, its own process) answers every page after 50 ms, whatever it holds, and serves
``records`` spread evenly over 30 days. The ideal time of a walk is pages / concurrency * latency: what perfectly
spread workers would need if the client took no time. Each row walks every record once (``list()``, the CLI writing
JSON lines in this process, or a fresh Parquet export) with
``concurrency`` 2, 4, 8 and 16 (the SDK's default windows) and reports measured time against that ideal, the
records read (all distinct, checked) and the client's CPU time: on a 2-core machine a walk cannot be faster than
its CPU time, which at 1,000-record pages is what bounds the higher concurrencies. The 1M-record rows take
minutes; ``--scale small`` runs only 45k.
"""

from __future__ import annotations

import argparse
import datetime
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from benchmarks._pages import LOG_STREAM_ID, PROJECT_ID
from benchmarks._table import Row, render
from benchmarks._timeline import END, START, served_timeline
from galileo_insights import GalileoInsights, export_to_parquet
from galileo_insights.cli import main as cli_main

LATENCY_MS = 50.0
TARGET = 0.85
CONCURRENCIES = (2, 4, 8, 16)
SCALES = {"45k": (45_000, 100), "1M": (1_000_000, 1_000)}
API_KEY = "benchmark-key-not-secret"


def list_walk(url: str, page_size: int, concurrency: int) -> int:
    """Records read, each id checked distinct by counting a set of their 128-bit values."""
    with GalileoInsights(api_key=API_KEY, base_url=url, max_retries=0) as client:
        pager = client.token_usage.list(
            PROJECT_ID,
            LOG_STREAM_ID,
            page_size=page_size,
            ascending=True,
            created_since=START,
            created_before=END,
            concurrency=concurrency,
        )
        seen = {item.id.int for item in pager}
    return len(seen)


def export_walk(url: str, page_size: int, concurrency: int) -> int:
    """Records written by a fresh export of every (closed) day."""
    with GalileoInsights(api_key=API_KEY, base_url=url, max_retries=0) as client, tempfile.TemporaryDirectory() as d:
        summary = export_to_parquet(
            client,
            PROJECT_ID,
            LOG_STREAM_ID,
            d,
            concurrency=concurrency,
            page_size=page_size,
            now=END + datetime.timedelta(days=1),
        )
    return summary.records


def cli_walk(url: str, page_size: int, concurrency: int) -> int:
    """Records the CLI writes as JSON lines (run in this process: interpreter start-up is its own row)."""
    with tempfile.TemporaryDirectory() as directory:
        target = Path(directory) / "usage.jsonl"
        code = cli_main(
            [
                "token-usage",
                str(PROJECT_ID),
                str(LOG_STREAM_ID),
                "--api-key",
                API_KEY,
                "--base-url",
                url,
                "--max-retries",
                "0",
                "--since",
                START.isoformat(),
                "--until",
                END.isoformat(),
                "--ascending",
                "--page-size",
                str(page_size),
                "--concurrency",
                str(concurrency),
                "--no-progress",
                "-f",
                "jsonl",
                "-o",
                str(target),
            ]
        )
        if code:
            raise RuntimeError(f"the CLI exited with {code}")
        with target.open("rb") as lines:
            return sum(1 for _ in lines)


WALKS: dict[str, Callable[[str, int, int], int]] = {
    "list()": list_walk,
    "CLI token-usage": cli_walk,
    "export_to_parquet": export_walk,
}


def measure(scales: tuple[str, ...] = ("45k", "1M"), walks: tuple[str, ...] = tuple(WALKS)) -> list[Row]:
    rows = []
    for scale in scales:
        records, page_size = SCALES[scale]
        pages = -(-records // page_size)
        with served_timeline(records, LATENCY_MS) as url:
            if scale == "45k" and "list()" in walks:
                rows.append(_sequential_row(url, records, page_size, pages))
            for name in walks:
                for concurrency in CONCURRENCIES:
                    wall, cpu = time.perf_counter(), time.process_time()
                    count = WALKS[name](url, page_size, concurrency)
                    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
                    if count != records:
                        raise RuntimeError(f"{name} read {count} distinct records, expected {records}")
                    ideal = pages / concurrency * LATENCY_MS / 1000
                    share = ideal / wall
                    rows.append(
                        Row(
                            f"{name} {scale}/page {page_size}, {LATENCY_MS:.0f} ms/page, concurrency={concurrency}",
                            share * 100,
                            "% of ideal",
                            f"{wall:.2f} s vs ideal {ideal:.2f} s; client CPU {cpu:.2f} s",
                            f">= {TARGET * 100:.0f}% of ideal",
                            share >= TARGET,
                        )
                    )
    return rows


def _sequential_row(url: str, records: int, page_size: int, pages: int) -> Row:
    """The same walk on one connection: what each request costs beyond its latency here (client and server CPU,
    a busy machine's scheduling), which no concurrency can take back."""
    wall = time.perf_counter()
    count = list_walk(url, page_size, 1)
    wall = time.perf_counter() - wall
    if count != records:
        raise RuntimeError(f"the sequential walk read {count} distinct records, expected {records}")
    ideal = pages * LATENCY_MS / 1000
    return Row(
        f"list() {records // 1000}k/page {page_size}, {LATENCY_MS:.0f} ms/page, sequential (reference)",
        ideal / wall * 100,
        "% of ideal",
        f"{wall:.2f} s vs {ideal:.2f} s of latency: {(wall - ideal) / pages * 1000:.1f} ms a page beyond it",
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", choices=("small", "all"), default="all")
    parser.add_argument("--walk", choices=tuple(WALKS), action="append")
    args = parser.parse_args()
    scales = ("45k",) if args.scale == "small" else ("45k", "1M")
    print(render(measure(scales, tuple(args.walk or WALKS))))


if __name__ == "__main__":
    main()
