"""The change report misses no part of an operation or its schemas: each part planted in a copy of the pin.

Where direction matters both directions are planted: what breaks callers when it narrows breaks readers when
it widens.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from spec_pipeline.diff import diff_specs
from spec_pipeline.schema_diff import CONSTRAINTS

from .specs import TOKEN_USAGE, one_operation_spec

OPERATION = f"POST {TOKEN_USAGE}"
LOG_STREAMS_PATH = "/v2/projects/{project_id}/log_streams/paginated"
LOG_STREAMS = f"GET {LOG_STREAMS_PATH}"
REQUEST = "LogstreamInsightTokenUsageRequest"
RESPONSE = "LogstreamInsightTokenUsageResponse"
ROW = "LogStreamInsightTokenUsageDB"
BODY = f"{OPERATION} request body"
REJECTED = "values callers send may be rejected"
SURPRISED = "readers may get values the old spec ruled out"

Plant = Callable[[dict[str, Any]], None]


def lines(old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    return [change.line() for change in diff_specs(old, new)]


def props(document: dict[str, Any], name: str) -> dict[str, Any]:
    found: dict[str, Any] = document["components"]["schemas"][name]["properties"]
    return found


def token_usage(document: dict[str, Any]) -> dict[str, Any]:
    found: dict[str, Any] = document["paths"][TOKEN_USAGE]["post"]
    return found


def log_streams(document: dict[str, Any]) -> dict[str, Any]:
    found: dict[str, Any] = document["paths"][LOG_STREAMS_PATH]["get"]
    return found


def param(operation: dict[str, Any], name: str) -> dict[str, Any]:
    found: dict[str, Any] = next(p for p in operation["parameters"] if p["name"] == name)
    return found


@pytest.fixture
def new(pinned: dict[str, Any]) -> dict[str, Any]:
    return copy.deepcopy(pinned)


def planted(pinned: dict[str, Any], new: dict[str, Any], plant: Plant, setup: Plant | None = None) -> list[str]:
    """Lines for ``plant`` applied to ``new`` after ``setup`` (if any) was applied to both sides."""
    if setup:
        setup(pinned)
        setup(new)
    plant(new)
    return lines(pinned, new)


# --- the operation itself --------------------------------------------------------------------------------


def test_operation_id_renamed_breaks(pinned: dict[str, Any], new: dict[str, Any]) -> None:
    token_usage(new)["operationId"] = "get_token_usages"

    [line] = lines(pinned, new)
    assert line.startswith(f"BREAKING {OPERATION}: operationId 'get_logstream_insights_token_usages_v2_")
    assert line.endswith("-> 'get_token_usages' (the generated function is renamed; update openapi/operations.yaml)")


def test_deprecation_is_reported_both_ways_and_breaks_nothing(pinned: dict[str, Any], new: dict[str, Any]) -> None:
    token_usage(new)["deprecated"] = True
    log_streams(pinned)["deprecated"] = True

    assert lines(pinned, new) == [
        f"ok       {LOG_STREAMS}: no longer deprecated",
        f"ok       {OPERATION}: deprecated: move the SDK to a supported operation before it is removed",
    ]


# --- security -----------------------------------------------------------------------------------------------


def test_a_security_alternative_dropped_breaks_and_one_added_does_not(
    pinned: dict[str, Any], new: dict[str, Any]
) -> None:
    token_usage(new)["security"] = [{"APIKeyHeader": []}, {"OAuth2PasswordBearer": []}, {"Bearer": []}]

    assert lines(pinned, new) == [
        f"BREAKING {OPERATION}: security HTTPBasic removed (callers authenticating with HTTPBasic are refused)",
        f"ok       {OPERATION}: security Bearer added",
    ]


def test_operation_without_security_falls_back_to_the_documents(pinned: dict[str, Any], new: dict[str, Any]) -> None:
    del token_usage(new)["security"]
    new["security"] = [{"APIKeyHeader": []}, {"HTTPBasic": [], "APIKeyHeader": []}]

    assert lines(pinned, new) == [
        f"BREAKING {OPERATION}: security HTTPBasic removed (callers authenticating with HTTPBasic are refused)",
        f"BREAKING {OPERATION}: security OAuth2PasswordBearer removed "
        "(callers authenticating with OAuth2PasswordBearer are refused)",
        f"ok       {OPERATION}: security APIKeyHeader + HTTPBasic added",
    ]


def test_document_security_none_is_anonymous_and_operation_security_wins(
    pinned: dict[str, Any], new: dict[str, Any]
) -> None:
    new["security"] = []  # as the documentation's copy has it: operations still state their own
    del log_streams(new)["security"]

    assert lines(pinned, new) == [
        f"BREAKING {LOG_STREAMS}: security APIKeyHeader removed (callers authenticating with APIKeyHeader are refused)",
        f"BREAKING {LOG_STREAMS}: security HTTPBasic removed (callers authenticating with HTTPBasic are refused)",
        f"BREAKING {LOG_STREAMS}: security OAuth2PasswordBearer removed "
        "(callers authenticating with OAuth2PasswordBearer are refused)",
        f"ok       {LOG_STREAMS}: security anonymous added",
    ]


def test_security_schemes_removed_changed_and_added(pinned: dict[str, Any], new: dict[str, Any]) -> None:
    """A changed tokenUrl (the host Galileo exported from) is reported, like servers, and breaks nothing."""
    schemes = new["components"]["securitySchemes"]
    del schemes["HTTPBasic"]
    schemes["OAuth2PasswordBearer"]["flows"]["password"]["tokenUrl"] = "https://api.galileo.ai/login"
    schemes["APIKeyHeader"]["description"] = "Your key."  # descriptions are not changes
    schemes["Bearer"] = {"type": "http", "scheme": "bearer"}
    schemes["APIKeyHeader"]["name"] = "X-Galileo-Key"

    assert lines(pinned, new) == [
        'BREAKING security scheme APIKeyHeader: name "Galileo-API-Key" -> "X-Galileo-Key" '
        "(callers authenticating with it may fail)",
        "ok       security scheme Bearer: added",
        "BREAKING security scheme HTTPBasic: removed (callers authenticating with it fail)",
        'ok       security scheme OAuth2PasswordBearer: flows.password.tokenUrl "http://localhost:8088/login" -> '
        '"https://api.galileo.ai/login"',
    ]


def test_servers_are_reported_and_break_nothing(pinned: dict[str, Any], new: dict[str, Any]) -> None:
    new["servers"] = [{"url": "https://api.galileo.ai", "description": "Galileo Public APIs - galileo-v2"}]

    assert lines(pinned, new) == ['ok       servers: ["http://localhost:8088"] -> ["https://api.galileo.ai"]']


# --- parameters ---------------------------------------------------------------------------------------------


def test_parameter_location_and_serialization_changes_break(pinned: dict[str, Any], new: dict[str, Any]) -> None:
    param(log_streams(new), "include_counts")["in"] = "header"
    param(log_streams(new), "project_id").update(style="label", deprecated=True)

    assert lines(pinned, new) == [
        f'BREAKING {LOG_STREAMS} parameters.include_counts: in "query" -> "header" (callers send it another way)',
        f'BREAKING {LOG_STREAMS} parameters.project_id: style (none) -> "label" (callers send it another way)',
        f"ok       {LOG_STREAMS} parameters.project_id: deprecated",
    ]


def test_parameter_required_ness_follows_the_request_rule(pinned: dict[str, Any], new: dict[str, Any]) -> None:
    param(log_streams(new), "include_counts")["required"] = True
    param(token_usage(new), "log_stream_id")["required"] = False

    assert lines(pinned, new) == [
        f"BREAKING {LOG_STREAMS} parameters.include_counts: made required (callers must now send it)",
        f"ok       {OPERATION} parameters.log_stream_id: made optional",
    ]


def test_parameter_defaults_and_constraints_are_compared(pinned: dict[str, Any], new: dict[str, Any]) -> None:
    param(log_streams(new), "include_counts")["schema"]["default"] = True
    param(token_usage(new), "project_id")["schema"]["maxLength"] = 36

    assert lines(pinned, new) == [
        f"BREAKING {LOG_STREAMS} parameters.include_counts: default false -> true "
        "(callers that omit it get different results)",
        f"BREAKING {OPERATION} parameters.project_id: constraint maxLength 36 added ({REJECTED})",
    ]


def test_parameter_enums_and_array_items_follow_the_request_rule(pinned: dict[str, Any], new: dict[str, Any]) -> None:
    for document in (pinned, new):
        log_streams(document)["parameters"].append(
            {"name": "sort", "in": "query", "schema": {"type": "string", "enum": ["name", "created_at"]}}
        )
        log_streams(document)["parameters"].append(
            {"name": "ids", "in": "query", "schema": {"type": "array", "items": {"type": "string", "maxLength": 36}}}
        )
    param(log_streams(new), "sort")["schema"]["enum"] = ["name", "updated_at"]
    param(log_streams(new), "ids")["schema"]["items"]["maxLength"] = 32

    assert lines(pinned, new) == [
        f"BREAKING {LOG_STREAMS} parameters.ids[]: constraint maxLength 36 -> 32 ({REJECTED})",
        f'ok       {LOG_STREAMS} parameters.sort: value "updated_at" added',
        f'BREAKING {LOG_STREAMS} parameters.sort: value "created_at" removed (callers sending it are rejected)',
    ]


# --- request and response bodies ----------------------------------------------------------------------------


def test_request_body_required_ness_both_ways(pinned: dict[str, Any], new: dict[str, Any]) -> None:
    token_usage(new)["requestBody"]["required"] = True

    assert lines(pinned, new) == [f"BREAKING {BODY}: made required (callers must now send it)"]
    assert lines(new, pinned) == [f"ok       {BODY}: made optional"]


def test_request_content_types_removed_break_and_added_do_not(pinned: dict[str, Any], new: dict[str, Any]) -> None:
    content = token_usage(new)["requestBody"]["content"]
    content["application/x-www-form-urlencoded"] = content.pop("application/json")

    assert lines(pinned, new) == [
        f"BREAKING {BODY}: content type application/json removed (callers sending it are rejected)",
        f"ok       {BODY}: content type application/x-www-form-urlencoded added",
    ]


def test_request_body_removed_breaks_and_added_breaks_only_when_required(
    pinned: dict[str, Any], new: dict[str, Any]
) -> None:
    del token_usage(new)["requestBody"]
    log_streams(new)["requestBody"] = {"content": {"application/json": {"schema": {"type": "object"}}}}

    assert lines(pinned, new) == [
        f"ok       {LOG_STREAMS} request body: optional request body added",
        f"BREAKING {BODY}: request body removed (callers sending it are rejected)",
    ]
    log_streams(new)["requestBody"]["required"] = True
    assert lines(pinned, new)[0] == (
        f"BREAKING {LOG_STREAMS} request body: required request body added (callers must now send it)"
    )


def test_documented_statuses_added_and_removed(pinned: dict[str, Any], new: dict[str, Any]) -> None:
    responses = token_usage(new)["responses"]
    responses["201"] = responses["200"]
    responses["404"] = {"description": "Not found"}
    del log_streams(new)["responses"]["422"]

    assert lines(pinned, new) == [
        f"BREAKING {LOG_STREAMS} response 422: response removed (readers of it fail)",
        f"BREAKING {OPERATION} response 201: response added (readers get a success of a new shape)",
        f"ok       {OPERATION} response 404: response added",
    ]


def test_response_content_types_added_break_and_removed_do_not(pinned: dict[str, Any], new: dict[str, Any]) -> None:
    content = token_usage(new)["responses"]["200"]["content"]
    content["text/csv"] = {"schema": {"type": "string"}}
    content.pop("application/json")
    where = f"{OPERATION} response 200"

    assert lines(pinned, new) == [
        f"ok       {where}: content type application/json removed",
        f"BREAKING {where}: content type text/csv added (readers may get a body they do not parse)",
    ]


def test_a_non_json_body_schema_is_compared_under_its_media_type(pinned: dict[str, Any], new: dict[str, Any]) -> None:
    for document in (pinned, new):
        token_usage(document)["responses"]["200"]["content"]["text/csv"] = {"schema": {"type": "string"}}
    token_usage(new)["responses"]["200"]["content"]["text/csv"]["schema"]["maxLength"] = 10

    assert lines(pinned, new) == [f"ok       {OPERATION} response 200 (text/csv): constraint maxLength 10 added"]


# --- schema constraints, both directions --------------------------------------------------------------------


def limit(document: dict[str, Any]) -> dict[str, Any]:
    found: dict[str, Any] = props(document, REQUEST)["limit"]
    return found


def response_limit(document: dict[str, Any]) -> dict[str, Any]:
    found: dict[str, Any] = props(document, RESPONSE)["limit"]
    return found


@pytest.mark.parametrize(
    ("before", "after", "what", "request_breaks", "response_breaks"),
    [
        ({}, {"maximum": 100}, "maximum 100 added", True, False),
        ({"maximum": 100}, {}, "maximum 100 removed", False, True),
        ({"maximum": 100}, {"maximum": 50}, "maximum 100 -> 50", True, False),
        ({"maximum": 100}, {"maximum": 200}, "maximum 100 -> 200", False, True),
        ({"minimum": 1}, {"minimum": 0}, "minimum 1 -> 0", False, True),
        ({"minimum": 0}, {"minimum": 1}, "minimum 0 -> 1", True, False),
        ({}, {"exclusiveMinimum": 0}, "exclusiveMinimum 0 added", True, False),
        ({"exclusiveMaximum": 1000}, {"exclusiveMaximum": 999}, "exclusiveMaximum 1000 -> 999", True, False),
        ({"maximum": 9, "exclusiveMaximum": False}, {"maximum": 9, "exclusiveMaximum": True},
         "exclusiveMaximum false -> true", True, False),  # OpenAPI 3.0's boolean form
        ({"exclusiveMinimum": True, "minimum": 0}, {"minimum": 0}, "exclusiveMinimum true removed", False, True),
        ({}, {"multipleOf": 10}, "multipleOf 10 added", True, False),
        ({"multipleOf": 10}, {"multipleOf": 5}, "multipleOf 10 -> 5", True, True),
    ],
)  # fmt: skip
def test_numeric_constraints(
    pinned: dict[str, Any],
    new: dict[str, Any],
    before: dict[str, Any],
    after: dict[str, Any],
    what: str,
    request_breaks: bool,
    response_breaks: bool,
) -> None:
    for document, bounds in ((pinned, before), (new, after)):
        limit(document).update(bounds)
        response_limit(document).update(bounds)

    assert lines(pinned, new) == [
        f"{'BREAKING' if request_breaks else 'ok':<8} {REQUEST}.limit: constraint {what}"
        + (f" ({REJECTED})" if request_breaks else ""),
        f"{'BREAKING' if response_breaks else 'ok':<8} {RESPONSE}.limit: constraint {what}"
        + (f" ({SURPRISED})" if response_breaks else ""),
    ]


def _string_field(document: dict[str, Any], constraints: dict[str, Any]) -> None:
    for name in (REQUEST, RESPONSE):
        props(document, name)["tag"] = {"anyOf": [{"type": "string", **constraints}, {"type": "null"}]}


def _list_field(document: dict[str, Any], constraints: dict[str, Any], item: dict[str, Any]) -> None:
    for name in (REQUEST, RESPONSE):
        props(document, name)["tags"] = {"type": "array", "items": {"type": "string", **item}, **constraints}


@pytest.mark.parametrize(
    ("before", "after", "where", "what", "request_breaks", "response_breaks"),
    [
        ({}, {"maxLength": 64}, "tag", "maxLength 64 added", True, False),
        ({"minLength": 1}, {}, "tag", "minLength 1 removed", False, True),
        ({}, {"pattern": "^[a-z]+$"}, "tag", 'pattern "^[a-z]+$" added', True, False),
        ({"pattern": "^[a-z]+$"}, {}, "tag", 'pattern "^[a-z]+$" removed', False, True),
        ({"pattern": "^[a-z]+$"}, {"pattern": "^[a-z0-9]+$"}, "tag", 'pattern "^[a-z]+$" -> "^[a-z0-9]+$"', True, True),
    ],
)  # fmt: skip
def test_string_constraints_inside_a_nullable_union(
    pinned: dict[str, Any],
    new: dict[str, Any],
    before: dict[str, Any],
    after: dict[str, Any],
    where: str,
    what: str,
    request_breaks: bool,
    response_breaks: bool,
) -> None:
    _string_field(pinned, before)
    _string_field(new, after)

    assert lines(pinned, new) == [
        f"{'BREAKING' if request_breaks else 'ok':<8} {REQUEST}.{where}: constraint {what}"
        + (f" ({REJECTED})" if request_breaks else ""),
        f"{'BREAKING' if response_breaks else 'ok':<8} {RESPONSE}.{where}: constraint {what}"
        + (f" ({SURPRISED})" if response_breaks else ""),
    ]


@pytest.mark.parametrize(
    ("before", "after", "item_before", "item_after", "where", "what", "request_breaks", "response_breaks"),
    [
        ({}, {"maxItems": 10}, {}, {}, "tags", "maxItems 10 added", True, False),
        ({"minItems": 1}, {"minItems": 0}, {}, {}, "tags", "minItems 1 -> 0", False, True),
        ({}, {"uniqueItems": True}, {}, {}, "tags", "uniqueItems true added", True, False),
        ({"uniqueItems": True}, {"uniqueItems": False}, {}, {}, "tags", "uniqueItems true -> false", False, True),
        ({}, {}, {"maxLength": 5}, {"maxLength": 8}, "tags[]", "maxLength 5 -> 8", False, True),
        ({}, {}, {}, {"minLength": 2}, "tags[]", "minLength 2 added", True, False),
    ],
)  # fmt: skip
def test_array_and_item_constraints(
    pinned: dict[str, Any],
    new: dict[str, Any],
    before: dict[str, Any],
    after: dict[str, Any],
    item_before: dict[str, Any],
    item_after: dict[str, Any],
    where: str,
    what: str,
    request_breaks: bool,
    response_breaks: bool,
) -> None:
    _list_field(pinned, before, item_before)
    _list_field(new, after, item_after)

    assert lines(pinned, new) == [
        f"{'BREAKING' if request_breaks else 'ok':<8} {REQUEST}.{where}: constraint {what}"
        + (f" ({REJECTED})" if request_breaks else ""),
        f"{'BREAKING' if response_breaks else 'ok':<8} {RESPONSE}.{where}: constraint {what}"
        + (f" ({SURPRISED})" if response_breaks else ""),
    ]


def test_closing_an_object_breaks_callers_and_opening_it_breaks_readers(
    pinned: dict[str, Any], new: dict[str, Any]
) -> None:
    new["components"]["schemas"][REQUEST]["additionalProperties"] = False
    pinned["components"]["schemas"][RESPONSE]["additionalProperties"] = False

    assert lines(pinned, new) == [
        f"BREAKING {REQUEST}: constraint additionalProperties false added ({REJECTED})",
        f"BREAKING {RESPONSE}: constraint additionalProperties false removed ({SURPRISED})",
    ]


def test_property_count_bounds(pinned: dict[str, Any], new: dict[str, Any]) -> None:
    new["components"]["schemas"][REQUEST]["minProperties"] = 1
    new["components"]["schemas"][RESPONSE]["maxProperties"] = 9

    assert lines(pinned, new) == [
        f"BREAKING {REQUEST}: constraint minProperties 1 added ({REJECTED})",
        f"ok       {RESPONSE}: constraint maxProperties 9 added",
    ]


def test_item_types_are_compared_inside_the_array(pinned: dict[str, Any], new: dict[str, Any]) -> None:
    props(new, RESPONSE)["token_usages"]["items"] = {"$ref": f"#/components/schemas/{REQUEST}"}

    assert lines(pinned, new) == [
        f"BREAKING {RESPONSE}.token_usages[]: retyped {ROW} -> {REQUEST} (readers may get values of a new type)"
    ]


BOUND = st.one_of(st.none(), st.integers(min_value=0, max_value=5))


@given(keyword=st.sampled_from(["minimum", "maximum", "minLength", "maxLength", "minItems", "maxItems"]),
       before=BOUND, after=BOUND, in_request=st.booleans())  # fmt: skip
def test_a_bound_change_breaks_exactly_one_side(
    keyword: str, before: int | None, after: int | None, in_request: bool
) -> None:
    old = one_operation_spec()
    target = "Req" if in_request else "Resp"
    props(old, target)["n"] = {"type": "integer"} if before is None else {"type": "integer", keyword: before}
    changed = copy.deepcopy(old)
    props(changed, target)["n"] = {"type": "integer"} if after is None else {"type": "integer", keyword: after}

    changes = diff_specs(old, changed)

    lower = keyword.startswith("min")
    lowest, highest = -1, 6  # absent bounds
    old_bound = (lowest if lower else highest) if before is None else before
    new_bound = (lowest if lower else highest) if after is None else after
    narrows = new_bound > old_bound if lower else new_bound < old_bound
    assert len(changes) == (before != after)
    assert any(change.breaking for change in changes) == (narrows if in_request else before != after and not narrows)


def test_every_constraint_keyword_has_a_planted_test() -> None:
    planted_here = {
        "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf", "minLength", "maxLength",
        "pattern", "minItems", "maxItems", "uniqueItems", "additionalProperties", "minProperties", "maxProperties",
    }  # fmt: skip
    assert set(CONSTRAINTS) == planted_here


# --- defaults, nullability, formats, deprecation, discriminators ----------------------------------------------


def test_request_defaults_changed_break_callers_silently(pinned: dict[str, Any], new: dict[str, Any]) -> None:
    limit(new)["default"] = 50
    props(new, REQUEST)["sort"]["default"]["ascending"] = True

    assert lines(pinned, new) == [
        f"BREAKING {REQUEST}.limit: default 100 -> 50 (callers that omit it get different results)",
        f'BREAKING {REQUEST}.sort: default {{"ascending": false, "name": "created_at", "sort_type": "column"}} -> '
        '{"ascending": true, "name": "created_at", "sort_type": "column"} (callers that omit it get different results)',
    ]


def test_request_defaults_added_or_removed_break_and_response_defaults_do_not(
    pinned: dict[str, Any], new: dict[str, Any]
) -> None:
    del props(new, REQUEST)["starting_token"]["default"]
    props(new, REQUEST)["filters"]["default"] = []
    response_limit(new)["default"] = 10

    assert lines(pinned, new) == [
        f"BREAKING {REQUEST}.filters: default [] added (callers that omit it get different results)",
        f"BREAKING {REQUEST}.starting_token: default 0 removed (callers that omit it get different results)",
        f"ok       {RESPONSE}.limit: default 100 -> 10",
    ]


def test_nullability_both_ways_in_both_directions(pinned: dict[str, Any], new: dict[str, Any]) -> None:
    limit(new)["nullable"] = True  # OpenAPI 3.0's spelling widens a request field: fine for callers
    props(new, RESPONSE)["next_starting_token"] = {"type": "integer"}  # narrows a response field: fine for readers
    props(new, REQUEST)["starting_token"]["type"] = ["integer", "null"]
    props(new, RESPONSE)["starting_token"]["type"] = ["integer", "null"]

    assert lines(pinned, new) == [
        f"ok       {REQUEST}.limit: retyped integer -> integer | null",
        f"ok       {REQUEST}.starting_token: retyped integer -> integer | null",
        f"ok       {RESPONSE}.next_starting_token: retyped integer | null -> integer",
        f"BREAKING {RESPONSE}.starting_token: retyped integer -> integer | null (readers may get values of a new type)",
    ]
    assert lines(new, pinned)[1] == (
        f"BREAKING {REQUEST}.starting_token: retyped integer | null -> integer ({REJECTED})"
    )


def test_a_format_change_breaks_both_sides(pinned: dict[str, Any], new: dict[str, Any]) -> None:
    param(log_streams(new), "project_id")["schema"]["format"] = "uuid"
    props(new, "LogstreamInsightTokenUsageCreatedAtFilter")["value"].pop("format")

    assert lines(pinned, new) == [
        f"BREAKING {LOG_STREAMS} parameters.project_id: retyped string(uuid4) -> string(uuid) ({REJECTED})",
        f"BREAKING LogstreamInsightTokenUsageCreatedAtFilter.value: retyped string(date-time) -> string ({REJECTED})",
    ]


def test_field_deprecation_is_reported(pinned: dict[str, Any], new: dict[str, Any]) -> None:
    props(new, ROW)["token_usage"]["deprecated"] = True

    assert lines(pinned, new) == [f"ok       {ROW}.token_usage: deprecated"]


def test_a_discriminator_change_breaks_both_sides(pinned: dict[str, Any], new: dict[str, Any]) -> None:
    mapping = props(new, REQUEST)["filters"]["items"]["discriminator"]["mapping"]
    mapping["created"] = mapping.pop("created_at")

    [line] = lines(pinned, new)
    assert line.startswith(f'BREAKING {REQUEST}.filters[]: discriminator {{"mapping": {{"created_at": ')
    assert line.endswith("(the generated union sends another tag)")


def test_the_docs_rendering_of_a_discriminator_is_no_change(pinned: dict[str, Any], new: dict[str, Any]) -> None:
    mapping = props(new, REQUEST)["filters"]["items"]["discriminator"]["mapping"]
    for key, target in list(mapping.items()):
        mapping[key] = {"$ref": target}

    assert lines(pinned, new) == []
