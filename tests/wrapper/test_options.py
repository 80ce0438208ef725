"""Request options as in the SDKs users know: with_options, per-call overrides, default headers, logging."""

from __future__ import annotations

import asyncio
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Iterator
from typing import Any

import httpx
import pytest

from galileo_insights import (
    APITimeoutError,
    AsyncGalileoInsights,
    ClientStateError,
    ConfigurationError,
    DefaultAsyncHttpxClient,
    DefaultHttpxClient,
    GalileoInsights,
    InternalServerError,
    InvalidRequestError,
    RetryPolicy,
    _retry,
)
from tests.wrapper.fake_pages import API_KEY, BASE_URL, LOG_STREAM_ID, PROJECT_ID, PageServer, make_records


@pytest.fixture(autouse=True)
def no_sleep(monkeypatch: pytest.MonkeyPatch) -> None:
    async def nothing(seconds: float) -> None:
        return None

    monkeypatch.setattr(_retry, "sleep", lambda seconds: None)
    monkeypatch.setattr(_retry, "async_sleep", nothing)


def failing(status: int) -> PageServer:
    return PageServer(
        [], faults={n: (lambda request: httpx.Response(status, json={"detail": "no"})) for n in range(50)}
    )


def sync_client(server: PageServer, **kwargs: Any) -> GalileoInsights:
    return GalileoInsights(api_key=API_KEY, base_url=BASE_URL, transport=httpx.MockTransport(server), **kwargs)


def async_client(server: PageServer, **kwargs: Any) -> AsyncGalileoInsights:
    return AsyncGalileoInsights(api_key=API_KEY, base_url=BASE_URL, transport=httpx.MockTransport(server), **kwargs)


def timeouts(server: PageServer) -> list[dict[str, float | None]]:
    return [request.extensions["timeout"] for request in server.requests]


def test_per_call_options_reach_the_wire_sync() -> None:
    server = PageServer(make_records(3))
    with sync_client(server, default_headers={"X-Team": "data"}) as client:
        list(
            client.token_usage.list(
                PROJECT_ID,
                LOG_STREAM_ID,
                page_size=2,
                timeout=7.5,
                extra_headers={"X-Trace": "abc"},
                extra_query={"debug": "1"},
                extra_body={"experimental": True},
            )
        )
        list(client.token_usage.list(PROJECT_ID, LOG_STREAM_ID))
    first, _, plain = server.requests
    assert first.headers["X-Trace"] == "abc"
    assert first.headers["X-Team"] == plain.headers["X-Team"] == "data"
    assert "X-Trace" not in plain.headers
    assert first.url.params["debug"] == "1"
    assert "debug" not in plain.url.params
    assert [body.get("experimental") for body in server.bodies] == [True, True, None]
    assert [len(body["filters"]) for body in server.bodies] == [0, 1, 0]  # the second page resumes by created_at
    assert timeouts(server)[0] == {"connect": 7.5, "read": 7.5, "write": 7.5, "pool": 7.5}
    assert timeouts(server)[2]["read"] == 60.0


@pytest.mark.anyio
async def test_per_call_options_reach_the_wire_async() -> None:
    server = PageServer(make_records(1))
    async with async_client(server, default_headers={"X-Team": "data"}) as client:
        pager = client.token_usage.list(
            PROJECT_ID,
            LOG_STREAM_ID,
            timeout=3,
            extra_headers={"X-Trace": "abc"},
            extra_query={"debug": "1"},
            extra_body={"experimental": True},
        )
        assert len([item async for item in pager]) == 1
    (request,) = server.requests
    assert (request.headers["X-Trace"], request.headers["X-Team"], request.url.params["debug"]) == ("abc", "data", "1")
    assert server.bodies[0]["experimental"] is True
    assert timeouts(server)[0]["read"] == 3


def test_your_headers_replace_the_sdks_by_name_instead_of_going_beside_them() -> None:
    server = PageServer(make_records(1))
    with sync_client(server, default_headers={"user-agent": "acme-finops/2"}) as client:
        list(client.token_usage.list(PROJECT_ID, LOG_STREAM_ID, extra_headers={"Accept-Encoding": "identity"}))
        list(client.token_usage.list(PROJECT_ID, LOG_STREAM_ID))
    mine, sdks = (dict(request.headers.multi_items()) for request in server.requests)
    for request in server.requests:
        names = [name for name, _ in request.headers.multi_items()]
        assert names.count("user-agent") == names.count("accept-encoding") == 1
    assert (mine["user-agent"], mine["accept-encoding"]) == ("acme-finops/2", "identity")
    assert (sdks["user-agent"], sdks["accept-encoding"]) == ("acme-finops/2", "gzip, deflate")


def test_per_call_max_retries_overrides_the_client_sync() -> None:
    server = failing(503)
    with sync_client(server, max_retries=5) as client, pytest.raises(InternalServerError):
        client.token_usage.totals(PROJECT_ID, LOG_STREAM_ID, max_retries=1)
    assert len(server.requests) == 2


@pytest.mark.anyio
async def test_per_call_max_retries_overrides_the_client_async() -> None:
    server = failing(503)
    async with async_client(server, max_retries=0) as client:
        with pytest.raises(InternalServerError):
            await client.token_usage.totals(PROJECT_ID, LOG_STREAM_ID, max_retries=3)
    assert len(server.requests) == 4


def test_with_options_copies_share_the_pool_and_override_sync() -> None:
    server = failing(500)
    client = sync_client(server, max_retries=0, default_headers={"X-A": "1"})
    patient = client.with_options(max_retries=2, timeout=9, default_headers={"X-B": "2"})
    assert patient._http is client._http
    with pytest.raises(InternalServerError):
        list(patient.token_usage.list(PROJECT_ID, LOG_STREAM_ID))
    assert len(server.requests) == 3
    assert server.requests[0].headers["X-A"] == "1"
    assert server.requests[0].headers["X-B"] == "2"
    assert timeouts(server)[0]["read"] == 9
    patient.close()  # a copy does not close the shared pool
    with pytest.raises(InternalServerError):
        list(client.token_usage.list(PROJECT_ID, LOG_STREAM_ID))
    assert len(server.requests) == 4
    client.close()
    with pytest.raises(ClientStateError, match="closed"):
        list(patient.token_usage.list(PROJECT_ID, LOG_STREAM_ID))


@pytest.mark.anyio
async def test_with_options_copies_async() -> None:
    server = failing(502)
    async with async_client(server, max_retries=0) as client:
        with pytest.raises(InternalServerError):
            await client.with_options(max_retries=1).token_usage.totals(PROJECT_ID, LOG_STREAM_ID)
    assert len(server.requests) == 2


def test_a_users_http_client_keeps_the_sdks_timeout() -> None:
    server = PageServer(make_records(1))
    with httpx.Client(transport=httpx.MockTransport(server)) as http:
        client = GalileoInsights(api_key=API_KEY, base_url=BASE_URL, http_client=http, timeout=1)
        list(client.token_usage.list(PROJECT_ID, LOG_STREAM_ID))
    assert timeouts(server)[0] == {"connect": 1.0, "read": 1.0, "write": 1.0, "pool": 1.0}


def test_default_httpx_clients_carry_the_sdk_defaults() -> None:
    with DefaultHttpxClient() as http:
        assert http.timeout.read == 60.0
        assert http.timeout.connect == 5.0
        assert http.follow_redirects is False
    with DefaultHttpxClient(timeout=3) as http:
        assert http.timeout.read == 3
    assert DefaultAsyncHttpxClient().timeout.connect == 5.0


def test_retry_policy_and_max_retries_together_are_refused() -> None:
    with pytest.raises(ConfigurationError, match="max_retries= or retry_policy="):
        GalileoInsights(api_key=API_KEY, base_url=BASE_URL, max_retries=3, retry_policy=RetryPolicy(max_retries=1))


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"timeout": -1}, "timeout: must be a positive number"),
        ({"max_retries": -1}, "max_retries: must be an integer from 0"),
        ({"max_retries": 10**6}, "max_retries: must be an integer from 0"),
        ({"extra_headers": {"X-A": 1}}, "extra_headers: must map str to str"),
        ({"extra_body": [1]}, "extra_body: must be a mapping"),
    ],
)
def test_bad_per_call_options_fail_before_any_request(kwargs: dict[str, Any], message: str) -> None:
    server = PageServer(make_records(1))
    with sync_client(server) as client, pytest.raises(InvalidRequestError, match=message):
        client.token_usage.list(PROJECT_ID, LOG_STREAM_ID, **kwargs)
    assert server.requests == []


def test_a_base_url_with_a_path_prefix_keeps_it() -> None:
    server = PageServer(make_records(1))
    for base_url in ("http://galileo.test/api", "http://galileo.test/api/"):
        transport = httpx.MockTransport(server)
        with GalileoInsights(api_key=API_KEY, base_url=base_url, transport=transport) as client:
            list(client.token_usage.list(PROJECT_ID, LOG_STREAM_ID))
    assert {request.url.path for request in server.requests} == {
        f"/api/v2/projects/{PROJECT_ID}/log_streams/{LOG_STREAM_ID}/logstream_insights/token_usage"
    }


def test_attempt_timeout_is_a_total_deadline_per_attempt() -> None:
    """A body trickling in chunk by chunk never trips httpx's per-read timeout; the attempt deadline does."""

    class Trickle(httpx.SyncByteStream):
        def __iter__(self) -> Iterator[bytes]:
            for _ in range(100):
                time.sleep(0.02)
                yield b" "

    server = PageServer([], faults={n: (lambda request: httpx.Response(200, stream=Trickle())) for n in range(5)})
    with (
        sync_client(server, attempt_timeout=0.1, max_retries=0) as client,
        pytest.raises(APITimeoutError, match=r"attempt_timeout=0\.1"),
    ):
        list(client.token_usage.list(PROJECT_ID, LOG_STREAM_ID))


def test_galileo_log_turns_on_the_sdks_debug_lines_without_secrets() -> None:
    script = f"""
import httpx, json
from galileo_insights import GalileoInsights
def reply(request):
    page = {{"starting_token": 0, "limit": 1000, "paginated": True, "token_usages": [], "next_starting_token": None}}
    return httpx.Response(200, json=page)
with GalileoInsights(api_key="sk-secret-value", base_url="http://galileo.test",
                     transport=httpx.MockTransport(reply)) as client:
    list(client.token_usage.list("{PROJECT_ID}", "{LOG_STREAM_ID}"))
"""
    result = subprocess.run(
        [sys.executable, "-c", script],
        env={"GALILEO_LOG": "debug", "PATH": ""},
        capture_output=True,
        text=True,
        check=True,
    )
    assert "POST /v2/projects/" in result.stderr
    assert "-> 200" in result.stderr
    assert "sk-secret-value" not in result.stderr
    quiet = subprocess.run([sys.executable, "-c", script], env={"PATH": ""}, capture_output=True, text=True, check=True)
    assert quiet.stderr == ""


@pytest.mark.anyio
async def test_a_users_async_http_client_keeps_the_sdks_timeout() -> None:
    server = PageServer(make_records(1))
    async with httpx.AsyncClient(transport=httpx.MockTransport(server)) as http:
        client = AsyncGalileoInsights(api_key=API_KEY, base_url=BASE_URL, http_client=http, timeout=2)
        assert len([item async for item in client.token_usage.list(PROJECT_ID, LOG_STREAM_ID)]) == 1
    assert timeouts(server)[0]["read"] == 2.0


@pytest.mark.anyio
async def test_async_attempt_timeout_is_a_total_deadline_per_attempt() -> None:
    class Trickle(httpx.AsyncByteStream):
        async def __aiter__(self) -> AsyncIterator[bytes]:
            for _ in range(100):
                await asyncio.sleep(0.02)
                yield b" "

    server = PageServer([], faults=dict.fromkeys(range(5), lambda request: httpx.Response(200, stream=Trickle())))
    async with async_client(server, attempt_timeout=0.1, max_retries=0) as client:
        with pytest.raises(APITimeoutError, match=r"attempt_timeout=0\.1"):
            _ = [item async for item in client.token_usage.list(PROJECT_ID, LOG_STREAM_ID)]


@pytest.mark.anyio
async def test_async_retry_policy_and_max_retries_together_are_refused() -> None:
    with pytest.raises(ConfigurationError, match="max_retries= or retry_policy="):
        AsyncGalileoInsights(api_key=API_KEY, base_url=BASE_URL, max_retries=0, retry_policy=RetryPolicy())
