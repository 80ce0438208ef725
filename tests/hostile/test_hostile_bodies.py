"""Whatever a server sends back ends in a result or a ``GalileoInsightsError``, in bounded time and memory.

Each test starts a raw-socket server that misbehaves one way (pagination that cannot be followed, a body that drips,
never ends, decompresses to a gigabyte, nests too deep, holds an integer too long) and walks it with the sync and
the async client.
"""

from __future__ import annotations

import asyncio
import functools
import gzip
import json
import socket
import time
import tracemalloc
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from galileo_insights import (
    MAX_EMPTY_PAGES,
    APITimeoutError,
    AsyncGalileoInsights,
    GalileoInsights,
    GalileoInsightsError,
    InternalServerError,
    PaginationError,
    ResponseTooLargeError,
    ResponseValidationError,
)
from galileo_insights.testing import TokenUsageRecord
from tests.hostile.servers import RawRequest, RawServer, page_answer, response_bytes

PROJECT_ID = "6f1c1a2e-7d3b-4c5e-9a8f-0b1c2d3e4f50"
LOG_STREAM_ID = "3d2b8c4a-5e6f-4a7b-8c9d-e0f1a2b3c4d5"
T0 = datetime(2026, 1, 1, tzinfo=UTC)

Handler = Callable[[RawRequest, socket.socket], None]


def records(start: int, count: int) -> list[dict[str, Any]]:
    return [TokenUsageRecord(created_at=T0 + timedelta(seconds=start + i)).to_json() for i in range(count)]


def request_json(request: RawRequest) -> dict[str, Any]:
    body: dict[str, Any] = json.loads(request.body or b"{}")
    return body


def walk_sync(url: str, list_options: dict[str, Any] | None = None, **options: Any) -> int:
    with GalileoInsights(api_key="k", base_url=url, max_retries=0, **options) as client:
        pager = client.token_usage.list(PROJECT_ID, LOG_STREAM_ID, page_size=100, **(list_options or {}))
        return sum(1 for _ in pager)


def walk_async(url: str, list_options: dict[str, Any] | None = None, **options: Any) -> int:
    async def walk() -> int:
        async with AsyncGalileoInsights(api_key="k", base_url=url, max_retries=0, **options) as client:
            pager = client.token_usage.list(PROJECT_ID, LOG_STREAM_ID, page_size=100, **(list_options or {}))
            return len([item async for item in pager])

    return asyncio.run(walk())


def totals_sync(url: str, **options: Any) -> int:
    with GalileoInsights(api_key="k", base_url=url, max_retries=0, **options) as client:
        return client.token_usage.totals(PROJECT_ID, LOG_STREAM_ID, page_size=100).records


WALKS = {"sync": walk_sync, "async": walk_async}


@pytest.fixture(params=sorted(WALKS))
def walk(request: pytest.FixtureRequest) -> Callable[..., int]:
    chosen: Callable[..., int] = WALKS[request.param]
    return chosen


def serve(handler: Handler) -> RawServer:
    return RawServer(handler)


# Pagination the client cannot follow without losing or repeating records


def test_empty_pages_with_an_advancing_token_end_in_a_pagination_error(walk: Callable[..., int]) -> None:
    def handle(request: RawRequest, connection: socket.socket) -> None:
        token = request_json(request).get("starting_token", 0)
        connection.sendall(page_answer(request, next_token=token + 100))

    with serve(handle) as server:
        with pytest.raises(PaginationError, match="promises 0"):
            walk(server.url)
        assert len(server.received) == 1
    with serve(handle) as server:  # a server known to count otherwise still may not send empty pages forever
        started = time.monotonic()
        with pytest.raises(PaginationError, match="empty"):
            walk(server.url, list_options={"verify_offsets": False})
        assert time.monotonic() - started < 5
        assert len(server.received) <= MAX_EMPTY_PAGES + 1


def test_totals_stop_on_endless_empty_pages_too() -> None:
    def handle(request: RawRequest, connection: socket.socket) -> None:
        token = request_json(request).get("starting_token", 0)
        connection.sendall(page_answer(request, next_token=token + 1000))

    with serve(handle) as server, pytest.raises(PaginationError):
        totals_sync(server.url)


def test_a_page_with_more_items_than_the_limit_is_an_error(walk: Callable[..., int]) -> None:
    def handle(request: RawRequest, connection: socket.socket) -> None:
        limit = request_json(request).get("limit", 100)
        connection.sendall(page_answer(request, records(0, limit + 63)))

    with serve(handle) as server, pytest.raises(PaginationError, match="163"):
        walk(server.url)


@pytest.mark.parametrize("step", [1, 1000])
def test_a_token_that_does_not_advance_by_the_items_received_is_an_error(walk: Callable[..., int], step: int) -> None:
    def handle(request: RawRequest, connection: socket.socket) -> None:
        token = request_json(request).get("starting_token", 0)
        connection.sendall(page_answer(request, records(token, 100), next_token=token + step))

    with serve(handle) as server, pytest.raises(PaginationError, match=str(step)):
        walk(server.url, list_options={"ascending": True})


# Time and size


@pytest.mark.slow
def test_a_dripping_body_hits_the_attempt_deadline(walk: Callable[..., int]) -> None:
    body = json.dumps({"token_usages": records(0, 3), "next_starting_token": None}).encode()
    with serve(dripping(body)) as server:
        started = time.monotonic()
        with pytest.raises(APITimeoutError):
            walk(server.url, timeout=1.0)
        assert time.monotonic() - started < 6


def dripping(body: bytes) -> Handler:
    def handle(request: RawRequest, connection: socket.socket) -> None:
        head = f"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n"
        connection.sendall(head.encode())
        deadline = time.monotonic() + 20
        for byte in body:
            if time.monotonic() > deadline:
                return
            connection.sendall(bytes([byte]))
            time.sleep(0.5)

    return handle


def endless_chunks(request: RawRequest, connection: socket.socket) -> None:
    connection.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n")
    chunk = b" " * 65536
    framed = f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n"
    connection.sendall(b"1\r\n[\r\n")
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        connection.sendall(framed)


def peak_traced_bytes(walk: Callable[..., int], url: str) -> int:
    """The most memory Python held during one walk capped at 8 MiB, which must end in ``ResponseTooLargeError``.

    tracemalloc rather than the process's RSS: its high-water mark may predate the walk and hide it.
    """
    tracemalloc.start()
    try:
        with pytest.raises(ResponseTooLargeError):
            walk(url, max_response_bytes=8 * 2**20)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_an_endless_chunked_body_stops_at_the_size_cap(walk: Callable[..., int]) -> None:
    with serve(endless_chunks) as server:
        assert peak_traced_bytes(walk, server.url) < 16 * 2**20  # the 8 MiB cap and working memory


@functools.cache
def gzip_bomb() -> bytes:
    """64 MiB of JSON whitespace once decompressed, about 64 KiB on the wire (8 x the cap the test sets)."""
    return gzip.compress(b"[" + b" " * (64 * 2**20), compresslevel=6)


def test_a_gzip_bomb_stops_at_the_size_cap_counted_decompressed(walk: Callable[..., int]) -> None:
    bomb = gzip_bomb()  # made before the memory is measured

    def handle(request: RawRequest, connection: socket.socket) -> None:
        connection.sendall(response_bytes(200, bomb, {"Content-Type": "application/json", "Content-Encoding": "gzip"}))

    with serve(handle) as server:
        # Inflated by httpx, one 64 KiB read of the bomb became 64 MiB at once: over 140 MiB at the peak.
        assert peak_traced_bytes(walk, server.url) < 16 * 2**20


def test_a_100_mb_page_is_refused_at_the_default_cap() -> None:
    item = json.dumps(records(0, 1)[0]).encode()
    size = 100 * 2**20

    def handle(request: RawRequest, connection: socket.socket) -> None:
        count = size // (len(item) + 1)
        body_length = len(b'{"token_usages":[') + count * (len(item) + 1) - 1 + len(b'],"next_starting_token":null}')
        head = f"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {body_length}\r\n\r\n"
        connection.sendall(head.encode() + b'{"token_usages":[')
        block = b",".join([item] * 1000) + b","
        sent = 0
        while sent + 1000 < count:
            connection.sendall(block)
            sent += 1000
        connection.sendall(b",".join([item] * (count - sent)) + b'],"next_starting_token":null}')

    with serve(handle) as server, pytest.raises(ResponseTooLargeError):
        walk_sync(server.url)


# Bodies that break a naive parser


def nested(depth: int) -> bytes:
    return b'{"token_usages": ' + b"[" * depth + b"]" * depth + b"}"


def huge_int(digits: int) -> bytes:
    return b'{"token_usages": [], "next_starting_token": ' + b"7" * digits + b"}"


@pytest.mark.parametrize(("name", "body"), [("nested", nested(100_000)), ("huge-int", huge_int(5000))])
@pytest.mark.parametrize("status", [200, 500])
def test_hostile_json_ends_in_a_typed_error(walk: Callable[..., int], name: str, body: bytes, status: int) -> None:
    def handle(request: RawRequest, connection: socket.socket) -> None:
        connection.sendall(response_bytes(status, body, {"Content-Type": "application/json"}))

    expected: type[GalileoInsightsError] = ResponseValidationError if status == 200 else InternalServerError
    with serve(handle) as server, pytest.raises(expected):
        walk(server.url)
