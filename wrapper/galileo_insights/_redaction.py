"""``Redactor``: the one place that knows the configured secrets and removes them from what errors show.

A server may echo what it received (a 401 body quoting the API key, a 422 quoting the login form), so an error
built from a response could carry a secret into ``str(error)``, ``repr(error)``, a traceback or the CLI's error
line. Error messages and parsed bodies pass through a ``Redactor`` first; the raw ``httpx.Response`` stays
untouched on the error for those who need it.

The secrets come from the auth in use, asked at redaction time (a password login obtains new tokens as it goes):
every auth class in ``_auth`` implements ``_secret_values()``. Each secret is also recognised JSON-escaped and
URL-encoded, the forms in which a body would quote it.
"""

from __future__ import annotations

import base64
import binascii
import json
import urllib.parse
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Protocol, runtime_checkable

if TYPE_CHECKING:
    import httpx

REDACTED = "***"
_MAX_DEPTH = 100  # deeper structures are replaced whole rather than walked (no RecursionError on hostile bodies)
_TOO_DEEP = "[nested too deep to redact]"


@runtime_checkable
class HasSecrets(Protocol):
    """An auth that can list the secret values it sends (the SDK's own auth classes)."""

    def _secret_values(self) -> Iterable[str]: ...


def _variants(secret: str) -> set[str]:
    """``secret`` in the forms a response body or a message may quote it."""
    return {
        secret,
        json.dumps(secret)[1:-1],
        json.dumps(secret, ensure_ascii=False)[1:-1],
        urllib.parse.quote_plus(secret),
        urllib.parse.quote(secret, safe=""),
    }


def secrets_of_auth(auth: httpx.Auth | None) -> Iterable[str]:
    """The secret values ``auth`` sends: ours list them; ``httpx.BasicAuth`` carries its header."""
    import httpx  # noqa: PLC0415 - loaded by whoever has an auth; importing the error classes does not need it

    if isinstance(auth, HasSecrets):
        return auth._secret_values()
    if isinstance(auth, httpx.BasicAuth):
        return basic_header_secrets(getattr(auth, "_auth_header", ""))
    return ()


def basic_header_secrets(header: str) -> tuple[str, ...]:
    """A ``Basic`` header value, its base64 part, the decoded ``user:password`` and the password alone."""
    encoded = header.removeprefix("Basic ").strip()
    if not encoded:
        return ()
    try:
        decoded = base64.b64decode(encoded, validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return (header, encoded)
    password = decoded.partition(":")[2]
    return tuple(value for value in (header, encoded, decoded, password) if value)


class Redactor:
    """Replaces every known secret (in every quoted form) with ``***`` in text and in parsed JSON bodies.

    ``Redactor(lambda: [...])`` asks for the secrets each time it redacts, so secrets obtained later (a renewed
    login token) are covered; ``Redactor.for_auth(auth)`` does that for an ``httpx.Auth``.
    """

    def __init__(self, secrets: Callable[[], Iterable[str]] = tuple) -> None:
        self._secrets = secrets

    @classmethod
    def for_auth(cls, auth: httpx.Auth | None) -> Redactor:
        return cls(lambda: secrets_of_auth(auth))

    def __repr__(self) -> str:
        return "Redactor(<secrets hidden>)"

    def _forms(self) -> list[str]:
        forms = {form for secret in self._secrets() if secret for form in _variants(secret) if form}
        return sorted(forms, key=len, reverse=True)  # longest first: a secret containing another goes whole

    def __call__(self, text: str) -> str:
        """``text`` with every secret replaced."""
        for form in self._forms():
            text = text.replace(form, REDACTED)
        return text

    def body(self, value: object) -> object:
        """A parsed JSON body (dicts, lists, strings...) with every string redacted; other values as they are."""
        forms = self._forms()
        if not forms:
            return value

        def scrub(item: object, depth: int) -> object:
            if isinstance(item, str):
                for form in forms:
                    item = item.replace(form, REDACTED)
                return item
            if depth > _MAX_DEPTH and isinstance(item, dict | list):
                return _TOO_DEEP
            if isinstance(item, dict):
                return {scrub(key, depth + 1): scrub(inner, depth + 1) for key, inner in item.items()}
            if isinstance(item, list):
                return [scrub(inner, depth + 1) for inner in item]
            return item

        return scrub(value, 0)


NO_SECRETS = Redactor()
