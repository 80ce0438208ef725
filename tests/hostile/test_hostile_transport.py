"""Sending safely: no redirect carries the key away, a refused certificate is not retried, a closed client or one used
from a second event loop says so, and a 20,000-record walk through
the fault mix loses and repeats nothing."""

from __future__ import annotations

import asyncio
import contextlib
import shutil
import socket
import ssl
import subprocess
import threading
import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import httpx
import pytest

from galileo_insights import (
    APIConnectionError,
    APIStatusError,
    AsyncGalileoInsights,
    ClientStateError,
    GalileoInsights,
    RetryPolicy,
)
from galileo_insights.testing import FakeGalileo, RandomFaults
from tests.hostile.servers import RawRequest, RawServer, page_answer, response_bytes

PROJECT_ID = "6f1c1a2e-7d3b-4c5e-9a8f-0b1c2d3e4f50"
LOG_STREAM_ID = "3d2b8c4a-5e6f-4a7b-8c9d-e0f1a2b3c4d5"
KEY = "redirect-me-never-0123456789"  # a test credential
MICROSECOND = timedelta(microseconds=1)


# Redirects to another origin


@pytest.fixture
def elsewhere() -> Iterator[RawServer]:
    def handle(request: RawRequest, connection: socket.socket) -> None:
        connection.sendall(page_answer(request))

    with RawServer(handle) as server:
        yield server


@pytest.mark.parametrize("status", [302, 307])
def test_a_redirect_never_carries_the_key_sync(elsewhere: RawServer, status: int) -> None:
    def handle(request: RawRequest, connection: socket.socket) -> None:
        connection.sendall(response_bytes(status, headers={"Location": f"{elsewhere.url}{request.path}"}))

    with (
        RawServer(handle) as server,
        httpx.Client(follow_redirects=True) as http,
        GalileoInsights(api_key=KEY, base_url=server.url, http_client=http, max_retries=0) as client,
        pytest.raises(APIStatusError) as caught,
    ):
        list(client.token_usage.list(PROJECT_ID, LOG_STREAM_ID))
    assert caught.value.status_code == status
    assert elsewhere.received == []


@pytest.mark.parametrize("status", [302, 307])
def test_a_redirect_never_carries_the_key_async(elsewhere: RawServer, status: int) -> None:
    def handle(request: RawRequest, connection: socket.socket) -> None:
        connection.sendall(response_bytes(status, headers={"Location": f"{elsewhere.url}{request.path}"}))

    async def walk(url: str) -> None:
        async with (
            httpx.AsyncClient(follow_redirects=True) as http,
            AsyncGalileoInsights(api_key=KEY, base_url=url, http_client=http, max_retries=0) as client,
        ):
            await client.token_usage.totals(PROJECT_ID, LOG_STREAM_ID)

    with RawServer(handle) as server, pytest.raises(APIStatusError):
        asyncio.run(walk(server.url))
    assert elsewhere.received == []


# A certificate the client refuses


@pytest.fixture(scope="module")
def self_signed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    openssl = shutil.which("openssl")
    assert openssl is not None, "the TLS test makes its certificate with the openssl command"
    folder = tmp_path_factory.mktemp("tls")
    key, cert = folder / "key.pem", folder / "cert.pem"
    subprocess.run(
        [
            *(openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key), "-out", str(cert)),
            *("-days", "1", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"),
        ],
        check=True,
        capture_output=True,
    )
    return cert, key


@contextlib.contextmanager
def tls_server(cert: Path, key: Path) -> Iterator[tuple[str, list[int]]]:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    listener = socket.create_server(("127.0.0.1", 0))
    listener.settimeout(0.1)
    handshakes: list[int] = []
    stop = threading.Event()

    def accept() -> None:
        while not stop.is_set():
            try:
                connection, _ = listener.accept()
            except TimeoutError:
                continue
            handshakes.append(1)
            with contextlib.suppress(OSError), context.wrap_socket(connection, server_side=True):
                pass

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield f"https://127.0.0.1:{listener.getsockname()[1]}", handshakes
    finally:
        stop.set()
        thread.join(timeout=5)
        listener.close()


def test_a_refused_certificate_is_not_retried(self_signed: tuple[Path, Path]) -> None:
    with tls_server(*self_signed) as (url, handshakes):
        policy = RetryPolicy(max_retries=3, initial_delay=2.0, jitter=0)  # a retry would wait 2 s first
        with GalileoInsights(api_key=KEY, base_url=url, retry_policy=policy) as client:
            started = time.monotonic()
            with pytest.raises(APIConnectionError, match=r"CERTIFICATE_VERIFY_FAILED|certificate"):
                list(client.token_usage.list(PROJECT_ID, LOG_STREAM_ID))
            assert time.monotonic() - started < 1.5
    assert len(handshakes) == 1


# Client state


def test_a_closed_client_says_so() -> None:
    fake = FakeGalileo(records=3)
    client = GalileoInsights(api_key=fake.api_key, base_url="http://galileo.test", transport=fake.transport())
    client.close()
    with pytest.raises(ClientStateError, match="closed"):
        list(client.token_usage.list(fake.project_id, fake.log_stream_id))


def test_an_async_client_on_a_second_event_loop_says_so() -> None:
    fake = FakeGalileo(records=3)
    client = AsyncGalileoInsights(api_key=fake.api_key, base_url="http://galileo.test", transport=fake.transport())

    async def count() -> int:
        return len([item async for item in client.token_usage.list(fake.project_id, fake.log_stream_id)])

    assert asyncio.run(count()) == 3
    with pytest.raises(ClientStateError, match="event loop"):
        asyncio.run(count())


# The fault mix over 20,000 records


# 30 % of requests fail (a truncated 200 body is left out: the core does not retry a 2xx it cannot parse).
FAULTS = RandomFaults(
    seed=10, latency=0.05, latency_seconds=0.001, rate_limited=0.1, retry_after=0, server_error=0.1, dropped=0.1
)


def faulted_fake() -> FakeGalileo:
    fake = FakeGalileo(records=20_000, seed=9)
    fake.faults.set_random(FAULTS)
    return fake


def expected_ids(fake: FakeGalileo) -> list[str]:
    return [str(record.id) for record in fake.store.records(fake.project_id, fake.log_stream_id)][::-1]


NO_WAIT = RetryPolicy(max_retries=20, initial_delay=0, jitter=0)


@pytest.mark.slow
@pytest.mark.parametrize("concurrency", [1, 8])
def test_a_faulted_walk_of_20000_records_is_exact_sync(concurrency: int) -> None:
    fake = faulted_fake()
    records = fake.store.records(fake.project_id, fake.log_stream_id)
    since, before = records[0].created_at, records[len(records) - 1].created_at + MICROSECOND
    with GalileoInsights(
        api_key=fake.api_key, base_url="http://galileo.test", transport=fake.transport(), retry_policy=NO_WAIT
    ) as client:
        pager = client.token_usage.list(
            fake.project_id,
            fake.log_stream_id,
            page_size=1000,
            created_since=since,
            created_before=before,
            concurrency=concurrency,
        )
        got = [str(item.id) for item in pager]
    assert got == expected_ids(fake)
    assert any(request.fault is not None for request in fake.requests)


@pytest.mark.slow
def test_a_faulted_walk_of_20000_records_is_exact_async() -> None:
    fake = faulted_fake()
    records = fake.store.records(fake.project_id, fake.log_stream_id)
    since, before = records[0].created_at, records[len(records) - 1].created_at + MICROSECOND

    async def walk() -> list[str]:
        async with AsyncGalileoInsights(
            api_key=fake.api_key, base_url="http://galileo.test", transport=fake.transport(), retry_policy=NO_WAIT
        ) as client:
            pager = client.token_usage.list(
                fake.project_id,
                fake.log_stream_id,
                page_size=1000,
                created_since=since,
                created_before=before,
                concurrency=8,
            )
            return [str(item.id) async for item in pager]

    assert asyncio.run(walk()) == expected_ids(fake)
