"""A 45,000-record walk over loopback: the wrapper against a plain httpx loop and a plain ``http.client`` loop.

The server is the smallest that can answer (``benchmarks/_pages.py``: asyncio streams in its own process, keep-alive
HTTP/1.1, 450 distinct 100-item pages built before the first request), so nearly all the time is the clients'. The
httpx loop is what any httpx-based client must do: one ``httpx.Client`` (one keep-alive connection), ``client.post``
of the page request and ``json.loads`` of the body, following ``next_starting_token``. The ``http.client`` loop does
the same with the standard library's connection (no httpx): what the machine allows below httpx. The wrapper walks
``client.token_usage.list(project_id, log_stream_id, page_size=100)``, which also builds the query, checks each page
and parses every row into the generated models. The three alternate, walk by walk; ratios are medians over rounds
of per-round ratios (records/s relative to the httpx loop).
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import time
from collections.abc import Callable

import httpx

from benchmarks._pages import LOG_STREAM_ID, PROJECT_ID, served_pages
from benchmarks._table import Row, interleaved_rounds, median, ratio_of_medians_per_round, render
from galileo_insights import GalileoInsights
from galileo_insights.testing import TOKEN_USAGE_PATH

RECORDS = 45_000
PAGE_SIZE = 100
TARGET = 0.8
API_KEY = "benchmark-key-not-secret"


def _page_request(token: int) -> dict[str, object]:
    return {
        "starting_token": token,
        "limit": PAGE_SIZE,
        "filters": [],
        "sort": {"name": "created_at", "ascending": False},
    }


def http_client_walk(url: str) -> int:
    """Records read by a standard-library loop: ``http.client`` keep-alive POSTs, ``json.loads``, follow the token."""
    import http.client  # noqa: PLC0415 - only this case uses it
    import urllib.parse  # noqa: PLC0415

    parts = urllib.parse.urlsplit(url)
    path = TOKEN_USAGE_PATH.format(project_id=PROJECT_ID, log_stream_id=LOG_STREAM_ID)
    headers = {"Galileo-API-Key": API_KEY, "Content-Type": "application/json"}
    count, token = 0, 0
    connection = http.client.HTTPConnection(parts.hostname or "127.0.0.1", parts.port, timeout=30)
    try:
        while token is not None:
            connection.request("POST", path, body=json.dumps(_page_request(token)).encode(), headers=headers)
            response = connection.getresponse()
            body = response.read()
            if response.status != 200:
                raise RuntimeError(f"http.client walk: HTTP {response.status}")
            page = json.loads(body)
            count += len(page["token_usages"])
            token = page["next_starting_token"]
    finally:
        connection.close()
    return count


def raw_walk(url: str) -> int:
    """Records read by the httpx loop: post, ``json.loads``, follow the token."""
    path = TOKEN_USAGE_PATH.format(project_id=PROJECT_ID, log_stream_id=LOG_STREAM_ID)
    count, token = 0, 0
    with httpx.Client(base_url=url, headers={"Galileo-API-Key": API_KEY}) as http:
        while token is not None:
            page = json.loads(http.post(path, json=_page_request(token)).raise_for_status().content)
            count += len(page["token_usages"])
            token = page["next_starting_token"]
    return count


def wrapper_walk(url: str) -> int:
    """Records read by the wrapper's pager, parsed into the generated models."""
    with GalileoInsights(api_key=API_KEY, base_url=url, max_retries=0) as client:
        return sum(1 for _ in client.token_usage.list(PROJECT_ID, LOG_STREAM_ID, page_size=PAGE_SIZE))


def measure(rounds: int = 9) -> list[Row]:
    with served_pages(RECORDS, PAGE_SIZE) as served:

        def timed(walk: Callable[[str], int]) -> float:
            started = time.perf_counter()
            count = walk(served.url)
            seconds = time.perf_counter() - started
            if count != RECORDS:
                raise RuntimeError(f"{walk.__name__} read {count} records, expected {RECORDS}")
            return seconds

        timed(raw_walk)  # warm up: imports, first connection
        timed(wrapper_walk)
        timed(http_client_walk)
        raw, wrapper, stdlib = interleaved_rounds(
            [lambda: timed(raw_walk), lambda: timed(wrapper_walk), lambda: timed(http_client_walk)], rounds
        )
    relative = ratio_of_medians_per_round(raw, wrapper)
    stdlib_speed = ratio_of_medians_per_round(raw, stdlib)
    decoder = "msgspec installed" if importlib.util.find_spec("msgspec") else "json only"
    return [
        Row(
            f"walk {RECORDS // 1000}k over loopback: http.client loop + json.loads",
            RECORDS / median(stdlib),
            "records/s",
            f"{stdlib_speed:.2f}x the httpx loop's records/s; {median(stdlib):.2f} s",
        ),
        Row(
            f"walk {RECORDS // 1000}k over loopback: httpx loop (httpx.post + json.loads)",
            RECORDS / median(raw),
            "records/s",
            f"{median(raw):.2f} s; minimal keep-alive server, precomputed pages",
        ),
        Row(
            f"walk {RECORDS // 1000}k over loopback: wrapper list(), page_size {PAGE_SIZE}",
            RECORDS / median(wrapper),
            "records/s",
            f"{relative:.2f}x the httpx loop's records/s ({decoder})",
            f">= {TARGET}x the httpx loop",
            relative >= TARGET,
        ),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=9)
    args = parser.parse_args()
    print(render(measure(args.rounds)))


if __name__ == "__main__":
    main()
