"""Every fault kind through the in-process transport, with ``httpx.Client`` and ``httpx.AsyncClient``."""

from __future__ import annotations

import json
import time

import httpx
import pytest

from galileo_insights.testing import (
    DroppedConnection,
    FakeGalileo,
    FaultPlan,
    Latency,
    MalformedJson,
    RandomFaults,
    RateLimited,
    ServerError,
)

pytestmark = pytest.mark.anyio
BASE_URL = "http://galileo.test"


def sync_client(fake: FakeGalileo) -> httpx.Client:
    return httpx.Client(transport=fake.transport(), base_url=BASE_URL, headers={"Galileo-API-Key": fake.api_key})


def async_client(fake: FakeGalileo) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=fake.transport(), base_url=BASE_URL, headers={"Galileo-API-Key": fake.api_key})


async def test_rate_limited_then_ok(fake: FakeGalileo) -> None:
    fake.faults.script(RateLimited(retry_after=7))
    async with async_client(fake) as client:
        limited = await client.post(fake.token_usage_path(), json={"starting_token": 5})
        ok = await client.post(fake.token_usage_path(), json={"starting_token": 5})
    assert limited.status_code == 429
    assert limited.headers["retry-after"] == "7"
    assert ok.status_code == 200
    assert [(r.json, r.status, r.fault) for r in fake.requests] == [
        ({"starting_token": 5}, 429, RateLimited(7)),
        ({"starting_token": 5}, 200, None),
    ]


@pytest.mark.parametrize(("status", "retry_after"), [(500, None), (503, 3)])
def test_server_errors(fake: FakeGalileo, status: int, retry_after: int | None) -> None:
    fake.faults.script(ServerError(status, retry_after))
    with sync_client(fake) as client:
        response = client.post(fake.token_usage_path(), json={})
    assert response.status_code == status
    assert response.headers.get("retry-after") == (str(retry_after) if retry_after else None)
    assert "detail" in response.json()


async def test_server_errors_async(fake: FakeGalileo) -> None:
    fake.faults.script(ServerError(503), None, ServerError(500))
    async with async_client(fake) as client:
        statuses = [(await client.post(fake.token_usage_path(), json={})).status_code for _ in range(4)]
    assert statuses == [503, 200, 500, 200]


def test_dropped_connection_sync(fake: FakeGalileo) -> None:
    fake.faults.script(DroppedConnection(0.3))
    with sync_client(fake) as client:
        with pytest.raises(httpx.RemoteProtocolError, match="peer closed connection"):
            client.post(fake.token_usage_path(), json={})
        with client.stream("POST", fake.token_usage_path(), json={}) as streamed:
            assert streamed.status_code == 200
            streamed.read()
    fake.faults.script(DroppedConnection(0.5))
    with sync_client(fake) as client, client.stream("POST", fake.token_usage_path(), json={}) as response:
        assert response.status_code == 200
        declared = int(response.headers["content-length"])
        received = bytearray()
        chunks = response.iter_bytes()
        received += next(chunks)
        with pytest.raises(httpx.RemoteProtocolError):
            next(chunks)
    assert 0 < len(received) < declared


async def test_dropped_connection_async(fake: FakeGalileo) -> None:
    fake.faults.script(DroppedConnection())
    async with async_client(fake) as client:
        with pytest.raises(httpx.RemoteProtocolError):
            await client.post(fake.token_usage_path(), json={})
        assert (await client.post(fake.token_usage_path(), json={})).status_code == 200


def test_malformed_json_sync(fake: FakeGalileo) -> None:
    fake.faults.script(MalformedJson())
    with sync_client(fake) as client:
        response = client.post(fake.token_usage_path(), json={})
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    with pytest.raises(json.JSONDecodeError):
        response.json()


async def test_malformed_json_async(fake: FakeGalileo) -> None:
    fake.faults.script(MalformedJson())
    async with async_client(fake) as client:
        response = await client.post(fake.token_usage_path(), json={})
    with pytest.raises(json.JSONDecodeError):
        response.json()


def test_latency_sync(fake: FakeGalileo) -> None:
    fake.faults.script(Latency(0.2))
    with sync_client(fake) as client:
        started = time.monotonic()
        assert client.post(fake.token_usage_path(), json={}).status_code == 200
        assert time.monotonic() - started >= 0.2
        started = time.monotonic()
        client.post(fake.token_usage_path(), json={})
        assert time.monotonic() - started < 0.2


async def test_latency_async_meets_client_timeouts(fake: FakeGalileo) -> None:
    fake.faults.script(Latency(0.2))
    async with async_client(fake) as client:
        started = time.monotonic()
        assert (await client.post(fake.token_usage_path(), json={})).status_code == 200
    assert time.monotonic() - started >= 0.2
    assert fake.requests[0].delay == 0.2


def test_login_is_never_faulted(fake: FakeGalileo) -> None:
    fake.credentials.add_user("u", "p")
    fake.faults.script(ServerError())
    with sync_client(fake) as client:
        assert client.post("/login", data={"username": "u", "password": "p"}).status_code == 200
        assert client.post(fake.token_usage_path(), json={}).status_code == 500
    assert fake.faults.pending == 0


def outcomes(fake: FakeGalileo, n: int) -> list[str]:
    results = []
    with sync_client(fake) as client:
        for _ in range(n):
            try:
                response = client.post(fake.token_usage_path(), json={"limit": 1})
                response.json()
                results.append(str(response.status_code))
            except httpx.RemoteProtocolError:
                results.append("dropped")
            except json.JSONDecodeError:
                results.append("malformed")
    return results


def test_random_faults_are_reproducible_from_the_seed(fake: FakeGalileo) -> None:
    rates = RandomFaults(seed=42, rate_limited=0.2, server_error=0.2, dropped=0.2, malformed=0.2)
    fake.faults.set_random(rates)
    first = outcomes(fake, 60)
    fake.faults.set_random(rates)
    assert outcomes(fake, 60) == first
    assert set(first) == {"200", "429", "503", "dropped", "malformed"}


def test_random_latency_applies_at_its_rate() -> None:
    fake = FakeGalileo(faults=FaultPlan(random_faults=RandomFaults(latency=1.0, latency_seconds=0.01)))
    outcomes(fake, 3)
    assert [r.delay for r in fake.requests] == [0.01, 0.01, 0.01]


def test_rates_are_validated() -> None:
    with pytest.raises(ValueError, match="at most 1"):
        RandomFaults(rate_limited=0.6, server_error=0.6)
    with pytest.raises(ValueError, match="between 0 and 1"):
        RandomFaults(dropped=1.5)
