"""Schema-valid documents generated from the spec's component schemas parse with the generated models and
round-trip (under the rules of ``equality``).

hypothesis-jsonschema also adds keys no schema names, with arbitrary JSON values, to every object, so these
tests exercise the models' keeping of unknown fields too. Its ``date-time`` values are RFC 3339 (``Z`` or a
numeric offset, optional fractional seconds); ``uuid4`` values come from ``uuids(version=4)`` in either case.
"""

from __future__ import annotations

import json
import uuid
from datetime import datetime
from functools import cache
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis_jsonschema import from_schema
from openapi_core.testing import MockResponse

from galileo_insights_api.models import (
    HTTPValidationError,
    LogstreamInsightTokenUsageCreatedAtFilter,
    LogstreamInsightTokenUsageCreatedAtSort,
    LogstreamInsightTokenUsageRequest,
    LogstreamInsightTokenUsageResponse,
    LogstreamInsightTokenUsageUpdatedAtFilter,
    TokenUsage,
)
from galileo_insights_api.types import Unset

from .cassettes import load_exchange
from .equality import assert_same_document
from .spec import component_json_schema, component_schema, openapi_app, openapi_request

pytestmark = pytest.mark.slow  # seconds of generation each; `make test-fast` leaves them to `make test`

UUID4_STRINGS = st.uuids(version=4).flatmap(lambda value: st.sampled_from([str(value), str(value).upper()]))
FILTER_CLASSES = {
    "created_at": LogstreamInsightTokenUsageCreatedAtFilter,
    "updated_at": LogstreamInsightTokenUsageUpdatedAtFilter,
}
contract_settings = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@cache
def documents(component: str) -> st.SearchStrategy[Any]:
    """Built on first draw: translating the schemas took seconds in every process that merely collected the tests."""
    return st.deferred(lambda: from_schema(component_json_schema(component), custom_formats={"uuid4": UUID4_STRINGS}))


def assert_spec_accepts_response(status: int, document: Any) -> None:
    """Cross-check: what hypothesis-jsonschema generated from the translated schema, openapi-core accepts."""
    exchange = load_exchange("first_page")
    request = openapi_request(exchange.method, exchange.path, exchange.request_body, exchange.request_headers)
    openapi_app().validate_response(request, MockResponse(json.dumps(document).encode(), status_code=status))


@contract_settings
@given(documents("LogstreamInsightTokenUsageResponse"))
def test_generated_response_documents_parse_and_round_trip(document: dict[str, Any]) -> None:
    assert_spec_accepts_response(200, document)
    parsed = LogstreamInsightTokenUsageResponse.from_dict(document)
    assert_same_document(document, parsed.to_dict(), component_schema("LogstreamInsightTokenUsageResponse"))
    rows = [] if isinstance(parsed.token_usages, Unset) else parsed.token_usages
    assert len(rows) == len(document.get("token_usages", []))
    for row, raw in zip(rows, document.get("token_usages", []), strict=True):
        assert isinstance(row.id, uuid.UUID)
        assert row.id == uuid.UUID(raw["id"])
        assert isinstance(row.created_at, datetime)
        assert row.created_at.utcoffset() is not None, "RFC 3339 values always carry an offset"
        assert row.created_at == datetime.fromisoformat(raw["created_at"])
        assert isinstance(row.token_usage, Unset) == ("token_usage" not in raw)
        if isinstance(row.token_usage, TokenUsage):
            counts = raw["token_usage"]
            if "input_tokens" in counts:
                assert row.token_usage.input_tokens == counts["input_tokens"]
            else:
                assert isinstance(row.token_usage.input_tokens, Unset)


@contract_settings
@given(documents("LogstreamInsightTokenUsageRequest"))
def test_generated_request_documents_parse_to_the_named_filter_class_and_round_trip(document: dict[str, Any]) -> None:
    parsed = LogstreamInsightTokenUsageRequest.from_dict(document)
    assert_same_document(document, parsed.to_dict(), component_schema("LogstreamInsightTokenUsageRequest"))
    filters = [] if isinstance(parsed.filters, Unset) else parsed.filters
    assert [type(item) for item in filters] == [FILTER_CLASSES[raw["name"]] for raw in document.get("filters", [])]
    if "sort" not in document:
        assert isinstance(parsed.sort, Unset)
    elif document["sort"] is None:
        assert parsed.sort is None
    else:
        assert isinstance(parsed.sort, LogstreamInsightTokenUsageCreatedAtSort)


def named_filters(name: str) -> st.SearchStrategy[tuple[str, dict[str, Any]]]:
    component = FILTER_CLASSES[name].__name__
    return st.tuples(st.just(name), documents(component))


@contract_settings
@given(st.sampled_from(sorted(FILTER_CLASSES)).flatmap(named_filters))
def test_each_filter_kind_parses_to_its_class_inside_a_request(named_filter: tuple[str, dict[str, Any]]) -> None:
    """Both kinds, drawn evenly, in a request of their own; the filter's ``value`` keeps its instant."""
    name, raw_filter = named_filter
    parsed = LogstreamInsightTokenUsageRequest.from_dict({"filters": [raw_filter]})
    assert not isinstance(parsed.filters, Unset)
    [item] = parsed.filters
    assert type(item) is FILTER_CLASSES[name]
    assert item.name == name
    assert item.value == datetime.fromisoformat(raw_filter["value"])
    assert_same_document(
        {"filters": [raw_filter]}, parsed.to_dict(), component_schema("LogstreamInsightTokenUsageRequest")
    )


@settings(contract_settings, max_examples=30)  # lists of free-form objects are slow to generate; the shape is small
@given(documents("HTTPValidationError"))
def test_generated_validation_errors_parse_and_round_trip(document: dict[str, Any]) -> None:
    assert_spec_accepts_response(422, document)
    parsed = HTTPValidationError.from_dict(document)
    assert_same_document(document, parsed.to_dict(), component_schema("HTTPValidationError"))
    details = [] if isinstance(parsed.detail, Unset) else parsed.detail
    assert [item.loc for item in details] == [raw["loc"] for raw in document.get("detail", [])]
