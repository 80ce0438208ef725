"""Recording settings for the live contract check: what is scrubbed before a cassette is written."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

CASSETTE_DIR = Path(__file__).resolve().parents[1] / "fixtures" / "cassettes" / "live"
REDACTED = "REDACTED"


def _scrub_login_request(request: Any) -> Any:
    if request.path.endswith("/login"):
        request.body = b"username=REDACTED&password=REDACTED"
    return request


def _scrub_login_response(response: dict[str, Any]) -> dict[str, Any]:
    body = response["body"].get("string", b"")
    try:
        document = json.loads(body)
    except (ValueError, TypeError):
        return response
    if isinstance(document, dict) and "access_token" in document:
        document["access_token"] = REDACTED
        response["body"]["string"] = json.dumps(document).encode()
    return response


@pytest.fixture(scope="module")
def vcr_cassette_dir() -> str:
    return str(CASSETTE_DIR)


@pytest.fixture
def vcr_config() -> dict[str, Any]:
    return {
        "filter_headers": [("Galileo-API-Key", REDACTED), ("Authorization", REDACTED), ("Cookie", REDACTED)],
        "before_record_request": _scrub_login_request,
        "before_record_response": _scrub_login_response,
        "decode_compressed_response": True,
    }
