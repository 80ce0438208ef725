"""Requests sent past the SDK (plain httpx), for bodies the wrapper would refuse before sending."""

from __future__ import annotations

import json
import uuid
from typing import Any

import httpx

from galileo_insights import GalileoInsights, TokenUsagePage
from tests.contract.spec import TOKEN_USAGE_PATH

PROJECT_ID = uuid.UUID("0b6a3c2e-8f1d-4a7b-9c3e-2d5f6a7b8c9d")
LOG_STREAM_ID = uuid.UUID("1c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f")
API_KEY = "prism-test-key"
DYNAMIC = {"Prefer": "dynamic=true"}  # ask Prism for a random schema-valid answer instead of its static example


def token_usage_url(
    base_url: str, project_id: uuid.UUID | str = PROJECT_ID, log_stream_id: uuid.UUID | str = LOG_STREAM_ID
) -> str:
    return base_url + TOKEN_USAGE_PATH.format(project_id=project_id, log_stream_id=log_stream_id)


def post_token_usage(url: str, body: Any, *, headers: dict[str, str] | None = None) -> httpx.Response:
    """POST ``body`` as JSON with the API-key header unless ``headers`` replaces it; the body is read."""
    sent_headers = {"Galileo-API-Key": API_KEY} if headers is None else headers
    return httpx.post(url, json=body, headers=sent_headers, timeout=10.0)


def violations(response: httpx.Response) -> list[dict[str, Any]]:
    """Prism's reasons for rejecting a request (its ``sl-violations`` header), [] when there are none."""
    header = response.headers.get("sl-violations")
    parsed: list[dict[str, Any]] = json.loads(header) if header else []
    return parsed


def violated_locations(response: httpx.Response) -> set[str]:
    return {".".join(str(part) for part in item["location"]) for item in violations(response)}


def read_like_the_client(response: httpx.Response) -> TokenUsagePage:
    """Replay a response Prism sent through the SDK's client (one page), so it is parsed exactly as in a walk."""

    def replay(request: httpx.Request) -> httpx.Response:
        return httpx.Response(
            response.status_code, headers={"Content-Type": "application/json"}, content=response.content
        )

    transport = httpx.MockTransport(replay)
    with GalileoInsights(api_key=API_KEY, base_url="http://prism.replay", transport=transport, max_retries=0) as client:
        return next(client.token_usage.list(PROJECT_ID, LOG_STREAM_ID, page_size=10).pages())
