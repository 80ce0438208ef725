"""The generated client against Prism: its requests pass an independent validator, its models parse Prism's answers."""

from __future__ import annotations

import datetime
import uuid

import httpx
import pytest

from galileo_insights_api.api.logstream_insights import get_token_usage
from galileo_insights_api.client import AuthenticatedClient
from galileo_insights_api.models.http_validation_error import HTTPValidationError
from galileo_insights_api.models.log_stream_insight_token_usage_db import LogStreamInsightTokenUsageDB
from galileo_insights_api.models.logstream_insight_token_usage_created_at_filter import (
    LogstreamInsightTokenUsageCreatedAtFilter,
)
from galileo_insights_api.models.logstream_insight_token_usage_created_at_sort import (
    LogstreamInsightTokenUsageCreatedAtSort,
)
from galileo_insights_api.models.logstream_insight_token_usage_request import LogstreamInsightTokenUsageRequest
from galileo_insights_api.models.logstream_insight_token_usage_response import LogstreamInsightTokenUsageResponse
from galileo_insights_api.models.logstream_insight_token_usage_updated_at_filter import (
    LogstreamInsightTokenUsageUpdatedAtFilter,
)
from galileo_insights_api.models.token_usage import TokenUsage
from galileo_insights_api.types import Response

from .prism_server import PRISM_BIN, SETUP_HINT, PrismServer
from .raw_requests import API_KEY, DYNAMIC, LOG_STREAM_ID, PROJECT_ID

pytestmark = [pytest.mark.prism, pytest.mark.skipif(not PRISM_BIN.exists(), reason=SETUP_HINT)]

DYNAMIC_SAMPLES = 25


def _client(server: PrismServer, headers: dict[str, str]) -> AuthenticatedClient:
    return AuthenticatedClient(
        base_url=server.base_url,
        token=API_KEY,
        prefix="",
        auth_header_name="Galileo-API-Key",
        headers=headers,
        timeout=httpx.Timeout(10.0),
    )


def _call(
    server: PrismServer, body: LogstreamInsightTokenUsageRequest, *, headers: dict[str, str] | None = None
) -> Response[HTTPValidationError | LogstreamInsightTokenUsageResponse]:
    with _client(server, headers or {}) as client:
        return get_token_usage.sync_detailed(PROJECT_ID, LOG_STREAM_ID, client=client, body=body)


def test_valid_call_returns_the_parsed_static_example(prism: PrismServer) -> None:
    response = _call(prism, LogstreamInsightTokenUsageRequest(limit=10, starting_token=0))

    assert response.status_code == 200
    page = response.parsed
    assert isinstance(page, LogstreamInsightTokenUsageResponse)
    assert isinstance(page.token_usages, list)
    assert len(page.token_usages) == 1  # Prism's static example: one item built from the schema
    item = page.token_usages[0]
    assert isinstance(item, LogStreamInsightTokenUsageDB)
    assert isinstance(item.id, uuid.UUID)
    assert isinstance(item.project_id, uuid.UUID)
    assert item.created_at.tzinfo is not None
    assert isinstance(item.token_usage, TokenUsage)
    # Integers default to 0 and the anyOf takes its first branch, so the token never advances.
    assert page.next_starting_token == 0
    assert page.limit == 100  # the schema default, not the limit we asked for: a mock, not a server


def test_filters_and_sort_as_serialized_by_the_generated_models_pass_validation(prism: PrismServer) -> None:
    since = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)
    body = LogstreamInsightTokenUsageRequest(
        limit=50,
        starting_token=100,
        filters=[
            LogstreamInsightTokenUsageCreatedAtFilter(operator="gte", value=since),
            LogstreamInsightTokenUsageUpdatedAtFilter(
                operator="lt",
                value=since + datetime.timedelta(days=1, microseconds=5),
            ),
        ],
        sort=LogstreamInsightTokenUsageCreatedAtSort(ascending=True),
    )

    response = _call(prism, body)

    assert response.status_code == 200, response.headers.get("sl-violations")
    assert isinstance(response.parsed, LogstreamInsightTokenUsageResponse)


def test_naive_datetime_in_a_filter_is_rejected_and_the_422_parses(prism: PrismServer) -> None:
    """The generated models send ``datetime.isoformat()``; without an offset it is not RFC 3339 date-time.

    (The wrapper refuses naive datetimes before sending; the generated layer does not.)
    """
    naive = LogstreamInsightTokenUsageCreatedAtFilter(operator="gte", value=datetime.datetime(2026, 1, 1))

    response = _call(prism, LogstreamInsightTokenUsageRequest(filters=[naive]))

    assert response.status_code == 422
    assert isinstance(response.parsed, HTTPValidationError)
    assert "filters.0.value" in response.headers["sl-violations"]
    assert "date-time" in response.headers["sl-violations"]


def test_random_schema_valid_responses_all_parse(prism: PrismServer) -> None:
    """Prism's dynamic answers (json-schema-faker) explore nulls, omitted optionals, odd dates and extra keys."""
    for _ in range(DYNAMIC_SAMPLES):
        response = _call(prism, LogstreamInsightTokenUsageRequest(), headers=DYNAMIC)

        assert response.status_code == 200
        assert isinstance(response.parsed, LogstreamInsightTokenUsageResponse), response.content
        items = response.parsed.token_usages
        assert all(isinstance(item, LogStreamInsightTokenUsageDB) for item in items or []), response.content
