"""The organisation-wide question against its floor: 50 log streams, 50 ms per page, ``concurrency=8``.

The fake runs in its own process (``fake-server --projects 10 --log-streams 5``, uvicorn on 127.0.0.1) and delays
every token-usage answer by 50 ms. ``client.usage.by_period("day", all=True, concurrency=8)`` reads every log
stream's records (1,000 each, ``page_size=100``: 10 pages per log stream, 500 pages in all) and sums them per day.
The floor is what latency alone costs with 8 requests in flight: pages / concurrency x latency. The lookups (one
project listing, one log-stream listing per project) are not delayed by the fake and are part of the time.
"""

from __future__ import annotations

import datetime
import math
import os
import time

from benchmarks._fake_server import ServedFake, served_fake
from benchmarks._table import Row, median, print_rounds_table
from galileo_insights import GalileoInsights

PROJECTS = 10
LOG_STREAMS = 5
RECORDS = 1_000
PAGE_SIZE = 100
SMALL_RECORDS = 200  # 10 pages of 20: little parsing per page, so the walk's scheduling against latency shows
SMALL_PAGE = 20
LATENCY_MS = 50.0
CONCURRENCY = 8
TARGET = 1.3
END = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)
DAYS = 30


def org_usage(served: ServedFake, page_size: int = PAGE_SIZE) -> int:
    """Records counted over every log stream (checked against what the fake holds)."""
    with GalileoInsights(api_key=served.api_key, base_url=served.url) as client:
        report = client.usage.by_period(
            "day",
            all=True,
            created_since=END - datetime.timedelta(days=DAYS),
            created_before=END,
            concurrency=CONCURRENCY,
            page_size=page_size,
        )
    if len(report.targets) != PROJECTS * LOG_STREAMS:
        raise RuntimeError(f"covered {len(report.targets)} log streams, expected {PROJECTS * LOG_STREAMS}")
    return sum(row.records for row in report)


def measure(rounds: int = 3) -> list[Row]:
    """Two rows: small pages (the latency-bound case the target is about) and 100-record pages (parsing too)."""
    return [
        _measure(rounds, records, page_size)
        for records, page_size in ((SMALL_RECORDS, SMALL_PAGE), (RECORDS, PAGE_SIZE))
    ]


def _measure(rounds: int, records: int, page_size: int) -> Row:
    options = ["--projects", str(PROJECTS), "--log-streams", str(LOG_STREAMS), "--days", str(DAYS)]
    options += ["--end", END.isoformat()]
    with served_fake(records, latency_ms=LATENCY_MS, options=options) as served:
        seconds, cpu = [], []
        for _ in range(rounds):
            started, started_cpu = time.perf_counter(), time.process_time()
            counted = org_usage(served, page_size)
            seconds.append(time.perf_counter() - started)
            cpu.append(time.process_time() - started_cpu)
            if counted != PROJECTS * LOG_STREAMS * records:
                raise RuntimeError(f"counted {counted} records, expected {PROJECTS * LOG_STREAMS * records}")
    pages = PROJECTS * LOG_STREAMS * math.ceil(records / page_size)
    floor = pages / CONCURRENCY * LATENCY_MS / 1000
    ratio = median(seconds) / floor
    return Row(
        f"org usage by day: {PROJECTS * LOG_STREAMS} log streams x {pages // (PROJECTS * LOG_STREAMS)} pages of "
        f"{page_size}, {LATENCY_MS:.0f} ms/page, concurrency={CONCURRENCY}",
        median(seconds),
        "s",
        f"{ratio:.2f}x the latency floor ({pages} pages / {CONCURRENCY} x {LATENCY_MS:.0f} ms = {floor:.3f} s); "
        f"client CPU {median(cpu):.2f} s, load average {os.getloadavg()[0]:.1f}",
        f"<= {TARGET}x floor",
        ratio <= TARGET,
    )


def main() -> None:
    print_rounds_table(__doc__, measure)


if __name__ == "__main__":
    main()
