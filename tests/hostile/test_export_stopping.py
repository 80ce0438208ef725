"""A sync parallel export stops within about a second however the caller stops it: ``break``, an error in one
window, Ctrl-C; within that second no worker thread is left and every connection a worker was blocked on is closed,
even though the server still holds them, and the client stays usable.

The server answers each window's first page at once (one record) and holds every later page for up to 30 s, so
every worker is blocked in a read when the caller stops (or, with ``retry_after``, sleeping in a 30 s backoff).
"""

from __future__ import annotations

import json
import signal
import socket
import threading
import time
from collections.abc import Callable, Generator, Iterator
from datetime import UTC, datetime, timedelta
from typing import cast

import httpx
import pytest

from galileo_insights import GalileoInsights, InternalServerError
from galileo_insights.testing import TokenUsageRecord
from tests.hostile.servers import RawRequest, RawServer, json_response, page_answer

PROJECT_ID = "6f1c1a2e-7d3b-4c5e-9a8f-0b1c2d3e4f50"
LOG_STREAM_ID = "3d2b8c4a-5e6f-4a7b-8c9d-e0f1a2b3c4d5"
SINCE = datetime(2026, 1, 1, tzinfo=UTC)
BEFORE = SINCE + timedelta(days=8)
HOLD_SECONDS = 30.0
WORKER_PREFIX = "galileo-insights-export"


def workers() -> list[threading.Thread]:
    return [thread for thread in threading.enumerate() if thread.name.startswith(WORKER_PREFIX)]


class HoldingServer(RawServer):
    held = 0
    closed_by_client = 0


def holding_server(fail_first_page_of: int | None = None, retry_after: bool = False) -> HoldingServer:
    served = {"first_pages": 0}
    lock = threading.Lock()

    def handle(request: RawRequest, connection: socket.socket) -> None:
        body = json.loads(request.body or b"{}")
        if len(body.get("filters", [])) <= 4:  # a first page: the bounds and its window, no resume filter yet
            with lock:
                served["first_pages"] += 1
                number = served["first_pages"]
            if number == fail_first_page_of:
                connection.sendall(json_response(500, {"detail": "boom"}))
                return
            record = TokenUsageRecord(created_at=SINCE + timedelta(hours=number)).to_json()
            connection.sendall(page_answer(request, [record], next_token=1))
            return
        if retry_after:
            connection.sendall(json_response(503, {"detail": "busy"}, {"Retry-After": str(HOLD_SECONDS)}))
            return
        with lock:
            server.held += 1
        deadline = time.monotonic() + HOLD_SECONDS
        while time.monotonic() < deadline and not server.stopping:
            if client_closed(connection):
                with lock:
                    server.closed_by_client += 1
                return
            time.sleep(0.02)

    server = HoldingServer(handle)
    return server


def client_closed(connection: socket.socket) -> bool:
    try:
        return connection.recv(1, socket.MSG_PEEK | socket.MSG_DONTWAIT) == b""
    except BlockingIOError:
        return False
    except OSError:
        return True


@pytest.fixture
def client() -> Iterator[tuple[GalileoInsights, HoldingServer]]:
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


def test_break_returns_within_a_second(client: tuple[GalileoInsights, HoldingServer]) -> None:
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


@pytest.fixture
def ctrl_c_raises() -> Iterator[None]:
    """Python's own SIGINT handler for the test: a suite started in the background by a shell without job control
    inherits SIGINT ignored, and then Ctrl-C raises nothing at all (every run so started failed this test)."""
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


@pytest.mark.usefixtures("ctrl_c_raises")
def test_ctrl_c_surfaces_within_a_second(client: tuple[GalileoInsights, HoldingServer]) -> None:
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


def wait_until(condition: Callable[[], bool], seconds: float) -> float:
    """Seconds until ``condition()`` held (or ``seconds``, when it never did)."""
    started = time.monotonic()
    while not condition() and time.monotonic() - started < seconds:
        time.sleep(0.01)
    return time.monotonic() - started


@pytest.mark.parametrize("max_retries", [0, 2], ids=["no-retries", "default-retries"])
def test_a_stop_leaves_no_worker_and_no_held_connection_while_the_server_still_holds(max_retries: int) -> None:
    with (
        holding_server() as server,
        GalileoInsights(api_key="k", base_url=server.url, max_retries=max_retries) as sdk,
    ):
        items = export(sdk)
        next(items)
        wait_until(lambda: server.held == 4, 10)  # 4 workers, each blocked on a later page of its window
        assert server.held == 4
        items.close()
        assert wait_until(lambda: not workers(), 5) < 1.0
        assert wait_until(lambda: server.closed_by_client == 4, 5) < 1.0
        assert len(server.received) == 8  # 4 first pages and 4 held ones: nothing was retried after the stop
        again = export(sdk)
        assert next(again) is not None  # the pool lost only the connections the stop shut
        again.close()


def test_a_stop_ends_a_worker_sleeping_in_its_backoff() -> None:
    with (
        holding_server(retry_after=True) as server,
        GalileoInsights(api_key="k", base_url=server.url, max_retries=2) as sdk,
    ):
        items = export(sdk)
        next(items)
        wait_until(lambda: len(server.received) == 8, 10)  # every worker got its 503 with Retry-After: 30
        time.sleep(0.1)
        items.close()
        assert wait_until(lambda: not workers(), 5) < 1.0
        assert len(server.received) == 8


@pytest.mark.slow
def test_a_worker_on_a_transport_of_yours_ends_when_its_read_does() -> None:
    """Without the SDK's own pool there is no socket to shut: the worker ends at its read timeout, still a daemon."""
    with (
        holding_server() as server,
        GalileoInsights(
            api_key="k", base_url=server.url, max_retries=0, timeout=1.0, transport=httpx.HTTPTransport()
        ) as sdk,
    ):
        items = export(sdk)
        next(items)
        wait_until(lambda: server.held == 4, 10)
        items.close()
        assert all(thread.daemon for thread in workers())
        assert wait_until(lambda: not workers(), 5) < 3.0
