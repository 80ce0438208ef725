"""``/login`` answers a redirect to another origin: the username and password must never be sent there.

Whatever client sends the login: the SDK's, one the user passes with ``follow_redirects=True``, or a plain httpx
client using ``PasswordLoginAuth`` directly. The other origin is a second raw-socket server that records every byte.
"""

from __future__ import annotations

import socket
from collections.abc import Iterator

import httpx
import pytest

from galileo_insights import (
    AsyncGalileoInsights,
    ConfigurationError,
    GalileoInsights,
    GalileoInsightsError,
    PasswordLoginAuth,
)
from tests.hostile.servers import RawRequest, RawServer, json_response, page_answer, response_bytes

USERNAME = "redirected@example.com"
PASSWORD = "never-leaves-home-42"  # a test credential
PROJECT_ID = "6f1c1a2e-7d3b-4c5e-9a8f-0b1c2d3e4f50"
LOG_STREAM_ID = "3d2b8c4a-5e6f-4a7b-8c9d-e0f1a2b3c4d5"


@pytest.fixture
def elsewhere() -> Iterator[RawServer]:
    """The other origin: would accept the login and answer every request."""

    def handle(request: RawRequest, connection: socket.socket) -> None:
        if request.path.startswith("/login"):
            connection.sendall(json_response(200, {"access_token": "stolen", "token_type": "bearer"}))
        else:
            connection.sendall(page_answer(request))

    with RawServer(handle) as server:
        yield server


@pytest.fixture(params=[307, 308, 302])
def redirecting(request: pytest.FixtureRequest, elsewhere: RawServer) -> Iterator[RawServer]:
    status: int = request.param

    def handle(raw: RawRequest, connection: socket.socket) -> None:
        connection.sendall(response_bytes(status, headers={"Location": f"{elsewhere.url}/login"}))

    with RawServer(handle) as server:
        yield server


def assert_nothing_leaked(elsewhere: RawServer) -> None:
    for request in elsewhere.received:
        assert PASSWORD.encode() not in request.raw
        assert USERNAME.encode() not in request.raw
        assert b"never-leaves-home" not in request.raw
    assert [request for request in elsewhere.received if request.complete] == []


def test_sdk_client_with_a_redirect_following_http_client(redirecting: RawServer, elsewhere: RawServer) -> None:
    with (
        httpx.Client(follow_redirects=True, timeout=5) as http,
        GalileoInsights(
            username=USERNAME, password=PASSWORD, base_url=redirecting.url, http_client=http, max_retries=0
        ) as client,
        pytest.raises(GalileoInsightsError) as caught,
    ):
        list(client.token_usage.list(PROJECT_ID, LOG_STREAM_ID))
    assert PASSWORD not in str(caught.value)
    assert_nothing_leaked(elsewhere)


@pytest.mark.anyio
async def test_async_sdk_client_with_a_redirect_following_http_client(
    redirecting: RawServer, elsewhere: RawServer
) -> None:
    async with (
        httpx.AsyncClient(follow_redirects=True, timeout=5) as http,
        AsyncGalileoInsights(
            username=USERNAME, password=PASSWORD, base_url=redirecting.url, http_client=http, max_retries=0
        ) as client,
    ):
        with pytest.raises(GalileoInsightsError):
            await client.token_usage.totals(PROJECT_ID, LOG_STREAM_ID)
    assert_nothing_leaked(elsewhere)


def test_plain_httpx_client_using_the_auth(redirecting: RawServer, elsewhere: RawServer) -> None:
    auth = PasswordLoginAuth(USERNAME, PASSWORD, f"{redirecting.url}/login")
    with httpx.Client(auth=auth, follow_redirects=True, timeout=5) as http, pytest.raises(ConfigurationError):
        http.get(f"{redirecting.url}/v2/anything")
    assert_nothing_leaked(elsewhere)


def test_sdk_client_without_following_reports_the_redirect(redirecting: RawServer, elsewhere: RawServer) -> None:
    with (
        GalileoInsights(username=USERNAME, password=PASSWORD, base_url=redirecting.url, max_retries=0) as client,
        pytest.raises(Exception, match="login failed") as caught,
    ):
        list(client.token_usage.list(PROJECT_ID, LOG_STREAM_ID))
    assert "30" in str(caught.value)
    assert elsewhere.received == []


def test_a_same_origin_redirect_is_followed_when_the_client_follows() -> None:
    def handle(request: RawRequest, connection: socket.socket) -> None:
        if request.path == "/login":
            connection.sendall(response_bytes(307, headers={"Location": "/v2/login"}))
        elif request.path == "/v2/login":
            connection.sendall(json_response(200, {"access_token": "home-token", "token_type": "bearer"}))
        else:
            connection.sendall(json_response(200, {"ok": request.headers.get("authorization")}))

    with RawServer(handle) as server:
        auth = PasswordLoginAuth(USERNAME, PASSWORD, f"{server.url}/login")
        with httpx.Client(auth=auth, follow_redirects=True, timeout=5) as http:
            assert http.get(f"{server.url}/v2/x").json() == {"ok": "Bearer home-token"}
