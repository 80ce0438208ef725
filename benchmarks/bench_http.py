"""Per-page cost of one 100-item page: raw httpx + ``json.loads`` vs the generated client vs the wrapper.

Two settings, each timing the three clients interleaved in the same rounds on the same pages:

* over HTTP to the fake in its own process (uvicorn on 127.0.0.1, one keep-alive connection per client);
* in process, every client answered by an ``httpx.MockTransport`` from 100 distinct precomputed 100-item pages
  (``benchmarks/_pages.py``: a fresh uuid4 per row) by the request's ``starting_token``, which leaves only client
  work (building the request, the httpx send path, parsing) and no server at all. The rounds cycle through the
  pages, so no id memo is warm from one page to the next (one canned page would understate a page's cost).

The wrapper reads one page per call with a single-page walk (``list(..., max_items=100).pages()``), so
its figure includes building the query and the pager, as a user's call would.
"""

from __future__ import annotations

import argparse
import itertools
import json
import time
import uuid
from collections.abc import Callable
from typing import Any

import httpx

from benchmarks._fake_server import served_fake
from benchmarks._pages import LOG_STREAM_ID, PROJECT_ID, Pages
from benchmarks._table import Row, interleaved_rounds, median, ratio_of_medians_per_round, render
from galileo_insights import GalileoInsights
from galileo_insights.testing import FakeGalileo
from galileo_insights_api import AuthenticatedClient
from galileo_insights_api.api.logstream_insights import get_token_usage
from galileo_insights_api.models import (
    LogstreamInsightTokenUsageCreatedAtSort,
    LogstreamInsightTokenUsageRequest,
    LogstreamInsightTokenUsageResponse,
)

PAGE_SIZE = 100
RECORDS = 10_000
WRAPPER_TARGET = 1.05


def _request(starting_token: int) -> LogstreamInsightTokenUsageRequest:
    """The body the wrapper sends for a page (explicit newest-first sort, no filters); all clients send it."""
    return LogstreamInsightTokenUsageRequest(
        starting_token=starting_token,
        limit=PAGE_SIZE,
        filters=[],
        sort=LogstreamInsightTokenUsageCreatedAtSort(name="created_at", ascending=False),
    )


class Clients:
    """The three ways to read one page, all against ``base_url`` (optionally through ``transport``)."""

    def __init__(
        self,
        base_url: str,
        api_key: str,
        project_id: str,
        log_stream_id: str,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.project_id = uuid.UUID(project_id)
        self.log_stream_id = uuid.UUID(log_stream_id)
        self.raw = httpx.Client(base_url=base_url, headers={"Galileo-API-Key": api_key}, transport=transport)
        self.raw_path = FakeGalileo().token_usage_path(project_id, log_stream_id)
        httpx_args: dict[str, Any] = {} if transport is None else {"transport": transport}
        self.generated = AuthenticatedClient(
            base_url=base_url, token=api_key, prefix="", auth_header_name="Galileo-API-Key", httpx_args=httpx_args
        )
        self.wrapper = GalileoInsights(api_key=api_key, base_url=base_url, transport=transport, max_retries=0)
        self.token = 0

    def read_raw(self) -> int:
        response = self.raw.post(self.raw_path, json=_request(self.token).to_dict())
        response.raise_for_status()
        return len(json.loads(response.content)["token_usages"])

    def read_generated(self) -> int:
        response = get_token_usage.sync_detailed(
            self.project_id, self.log_stream_id, client=self.generated, body=_request(self.token)
        )
        page = response.parsed
        if response.status_code != 200 or not isinstance(page, LogstreamInsightTokenUsageResponse):
            raise RuntimeError(f"generated client: HTTP {response.status_code}")
        return len(page.token_usages) if isinstance(page.token_usages, list) else 0

    def read_wrapper(self) -> int:
        pager = self.wrapper.token_usage.list(
            self.project_id, self.log_stream_id, page_size=PAGE_SIZE, max_items=PAGE_SIZE, starting_token=self.token
        )
        page = next(pager.pages())
        return len(page.items)

    def check(self) -> None:
        counts = {self.read_raw(), self.read_generated(), self.read_wrapper()}
        assert counts == {PAGE_SIZE}, counts

    def close(self) -> None:
        self.raw.close()
        self.generated.get_httpx_client().close()
        self.wrapper.close()


def _measure(clients: Clients, label: str, pages_per_round: int, rounds: int) -> list[Row]:
    clients.check()
    readers: list[Callable[[], int]] = [clients.read_raw, clients.read_generated, clients.read_wrapper]
    for reader in readers:  # warm up connections and first-call costs
        for _ in range(5):
            reader()
    token_cycle = itertools.cycle(range(0, RECORDS, PAGE_SIZE))
    tokens: list[int] = []

    def case(reader: Callable[[], int]) -> Callable[[], float]:
        """Seconds per page of ``reader`` over this round's tokens (every case of a round reads the same pages)."""

        def run() -> float:
            started = time.perf_counter()
            for token in tokens:
                clients.token = token
                reader()
            return (time.perf_counter() - started) / len(tokens)

        return run

    def next_round() -> None:
        tokens[:] = itertools.islice(token_cycle, pages_per_round)

    raw, generated, wrapper = interleaved_rounds([case(reader) for reader in readers], rounds, next_round)
    ms = 1000.0
    wrapper_ratio = ratio_of_medians_per_round(wrapper, generated)
    return [
        Row(f"{label}: raw httpx.post + json.loads", median(raw) * ms, "ms/page", "baseline"),
        Row(
            f"{label}: generated sync_detailed",
            median(generated) * ms,
            "ms/page",
            f"{ratio_of_medians_per_round(generated, raw):.2f}x raw",
        ),
        Row(
            f"{label}: wrapper list().pages(), 1 page",
            median(wrapper) * ms,
            "ms/page",
            f"{wrapper_ratio:.3f}x generated",
            f"<= {WRAPPER_TARGET:.2f}x generated",
            wrapper_ratio <= WRAPPER_TARGET,
        ),
    ]


def measure_http(pages_per_round: int = 20, rounds: int = 15) -> list[Row]:
    with served_fake(RECORDS) as served:
        clients = Clients(served.url, served.api_key, served.project_id, served.log_stream_id)
        try:
            return _measure(clients, "HTTP", pages_per_round, rounds)
        finally:
            clients.close()


def measure_in_process(pages_per_round: int = 100, rounds: int = 21) -> list[Row]:
    pages = Pages.build(RECORDS, PAGE_SIZE)
    clients = Clients(
        "http://galileo.test",
        "benchmark-key-not-secret",
        str(PROJECT_ID),
        str(LOG_STREAM_ID),
        transport=httpx.MockTransport(pages.answer),
    )
    try:
        return _measure(clients, "in-process, distinct pages", pages_per_round, rounds)
    finally:
        clients.close()


def measure() -> list[Row]:
    return measure_http() + measure_in_process()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    rows = measure_http(5, 5) + measure_in_process(10, 5) if args.quick else measure()
    print(render(rows))


if __name__ == "__main__":
    main()
