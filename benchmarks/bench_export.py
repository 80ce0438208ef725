"""Export 20k records from the HTTP fake with 50 ms latency per page: sequential walk vs ``concurrency=8``.

The fake runs in its own process (uvicorn on 127.0.0.1) and delays every token-usage answer by 50 ms, a
stand-in for the real API's round trip. Both exports read ``[created_since, created_before)`` covering every
record with ``page_size=100``: the sequential walk is 200 pages one after another; the parallel export
splits the range into 8 windows (25 pages each) fetched by 8 threads and read back in order. Each export's
ids are compared with the other's, so a speed-up cannot come from reading fewer or different records.
"""

from __future__ import annotations

import datetime
import time
import uuid

from benchmarks._fake_server import ServedFake, served_fake
from benchmarks._table import Row, interleaved_rounds, median, print_rounds_table, ratio_of_medians_per_round
from galileo_insights import GalileoInsights

RECORDS = 20_000
PAGE_SIZE = 100
LATENCY_MS = 50.0
CONCURRENCY = 8
TARGET_SPEEDUP = 6.0
# The fake spreads its records over the 30 days before its --end.
SINCE = datetime.datetime(2025, 1, 1, tzinfo=datetime.UTC)
BEFORE = datetime.datetime(2025, 2, 1, tzinfo=datetime.UTC)
FAKE_END = "2025-01-31T00:00:00Z"


def export(served: ServedFake, concurrency: int) -> list[uuid.UUID]:
    """Every record's id, in the order the pager yields them."""
    with GalileoInsights(api_key=served.api_key, base_url=served.url) as client:
        pager = client.token_usage.list(
            served.project_id,
            served.log_stream_id,
            page_size=PAGE_SIZE,
            created_since=SINCE,
            created_before=BEFORE,
            concurrency=concurrency,
        )
        return [item.id for item in pager]


def measure(rounds: int = 3) -> list[Row]:
    with served_fake(RECORDS, latency_ms=LATENCY_MS, options=("--end", FAKE_END)) as served:
        exported: dict[int, list[uuid.UUID]] = {}

        def case(concurrency: int) -> float:
            started = time.perf_counter()
            ids = export(served, concurrency)
            seconds = time.perf_counter() - started
            if exported.setdefault(concurrency, ids) != ids:
                raise RuntimeError(f"concurrency={concurrency}: two exports of the same range differ")
            return seconds

        sequential, parallel = interleaved_rounds([lambda: case(1), lambda: case(CONCURRENCY)], rounds)
    same = exported[1] == exported[CONCURRENCY]
    if len(exported[1]) != RECORDS or len(set(exported[1])) != RECORDS:
        raise RuntimeError(f"the sequential export read {len(exported[1])} records, expected {RECORDS} distinct")
    speedup = ratio_of_medians_per_round(sequential, parallel)
    pages = RECORDS // PAGE_SIZE
    floor = pages * LATENCY_MS / 1000
    return [
        Row(
            f"export {RECORDS // 1000}k over HTTP, {LATENCY_MS:.0f} ms/page, sequential",
            RECORDS / median(sequential),
            "records/s",
            f"{median(sequential):.2f} s for {pages} pages (latency alone: {floor:.1f} s)",
        ),
        Row(
            f"export {RECORDS // 1000}k over HTTP, {LATENCY_MS:.0f} ms/page, concurrency={CONCURRENCY}",
            RECORDS / median(parallel),
            "records/s",
            f"{speedup:.2f}x sequential; same ids, same order: {'yes' if same else 'NO'}",
            f">= {TARGET_SPEEDUP:.0f}x sequential, same ids",
            speedup >= TARGET_SPEEDUP and same,
        ),
    ]


def main() -> None:
    print_rounds_table(__doc__, measure)


if __name__ == "__main__":
    main()
