"""pytest-recording settings for the contract cassettes: where they live, how requests match, what is scrubbed.

Playback is the default (``--record-mode=none``); these settings are also what a future re-recording against the
live API would use, so credentials are replaced before anything is written.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from .cassettes import CASSETTES_DIR, FAKE_API_KEY
from .equality import canonical_json
from .spec import component_schema


def same_request_body(recorded: Any, sent: Any) -> None:
    """vcrpy matcher: both bodies are the same request document under the rules of ``equality``."""
    schema = component_schema("LogstreamInsightTokenUsageRequest")
    assert canonical_json(json.loads(sent.body), schema) == canonical_json(json.loads(recorded.body), schema)


def pytest_recording_configure(config: pytest.Config, vcr: Any) -> None:
    vcr.register_matcher("same_request_body", same_request_body)


@pytest.fixture(scope="module")
def vcr_cassette_dir() -> str:
    return str(CASSETTES_DIR)


@pytest.fixture
def vcr_config() -> dict[str, Any]:
    return {
        "filter_headers": [("Galileo-API-Key", FAKE_API_KEY), ("Authorization", None), ("Cookie", None)],
        "match_on": ["method", "scheme", "host", "port", "path", "query", "same_request_body"],
    }
