"""Bodies are inflated by the SDK, a bounded piece at a time (``_capped_body``), so it asks only for the encodings it
inflates that way: the login and every page say ``Accept-Encoding: gzip, deflate``, both come back readable when
the server takes it up, and an answer in an encoding it did not ask for is a typed error naming the encoding."""

from __future__ import annotations

import asyncio
import gzip
import json
import socket
import zlib
from collections.abc import Callable
from datetime import UTC, datetime

import pytest

from galileo_insights import APIConnectionError, AsyncGalileoInsights, GalileoInsights
from galileo_insights.testing import TokenUsageRecord
from tests.hostile.servers import RawRequest, RawServer, page_answer, response_bytes

PROJECT_ID = "6f1c1a2e-7d3b-4c5e-9a8f-0b1c2d3e4f50"
LOG_STREAM_ID = "3d2b8c4a-5e6f-4a7b-8c9d-e0f1a2b3c4d5"
ENCODE: dict[str, Callable[[bytes], bytes]] = {"gzip": gzip.compress, "deflate": zlib.compress}


def encoded_server(page_encoding: str) -> RawServer:
    """The login answered gzipped and the page in ``page_encoding`` (unencoded for one the SDK cannot inflate)."""
    records = [TokenUsageRecord(created_at=datetime(2026, 1, 1, tzinfo=UTC)).to_json() for _ in range(3)]

    def handle(request: RawRequest, connection: socket.socket) -> None:
        if request.path.endswith("/login"):
            body = gzip.compress(json.dumps({"access_token": "issued-token", "token_type": "bearer"}).encode())
            encoding = "gzip"
        else:
            plain = page_answer(request, records).partition(b"\r\n\r\n")[2]
            body = ENCODE.get(page_encoding, bytes)(plain)
            encoding = page_encoding
        headers = {"Content-Type": "application/json", "Content-Encoding": encoding}
        connection.sendall(response_bytes(200, body, headers))

    return RawServer(handle)


def walk_sync(url: str) -> int:
    with GalileoInsights(base_url=url, max_retries=0, username="u@acme.io", password="pw") as client:
        return len(list(client.token_usage.list(PROJECT_ID, LOG_STREAM_ID)))


def walk_async(url: str) -> int:
    async def walk() -> int:
        async with AsyncGalileoInsights(base_url=url, max_retries=0, username="u@acme.io", password="pw") as client:
            return len([item async for item in client.token_usage.list(PROJECT_ID, LOG_STREAM_ID)])

    return asyncio.run(walk())


WALKS = {"sync": walk_sync, "async": walk_async}


@pytest.mark.parametrize("page_encoding", sorted(ENCODE))
@pytest.mark.parametrize("flavour", sorted(WALKS))
def test_the_login_and_the_pages_ask_for_what_the_sdk_inflates_and_read_it(flavour: str, page_encoding: str) -> None:
    with encoded_server(page_encoding) as server:
        assert WALKS[flavour](server.url) == 3
    asked = {request.path.rsplit("/", 1)[-1]: request.headers.get("accept-encoding") for request in server.received}
    assert asked == {"login": "gzip, deflate", "token_usage": "gzip, deflate"}


@pytest.mark.parametrize("flavour", sorted(WALKS))
def test_a_page_in_an_encoding_not_asked_for_is_a_connection_error_naming_it(flavour: str) -> None:
    with encoded_server("br") as server, pytest.raises(APIConnectionError, match="'br' is not an encoding") as caught:
        WALKS[flavour](server.url)
    assert caught.value.retryable is False
