"""What ``make record`` scrubs from a cassette, and the last check before one is written: no secret may remain.

Credentials come from the ``GALILEO_*`` variables the recording runs with; the API key travels in the header
``GALILEO_API_KEY_HEADER`` names (``Galileo-API-Key`` by default), so that is the header redacted. Login tokens are
collected from ``/login`` answers as they are redacted. ``SecretScanningPersister`` then looks for every one of
these values, raw and in the forms a body could quote them (JSON-escaped, URL-encoded, inside a Basic header), in the
serialized cassette, and refuses to write it if one is there: a server that echoes a key into a body is caught
even though no filter knew where to look.
"""

from __future__ import annotations

import base64
import json
import urllib.parse
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from vcr.serialize import serialize

REDACTED = "REDACTED"
DEFAULT_API_KEY_HEADER = "Galileo-API-Key"
SECRET_VARIABLES = ("GALILEO_API_KEY", "GALILEO_JWT_TOKEN", "GALILEO_PASSWORD")


class CassetteLeakError(AssertionError):
    """A cassette about to be written still holds a secret; the message names where it came from, not its value."""


class RecordingSecrets:
    """The secret values of one recording: from the environment, plus every login token seen so far."""

    def __init__(self, environ: Mapping[str, str]) -> None:
        self._named = {name: environ[name] for name in SECRET_VARIABLES if environ.get(name)}
        username, password = environ.get("GALILEO_USERNAME"), environ.get("GALILEO_PASSWORD")
        if username and password:
            self._named["the Basic header of GALILEO_USERNAME:GALILEO_PASSWORD"] = base64.b64encode(
                f"{username}:{password}".encode()
            ).decode()
        self.tokens: list[str] = []

    def named(self) -> Iterable[tuple[str, str]]:
        yield from self._named.items()
        for number, token in enumerate(self.tokens, 1):
            yield f"login token #{number}", token


def _forms(secret: str) -> set[str]:
    return {
        secret,
        json.dumps(secret)[1:-1],
        urllib.parse.quote_plus(secret),
        urllib.parse.quote(secret, safe=""),
    }


class SecretScanningPersister:
    """Wraps vcrpy's persister: loading is unchanged, saving first serializes and scans for every secret."""

    def __init__(self, inner: Any, secrets: RecordingSecrets) -> None:
        self._inner = inner
        self._secrets = secrets

    def load_cassette(self, cassette_path: str | Path, serializer: Any) -> Any:
        return self._inner.load_cassette(cassette_path, serializer)

    def save_cassette(self, cassette_path: str | Path, cassette_dict: dict[str, Any], serializer: Any) -> None:
        text = serialize(cassette_dict, serializer)
        for source, secret in self._secrets.named():
            if any(form in text for form in _forms(secret)):
                raise CassetteLeakError(f"refusing to write {Path(cassette_path).name}: it contains {source}")
        self._inner.save_cassette(cassette_path, cassette_dict, serializer)


def vcr_config(environ: Mapping[str, str], secrets: RecordingSecrets) -> dict[str, Any]:
    """vcrpy's options for recording with ``environ``'s credentials: the key header, tokens and login form scrubbed."""
    header = environ.get("GALILEO_API_KEY_HEADER") or DEFAULT_API_KEY_HEADER

    def scrub_login_request(request: Any) -> Any:
        if request.path.endswith("/login"):
            request.body = b"username=REDACTED&password=REDACTED"
        return request

    def scrub_login_response(response: dict[str, Any]) -> dict[str, Any]:
        body = response["body"].get("string", b"")
        try:
            document = json.loads(body)
        except (ValueError, TypeError):
            return response
        if isinstance(document, dict) and isinstance(document.get("access_token"), str):
            secrets.tokens.append(document["access_token"])
            document["access_token"] = REDACTED
            response["body"]["string"] = json.dumps(document).encode()
        return response

    return {
        "filter_headers": [
            (header, REDACTED),
            (DEFAULT_API_KEY_HEADER, REDACTED),
            ("Authorization", REDACTED),
            ("Cookie", REDACTED),
            ("Set-Cookie", REDACTED),
        ],
        "before_record_request": scrub_login_request,
        "before_record_response": scrub_login_response,
        "decode_compressed_response": True,
    }
