"""Who may call the fake: API keys, users (HTTP Basic and ``POST /login``), and the bearer tokens login issues.

Tokens expire ``token_ttl`` seconds after issue on the injected clock, so a test can expire one without waiting. No
secret appears in a repr.
"""

from __future__ import annotations

import base64
import binascii
import secrets
import threading
import time
import urllib.parse
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import attrs

API_KEY_HEADER = "galileo-api-key"


class ManualClock:
    """A clock that moves only when told to; pass it as ``Credentials(clock=...)`` to expire tokens on demand."""

    def __init__(self, start: float = 0.0) -> None:
        self.now: float = start

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds

    def __repr__(self) -> str:
        return f"ManualClock(now={self.now})"


@attrs.frozen
class Denied:
    """A 401: the ``detail`` message and the ``WWW-Authenticate`` challenge to send with it."""

    detail: str
    challenge: str = "Bearer"


class Credentials:
    """The fake's accepted credentials. With no API keys given, one random key is made (see ``api_key``)."""

    def __init__(
        self,
        api_keys: Iterable[str] | None = None,
        users: Mapping[str, str] | None = None,
        *,
        token_ttl: float = 3600.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        keys = list(api_keys) if api_keys is not None else [f"fake-{secrets.token_urlsafe(16)}"]
        self._api_keys = keys
        self._users = dict(users or {})
        self.token_ttl = token_ttl
        self.clock = clock
        self._tokens: dict[str, float] = {}
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        hidden = f"<{len(self._api_keys)} hidden>"
        return f"Credentials(api_keys={hidden}, users={sorted(self._users)}, token_ttl={self.token_ttl})"

    @property
    def api_key(self) -> str:
        """The first accepted API key."""
        if not self._api_keys:
            raise LookupError("no API key is configured")
        return self._api_keys[0]

    def add_api_key(self, key: str) -> None:
        self._api_keys.append(key)

    def add_user(self, username: str, password: str) -> None:
        self._users[username] = password

    def issue_token(self, username: str, password: str) -> str | None:
        """A fresh bearer token for a known user, or None when the password is wrong."""
        expected = self._users.get(username)
        if expected is None or not secrets.compare_digest(expected.encode(), password.encode()):
            return None
        token = secrets.token_urlsafe(24)
        with self._lock:
            self._tokens[token] = self.clock() + self.token_ttl
        return token

    def check(self, headers: Mapping[str, str]) -> Denied | None:
        """None when the request carries one valid credential, else why not. Header names must be lower case."""
        key = headers.get(API_KEY_HEADER)
        if key is not None and any(secrets.compare_digest(key.encode(), k.encode()) for k in self._api_keys):
            return None
        scheme, _, value = headers.get("authorization", "").partition(" ")
        match scheme.lower():
            case "bearer":
                return self._check_bearer(value.strip())
            case "basic":
                return self._check_basic(value.strip())
        if key is not None:
            return Denied("Invalid API key")
        return Denied("Not authenticated")

    def _check_bearer(self, token: str) -> Denied | None:
        with self._lock:
            expires = self._tokens.get(token)
        if expires is None:
            return Denied("Could not validate credentials")
        if self.clock() >= expires:
            return Denied("Token has expired")
        return None

    def _check_basic(self, encoded: str) -> Denied | None:
        try:
            username, sep, password = base64.b64decode(encoded, validate=True).decode().partition(":")
        except (binascii.Error, UnicodeDecodeError):
            return Denied("Invalid authentication credentials", "Basic")
        expected = self._users.get(username)
        if not sep or expected is None or not secrets.compare_digest(expected.encode(), password.encode()):
            return Denied("Incorrect username or password", "Basic")
        return None


def login(credentials: Credentials, body: bytes) -> tuple[int, dict[str, Any]]:
    """``POST /login`` with an OAuth2 password form: (status, JSON body) - 200 with a token, 401 or 422."""
    try:
        form = urllib.parse.parse_qs(body.decode(), keep_blank_values=True)
    except UnicodeDecodeError:
        form = {}
    missing = [
        {"type": "missing", "loc": ["body", field], "msg": "Field required", "input": None}
        for field in ("username", "password")
        if field not in form
    ]
    if missing:
        return 422, {"detail": missing}
    token = credentials.issue_token(form["username"][0], form["password"][0])
    if token is None:
        return 401, {"detail": "Incorrect username or password"}
    return 200, {"access_token": token, "token_type": "bearer"}
