"""``httpx.Auth`` flows for Galileo: API key, bearer token, password login with renewal, basic.

Every class here keeps its secret out of ``repr``/``str``, and no error raised here quotes one. Each lists
the secret values it sends (``_secret_values``) so a ``Redactor`` can remove them from errors. Secrets that
go into a header are checked at construction: a newline or NUL there could never be sent, and would end up
quoted in a connection error instead.
"""

from __future__ import annotations

import base64
import collections
import dataclasses
import json
import math
import re
import threading
import time
from collections.abc import AsyncGenerator, Callable, Generator
from typing import TYPE_CHECKING, Any

import httpx

from galileo_insights._capped_body import ACCEPT_ENCODING, CAP_EXTENSION, CappedBody
from galileo_insights._constants import DEFAULT_MAX_RESPONSE_BYTES
from galileo_insights._errors import (
    AuthenticationError,
    ConfigurationError,
    ResponseValidationError,
    error_for_status,
)
from galileo_insights._redaction import Redactor, basic_header_secrets

if TYPE_CHECKING:
    import anyio

_REDACTED = "'***'"
HEADER_NAME = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")  # an RFC 9110 token
_HEADER_VALUE = re.compile(r"[\x21-\x7e]+")  # visible ASCII: what an API key or a token is made of
_KEPT_TOKENS = 8  # tokens a password login remembers for redaction: the current one and a few renewed away


class ApiKeyAuth(httpx.Auth):
    """Send a Galileo API key in a header (``Galileo-API-Key`` unless a deployment renamed it)."""

    def __init__(self, api_key: str, header_name: str = "Galileo-API-Key") -> None:
        self._api_key = _header_safe(api_key, "api_key")
        self.header_name: str = _required(header_name, "header_name")
        if not HEADER_NAME.fullmatch(self.header_name):
            raise ConfigurationError(
                f"must be a valid HTTP header name, got {self.header_name!r}", argument="header_name"
            )

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        """httpx's hook: the API key header on every request."""
        request.headers[self.header_name] = self._api_key
        yield request

    def _secret_values(self) -> tuple[str, ...]:
        return (self._api_key,)

    def __repr__(self) -> str:
        return f"ApiKeyAuth(api_key={_REDACTED}, header_name={self.header_name!r})"


class BearerAuth(httpx.Auth):
    """Send a token obtained elsewhere (e.g. ``GALILEO_JWT_TOKEN``) as ``Authorization: Bearer``; never renewed."""

    def __init__(self, token: str) -> None:
        self._token = _header_safe(token, "token")

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        """httpx's hook: ``Authorization: Bearer`` on every request."""
        request.headers["Authorization"] = f"Bearer {self._token}"
        yield request

    def _secret_values(self) -> tuple[str, ...]:
        return (self._token,)

    def __repr__(self) -> str:
        return f"BearerAuth(token={_REDACTED})"


class BasicAuth(httpx.BasicAuth):
    """HTTP basic auth (``httpx.BasicAuth``) whose repr names the user but not the password."""

    def __init__(self, username: str, password: str) -> None:
        super().__init__(_required(username, "username"), _required(password, "password"))
        self.username = username

    def _secret_values(self) -> tuple[str, ...]:
        return basic_header_secrets(self._auth_header)

    def __repr__(self) -> str:
        return f"BasicAuth(username={self.username!r}, password={_REDACTED})"


@dataclasses.dataclass(frozen=True, slots=True, eq=False, repr=False)  # no __eq__/__repr__: unused, import time
class _CachedToken:
    """A token a password login obtained. (A docstring also spares dataclasses an ``inspect.signature`` at import.)"""

    value: str
    renew_at: float  # math.inf: keep until the server answers 401
    login: int  # which login obtained it: 1, 2, ...


class PasswordLoginAuth(httpx.Auth):
    """OAuth2 password flow: log in at ``login_url``, then send ``Authorization: Bearer <access_token>``.

    The token is cached and renewed ``refresh_margin`` seconds before it expires (``exp`` of a JWT, else
    ``expires_in``; with neither, it is kept until a 401). A 401 to a request sent with a token this auth
    obtained renews the token (unless another request already did) and resends that request once; a second
    401 goes back to the caller. Logins are serialized (a thread lock for sync clients, an anyio lock for
    async ones), so concurrent requests that all find the token missing or expired cause exactly one login.
    Sharing one instance between a sync and an async client works but may log in once per kind.

    The login never follows a redirect to another origin, whatever client sends it: the username and
    password are only ever sent to ``login_url``'s origin (a ``ConfigurationError`` otherwise). A rejected
    login raises ``AuthenticationError`` (``error_for_status``'s error for 429/5xx), its message and body
    redacted; a 2xx without a usable ``access_token`` raises ``ResponseValidationError``.
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
        self.username: str = _required(username, "username")
        self._password = _required(password, "password")
        self.login_url: str = _required(login_url, "login_url")
        self.refresh_margin = refresh_margin
        self._clock = clock
        self._cached: _CachedToken | None = None
        self._logins = 0
        self._issued: collections.deque[str] = collections.deque(maxlen=_KEPT_TOKENS)
        self._thread_lock = threading.Lock()
        self._async_lock: anyio.Lock | None = None
        self._origin = _origin(httpx.URL(self.login_url))

    def __repr__(self) -> str:
        return f"PasswordLoginAuth(username={self.username!r}, password={_REDACTED}, login_url={self.login_url!r})"

    def _secret_values(self) -> tuple[str, ...]:
        return (self._password, *self._issued)

    def sync_auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        """httpx's hook: log in when no usable token is held (one login across threads) and send; after a 401, log in
        again and resend once."""
        request.read()  # the body must be replayable for the resend after a 401
        after = -1  # the resend after a 401 needs a token obtained after that 401 arrived
        for _attempt in range(2):
            token = self._usable_token(after)
            if token is None:
                with self._thread_lock:
                    token = self._usable_token(after)
                    if token is None:
                        login_request = self._login_request(request, self._check_origin)
                        login_response = yield login_request
                        body = _capped_body(login_response, login_request)
                        for chunk in body.raw_chunks():
                            body.add_raw(chunk)
                        token = self._accept_login(_kept(login_response, body))
            response = yield self._authorized(request, token)
            if response.status_code != httpx.codes.UNAUTHORIZED:
                return
            after = self._logins

    async def async_auth_flow(self, request: httpx.Request) -> AsyncGenerator[httpx.Request, httpx.Response]:
        """``sync_auth_flow`` for the async client: one login across tasks."""
        await request.aread()  # the body must be replayable for the resend after a 401
        after = -1  # the resend after a 401 needs a token obtained after that 401 arrived
        for _attempt in range(2):
            token = self._usable_token(after)
            if token is None:
                async with self._login_lock():
                    token = self._usable_token(after)
                    if token is None:
                        login_request = self._login_request(request, self._acheck_origin)
                        login_response = yield login_request
                        body = _capped_body(login_response, login_request)
                        async for chunk in body.araw_chunks():
                            body.add_raw(chunk)
                        token = self._accept_login(_kept(login_response, body))
            response = yield self._authorized(request, token)
            if response.status_code != httpx.codes.UNAUTHORIZED:
                return
            after = self._logins

    def _login_lock(self) -> anyio.Lock:
        """The async lock, made on first use: anyio is imported only by async clients that log in."""
        if self._async_lock is None:
            import anyio  # noqa: PLC0415 - about 15 ms of import time that sync users never pay

            self._async_lock = anyio.Lock()
        return self._async_lock

    # The I/O-free core shared by both flows.

    def _usable_token(self, after: int) -> str | None:
        """The cached token, unless missing, due for renewal, or obtained by login number ``after`` or earlier.

        After a 401 a token is only trusted if its login came later than that 401: under load a token renewed
        by another request a moment ago may have expired too, and the one resend must not be spent on it.
        """
        cached = self._cached
        if cached is None or cached.login <= after or self._clock() >= cached.renew_at:
            return None
        return cached.value

    def _check_origin(self, event: str, info: dict[str, Any]) -> None:
        """httpcore's ``trace`` hook on the login request: runs before each hop's headers are sent, redirects
        included (httpx copies a request's extensions to the redirect it follows)."""
        if event.endswith(".send_request_headers.started"):
            url = info["request"].url
            target = _origin(httpx.URL(scheme=url.scheme.decode(), host=url.host.decode(), port=url.port))
            if target != self._origin:
                raise ConfigurationError(
                    f"the login at {self.login_url} was redirected to {target[0]}://{target[1]}:{target[2]}; "
                    "the username and password are only sent to the login URL's own origin "
                    "(set base_url / GALILEO_API_URL to the API's final address)"
                )

    async def _acheck_origin(self, event: str, info: dict[str, Any]) -> None:
        self._check_origin(event, info)  # httpcore's async interface wants a coroutine function

    def _login_request(self, original: httpx.Request, guard: Callable[..., object] | None = None) -> httpx.Request:
        headers = {"Accept": "application/json", "Accept-Encoding": ACCEPT_ENCODING}
        if "User-Agent" in original.headers:
            headers["User-Agent"] = original.headers["User-Agent"]
        extensions: dict[str, Any] = {"trace": guard or self._check_origin}
        for kept in ("timeout", CAP_EXTENSION):  # the login is held to the call's timeouts and size cap
            if kept in original.extensions:
                extensions[kept] = original.extensions[kept]
        return httpx.Request(
            "POST",
            self.login_url,
            data={"username": self.username, "password": self._password},
            headers=headers,
            extensions=extensions,
        )

    def _accept_login(self, response: httpx.Response) -> str:
        if not response.is_success:
            raise self._login_error(response)
        try:
            payload = response.json()
        except (ValueError, RecursionError):  # JSONDecodeError and UnicodeDecodeError are ValueErrors
            payload = None
        token = payload.get("access_token") if isinstance(payload, dict) else None
        if not isinstance(token, str) or not _HEADER_VALUE.fullmatch(token):
            raise ResponseValidationError(
                f"login at {self.login_url} answered {response.status_code} without a usable access_token "
                "(missing, empty, or with characters a header cannot carry)",
                response=response,
            )
        self._issued.append(token)
        now = self._clock()
        expires_at = _jwt_expiry(token)
        if expires_at is None and isinstance(payload, dict):
            expires_in = payload.get("expires_in")
            if isinstance(expires_in, int | float) and not isinstance(expires_in, bool):
                expires_at = now + expires_in
        self._logins += 1
        self._cached = _CachedToken(token, _renewal_time(now, expires_at, self.refresh_margin), self._logins)
        return token

    def _login_error(self, response: httpx.Response) -> Exception:
        error = error_for_status(response, Redactor.for_auth(self))
        retryable = response.status_code == httpx.codes.TOO_MANY_REQUESTS or response.status_code >= 500
        error_class = type(error) if retryable else AuthenticationError
        return error_class(f"login failed: {error}", response=response, body=error.body)

    @staticmethod
    def _authorized(request: httpx.Request, token: str) -> httpx.Request:
        request.headers["Authorization"] = f"Bearer {token}"
        return request


def _capped_body(response: httpx.Response, request: httpx.Request) -> CappedBody:
    """The login answer's body, read under the cap of the call it logs in for (``ResponseTooLargeError`` past it)."""
    cap = request.extensions.get(CAP_EXTENSION)
    return CappedBody(response, cap if isinstance(cap, int) else DEFAULT_MAX_RESPONSE_BYTES, "login: ")


def _kept(response: httpx.Response, body: CappedBody) -> httpx.Response:
    """A copy with the body read; the original keeps it too, because httpx reads every response of an auth flow
    again to keep it in ``history`` (``read()`` of a consumed stream would raise ``StreamConsumed``)."""
    completed = body.completed()
    response._content = completed.content  # httpx has no public way to hand it a body it streamed
    return completed


def _origin(url: httpx.URL) -> tuple[str, str, int | None]:
    default_port = {"http": 80, "https": 443}.get(url.scheme)
    return url.scheme, url.host, url.port or default_port


def _required(value: str, name: str) -> str:
    if not isinstance(value, str) or not value:
        raise ConfigurationError("must be a non-empty string", argument=name)
    return value


def _header_safe(value: str, name: str) -> str:
    """``value``, if it can go into a header as it is: visible ASCII only. The message never quotes it."""
    value = _required(value, name)
    if _HEADER_VALUE.fullmatch(value):
        return value
    position, character = next((i, c) for i, c in enumerate(value) if not _HEADER_VALUE.fullmatch(c))
    raise ConfigurationError(
        f"cannot be sent in an HTTP header: it contains {_character_kind(character)} at position "
        f"{position} (of {len(value)}); credentials are visible ASCII, check for a stray newline or space",
        argument=name,
    )


def _character_kind(character: str) -> str:
    names = {"\n": "a newline", "\r": "a carriage return", "\x00": "a NUL byte", " ": "a space", "\t": "a tab"}
    if character in names:
        return names[character]
    return "a control character" if character.isascii() else "a non-ASCII character"


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
