"""``pager.to_arrow()`` vs iterating the same pager: what building the Arrow table adds to a 100k-record walk.

Both walk 100,000 distinct records (``GeneratedRecords``: distinct ids, timestamps and counts, with nulls and
absent ``token_usage``) in pages of 1,000 from an in-process ``httpx.MockTransport`` that answers each
``starting_token`` with its page, serialised once before timing. So the client's whole path is timed (request,
parse, pager) and the server's is not. "iterate" counts the records and drops them (the cheapest walk: keeping
them in a list costs more, in garbage collection of 100k models); "to_arrow" is the table method on a fresh
walk. GC stays on; the two cases alternate, order rotated
each round, and the ratio is the median of the per-round ratios.
"""

from __future__ import annotations

import argparse
import json
import time

import httpx

from benchmarks._table import Row, interleaved_rounds, median, ratio_of_medians_per_round, render
from galileo_insights import GalileoInsights, TokenUsagePager
from galileo_insights.testing import GeneratedRecords

RECORDS = 100_000
PAGE_SIZE = 1_000
TARGET_RATIO = 1.3


def canned_pages(records: GeneratedRecords) -> dict[int, bytes]:
    """Each page's JSON body by its ``starting_token``, oldest first, as the API would send it."""
    pages = {}
    for start in range(0, len(records), PAGE_SIZE):
        end = min(len(records), start + PAGE_SIZE)
        body = {
            "token_usages": [records[index].to_json() for index in range(start, end)],
            "limit": PAGE_SIZE,
            "starting_token": start,
            "next_starting_token": end if end < len(records) else None,
            "paginated": True,
        }
        pages[start] = json.dumps(body).encode()
    return pages


def client_over(pages: dict[int, bytes]) -> GalileoInsights:
    def answer(request: httpx.Request) -> httpx.Response:
        starting_token = json.loads(request.content)["starting_token"]
        return httpx.Response(200, content=pages[starting_token], headers={"content-type": "application/json"})

    return GalileoInsights(api_key="bench-key", base_url="http://galileo.bench", transport=httpx.MockTransport(answer))


def timed_iteration(pager: TokenUsagePager) -> float:
    started = time.perf_counter()
    count = sum(1 for _ in pager)
    seconds = time.perf_counter() - started
    if count != RECORDS:
        raise RuntimeError(f"iterating read {count} records, expected {RECORDS}")
    return seconds


def timed_to_arrow(pager: TokenUsagePager) -> float:
    started = time.perf_counter()
    table = pager.to_arrow()
    seconds = time.perf_counter() - started
    if table.num_rows != RECORDS:
        raise RuntimeError(f"to_arrow() read {table.num_rows} records, expected {RECORDS}")
    return seconds


def measure(rounds: int = 5) -> list[Row]:
    records = GeneratedRecords(RECORDS, seed=13)
    with client_over(canned_pages(records)) as client:
        pager = client.token_usage.list(records.project_id, records.log_stream_id, page_size=PAGE_SIZE, ascending=True)
        iterate, arrow = interleaved_rounds([lambda: timed_iteration(pager), lambda: timed_to_arrow(pager)], rounds)
    ratio = ratio_of_medians_per_round(arrow, iterate)
    return [
        Row(f"iterate {RECORDS // 1000}k records (in-process pages)", RECORDS / median(iterate), "records/s"),
        Row(
            f"to_arrow() on {RECORDS // 1000}k records (same pages)",
            RECORDS / median(arrow),
            "records/s",
            f"{ratio:.2f}x the time of iterating",
            f"<= {TARGET_RATIO}x iterating",
            ratio <= TARGET_RATIO,
        ),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    print(render(measure(args.rounds)))


if __name__ == "__main__":
    main()
