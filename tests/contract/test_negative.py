"""Documents that must fail: the checks are shown to bite, and what the generated models do with each is pinned.

Each case in ``tests/fixtures/invalid`` is one JSON Patch applied to a conforming cassette, so the patch is the
only thing wrong with the document, and names the schema message the spec validator must give for it.
"""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import pytest

from galileo_insights_api.models import (
    HTTPValidationError,
    LogstreamInsightTokenUsageCreatedAtFilter,
    LogstreamInsightTokenUsageRequest,
    LogstreamInsightTokenUsageResponse,
)
from galileo_insights_api.types import ModelValidationError, Unset

from .cassettes import CONFORMING_SCENARIOS, INVALID_DIR, load_exchange
from .spec import openapi_app, openapi_request, satisfied_security_schemes
from .spec_errors import spec_error_messages

CASES = tuple(sorted(path.stem for path in INVALID_DIR.glob("*.json")))

# The path the generated from_dict names in its ModelValidationError for each case it rejects (values of the wrong
# JSON type included: spec-exact scalars).
MODEL_REJECTS: dict[str, str] = {
    "response_created_at_impossible_date": "token_usages[0].created_at: not a date-time",
    "response_created_at_not_a_timestamp": "token_usages[0].updated_at: not a date-time",
    "response_id_missing": "token_usages[1].id: required property is missing",
    "response_id_not_a_uuid": "token_usages[2].id: not a UUID",
    "response_token_usage_null": "token_usages[0].token_usage: expected object, got null",
    "response_token_count_string": (
        'token_usages[0].token_usage.input_tokens: expected integer or null, got string "1843"'
    ),
    "response_token_usages_not_a_list": "token_usages: expected array, got object {}",
    "validation_error_item_missing_msg": "detail[0].msg: required property is missing",
    "request_filter_name_deleted_at": "filters[1].name: name must match const 'updated_at', got 'deleted_at'",
    "request_filter_operator_between": "filters[0].operator: Unexpected value 'between'",
    "request_limit_string": 'limit: expected integer, got string "3"',
    "request_sort_by_updated_at": 'sort: expected LogstreamInsightTokenUsageCreatedAtSort or null, got object {"name"',
}
# Cases the generated layer accepts (it does not check uuid versions, offsets or the discriminator's presence); each
# has its own test below pinning what it turns into. The spec validator is the guard for these.
MODEL_ACCEPTS = {
    "response_project_id_uuid_version_1",
    "request_filter_without_name",
    "request_filter_value_naive",
}


@dataclass(frozen=True)
class InvalidCase:
    name: str
    why: str
    base: str
    part: str
    original: Any
    document: Any
    spec_error: str


def apply_patch(document: Any, operations: list[dict[str, Any]]) -> Any:
    """The ``add``/``replace``/``remove`` subset of JSON Patch (RFC 6902) on a copy; ``replace`` and ``remove``
    insist the target exists, as the RFC does."""
    patched = copy.deepcopy(document)
    for operation in operations:
        *parents, last = [part.replace("~1", "/").replace("~0", "~") for part in operation["path"].split("/")[1:]]
        container = patched
        for part in parents:
            container = container[int(part) if isinstance(container, list) else part]
        key: Any = int(last) if isinstance(container, list) else last
        if operation["op"] in {"replace", "remove"}:
            assert key in container if isinstance(container, dict) else 0 <= key < len(container), operation
        if operation["op"] == "remove":
            del container[key]
        else:
            container[key] = operation["value"]
    return patched


def load_case(name: str) -> InvalidCase:
    raw = json.loads((INVALID_DIR / f"{name}.json").read_text(encoding="utf-8"))
    exchange = load_exchange(raw["base"])
    original = exchange.request_json() if raw["part"] == "request" else exchange.response_json()
    return InvalidCase(
        name=name,
        why=raw["why"],
        base=raw["base"],
        part=raw["part"],
        original=original,
        document=apply_patch(original, raw["patch"]),
        spec_error=raw["spec_error"],
    )


def validate_case(case: InvalidCase) -> None:
    exchange = load_exchange(case.base)
    request_body = json.dumps(case.document).encode() if case.part == "request" else exchange.request_body
    request = openapi_request(exchange.method, exchange.path, request_body, exchange.request_headers)
    if case.part == "request":
        openapi_app().validate_request(request)
    else:
        from openapi_core.testing import MockResponse

        openapi_app().validate_response(request, MockResponse(json.dumps(case.document).encode(), exchange.status))


def parse_case(case: InvalidCase) -> Any:
    if case.part == "request":
        return LogstreamInsightTokenUsageRequest.from_dict(case.document)
    if load_exchange(case.base).status == 422:
        return HTTPValidationError.from_dict(case.document)
    return LogstreamInsightTokenUsageResponse.from_dict(case.document)


def test_every_case_has_a_model_verdict() -> None:
    assert len(CASES) >= 10
    assert set(MODEL_REJECTS).isdisjoint(MODEL_ACCEPTS)
    assert set(MODEL_REJECTS) | MODEL_ACCEPTS == set(CASES)


@pytest.mark.parametrize("name", CASES)
def test_case_is_one_change_to_a_conforming_cassette(name: str) -> None:
    case = load_case(name)
    assert case.base in CONFORMING_SCENARIOS
    assert case.part in {"request", "response"}
    assert case.why
    assert case.document != case.original


@pytest.mark.parametrize("name", CASES)
def test_spec_rejects_case_for_the_stated_reason(name: str) -> None:
    case = load_case(name)
    with pytest.raises(Exception) as caught:  # noqa: PT011 - openapi-core raises several classes; the message decides
        validate_case(case)
    messages = spec_error_messages(caught.value)
    assert any(case.spec_error in message for message in messages), messages


@pytest.mark.parametrize("name", sorted(MODEL_REJECTS))
def test_generated_model_rejects_case(name: str) -> None:
    with pytest.raises(ModelValidationError) as caught:
        parse_case(load_case(name))
    assert str(caught.value).startswith(MODEL_REJECTS[name])


def _first_row(name: str) -> Any:
    parsed = parse_case(load_case(name))
    assert isinstance(parsed, LogstreamInsightTokenUsageResponse)
    assert not isinstance(parsed.token_usages, Unset)
    return parsed.token_usages[0]


def test_generated_model_accepts_uuid_of_any_version() -> None:
    assert _first_row("response_project_id_uuid_version_1").project_id.version == 1


def test_generated_model_reads_nameless_filter_as_created_at() -> None:
    parsed = parse_case(load_case("request_filter_without_name"))
    assert isinstance(parsed, LogstreamInsightTokenUsageRequest)
    assert not isinstance(parsed.filters, Unset)
    assert isinstance(parsed.filters[0], LogstreamInsightTokenUsageCreatedAtFilter)
    assert isinstance(parsed.filters[0].name, Unset)


def test_generated_model_accepts_naive_filter_value() -> None:
    parsed = parse_case(load_case("request_filter_value_naive"))
    assert isinstance(parsed, LogstreamInsightTokenUsageRequest)
    assert not isinstance(parsed.filters, Unset)
    assert parsed.filters[0].value == datetime(2030, 1, 1)
    assert parsed.filters[0].value.tzinfo is None


def _first_page_request(path: str, headers: dict[str, str]) -> Any:
    exchange = load_exchange("first_page")
    return openapi_request(exchange.method, path, exchange.request_body, headers)


def test_spec_rejects_path_id_that_is_not_uuid4() -> None:
    exchange = load_exchange("first_page")
    project_id, _ = exchange.path_ids
    request = _first_page_request(exchange.path.replace(project_id, "42"), exchange.request_headers)
    with pytest.raises(Exception) as caught:  # noqa: PT011 - openapi-core raises several classes; the message decides
        openapi_app().validate_request(request)
    assert any("is not a 'uuid4'" in message for message in spec_error_messages(caught.value))


def test_request_without_credentials_meets_no_security_alternative() -> None:
    exchange = load_exchange("first_page")
    assert satisfied_security_schemes(exchange.request_headers) == ["APIKeyHeader"]
    headers = {name: value for name, value in exchange.request_headers.items() if name != "Galileo-API-Key"}
    assert satisfied_security_schemes(headers) == []
    assert satisfied_security_schemes({**headers, "Authorization": "Bearer x"}) == ["OAuth2PasswordBearer"]
    assert satisfied_security_schemes({**headers, "Authorization": "Basic eDp5"}) == ["HTTPBasic"]


@pytest.mark.filterwarnings("ignore:Unsupported scheme type:UserWarning")
def test_openapi_core_does_not_enforce_this_operations_security() -> None:
    """Why ``satisfied_security_schemes`` exists: openapi-core waves a credential-less request through the
    unsupported ``oauth2`` alternative. If this starts failing, openapi-core learned to check it."""
    exchange = load_exchange("first_page")
    headers = {name: value for name, value in exchange.request_headers.items() if name != "Galileo-API-Key"}
    openapi_app().validate_request(_first_page_request(exchange.path, headers))
