"""The proxy variables are honoured exactly as ``httpx.Client()`` honours them (``HTTP_PROXY``, ``ALL_PROXY``,
``NO_PROXY``...), by the sync client (which builds its own stoppable pool), the async client and the CLI, and a
parallel export through a proxy still stops at once.

The proxy is a stub on loopback that answers every request itself, from the fake, and records what it was asked.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
from collections.abc import Callable, Generator, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import cast

import httpx
import pytest

from galileo_insights import APIConnectionError, AsyncGalileoInsights, GalileoInsights, _stoppable_network
from galileo_insights.testing import FakeGalileo, TokenUsageRecord
from tests.hostile.servers import RawRequest, RawServer, page_answer, response_bytes

PROXY_VARIABLES = ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY")
UNREACHABLE = "http://galileo.test"  # RFC 6761: no resolver answers for it, so only a proxy can reach it


@pytest.fixture(autouse=True)
def no_proxy_variables(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in PROXY_VARIABLES:
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.lower(), raising=False)


class StubProxy(RawServer):
    """Answers absolute-form requests (``GET http://host/path``) from ``fake``; ``asked`` lists the URLs."""

    def __init__(self, fake: FakeGalileo) -> None:
        super().__init__(self._answer)
        self._fake = fake

    def _answer(self, request: RawRequest, connection: socket.socket) -> None:
        url = urllib.parse.urlsplit(request.path)
        reply = self._fake.handle(request.method, url.path, request.headers, request.body, url.query)
        connection.sendall(response_bytes(reply.status, reply.body, dict(reply.headers), "OK"))

    @property
    def asked(self) -> list[str]:
        return [request.path for request in self.received]


@pytest.fixture
def fake() -> FakeGalileo:
    return FakeGalileo(records=30, seed=3)


@pytest.fixture
def proxy(fake: FakeGalileo) -> Iterator[StubProxy]:
    with StubProxy(fake) as server:
        yield server


@pytest.fixture
def direct(fake: FakeGalileo) -> Iterator[str]:
    """The same fake over HTTP on loopback, for requests that go around the proxy."""
    with fake.serve() as url:
        yield url


def sdk_reads(fake: FakeGalileo, base_url: str) -> int:
    with GalileoInsights(api_key=fake.api_key, base_url=base_url, max_retries=0) as client:
        return len(list(client.token_usage.list(fake.project_id, fake.log_stream_id, page_size=10)))


def httpx_reads(base_url: str) -> bool:
    """Whether ``httpx.Client()`` gets an answer from ``base_url`` (through a proxy or not)."""
    with httpx.Client() as client:
        return client.get(f"{base_url}/projects").status_code in (200, 401)


def test_http_proxy_carries_the_sync_client(
    fake: FakeGalileo, proxy: StubProxy, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HTTP_PROXY", proxy.url)

    assert sdk_reads(fake, UNREACHABLE) == 30
    assert proxy.asked
    assert all(url.startswith(f"{UNREACHABLE}/v2/projects/") for url in proxy.asked)


def test_all_proxy_carries_the_async_client(
    fake: FakeGalileo, proxy: StubProxy, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ALL_PROXY", proxy.url)

    async def main() -> int:
        async with AsyncGalileoInsights(api_key=fake.api_key, base_url=UNREACHABLE, max_retries=0) as client:
            return len([item async for item in client.token_usage.list(fake.project_id, fake.log_stream_id)])

    assert asyncio.run(main()) == 30
    assert len(proxy.asked) == 1


@pytest.mark.parametrize(
    "variables",
    [
        {"HTTP_PROXY": "{proxy}"},
        {"ALL_PROXY": "{proxy}"},
        {"HTTP_PROXY": "{proxy}", "NO_PROXY": "127.0.0.1"},
        {"HTTP_PROXY": "{proxy}", "NO_PROXY": "*"},
        {"ALL_PROXY": "{proxy}", "NO_PROXY": "localhost,127.0.0.1"},
        {"HTTPS_PROXY": "{proxy}"},  # an http:// URL does not use the https proxy
    ],
    ids=["http", "all", "no-proxy-host", "no-proxy-star", "no-proxy-list", "https-only"],
)
def test_the_sdk_routes_as_httpx_client_does(
    variables: dict[str, str], fake: FakeGalileo, proxy: StubProxy, direct: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name, value in variables.items():
        monkeypatch.setenv(name, value.format(proxy=proxy.url))

    assert httpx_reads(direct)
    by_httpx = len(proxy.asked)
    assert sdk_reads(fake, direct) == 30
    by_sdk = len(proxy.asked) - by_httpx

    assert bool(by_sdk) == bool(by_httpx)
    assert bool(by_httpx) == ("NO_PROXY" not in variables and "HTTPS_PROXY" not in variables)


def test_no_proxy_sends_the_sync_client_around_the_proxy(
    fake: FakeGalileo, proxy: StubProxy, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HTTP_PROXY", proxy.url)
    monkeypatch.setenv("NO_PROXY", "galileo.test")

    with pytest.raises(APIConnectionError):
        sdk_reads(fake, UNREACHABLE)
    assert proxy.asked == []


def test_the_cli_goes_through_the_proxy(fake: FakeGalileo, proxy: StubProxy) -> None:
    cli = Path(sys.executable).parent / "galileo-insights"
    environment = {
        **{name: value for name, value in os.environ.items() if name.upper() not in PROXY_VARIABLES},
        "HTTP_PROXY": proxy.url,
        "GALILEO_API_URL": UNREACHABLE,
        "GALILEO_API_KEY": fake.api_key,
    }
    result = subprocess.run(
        [str(cli), "token-usage", str(fake.project_id), str(fake.log_stream_id), "--totals", "--format", "json"],
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )

    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["records"] == 30
    assert proxy.asked


SINCE = datetime(2026, 1, 1, tzinfo=UTC)


RECORD_TIME = SINCE + timedelta(hours=1)


def _resumes_from(request: RawRequest, moment: datetime) -> bool:
    """Whether the page asks for records from ``moment`` on (a keyset walk's page after the first)."""
    filters = json.loads(request.body or b"{}").get("filters") or []
    return any(
        item.get("name") == "created_at"
        and item.get("operator") in ("gte", "lte")
        and datetime.fromisoformat(item["value"]) == moment
        for item in filters
    )


class HoldingProxy(RawServer):
    """A proxy that answers each window's first page with one record and holds every later page (up to 30 s)
    until the client closes the connection, counting those closes."""

    def __init__(self) -> None:
        super().__init__(self._hold)
        self.held = 0
        self.closed_by_client = 0
        self._count = threading.Lock()

    def _hold(self, request: RawRequest, connection: socket.socket) -> None:
        if not _resumes_from(request, RECORD_TIME):  # a window's first page; later ones resume from its record
            record = TokenUsageRecord(created_at=RECORD_TIME).to_json()
            connection.sendall(page_answer(request, [record], next_token=1))
            return
        with self._count:
            self.held += 1
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and not self.stopping:
            try:
                if connection.recv(1, socket.MSG_PEEK | socket.MSG_DONTWAIT) == b"":
                    break
            except BlockingIOError:
                time.sleep(0.02)
                continue
            except OSError:
                break
        with self._count:
            self.closed_by_client += 1


def settled(condition: Callable[[], bool], seconds: float = 5.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.01)
    return False


def test_a_parallel_export_through_a_proxy_stops_and_shuts_its_held_connections(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with HoldingProxy() as holding:
        monkeypatch.setenv("HTTP_PROXY", holding.url)
        with GalileoInsights(api_key="k", base_url=UNREACHABLE, max_retries=0, timeout=30) as client:
            pager = client.token_usage.list(
                "6f1c1a2e-7d3b-4c5e-9a8f-0b1c2d3e4f50",
                "3d2b8c4a-5e6f-4a7b-8c9d-e0f1a2b3c4d5",
                created_since=SINCE,
                created_before=SINCE + timedelta(days=4),
                concurrency=4,
                page_size=5,
            )
            items = cast(Generator[object, None, None], iter(pager))
            next(items)
            assert settled(lambda: holding.held == 4)
            items.close()  # what ``break`` does
            # The stoppable pool shuts the sockets its workers are blocked on at once (about a millisecond here);
            # a proxy transport without it leaves them to end their reads (about 5 s here).
            assert settled(lambda: holding.closed_by_client == 4, seconds=2.0)


def test_a_later_httpx_that_builds_its_transport_another_way_still_works_and_says_so(
    fake: FakeGalileo, proxy: StubProxy, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(_stoppable_network.StoppableClient, "_init_transport", httpx.Client._init_transport)
    monkeypatch.setenv("HTTP_PROXY", proxy.url)
    _stoppable_network._say_no_prompt_stop.cache_clear()
    try:
        with caplog.at_level(logging.WARNING, logger="galileo_insights"):
            assert sdk_reads(fake, UNREACHABLE) == 30
    finally:
        _stoppable_network._say_no_prompt_stop.cache_clear()
    assert [record.getMessage() for record in caplog.records if "not at once" in record.getMessage()]
