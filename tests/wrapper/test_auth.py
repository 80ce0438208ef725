from __future__ import annotations

import base64
import json
import threading
import time
import urllib.parse
from collections.abc import Callable
from typing import Any

import anyio
import httpx
import pytest
from hypothesis import given
from hypothesis import strategies as st

from galileo_insights._auth import ApiKeyAuth, BasicAuth, BearerAuth, PasswordLoginAuth, _jwt_expiry
from galileo_insights._errors import (
    AuthenticationError,
    ConfigurationError,
    GalileoInsightsError,
    InternalServerError,
    ResponseValidationError,
)

BASE_URL = "https://api.galileo.test"
LOGIN_URL = f"{BASE_URL}/login"
PASSWORD = "hunter2-very-secret"  # a test credential
T0 = 1_800_000_000.0


class FakeClock:
    def __init__(self, now: float = T0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def make_jwt(exp: float) -> str:
    def part(data: dict[str, Any]) -> str:
        return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()

    return f"{part({'alg': 'HS256', 'typ': 'JWT'})}.{part({'sub': 'u', 'exp': exp})}.c2lnbmF0dXJl"


class FakeGalileo:
    """``/login`` issues ``token-1``, ``token-2``...; other paths answer 200 to a valid token, else 401."""

    def __init__(self, login_body: Callable[[int], dict[str, Any]] | None = None, login_delay: float = 0.0) -> None:
        self.login_body = login_body or (lambda n: {"access_token": f"token-{n}", "token_type": "bearer"})
        self.login_delay = login_delay
        self.login_response: httpx.Response | None = None  # a scripted answer instead of a token
        self.logins: list[httpx.Request] = []
        self.api_requests: list[httpx.Request] = []
        self.authorizations: list[str] = []  # as received: a resend is the same Request object, re-authorized
        self.valid_tokens: set[str] = set()
        self.deny_all = False
        self._lock = threading.Lock()

    def handle(self, request: httpx.Request) -> httpx.Response:
        if request.url.path == "/login":
            time.sleep(self.login_delay)
            return self._login(request)
        return self._api(request)

    async def handle_async(self, request: httpx.Request) -> httpx.Response:
        if request.url.path == "/login":
            await anyio.sleep(self.login_delay)
            return self._login(request)
        return self._api(request)

    def _login(self, request: httpx.Request) -> httpx.Response:
        with self._lock:
            self.logins.append(request)
            if self.login_response is not None:
                return self.login_response
            body = self.login_body(len(self.logins))
            self.valid_tokens.add(body["access_token"])
            return httpx.Response(200, json=body)

    def _api(self, request: httpx.Request) -> httpx.Response:
        with self._lock:
            self.api_requests.append(request)
            self.authorizations.append(request.headers.get("Authorization", ""))
            token = request.headers.get("Authorization", "").removeprefix("Bearer ")
            if token in self.valid_tokens and not self.deny_all:
                return httpx.Response(200, json={"ok": True})
            return httpx.Response(401, json={"detail": "Could not validate credentials"})

    def revoke(self) -> None:
        self.valid_tokens.clear()

    def tokens_sent(self) -> list[str]:
        return list(self.authorizations)


def password_auth(clock: FakeClock | None = None) -> PasswordLoginAuth:
    return PasswordLoginAuth("user@acme.io", PASSWORD, LOGIN_URL, clock=clock or FakeClock())


def sync_client(server: FakeGalileo, auth: httpx.Auth) -> httpx.Client:
    return httpx.Client(transport=httpx.MockTransport(server.handle), base_url=BASE_URL, auth=auth)


def async_client(server: FakeGalileo, auth: httpx.Auth) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.MockTransport(server.handle_async), base_url=BASE_URL, auth=auth)


def echo_headers(request: httpx.Request) -> httpx.Response:
    return httpx.Response(200, json=dict(request.headers))


# Static credentials


@pytest.mark.parametrize(
    ("auth", "header", "value"),
    [
        (ApiKeyAuth("key-1"), "Galileo-API-Key", "key-1"),
        (ApiKeyAuth("key-1", header_name="Acme-Key"), "Acme-Key", "key-1"),
        (BearerAuth("jwt-1"), "Authorization", "Bearer jwt-1"),
        (BasicAuth("user", "pw"), "Authorization", "Basic " + base64.b64encode(b"user:pw").decode()),
    ],
)
def test_static_credentials_sync(auth: httpx.Auth, header: str, value: str) -> None:
    with httpx.Client(transport=httpx.MockTransport(echo_headers), auth=auth) as client:
        assert client.get("https://api.galileo.test/x").json()[header.lower()] == value


@pytest.mark.anyio
@pytest.mark.parametrize(
    ("auth", "header", "value"),
    [
        (ApiKeyAuth("key-1"), "Galileo-API-Key", "key-1"),
        (BearerAuth("jwt-1"), "Authorization", "Bearer jwt-1"),
        (BasicAuth("user", "pw"), "Authorization", "Basic " + base64.b64encode(b"user:pw").decode()),
    ],
)
async def test_static_credentials_async(auth: httpx.Auth, header: str, value: str) -> None:
    async with httpx.AsyncClient(transport=httpx.MockTransport(echo_headers), auth=auth) as client:
        assert (await client.get("https://api.galileo.test/x")).json()[header.lower()] == value


@pytest.mark.parametrize(
    "build",
    [
        lambda: ApiKeyAuth(""),
        lambda: BearerAuth(""),
        lambda: PasswordLoginAuth("", PASSWORD, LOGIN_URL),
        lambda: PasswordLoginAuth("u", "", LOGIN_URL),
    ],
)
def test_empty_credentials_are_rejected(build: Callable[[], httpx.Auth]) -> None:
    with pytest.raises(ConfigurationError):
        build()


# Password login: login, reuse, request shape


def test_password_login_once_then_cached_sync() -> None:
    server = FakeGalileo()
    with sync_client(server, password_auth()) as client:
        statuses = [client.get("/v2/x").status_code for _ in range(5)]
    assert statuses == [200] * 5
    assert len(server.logins) == 1
    assert server.tokens_sent() == ["Bearer token-1"] * 5


@pytest.mark.anyio
async def test_password_login_once_then_cached_async() -> None:
    server = FakeGalileo()
    async with async_client(server, password_auth()) as client:
        statuses = [(await client.get("/v2/x")).status_code for _ in range(5)]
    assert statuses == [200] * 5
    assert len(server.logins) == 1
    assert server.tokens_sent() == ["Bearer token-1"] * 5


def test_login_request_is_an_oauth2_password_form() -> None:
    server = FakeGalileo()
    with sync_client(server, password_auth()) as client:
        client.get("/v2/x", headers={"User-Agent": "galileo-insights/test"}, timeout=7.0)
    login = server.logins[0]
    assert login.method == "POST"
    assert str(login.url) == LOGIN_URL
    assert login.headers["Content-Type"] == "application/x-www-form-urlencoded"
    assert urllib.parse.parse_qs(login.content.decode()) == {"username": ["user@acme.io"], "password": [PASSWORD]}
    assert login.headers["User-Agent"] == "galileo-insights/test"
    assert login.extensions["timeout"] == httpx.Timeout(7.0).as_dict()


# Renewal before expiry


@pytest.mark.parametrize(
    "login_body",
    [
        lambda n: {"access_token": make_jwt(T0 + 3600 * n), "token_type": "bearer"},  # JWT exp; login n at T0+3600(n-1)
        lambda n: {"access_token": f"opaque-{n}", "token_type": "bearer", "expires_in": 3600},
    ],
    ids=["jwt-exp", "expires_in"],
)
def test_token_renewed_margin_before_expiry(login_body: Callable[[int], dict[str, Any]]) -> None:
    clock = FakeClock()
    server = FakeGalileo(login_body)
    with sync_client(server, password_auth(clock)) as client:
        client.get("/v2/x")
        clock.now = T0 + 3600 - 61
        client.get("/v2/x")
        assert len(server.logins) == 1
        clock.now = T0 + 3600 - 59  # inside the 60 s safety margin
        client.get("/v2/x")
        assert len(server.logins) == 2
        client.get("/v2/x")
    assert len(server.logins) == 2
    assert server.tokens_sent()[-2:] == [f"Bearer {login_body(2)['access_token']}"] * 2


def test_short_lived_token_is_renewed_halfway() -> None:
    clock = FakeClock()
    server = FakeGalileo(lambda n: {"access_token": f"t{n}", "expires_in": 40})
    with sync_client(server, password_auth(clock)) as client:
        client.get("/v2/x")
        clock.now = T0 + 19
        client.get("/v2/x")
        assert len(server.logins) == 1
        clock.now = T0 + 20
        client.get("/v2/x")
    assert len(server.logins) == 2


@pytest.mark.parametrize(
    "login_body",
    [
        lambda n: {"access_token": f"opaque-{n}"},  # no expiry information
        lambda n: {"access_token": make_jwt(T0 - 10)},  # already expired by our clock: skew, not trusted
    ],
    ids=["no-expiry", "exp-in-the-past"],
)
def test_token_without_usable_expiry_is_kept_until_a_401(login_body: Callable[[int], dict[str, Any]]) -> None:
    clock = FakeClock()
    server = FakeGalileo(login_body)
    with sync_client(server, password_auth(clock)) as client:
        client.get("/v2/x")
        clock.now = T0 + 10 * 365 * 86400
        assert client.get("/v2/x").status_code == 200
        assert len(server.logins) == 1
        server.revoke()
        assert client.get("/v2/x").status_code == 200
    assert len(server.logins) == 2


# 401 handling


def test_401_on_cached_token_relogs_in_once_and_resends_once_sync() -> None:
    server = FakeGalileo()
    with sync_client(server, password_auth()) as client:
        client.get("/v2/x")
        server.revoke()
        response = client.post("/v2/x", json={"page": 1})
    assert response.status_code == 200
    assert len(server.logins) == 2
    assert server.tokens_sent() == ["Bearer token-1", "Bearer token-1", "Bearer token-2"]
    assert server.api_requests[-1].content == b'{"page":1}'


@pytest.mark.anyio
async def test_401_on_cached_token_relogs_in_once_and_resends_once_async() -> None:
    server = FakeGalileo()
    async with async_client(server, password_auth()) as client:
        await client.get("/v2/x")
        server.revoke()
        response = await client.post("/v2/x", json={"page": 1})
    assert response.status_code == 200
    assert len(server.logins) == 2
    assert server.tokens_sent() == ["Bearer token-1", "Bearer token-1", "Bearer token-2"]
    assert server.api_requests[-1].content == b'{"page":1}'


def test_second_401_is_returned_to_the_caller() -> None:
    server = FakeGalileo()
    with sync_client(server, password_auth()) as client:
        client.get("/v2/x")
        server.deny_all = True
        response = client.get("/v2/x")
    assert response.status_code == 401
    assert len(server.logins) == 2
    assert server.tokens_sent() == ["Bearer token-1", "Bearer token-1", "Bearer token-2"]


def test_401_to_a_freshly_issued_token_renews_once_then_gives_up() -> None:
    server = FakeGalileo()
    server.deny_all = True  # a permission problem, not a stale token: one renewal, one resend, then the 401
    with sync_client(server, password_auth()) as client:
        response = client.get("/v2/x")
    assert response.status_code == 401
    assert len(server.logins) == 2
    assert len(server.api_requests) == 2


# Failed logins


@pytest.mark.parametrize(
    ("status", "body"),
    [
        (401, {"detail": "Incorrect username or password"}),
        (400, {"detail": "Incorrect username or password"}),
        (422, {"detail": [{"loc": ["body", "password"], "msg": "too weak", "type": "value_error", "input": PASSWORD}]}),
    ],
)
def test_rejected_login_raises_authentication_error_without_the_password(status: int, body: dict[str, Any]) -> None:
    server = FakeGalileo()
    server.login_response = httpx.Response(status, json=body)
    auth = password_auth()
    with sync_client(server, auth) as client, pytest.raises(AuthenticationError) as caught:
        client.get("/v2/x")
    error = caught.value
    assert error.status_code == status
    assert "login failed" in str(error)
    for text in (str(error), repr(error), repr(error.args), json.dumps(error.body), repr(auth), str(auth)):
        assert PASSWORD not in text
    assert server.api_requests == []


def test_json_escaped_password_is_redacted_too() -> None:
    password = 'pässwörd"42'
    server = FakeGalileo()
    server.login_response = httpx.Response(422, json={"detail": [{"msg": "bad", "input": password}]})
    auth = PasswordLoginAuth("user", password, LOGIN_URL)
    with sync_client(server, auth) as client, pytest.raises(AuthenticationError, match=r"\*\*\*") as caught:
        client.get("/v2/x")
    assert json.dumps(password)[1:-1] not in str(caught.value)
    assert password not in str(caught.value)


def test_rejected_login_message_keeps_the_server_detail() -> None:
    server = FakeGalileo()
    server.login_response = httpx.Response(401, json={"detail": "Incorrect username or password"})
    with sync_client(server, password_auth()) as client, pytest.raises(AuthenticationError, match="Incorrect username"):
        client.get("/v2/x")


def test_server_error_on_login_keeps_its_retryable_class() -> None:
    server = FakeGalileo()
    server.login_response = httpx.Response(503, text="upstream unavailable")
    with sync_client(server, password_auth()) as client, pytest.raises(InternalServerError) as caught:
        client.get("/v2/x")
    assert PASSWORD not in str(caught.value)


@pytest.mark.parametrize(
    "response", [httpx.Response(200, json={"token_type": "bearer"}), httpx.Response(200, text="<html>")]
)
def test_login_without_access_token_is_a_clear_error(response: httpx.Response) -> None:
    server = FakeGalileo()
    server.login_response = response
    with sync_client(server, password_auth()) as client, pytest.raises(ResponseValidationError) as caught:
        client.get("/v2/x")
    assert isinstance(caught.value, GalileoInsightsError)
    assert "access_token" in str(caught.value)
    assert PASSWORD not in str(caught.value)


def test_failed_login_releases_the_lock_sync() -> None:
    server = FakeGalileo()
    server.login_response = httpx.Response(500)
    with sync_client(server, password_auth()) as client:
        with pytest.raises(InternalServerError):
            client.get("/v2/x")
        server.login_response = None
        assert client.get("/v2/x").status_code == 200


@pytest.mark.anyio
async def test_failed_login_releases_the_lock_async() -> None:
    server = FakeGalileo()
    server.login_response = httpx.Response(401, json={"detail": "no"})
    async with async_client(server, password_auth()) as client:
        with pytest.raises(AuthenticationError):
            await client.get("/v2/x")
        server.login_response = None
        assert (await client.get("/v2/x")).status_code == 200


def test_transport_error_during_login_releases_the_lock() -> None:
    server = FakeGalileo()
    calls = 0

    def flaky(request: httpx.Request) -> httpx.Response:
        nonlocal calls
        calls += 1
        if calls == 1:
            raise httpx.ConnectError("refused", request=request)
        return server.handle(request)

    with httpx.Client(transport=httpx.MockTransport(flaky), base_url=BASE_URL, auth=password_auth()) as client:
        with pytest.raises(httpx.ConnectError):
            client.get("/v2/x")
        assert client.get("/v2/x").status_code == 200


# Concurrency: one login however many requests find the token missing or expired


def run_threads(client: httpx.Client, count: int) -> list[int]:
    barrier = threading.Barrier(count)
    statuses: list[int] = []

    def call() -> None:
        barrier.wait()
        statuses.append(client.get("/v2/x").status_code)

    threads = [threading.Thread(target=call) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return statuses


def test_concurrent_threads_share_one_login() -> None:
    clock = FakeClock()
    server = FakeGalileo(lambda n: {"access_token": make_jwt(T0 + 3600 * n)}, login_delay=0.05)
    with sync_client(server, password_auth(clock)) as client:
        assert run_threads(client, 10) == [200] * 10
        assert len(server.logins) == 1
        clock.now = T0 + 3600  # expired
        assert run_threads(client, 10) == [200] * 10
    assert len(server.logins) == 2


def test_concurrent_threads_hitting_401_share_one_relogin() -> None:
    server = FakeGalileo(login_delay=0.05)
    with sync_client(server, password_auth()) as client:
        client.get("/v2/x")
        server.revoke()
        assert run_threads(client, 10) == [200] * 10
    assert len(server.logins) == 2


async def run_tasks(client: httpx.AsyncClient, count: int) -> list[int]:
    statuses: list[int] = []

    async def call() -> None:
        statuses.append((await client.get("/v2/x")).status_code)

    async with anyio.create_task_group() as group:
        for _ in range(count):
            group.start_soon(call)
    return statuses


@pytest.mark.anyio
async def test_concurrent_tasks_share_one_login() -> None:
    clock = FakeClock()
    server = FakeGalileo(lambda n: {"access_token": make_jwt(T0 + 3600 * n)}, login_delay=0.05)
    async with async_client(server, password_auth(clock)) as client:
        assert await run_tasks(client, 10) == [200] * 10
        assert len(server.logins) == 1
        clock.now = T0 + 3600  # expired
        assert await run_tasks(client, 10) == [200] * 10
    assert len(server.logins) == 2


@pytest.mark.anyio
async def test_concurrent_tasks_hitting_401_share_one_relogin() -> None:
    server = FakeGalileo(login_delay=0.05)
    async with async_client(server, password_auth()) as client:
        await client.get("/v2/x")
        server.revoke()
        assert await run_tasks(client, 10) == [200] * 10
    assert len(server.logins) == 2


# Reprs and the JWT reader


@pytest.mark.parametrize(
    "auth",
    [
        ApiKeyAuth(PASSWORD),
        ApiKeyAuth(PASSWORD, header_name="Acme-Key"),
        BearerAuth(PASSWORD),
        BasicAuth("user", PASSWORD),
        PasswordLoginAuth("user", PASSWORD, LOGIN_URL),
    ],
)
def test_reprs_never_show_secrets(auth: httpx.Auth) -> None:
    assert PASSWORD not in repr(auth)
    assert PASSWORD not in str(auth)
    assert "***" in repr(auth)


def test_password_login_repr_after_login_shows_no_token() -> None:
    server = FakeGalileo()
    auth = password_auth()
    with sync_client(server, auth) as client:
        client.get("/v2/x")
    assert "token-1" not in repr(auth)
    assert repr(auth) == f"PasswordLoginAuth(username='user@acme.io', password='***', login_url='{LOGIN_URL}')"


def test_jwt_expiry() -> None:
    assert _jwt_expiry(make_jwt(123.5)) == 123.5
    assert _jwt_expiry("opaque-token") is None
    assert _jwt_expiry("a.b.c") is None
    assert _jwt_expiry("a.eyJleHAiOiAic29vbiJ9.c") is None  # {"exp": "soon"}


@given(st.text())
def test_jwt_expiry_never_raises(token: str) -> None:
    assert _jwt_expiry(token) is None or isinstance(_jwt_expiry(token), float)
