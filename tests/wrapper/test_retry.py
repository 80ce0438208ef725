from __future__ import annotations

import dataclasses
import email.utils
import logging
import time

import httpx
import pytest

from galileo_insights import (
    APIConnectionError,
    AsyncGalileoInsights,
    ConfigurationError,
    GalileoInsights,
    InternalServerError,
    RateLimitError,
    RetryPolicy,
    UnprocessableEntityError,
    _retry,
)
from tests.wrapper.fake_pages import API_KEY, BASE_URL, LOG_STREAM_ID, PROJECT_ID, Fault, PageServer, make_records


@pytest.fixture
def sleeps(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """Record the backoff instead of sleeping it, so retry tests run instantly."""
    recorded: list[float] = []

    async def fake_async_sleep(seconds: float) -> None:
        recorded.append(seconds)

    monkeypatch.setattr(_retry, "sleep", recorded.append)
    monkeypatch.setattr(_retry, "async_sleep", fake_async_sleep)
    return recorded


def status(code: int, headers: dict[str, str] | None = None) -> Fault:
    return lambda request: httpx.Response(code, json={"detail": "try later"}, headers=headers)


def reset(request: httpx.Request) -> httpx.Response:
    raise httpx.RemoteProtocolError("peer closed connection without sending complete message body")


def timeout(request: httpx.Request) -> httpx.Response:
    raise httpx.ReadTimeout("read timed out")


def walk(server: PageServer, **client_kwargs: object) -> list[str]:
    transport = httpx.MockTransport(server)
    with GalileoInsights(api_key=API_KEY, base_url=BASE_URL, transport=transport, **client_kwargs) as client:  # type: ignore[arg-type]
        return [str(item.id) for item in client.token_usage.list(PROJECT_ID, LOG_STREAM_ID, page_size=4)]


def expected_ids(count: int) -> list[str]:
    return [r["id"] for r in reversed(make_records(count))]


def test_faults_mid_walk_are_retried_with_the_same_token_and_nothing_is_lost(sleeps: list[float]) -> None:
    # calls: 0 ok, 1 = 503, 2 ok (the same body), 3 = reset, 4 ok (same), 5 = timeout, 6 ok (same), 7 the last page
    server = PageServer(make_records(14), faults={1: status(503), 3: reset, 5: timeout})
    assert walk(server) == expected_ids(14)
    assert [server.bodies[retry] for retry in (2, 4, 6)] == [server.bodies[failed] for failed in (1, 3, 5)]
    assert len(sleeps) == 3


def test_retry_after_seconds_is_honoured(sleeps: list[float]) -> None:
    server = PageServer(make_records(3), faults={0: status(429, {"Retry-After": "7"})})
    assert walk(server) == expected_ids(3)
    assert sleeps == [7.0]


def test_retry_after_http_date_is_honoured(sleeps: list[float]) -> None:
    when = email.utils.formatdate(time.time() + 30, usegmt=True)
    server = PageServer(make_records(3), faults={0: status(429, {"Retry-After": when})})
    assert walk(server) == expected_ids(3)
    assert len(sleeps) == 1
    assert 25 <= sleeps[0] <= 30


def test_retry_after_is_capped(sleeps: list[float]) -> None:
    server = PageServer(make_records(1), faults={0: status(503, {"Retry-After": "3600"})})
    walk(server, retry_policy=RetryPolicy(max_retry_after=12))
    assert sleeps == [12]


def test_backoff_doubles_with_jitter_then_gives_up(sleeps: list[float]) -> None:
    server = PageServer(make_records(1), faults={n: status(500) for n in range(4)})
    with pytest.raises(InternalServerError):
        walk(server, retry_policy=RetryPolicy(max_retries=3, initial_delay=0.5, jitter=0.25))
    assert len(server.requests) == 4
    assert [round(s, 6) for s in sleeps] == sorted(round(s, 6) for s in sleeps)
    for base, slept in zip([0.5, 1.0, 2.0], sleeps, strict=True):
        assert base <= slept <= base * 1.25


def test_max_retries_zero_disables_retries(sleeps: list[float]) -> None:
    server = PageServer(make_records(1), faults={0: reset})
    with pytest.raises(APIConnectionError):
        walk(server, max_retries=0)
    assert len(server.requests) == 1
    assert sleeps == []


def test_client_errors_are_not_retried(sleeps: list[float]) -> None:
    server = PageServer(make_records(1), faults={0: lambda request: httpx.Response(422, json={"detail": "bad"})})
    with pytest.raises(UnprocessableEntityError):
        walk(server)
    assert len(server.requests) == 1


def test_default_gives_up_after_two_retries(sleeps: list[float]) -> None:
    server = PageServer(make_records(1), faults={n: status(429) for n in range(5)})
    with pytest.raises(RateLimitError):
        walk(server)
    assert len(server.requests) == 3


def test_retries_are_logged_without_secrets(sleeps: list[float], caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG, logger="galileo_insights")
    server = PageServer(make_records(2), faults={0: status(503)})
    walk(server)
    text = caplog.text
    assert "retrying after HTTP 503 from POST /v2/projects/" in text
    assert "-> 200 in" in text
    assert API_KEY not in text


@pytest.mark.anyio
async def test_async_retries_keep_the_same_page(sleeps: list[float]) -> None:
    server = PageServer(make_records(9), faults={1: reset, 2: status(503, {"Retry-After": "1"})})
    transport = httpx.MockTransport(server)
    async with AsyncGalileoInsights(api_key=API_KEY, base_url=BASE_URL, transport=transport) as client:
        got = [str(item.id) async for item in client.token_usage.list(PROJECT_ID, LOG_STREAM_ID, page_size=4)]
    assert got == expected_ids(9)
    assert server.bodies[1] == server.bodies[2] == server.bodies[3]  # one page, asked for again after each fault
    assert sleeps[1] == 1.0


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("initial_delay", -1, "initial_delay: must be a finite number of seconds >= 0, got -1"),
        ("max_delay", float("inf"), "max_delay: must be a finite number of seconds >= 0, got inf"),
        ("max_retry_after", "60", "max_retry_after: must be a finite number of seconds >= 0, got '60'"),
        ("jitter", 1.5, "jitter: must be a number from 0 to 1, got 1.5"),
        ("jitter", True, "jitter: must be a number from 0 to 1, got True"),
        ("max_retries", 21, "max_retries: must be an integer from 0 to 20, got 21"),
    ],
)
def test_a_bad_retry_policy_is_a_configuration_error_naming_the_field(field: str, value: object, message: str) -> None:
    with pytest.raises(ConfigurationError) as raised:
        RetryPolicy(**{field: value})  # type: ignore[arg-type]  # wrong types on purpose
    assert str(raised.value) == message


def test_a_retry_policy_is_changed_by_copy() -> None:
    policy = RetryPolicy(initial_delay=0)
    assert dataclasses.replace(policy, max_retries=5) == RetryPolicy(max_retries=5, initial_delay=0)
    assert policy.max_retries == 2
