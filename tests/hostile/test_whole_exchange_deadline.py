"""The per-attempt deadline covers the whole exchange (connect, 1xx answers, status line, headers, body), and the
login request is held to the same deadline and size cap as every other request."""

from __future__ import annotations

import gzip
import socket
import time
from collections.abc import Callable
from typing import Any

import pytest

from galileo_insights import APITimeoutError, GalileoInsights, ResponseTooLargeError
from tests.hostile.servers import RawRequest, RawServer, page_answer, response_bytes
from tests.hostile.test_hostile_bodies import LOG_STREAM_ID, PROJECT_ID, WALKS

Handler = Callable[[RawRequest, socket.socket], None]
BOUND_SECONDS = 4.0  # attempt_timeout=1 plus scheduling slack on a shared machine; today's code takes 10 s or more


def drip(connection: socket.socket, data: bytes, stop: RawServer, every: float = 0.25) -> None:
    for byte in data:
        if stop.stopping:
            return
        connection.sendall(bytes([byte]))
        time.sleep(every)


def serve(handler: Callable[[RawRequest, socket.socket, RawServer], None]) -> RawServer:
    server: RawServer

    def handle(request: RawRequest, connection: socket.socket) -> None:
        handler(request, connection, server)

    server = RawServer(handle)
    return server


def dripped_head(request: RawRequest, connection: socket.socket, server: RawServer) -> None:
    answer = page_answer(request)
    head, _, body = answer.partition(b"\r\n\r\n")
    drip(connection, head + b"\r\n\r\n", server)  # some 40 s of status line and headers at 4 bytes a second
    connection.sendall(body)


def endless_early_hints(request: RawRequest, connection: socket.socket, server: RawServer) -> None:
    while not server.stopping:
        connection.sendall(b"HTTP/1.1 103 Early Hints\r\nLink: </style.css>; rel=preload\r\n\r\n")
        time.sleep(0.05)


@pytest.mark.parametrize("walk", sorted(WALKS))
@pytest.mark.parametrize("handler", [dripped_head, endless_early_hints], ids=["dripped-headers", "endless-103"])
def test_the_deadline_covers_the_status_line_headers_and_1xx_answers(walk: str, handler: Any) -> None:
    with serve(handler) as server:
        started = time.monotonic()
        with pytest.raises(APITimeoutError):
            WALKS[walk](server.url, attempt_timeout=1.0)
        assert time.monotonic() - started < BOUND_SECONDS


def login_server(login: Callable[[RawRequest, socket.socket, RawServer], None]) -> RawServer:
    def handler(request: RawRequest, connection: socket.socket, server: RawServer) -> None:
        if request.path.startswith("/login"):
            login(request, connection, server)
        else:
            connection.sendall(page_answer(request))

    return serve(handler)


def dripped_login(request: RawRequest, connection: socket.socket, server: RawServer) -> None:
    drip(connection, response_bytes(200, b'{"access_token": "abc", "token_type": "bearer"}'), server)


def login_bomb(request: RawRequest, connection: socket.socket, server: RawServer) -> None:
    inflated = b'{"access_token": "abc", "padding": "' + b"0" * (64 * 2**20) + b'"}'
    connection.sendall(response_bytes(200, gzip.compress(inflated, 1), {"Content-Encoding": "gzip"}))


def password_client(url: str, **options: Any) -> GalileoInsights:
    return GalileoInsights(username="ana", password="not-a-real-password", base_url=url, max_retries=0, **options)


def test_a_dripped_login_ends_at_the_attempt_deadline() -> None:
    with login_server(dripped_login) as server, password_client(server.url, attempt_timeout=1.0) as client:
        started = time.monotonic()
        with pytest.raises(APITimeoutError):
            list(client.token_usage.list(PROJECT_ID, LOG_STREAM_ID))
        assert time.monotonic() - started < BOUND_SECONDS


def test_a_login_answer_that_inflates_past_the_cap_is_refused() -> None:
    with (
        login_server(login_bomb) as server,
        password_client(server.url, max_response_bytes=2**20) as client,
        pytest.raises(ResponseTooLargeError, match="login"),
    ):
        list(client.token_usage.list(PROJECT_ID, LOG_STREAM_ID))
