"""``httpx.Auth`` flows for Galileo: API key, bearer token, password login with renewal, basic.

Every class here keeps its secret out of ``repr``/``str``, and no error raised here quotes one.
"""

from __future__ import annotations

import base64
import json
import math
import threading
import time
from collections.abc import AsyncGenerator, Callable, Generator

import anyio
import attrs
import httpx

from galileo_insights._errors import (
    AuthenticationError,
    ConfigurationError,
    ResponseValidationError,
    error_for_status,
)

_REDACTED = "'***'"
_WITHHELD = "details withheld: the response repeats the submitted credentials"


class ApiKeyAuth(httpx.Auth):
    """Send a Galileo API key in a header (``Galileo-API-Key`` unless a deployment renamed it)."""

    def __init__(self, api_key: str, header_name: str = "Galileo-API-Key") -> None:
        self._api_key = _required(api_key, "api_key")
        self.header_name = _required(header_name, "header_name")

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        request.headers[self.header_name] = self._api_key
        yield request

    def __repr__(self) -> str:
        return f"ApiKeyAuth(api_key={_REDACTED}, header_name={self.header_name!r})"


class BearerAuth(httpx.Auth):
    """Send a token obtained elsewhere (e.g. ``GALILEO_JWT_TOKEN``) as ``Authorization: Bearer``; never renewed."""

    def __init__(self, token: str) -> None:
        self._token = _required(token, "token")

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        request.headers["Authorization"] = f"Bearer {self._token}"
        yield request

    def __repr__(self) -> str:
        return f"BearerAuth(token={_REDACTED})"


class BasicAuth(httpx.BasicAuth):
    """HTTP basic auth (``httpx.BasicAuth``) whose repr names the user but not the password."""

    def __init__(self, username: str, password: str) -> None:
        super().__init__(username, password)
        self.username = username

    def __repr__(self) -> str:
        return f"BasicAuth(username={self.username!r}, password={_REDACTED})"


@attrs.frozen
class _CachedToken:
    value: str
    renew_at: float  # math.inf: keep until the server answers 401


class PasswordLoginAuth(httpx.Auth):
    """OAuth2 password flow: log in at ``login_url``, then send ``Authorization: Bearer <access_token>``.

    The token is cached and renewed ``refresh_margin`` seconds before it expires (``exp`` of a JWT, else
    ``expires_in``; with neither, it is kept until a 401). A 401 to a request sent with a cached token
    triggers one new login and one resend; a second 401 goes back to the caller. Logins are serialized
    (a thread lock for sync clients, an anyio lock for async ones), so concurrent requests that all find
    the token missing or expired cause exactly one login. Sharing one instance between a sync and an
    async client works but may log in once per kind. A rejected login raises ``AuthenticationError``
    (``error_for_status``'s error for 429/5xx); a 2xx without ``access_token`` raises
    ``ResponseValidationError``.
    """

    def __init__(
        self,
        username: str,
        password: str,
        login_url: str,
        *,
        refresh_margin: float = 60.0,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.username = _required(username, "username")
        self._password = _required(password, "password")
        self.login_url = _required(login_url, "login_url")
        self.refresh_margin = refresh_margin
        self._clock = clock
        self._cached: _CachedToken | None = None
        self._thread_lock = threading.Lock()
        self._async_lock = anyio.Lock()

    def __repr__(self) -> str:
        return f"PasswordLoginAuth(username={self.username!r}, password={_REDACTED}, login_url={self.login_url!r})"

    def sync_auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        request.read()  # the body must be replayable for the resend after a 401
        stale: str | None = None
        for _attempt in range(2):
            token = self._usable_token(stale)
            needed_login = token is None
            if token is None:
                with self._thread_lock:
                    token = self._usable_token(stale)
                    if token is None:
                        login_response = yield self._login_request(request)
                        login_response.read()
                        token = self._accept_login(login_response)
            response = yield self._authorized(request, token)
            if response.status_code != httpx.codes.UNAUTHORIZED or needed_login:
                return
            stale = token

    async def async_auth_flow(self, request: httpx.Request) -> AsyncGenerator[httpx.Request, httpx.Response]:
        await request.aread()  # the body must be replayable for the resend after a 401
        stale: str | None = None
        for _attempt in range(2):
            token = self._usable_token(stale)
            needed_login = token is None
            if token is None:
                async with self._async_lock:
                    token = self._usable_token(stale)
                    if token is None:
                        login_response = yield self._login_request(request)
                        await login_response.aread()
                        token = self._accept_login(login_response)
            response = yield self._authorized(request, token)
            if response.status_code != httpx.codes.UNAUTHORIZED or needed_login:
                return
            stale = token

    # The I/O-free core shared by both flows.

    def _usable_token(self, stale: str | None) -> str | None:
        """The cached token, unless missing, due for renewal, or the one that just got a 401."""
        cached = self._cached
        if cached is None or cached.value == stale or self._clock() >= cached.renew_at:
            return None
        return cached.value

    def _login_request(self, original: httpx.Request) -> httpx.Request:
        headers = {"Accept": "application/json"}
        if "User-Agent" in original.headers:
            headers["User-Agent"] = original.headers["User-Agent"]
        return httpx.Request(
            "POST",
            self.login_url,
            data={"username": self.username, "password": self._password},
            headers=headers,
            extensions={key: original.extensions[key] for key in ("timeout",) if key in original.extensions},
        )

    def _accept_login(self, response: httpx.Response) -> str:
        if not response.is_success:
            raise self._login_error(response)
        try:
            payload = response.json()
        except ValueError:
            payload = None
        token = payload.get("access_token") if isinstance(payload, dict) else None
        if not isinstance(token, str) or not token:
            raise ResponseValidationError(
                f"login at {self.login_url} answered {response.status_code} without an access_token",
                response=response,
            )
        now = self._clock()
        expires_at = _jwt_expiry(token)
        if expires_at is None and isinstance(payload, dict):
            expires_in = payload.get("expires_in")
            if isinstance(expires_in, int | float) and not isinstance(expires_in, bool):
                expires_at = now + expires_in
        self._cached = _CachedToken(token, _renewal_time(now, expires_at, self.refresh_margin))
        return token

    def _login_error(self, response: httpx.Response) -> Exception:
        error = error_for_status(response)
        message, body = str(error), error.body
        if self._echoes_password(message) or self._echoes_password(json.dumps(body, default=str, ensure_ascii=False)):
            message = f"POST {response.request.url.path} returned {response.status_code} ({_WITHHELD})"
            body = _WITHHELD
        retryable = response.status_code == httpx.codes.TOO_MANY_REQUESTS or response.status_code >= 500
        error_class = type(error) if retryable else AuthenticationError
        return error_class(f"login failed: {message}", response=response, body=body)

    def _echoes_password(self, text: str) -> bool:
        return self._password in text or json.dumps(self._password)[1:-1] in text  # raw or JSON-escaped

    @staticmethod
    def _authorized(request: httpx.Request, token: str) -> httpx.Request:
        request.headers["Authorization"] = f"Bearer {token}"
        return request


def _required(value: str, name: str) -> str:
    if not isinstance(value, str) or not value:
        raise ConfigurationError(f"{name} must be a non-empty string")
    return value


def _renewal_time(now: float, expires_at: float | None, margin: float) -> float:
    """When to log in again: ``margin`` before expiry, or halfway for tokens shorter-lived than two margins.

    An expiry already in the past (clock skew) is not trusted: such a token is kept until a 401.
    """
    if expires_at is None or not math.isfinite(expires_at) or expires_at <= now:
        return math.inf
    return expires_at - min(margin, (expires_at - now) / 2)


def _jwt_expiry(token: str) -> float | None:
    """The ``exp`` claim of a JWT, read without verifying the signature; ``None`` for anything else."""
    parts = token.split(".")
    if len(parts) != 3:
        return None
    try:
        claims = json.loads(base64.urlsafe_b64decode(parts[1] + "=" * (-len(parts[1]) % 4)))
    except ValueError:  # binascii.Error, UnicodeDecodeError and JSONDecodeError are ValueErrors
        return None
    exp = claims.get("exp") if isinstance(claims, dict) else None
    if isinstance(exp, int | float) and not isinstance(exp, bool):
        return float(exp)
    return None
