"""Peak RSS while iterating 10k vs 1M records, each walk in a fresh interpreter.

The pages come from an ``httpx.MockTransport`` over ``benchmarks._pages.CyclingPages``: four distinct 1000-row
page bodies built before the walk and served round and round with each request's tokens, so the server side costs
a few bytes joins per page and its memory does not grow with N (the fake, which computes every record, spent about
25 µs a record here: the walk rate measured the fake more than the SDK). The walk reads ``page_size=1000`` pages and
keeps nothing but a count and a checksum. If the SDK held on to pages, peak RSS would grow with N. The walk rate row
is the SDK's own: transport, pager and parse, no record generation.

Peak RSS is the child's ``VmHWM`` from ``/proc/self/status`` (the peak of its own address space), falling back
to ``getrusage(RUSAGE_SELF).ru_maxrss`` where there is no ``/proc``. On Linux ``ru_maxrss`` survives
fork + exec: a child started by a parent that has grown to 60 MB reports at least 60 MB whatever it does
itself, so it would hide the child's own peak; both values are kept in the child's JSON line.

``--child N`` runs one walk and prints one JSON line; ``measure()`` runs the children and builds the rows.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time

from benchmarks._table import REPO, Row, process_status_kib

PAGE_SIZE = 1000
SMALL = 10_000
LARGE = 1_000_000
TARGET_MB = 20.0
_CHILD_TIMEOUT = 240


def walk(records: int) -> dict[str, float]:
    """Iterate every record once through the wrapper; the peak RSS of this process afterwards, and the time."""
    import httpx  # noqa: PLC0415 - timed and measured in the child only

    from benchmarks._pages import LOG_STREAM_ID, PROJECT_ID, CyclingPages  # noqa: PLC0415
    from galileo_insights import GalileoInsights  # noqa: PLC0415

    pages = CyclingPages.build(records, PAGE_SIZE)
    transport = httpx.MockTransport(pages.answer)
    count = 0
    last_input_tokens = 0
    started = time.perf_counter()
    with GalileoInsights(
        api_key="benchmark-key-not-secret", base_url="http://galileo.test", transport=transport
    ) as client:
        for item in client.token_usage.list(PROJECT_ID, LOG_STREAM_ID, page_size=PAGE_SIZE):
            count += 1
            if item.token_usage and isinstance(item.token_usage.input_tokens, int):
                last_input_tokens = item.token_usage.input_tokens
    seconds = time.perf_counter() - started
    if count != records:
        raise RuntimeError(f"walked {count} records, expected {records}")
    maxrss_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {
        "records": count,
        "seconds": seconds,
        "peak_rss_kib": process_status_kib("VmHWM") or maxrss_kib,
        "ru_maxrss_kib": maxrss_kib,
        "last_input_tokens": last_input_tokens,
    }


def run_child(records: int) -> dict[str, float]:
    done = subprocess.run(  # noqa: S603 - our own interpreter and script
        [sys.executable, "-m", "benchmarks.bench_memory", "--child", str(records)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=_CHILD_TIMEOUT,
        check=True,
    )
    result: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def measure(large: int = LARGE) -> list[Row]:
    small = run_child(SMALL)
    big = run_child(large)
    small_mb = small["peak_rss_kib"] / 1024
    big_mb = big["peak_rss_kib"] / 1024
    growth = big_mb - small_mb
    rate = big["records"] / big["seconds"]
    small_rate = small["records"] / small["seconds"]
    return [
        Row(f"peak RSS, iterate {SMALL:,} records (page_size {PAGE_SIZE})", small_mb, "MB", "fresh process, 1 run"),
        Row(
            f"peak RSS, iterate {large:,} records (page_size {PAGE_SIZE})",
            big_mb,
            "MB",
            f"{growth:+.1f} MB vs {SMALL:,} (fresh process, 1 run)",
            f"<= +{TARGET_MB:.0f} MB vs {SMALL:,}",
            growth <= TARGET_MB,
        ),
        Row(
            f"walk {large:,} records in-process (precomputed pages: the SDK's own rate)",
            rate,
            "records/s",
            f"{big['seconds']:.1f} s total; {small_rate:,.0f} records/s at {SMALL:,}",
        ),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--child", type=int, metavar="N", help="walk N records here and print one JSON line")
    parser.add_argument("--large", type=int, default=LARGE, help=f"records in the large walk (default {LARGE:,})")
    args = parser.parse_args()
    if args.child is not None:
        print(json.dumps(walk(args.child)))
        return
    from benchmarks._table import render  # noqa: PLC0415

    print(render(measure(args.large)))


if __name__ == "__main__":
    main()
