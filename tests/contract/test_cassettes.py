"""Every cassette against the spec and the generated models; see ``equality`` for what a round trip must keep."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from galileo_insights_api.api.logstream_insights import get_token_usage
from galileo_insights_api.client import AuthenticatedClient
from galileo_insights_api.models import (
    HTTPValidationError,
    LogstreamInsightTokenUsageCreatedAtFilter,
    LogstreamInsightTokenUsageCreatedAtSort,
    LogstreamInsightTokenUsageRequest,
    LogstreamInsightTokenUsageResponse,
    LogstreamInsightTokenUsageUpdatedAtFilter,
    TokenUsage,
)
from galileo_insights_api.types import ModelValidationError, Unset
from spec_pipeline.operations import Selection, load_selection
from spec_pipeline.select import select_operations

from ..pipeline.generated_package import forget_variant, generate_variant, import_variant, submodule
from .cassettes import CONFORMING_SCENARIOS, FAKE_API_KEY, SCENARIOS, SPEC_DEVIATIONS, Exchange, load_exchange
from .equality import assert_same_document
from .spec import (
    SPEC_PATH as PINNED_SPEC,
)
from .spec import (
    component_schema,
    is_uuid4,
    openapi_app,
    openapi_request,
    satisfied_security_schemes,
    validate_exchange,
)
from .spec_errors import spec_error_messages

REQUIRED_SCENARIOS = {
    "first_page",
    "middle_page",
    "last_page",
    "empty_result",
    "timestamps_z",
    "timestamps_offset",
    "timestamps_microseconds",
    "timestamps_naive",
    "token_usage_absent",
    "token_counts_null",
    "unknown_extra_fields",
    "validation_error_detail_list",
    "validation_error_detail_string",
}
PARSEABLE_SCENARIOS = tuple(name for name in SCENARIOS if name != "validation_error_detail_string")


def parse_response(exchange: Exchange) -> LogstreamInsightTokenUsageResponse | HTTPValidationError:
    if exchange.status == 200:
        return LogstreamInsightTokenUsageResponse.from_dict(exchange.response_json())
    assert exchange.status == 422
    return HTTPValidationError.from_dict(exchange.response_json())


def parse_page(scenario: str) -> LogstreamInsightTokenUsageResponse:
    return LogstreamInsightTokenUsageResponse.from_dict(load_exchange(scenario).response_json())


def test_every_required_scenario_has_a_cassette() -> None:
    assert set(SCENARIOS) >= REQUIRED_SCENARIOS
    assert set(SPEC_DEVIATIONS) <= set(SCENARIOS)


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_cassette_is_clean_and_self_consistent(scenario: str) -> None:
    """No credential but the fake key, uuid4 ids in the path, and a response about the path's project and stream."""
    exchange = load_exchange(scenario)
    credential_headers = {"galileo-api-key", "authorization", "cookie"}
    sent = {
        name.lower(): value for name, value in exchange.request_headers.items() if name.lower() in credential_headers
    }
    assert sent == {"galileo-api-key": FAKE_API_KEY}
    assert satisfied_security_schemes(exchange.request_headers) == ["APIKeyHeader"]
    assert all(is_uuid4(value) for value in exchange.path_ids)
    if exchange.status == 200:
        for row in exchange.response_json()["token_usages"]:
            assert (row["project_id"], row["log_stream_id"]) == exchange.path_ids
            assert uuid.UUID(row["id"]).version == 4


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_request_conforms_to_spec(scenario: str) -> None:
    exchange = load_exchange(scenario)
    openapi_app().validate_request(
        openapi_request(exchange.method, exchange.path, exchange.request_body, exchange.request_headers)
    )


@pytest.mark.parametrize("scenario", CONFORMING_SCENARIOS)
def test_response_conforms_to_spec(scenario: str) -> None:
    exchange = load_exchange(scenario)
    validate_exchange(
        exchange.method,
        exchange.path,
        exchange.request_body,
        exchange.request_headers,
        exchange.status,
        exchange.response_body,
    )


@pytest.mark.parametrize(("scenario", "expected_error"), sorted(SPEC_DEVIATIONS.items()))
def test_documented_deviation_is_rejected_by_spec(scenario: str, expected_error: str) -> None:
    """Galileo sends these; the pinned spec forbids them. The validator must say so, for the documented reason."""
    exchange = load_exchange(scenario)
    with pytest.raises(Exception) as caught:  # noqa: PT011 - openapi-core raises several classes; the message decides
        validate_exchange(
            exchange.method,
            exchange.path,
            exchange.request_body,
            exchange.request_headers,
            exchange.status,
            exchange.response_body,
        )
    messages = spec_error_messages(caught.value)
    assert messages
    assert all(expected_error in message for message in messages), messages


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_request_round_trips_through_generated_model(scenario: str) -> None:
    document = load_exchange(scenario).request_json()
    parsed = LogstreamInsightTokenUsageRequest.from_dict(document)
    assert_same_document(document, parsed.to_dict(), component_schema("LogstreamInsightTokenUsageRequest"))
    assert isinstance(parsed.sort, LogstreamInsightTokenUsageCreatedAtSort)
    assert not isinstance(parsed.filters, Unset)
    kinds = {
        "created_at": LogstreamInsightTokenUsageCreatedAtFilter,
        "updated_at": LogstreamInsightTokenUsageUpdatedAtFilter,
    }
    assert [type(item) for item in parsed.filters] == [kinds[item["name"]] for item in document["filters"]]


@pytest.mark.parametrize("scenario", PARSEABLE_SCENARIOS)
def test_response_round_trips_through_generated_model(scenario: str) -> None:
    exchange = load_exchange(scenario)
    parsed = parse_response(exchange)
    schema_name = "LogstreamInsightTokenUsageResponse" if exchange.status == 200 else "HTTPValidationError"
    assert_same_document(exchange.response_json(), parsed.to_dict(), component_schema(schema_name))


def test_pages_chain_through_next_starting_token() -> None:
    pages = [parse_page(name) for name in ("first_page", "middle_page", "last_page")]
    assert [page.starting_token for page in pages] == [0, 3, 6]
    assert [page.next_starting_token for page in pages] == [3, 6, None]
    rows = [row for page in pages if not isinstance(page.token_usages, Unset) for row in page.token_usages]
    assert [len(page.token_usages) for page in pages if not isinstance(page.token_usages, Unset)] == [3, 3, 2]
    assert len({row.id for row in rows}) == 8
    created = [row.created_at for row in rows]
    assert created == sorted(created, reverse=True), "the requests sort by created_at descending"
    assert all(isinstance(row.id, uuid.UUID) for row in rows)


def test_empty_result_parses_to_an_empty_list() -> None:
    page = parse_page("empty_result")
    assert page.token_usages == []
    assert page.next_starting_token is None


@pytest.mark.parametrize(
    ("scenario", "expected"),
    [
        (
            "timestamps_z",
            [(datetime(2025, 5, 3, 10, 0, tzinfo=UTC), datetime(2025, 5, 3, 10, 0, 7, tzinfo=UTC))],
        ),
        (
            "timestamps_offset",
            [
                (datetime(2025, 5, 4, 8, 30, tzinfo=UTC), datetime(2025, 5, 4, 8, 30, 12, 250000, tzinfo=UTC)),
                (datetime(2025, 5, 4, 8, 30, tzinfo=UTC), datetime(2025, 5, 4, 8, 31, tzinfo=UTC)),
            ],
        ),
        (
            "timestamps_microseconds",
            [
                (
                    datetime(2025, 5, 5, 6, 12, 44, 482913, tzinfo=UTC),
                    datetime(2025, 5, 5, 6, 12, 44, 120000, tzinfo=UTC),
                ),
                (datetime(2025, 5, 5, 6, 13, 1, 500000, tzinfo=UTC), datetime(2025, 5, 5, 6, 13, 1, 1000, tzinfo=UTC)),
            ],
        ),
    ],
)
def test_aware_timestamps_parse_to_the_instants_written(
    scenario: str, expected: list[tuple[datetime, datetime]]
) -> None:
    rows = parse_page(scenario).token_usages
    assert not isinstance(rows, Unset)
    assert [(row.created_at, row.updated_at) for row in rows] == expected


def test_offset_timestamps_keep_their_offset() -> None:
    rows = parse_page("timestamps_offset").token_usages
    assert not isinstance(rows, Unset)
    assert rows[1].created_at.utcoffset() == timedelta(hours=5, minutes=30)
    assert rows[1].to_dict()["created_at"] == "2025-05-04T14:00:00+05:30"


def test_naive_timestamps_parse_as_naive_wall_clock_times() -> None:
    """The generated layer neither rejects nor guesses a zone for offset-less values; the wrapper must decide."""
    rows = parse_page("timestamps_naive").token_usages
    assert not isinstance(rows, Unset)
    assert (rows[0].created_at, rows[0].updated_at) == (
        datetime(2025, 5, 6, 12, 0, 0, 482913),
        datetime(2025, 5, 6, 12, 0, 0),
    )
    assert rows[0].created_at.tzinfo is None


def test_absent_token_usage_is_unset() -> None:
    rows = parse_page("token_usage_absent").token_usages
    assert not isinstance(rows, Unset)
    assert isinstance(rows[0].token_usage, Unset)
    assert "token_usage" not in rows[0].to_dict()
    assert isinstance(rows[1].token_usage, TokenUsage)
    assert rows[1].token_usage.input_tokens == 1843


def test_null_token_counts_are_none_and_missing_ones_unset() -> None:
    rows = parse_page("token_counts_null").token_usages
    assert not isinstance(rows, Unset)
    usages = [row.token_usage for row in rows]
    assert all(isinstance(usage, TokenUsage) for usage in usages)
    counts = [
        (usage.input_tokens, usage.output_tokens, usage.cache_creation_input_tokens, usage.cache_read_input_tokens)
        for usage in usages
        if isinstance(usage, TokenUsage)
    ]
    assert counts[0] == (1502, 240, None, None)
    assert counts[1] == (None, None, None, None)
    assert all(isinstance(count, Unset) for count in counts[2])
    assert rows[2].to_dict()["token_usage"] == {}


def test_unknown_fields_are_kept_at_every_level() -> None:
    page = parse_page("unknown_extra_fields")
    assert page.additional_properties == {"total_count": 1}
    assert not isinstance(page.token_usages, Unset)
    row = page.token_usages[0]
    assert row.additional_properties == {
        "model": "gpt-4o-2024-08-06",
        "insight_id": "86ea1a11-0886-4e7b-85e9-d4cd3b8a7dfe",
    }
    assert isinstance(row.token_usage, TokenUsage)
    assert row.token_usage.additional_properties == {"reasoning_tokens": 256}
    assert row.token_usage.input_tokens == 4011


# The newest upstream ValidationError (FastAPI) declares pydantic's extras as optional fields.
NEWER_VALIDATION_ERROR_FIELDS = {"input": {"title": "Input"}, "ctx": {"type": "object", "title": "Context"}}


@pytest.fixture(scope="module", params=["pinned spec", "newest upstream shape"])
def http_validation_error(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """``HTTPValidationError`` as generated today, and as generated once ``input`` and ``ctx`` are declared."""
    if request.param == "pinned spec":
        yield HTTPValidationError
        return
    spec = json.loads(PINNED_SPEC.read_text(encoding="utf-8"))
    spec["components"]["schemas"]["ValidationError"]["properties"].update(NEWER_VALIDATION_ERROR_FIELDS)
    committed = load_selection()
    token_usage_only = Selection(committed.operations[:1], committed.watch)
    package = generate_variant(
        tmp_path_factory.mktemp("newer"), select_operations(spec, token_usage_only), token_usage_only
    )
    name = "newer_galileo_insights_api"
    import_variant(package, name)
    try:
        yield submodule(name, "models.http_validation_error").HTTPValidationError
    finally:
        forget_variant(name)


def test_validation_error_list_parses_items_and_keeps_pydantic_extras(http_validation_error: Any) -> None:
    """What the SDK promises for a 422: loc, msg and type parsed; nothing else in the item is lost, whether the
    spec declares pydantic's ``input`` and ``ctx`` (newer upstream) or not (the pin: they are extras)."""
    parsed = http_validation_error.from_dict(load_exchange("validation_error_detail_list").response_json())
    assert not isinstance(parsed.detail, Unset)
    [item] = parsed.detail
    assert (item.loc, item.type_, item.msg) == (
        ["body", "limit"],
        "less_than_equal",
        "Input should be less than or equal to 1000",
    )
    assert item.to_dict() == {
        "loc": ["body", "limit"],
        "msg": "Input should be less than or equal to 1000",
        "type": "less_than_equal",
        "input": 5000,
        "ctx": {"le": 1000},
    }


def test_string_detail_422_is_recognized_and_not_parseable_by_generated_model() -> None:
    """The documented deviation: a 422 whose ``detail`` is a message, not a list of errors.

    It is recognizable (a JSON object whose ``detail`` is a string) and the generated ``HTTPValidationError``
    cannot hold it: ``from_dict`` says ``detail`` is not an array. Whoever handles 422s must look first.
    """
    exchange = load_exchange("validation_error_detail_string")
    body = exchange.response_json()
    assert exchange.status == 422
    assert isinstance(body, dict)
    assert isinstance(body["detail"], str)
    assert body["detail"] == "starting_token 1000000 is past the end of the results"
    with pytest.raises(ModelValidationError, match=r"^detail: expected array, got string"):
        HTTPValidationError.from_dict(body)


def _replay_params() -> list[Any]:
    return [
        pytest.param(name, marks=[pytest.mark.vcr, pytest.mark.default_cassette(f"{name}.yaml")]) for name in SCENARIOS
    ]


@pytest.mark.parametrize("scenario", _replay_params())
def test_generated_operation_replays_cassette(scenario: str, vcr: Any) -> None:
    """The generated operation, fed the cassette's request, sends a matching request (matched by vcrpy on method,
    URL and body under the ``equality`` rules) and parses the recorded response; nothing goes to the network."""
    exchange = load_exchange(scenario)
    project_id, log_stream_id = (uuid.UUID(value) for value in exchange.path_ids)
    client = AuthenticatedClient(
        base_url="https://api.galileo.ai", token=FAKE_API_KEY, prefix="", auth_header_name="Galileo-API-Key"
    )
    body = LogstreamInsightTokenUsageRequest.from_dict(exchange.request_json())
    if scenario == "validation_error_detail_string":
        with pytest.raises(ModelValidationError, match=r"^detail: expected array, got string"):
            get_token_usage.sync_detailed(project_id, log_stream_id, client=client, body=body)
    else:
        response = get_token_usage.sync_detailed(project_id, log_stream_id, client=client, body=body)
        assert response.status_code == exchange.status
        expected_type = LogstreamInsightTokenUsageResponse if exchange.status == 200 else HTTPValidationError
        assert isinstance(response.parsed, expected_type)
        schema_name = "LogstreamInsightTokenUsageResponse" if exchange.status == 200 else "HTTPValidationError"
        assert_same_document(exchange.response_json(), response.parsed.to_dict(), component_schema(schema_name))
    assert vcr.play_count == 1
