"""A sync parallel export stops within about a second however the caller stops it: ``break``, an error in one
window, Ctrl-C; its worker threads never keep the process alive, and none is left once the server lets go.

The server answers each window's first page at once (one record) and holds every later page for up to 30 s, so
every worker is blocked in a read when the caller stops.
"""

from __future__ import annotations

import json
import signal
import socket
import threading
import time
from collections.abc import Generator, Iterator
from datetime import UTC, datetime, timedelta
from typing import cast

import pytest

from galileo_insights import GalileoInsights, InternalServerError
from galileo_insights.testing import TokenUsageRecord
from tests.hostile.servers import RawRequest, RawServer, json_response

PROJECT_ID = "6f1c1a2e-7d3b-4c5e-9a8f-0b1c2d3e4f50"
LOG_STREAM_ID = "3d2b8c4a-5e6f-4a7b-8c9d-e0f1a2b3c4d5"
SINCE = datetime(2026, 1, 1, tzinfo=UTC)
BEFORE = SINCE + timedelta(days=8)
HOLD_SECONDS = 30.0
WORKER_PREFIX = "galileo-insights-export"


def workers() -> list[threading.Thread]:
    return [thread for thread in threading.enumerate() if thread.name.startswith(WORKER_PREFIX)]


def holding_server(fail_first_page_of: int | None = None) -> RawServer:
    served = {"first_pages": 0}
    lock = threading.Lock()

    def handle(request: RawRequest, connection: socket.socket) -> None:
        body = json.loads(request.body or b"{}")
        if body.get("starting_token", 0) == 0:
            with lock:
                served["first_pages"] += 1
                number = served["first_pages"]
            if number == fail_first_page_of:
                connection.sendall(json_response(500, {"detail": "boom"}))
                return
            record = TokenUsageRecord(created_at=SINCE + timedelta(hours=number)).to_json()
            connection.sendall(json_response(200, {"token_usages": [record], "next_starting_token": 1}))
            return
        deadline = time.monotonic() + HOLD_SECONDS
        while time.monotonic() < deadline and not server.stopping:
            time.sleep(0.02)

    server = RawServer(handle)
    return server


@pytest.fixture
def client() -> Iterator[tuple[GalileoInsights, RawServer]]:
    with holding_server() as server, GalileoInsights(api_key="k", base_url=server.url, max_retries=0) as sdk:
        yield sdk, server


def export(sdk: GalileoInsights) -> Generator[object, None, None]:
    """The items of an 8-window export, as the generator a ``for`` loop holds (``close()`` is what ``break`` does)."""
    pager = sdk.token_usage.list(
        PROJECT_ID, LOG_STREAM_ID, created_since=SINCE, created_before=BEFORE, concurrency=4, windows=8, page_size=5
    )
    return cast(Generator[object, None, None], iter(pager))


def wait_for_blocked_workers(server: RawServer, count: int) -> None:
    deadline = time.monotonic() + 10
    while len(server.received) < count and time.monotonic() < deadline:
        time.sleep(0.01)


def test_break_returns_within_a_second(client: tuple[GalileoInsights, RawServer]) -> None:
    sdk, server = client
    items = export(sdk)
    next(items)
    wait_for_blocked_workers(server, 8)
    started = time.monotonic()
    items.close()  # what ``break`` does to the generator
    assert time.monotonic() - started < 1.0
    assert all(thread.daemon for thread in workers())


def test_an_error_in_one_window_surfaces_within_a_second() -> None:
    with (
        holding_server(fail_first_page_of=3) as server,
        GalileoInsights(api_key="k", base_url=server.url, max_retries=0) as sdk,
    ):
        started = time.monotonic()
        with pytest.raises(InternalServerError):
            list(export(sdk))
        assert time.monotonic() - started < 2.0


def test_ctrl_c_surfaces_within_a_second(client: tuple[GalileoInsights, RawServer]) -> None:
    sdk, server = client
    items = export(sdk)
    next(items)
    wait_for_blocked_workers(server, 8)
    timer = threading.Timer(0.2, signal.pthread_kill, (threading.main_thread().ident, signal.SIGINT))
    started = time.monotonic()
    timer.start()
    with pytest.raises(KeyboardInterrupt):
        for _ in items:
            pass
    assert time.monotonic() - started < 1.2


def test_no_worker_is_left_once_the_server_lets_go() -> None:
    with holding_server() as server, GalileoInsights(api_key="k", base_url=server.url, max_retries=0) as sdk:
        items = export(sdk)
        next(items)
        wait_for_blocked_workers(server, 8)
        items.close()
    deadline = time.monotonic() + 5
    while workers() and time.monotonic() < deadline:
        time.sleep(0.02)
    assert workers() == []
