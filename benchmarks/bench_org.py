"""The organisation-wide question against its floor: 50 log streams, 50 ms per page, ``concurrency=8``.

The fake runs in its own process (``fake-server --projects 10 --log-streams 5``, uvicorn on 127.0.0.1) and delays
every token-usage answer by 50 ms. ``client.usage.by_period("day", all=True, concurrency=8)`` reads every log
stream's records (1,000 each, ``page_size=100``: 10 pages per log stream, 500 pages in all) and sums them per day.
The floor is what latency alone costs with 8 requests in flight: pages / concurrency x latency. The lookups (one
project listing, one log-stream listing per project) are not delayed by the fake and are part of the time.
"""

from __future__ import annotations

import argparse
import datetime
import math
import time

from benchmarks._fake_server import ServedFake, served_fake
from benchmarks._table import Row, median, render
from galileo_insights import GalileoInsights

PROJECTS = 10
LOG_STREAMS = 5
RECORDS = 1_000
PAGE_SIZE = 100
LATENCY_MS = 50.0
CONCURRENCY = 8
TARGET = 1.3
END = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)
DAYS = 30


def org_usage(served: ServedFake) -> int:
    """Records counted over every log stream (checked against what the fake holds)."""
    with GalileoInsights(api_key=served.api_key, base_url=served.url) as client:
        report = client.usage.by_period(
            "day",
            all=True,
            created_since=END - datetime.timedelta(days=DAYS),
            created_before=END,
            concurrency=CONCURRENCY,
            page_size=PAGE_SIZE,
        )
    if len(report.targets) != PROJECTS * LOG_STREAMS:
        raise RuntimeError(f"covered {len(report.targets)} log streams, expected {PROJECTS * LOG_STREAMS}")
    return sum(row.records for row in report)


def measure(rounds: int = 3) -> list[Row]:
    options = ["--projects", str(PROJECTS), "--log-streams", str(LOG_STREAMS), "--days", str(DAYS)]
    options += ["--end", END.isoformat()]
    with served_fake(RECORDS, latency_ms=LATENCY_MS, options=options) as served:
        seconds = []
        for _ in range(rounds):
            started = time.perf_counter()
            counted = org_usage(served)
            seconds.append(time.perf_counter() - started)
            if counted != PROJECTS * LOG_STREAMS * RECORDS:
                raise RuntimeError(f"counted {counted} records, expected {PROJECTS * LOG_STREAMS * RECORDS}")
    pages = PROJECTS * LOG_STREAMS * math.ceil(RECORDS / PAGE_SIZE)
    floor = pages / CONCURRENCY * LATENCY_MS / 1000
    ratio = median(seconds) / floor
    return [
        Row(
            f"org usage by day: {PROJECTS * LOG_STREAMS} log streams, {LATENCY_MS:.0f} ms/page, "
            f"concurrency={CONCURRENCY}",
            median(seconds),
            "s",
            f"{ratio:.2f}x the latency floor ({pages} pages / {CONCURRENCY} x {LATENCY_MS:.0f} ms = {floor:.3f} s)",
            f"<= {TARGET}x floor",
            ratio <= TARGET,
        )
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    print(render(measure(args.rounds)))


if __name__ == "__main__":
    main()
