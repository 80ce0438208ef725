"""The spec change report: planted changes on copies of the pinned spec, classified for callers and readers."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from spec_pipeline.diff import diff_specs, main, markdown_report, text_report, update_report

from .specs import PINNED_SPEC, one_operation_spec

TOKEN_USAGE = "/v2/projects/{project_id}/log_streams/{log_stream_id}/logstream_insights/token_usage"
OPERATION = f"POST {TOKEN_USAGE}"
REQUEST = "LogstreamInsightTokenUsageRequest"
FILTER = "LogstreamInsightTokenUsageCreatedAtFilter"
RESPONSE = "LogstreamInsightTokenUsageResponse"
ROW = "LogStreamInsightTokenUsageDB"


def lines(old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    return [change.line() for change in diff_specs(old, new)]


def schema(document: dict[str, Any], name: str) -> dict[str, Any]:
    found: dict[str, Any] = document["components"]["schemas"][name]
    return found


def fields(document: dict[str, Any], name: str) -> dict[str, Any]:
    found: dict[str, Any] = schema(document, name)["properties"]
    return found


def operation(document: dict[str, Any]) -> dict[str, Any]:
    found: dict[str, Any] = document["paths"][TOKEN_USAGE]["post"]
    return found


@pytest.fixture
def new(pinned: dict[str, Any]) -> dict[str, Any]:
    """A copy of the pinned spec to plant changes in; ``pinned`` is the old side."""
    return copy.deepcopy(pinned)


def test_identical_specs_have_no_changes(pinned: dict[str, Any], new: dict[str, Any]) -> None:
    assert diff_specs(pinned, new) == []
    assert text_report([]) == "no changes"


def test_new_required_request_field_breaks_callers(pinned: dict[str, Any], new: dict[str, Any]) -> None:
    fields(new, REQUEST)["scope"] = {"type": "string"}
    schema(new, REQUEST)["required"] = ["scope"]

    assert lines(pinned, new) == [f"BREAKING {REQUEST}.scope: required field added (callers must now send it)"]


def test_new_optional_request_field_is_fine(pinned: dict[str, Any], new: dict[str, Any]) -> None:
    fields(new, REQUEST)["scope"] = {"type": "string"}

    assert lines(pinned, new) == [f"ok       {REQUEST}.scope: optional field added"]


def test_filter_operator_removed_inside_the_oneof_breaks_callers(pinned: dict[str, Any], new: dict[str, Any]) -> None:
    fields(new, FILTER)["operator"]["enum"].remove("gte")

    assert lines(pinned, new) == [f'BREAKING {FILTER}.operator: value "gte" removed (callers sending it are rejected)']


def test_filter_operator_added_is_fine_for_callers(pinned: dict[str, Any], new: dict[str, Any]) -> None:
    fields(new, FILTER)["operator"]["enum"].append("contains")

    assert lines(pinned, new) == [f'ok       {FILTER}.operator: value "contains" added']


def test_discriminator_const_change_is_an_enum_change(pinned: dict[str, Any], new: dict[str, Any]) -> None:
    fields(new, FILTER)["name"].update(const="created", default="created")

    assert lines(pinned, new) == [
        f'ok       {FILTER}.name: value "created" added',
        f'BREAKING {FILTER}.name: value "created_at" removed (callers sending it are rejected)',
        f'BREAKING {FILTER}.name: default "created_at" -> "created" (callers that omit it get different results)',
    ]


def test_inline_enum_inside_anyof_and_items_is_compared(pinned: dict[str, Any], new: dict[str, Any]) -> None:
    for document in (pinned, new):
        fields(document, REQUEST)["window"] = {"anyOf": [{"enum": ["day", "week"], "type": "string"}, {"type": "null"}]}
        fields(document, RESPONSE)["kinds"] = {"type": "array", "items": {"enum": ["llm", "tool"], "type": "string"}}
    fields(new, REQUEST)["window"]["anyOf"][0]["enum"] = ["day"]
    fields(new, RESPONSE)["kinds"]["items"]["enum"].append("agent")

    assert lines(pinned, new) == [
        f'BREAKING {REQUEST}.window: value "week" removed (callers sending it are rejected)',
        f'ok       {RESPONSE}.kinds[]: value "agent" added; released SDKs read it as UnknownEnumValue',
    ]


def test_response_enum_value_added_is_safe_for_released_sdks(pinned: dict[str, Any], new: dict[str, Any]) -> None:
    """A released SDK keeps a value it does not know (UnknownEnumValue) instead of failing the response."""
    fields(pinned, ROW)["status"] = {"enum": ["ok", "failed"]}
    fields(new, ROW)["status"] = {"enum": ["ok", "failed", "retried"]}

    assert lines(pinned, new) == [
        f'ok       {ROW}.status: value "retried" added; released SDKs read it as UnknownEnumValue'
    ]


def test_a_union_of_enums_gaining_an_enum_is_safe_for_released_sdks(
    pinned: dict[str, Any], new: dict[str, Any]
) -> None:
    """Permission.action's shape: the released union keeps the new enum's values as UnknownEnumValue. A new member
    that is not an enum (a model) still breaks readers."""
    for document in (pinned, new):
        for name in ("ReadAction", "WriteAction", "ScorerAction"):
            document["components"]["schemas"][name] = {"type": "string", "enum": [name.lower()], "title": name}
    members = [{"$ref": "#/components/schemas/ReadAction"}, {"$ref": "#/components/schemas/WriteAction"}]
    fields(pinned, ROW)["action"] = {"anyOf": members}
    fields(new, ROW)["action"] = {"anyOf": [*members, {"$ref": "#/components/schemas/ScorerAction"}]}
    fields(pinned, ROW)["owner"] = {"anyOf": members}
    fields(new, ROW)["owner"] = {"anyOf": [*members, {"$ref": "#/components/schemas/TokenUsage"}]}

    assert lines(pinned, new) == [
        f"ok       {ROW}.action: retyped ReadAction | WriteAction -> ReadAction | ScorerAction | WriteAction; released "
        "SDKs read the new members' values as UnknownEnumValue",
        f"BREAKING {ROW}.owner: retyped ReadAction | WriteAction -> ReadAction | TokenUsage | WriteAction (readers may "
        "get values of a new type)",
    ]


def test_response_const_value_added_still_breaks_readers(pinned: dict[str, Any], new: dict[str, Any]) -> None:
    """A const is parsed strictly (it tells a tagged union's members apart): a new one is not kept unknown."""
    fields(pinned, ROW)["kind"] = {"anyOf": [{"const": "a"}, {"const": "b"}]}
    fields(new, ROW)["kind"] = {"anyOf": [{"const": "a"}, {"const": "b"}, {"const": "c"}]}

    assert lines(pinned, new) == [f'BREAKING {ROW}.kind: value "c" added (exhaustive matches miss it)']


def test_response_enum_value_removed_is_fine(pinned: dict[str, Any], new: dict[str, Any]) -> None:
    fields(pinned, ROW)["status"] = {"enum": ["ok", "failed"]}
    fields(new, ROW)["status"] = {"enum": ["ok"]}

    assert lines(pinned, new) == [f'ok       {ROW}.status: value "failed" removed']


def test_response_field_removed_breaks_readers(pinned: dict[str, Any], new: dict[str, Any]) -> None:
    del fields(new, ROW)["updated_at"]

    assert lines(pinned, new) == [f"BREAKING {ROW}.updated_at: field removed (readers lose it)"]


def test_request_field_removed_breaks_callers(pinned: dict[str, Any], new: dict[str, Any]) -> None:
    del fields(new, REQUEST)["starting_token"]

    assert lines(pinned, new) == [f"BREAKING {REQUEST}.starting_token: field removed (callers setting it fail)"]


def test_response_field_retyped_breaks_readers(pinned: dict[str, Any], new: dict[str, Any]) -> None:
    fields(new, RESPONSE)["limit"]["type"] = "string"
    fields(new, "TokenUsage")["input_tokens"]["anyOf"][0]["type"] = "number"

    assert lines(pinned, new) == [
        f"BREAKING {RESPONSE}.limit: retyped integer -> string (readers may get values of a new type)",
        "BREAKING TokenUsage.input_tokens: retyped integer | null -> number | null "
        "(readers may get values of a new type)",
    ]


def test_response_field_becoming_nullable_breaks_readers_but_narrowing_does_not(
    pinned: dict[str, Any], new: dict[str, Any]
) -> None:
    fields(new, RESPONSE)["limit"]["type"] = ["integer", "null"]
    fields(new, RESPONSE)["next_starting_token"] = {"type": "integer"}

    assert lines(pinned, new) == [
        f"BREAKING {RESPONSE}.limit: retyped integer -> integer | null (readers may get values of a new type)",
        f"ok       {RESPONSE}.next_starting_token: retyped integer | null -> integer",
    ]


def test_request_field_widening_is_fine_but_narrowing_breaks(pinned: dict[str, Any], new: dict[str, Any]) -> None:
    fields(new, REQUEST)["limit"] = {"anyOf": [{"type": "integer"}, {"type": "null"}], "default": 100}
    fields(new, REQUEST)["sort"] = {
        "$ref": "#/components/schemas/LogstreamInsightTokenUsageCreatedAtSort",
        "default": fields(new, REQUEST)["sort"]["default"],
    }

    assert lines(pinned, new) == [
        f"ok       {REQUEST}.limit: retyped integer -> integer | null",
        f"BREAKING {REQUEST}.sort: retyped LogstreamInsightTokenUsageCreatedAtSort | null -> "
        "LogstreamInsightTokenUsageCreatedAtSort (values callers send may be rejected)",
    ]


def test_format_change_is_a_retype(pinned: dict[str, Any], new: dict[str, Any]) -> None:
    fields(new, ROW)["id"]["format"] = "uuid"

    assert lines(pinned, new) == [
        f"BREAKING {ROW}.id: retyped string(uuid4) -> string(uuid) (readers may get values of a new type)"
    ]


def test_required_changes_follow_the_direction(pinned: dict[str, Any], new: dict[str, Any]) -> None:
    schema(new, REQUEST)["required"] = ["limit"]
    schema(new, ROW)["required"] = ["id", "created_at", "updated_at", "project_id", "log_stream_id", "token_usage"]
    schema(pinned, RESPONSE)["required"] = ["token_usages"]
    schema(pinned, FILTER)["required"] = ["operator", "value", "name"]

    assert lines(pinned, new) == [
        f"ok       {ROW}.token_usage: made required",
        f"ok       {FILTER}.name: made optional",
        f"BREAKING {REQUEST}.limit: made required (callers must now send it)",
        f"BREAKING {RESPONSE}.token_usages: made optional (readers may find it unset)",
    ]


def test_a_schema_used_both_ways_gets_both_rules(pinned: dict[str, Any], new: dict[str, Any]) -> None:
    for document in (pinned, new):
        fields(document, REQUEST)["budget"] = {"$ref": "#/components/schemas/TokenUsage"}
    del fields(new, "TokenUsage")["output_tokens"]
    fields(new, "TokenUsage")["model"] = {"type": "string"}
    schema(new, "TokenUsage")["required"] = ["model"]

    assert lines(pinned, new) == [
        "BREAKING TokenUsage.model: required field added (callers must now send it)",
        "BREAKING TokenUsage.output_tokens: field removed (callers setting it fail; readers lose it)",
    ]


def test_operation_removed_breaks_and_added_is_fine(pinned: dict[str, Any], new: dict[str, Any]) -> None:
    new["paths"]["/v2/token_usage"] = new["paths"].pop(TOKEN_USAGE)

    assert lines(pinned, new) == [
        f"BREAKING {OPERATION}: operation removed (its callers fail)",
        "ok       POST /v2/token_usage: operation added",
    ]


def test_parameters_are_compared_as_request_fields(pinned: dict[str, Any], new: dict[str, Any]) -> None:
    parameters = operation(new)["parameters"]
    parameters.pop()
    parameters.append({"in": "query", "name": "dry_run", "required": False, "schema": {"type": "boolean"}})
    parameters.append({"in": "header", "name": "X-Org", "required": True, "schema": {"type": "string"}})

    assert lines(pinned, new) == [
        f"BREAKING {OPERATION} parameters.X-Org: required field added (callers must now send it)",
        f"ok       {OPERATION} parameters.dry_run: optional field added",
        f"BREAKING {OPERATION} parameters.log_stream_id: field removed (callers setting it fail)",
    ]


def test_response_status_removed_breaks_and_body_swap_is_a_retype(pinned: dict[str, Any], new: dict[str, Any]) -> None:
    del operation(new)["responses"]["422"]
    body = operation(new)["requestBody"]["content"]["application/json"]["schema"]
    body["$ref"] = f"#/components/schemas/{ROW}"

    assert lines(pinned, new) == [
        f"BREAKING {OPERATION} request body: retyped {REQUEST} -> {ROW} (values callers send may be rejected)",
        f"BREAKING {OPERATION} response 422: response removed (readers of it fail)",
    ]


def test_a_schema_removed_from_both_directions_says_why_once(pinned: dict[str, Any], new: dict[str, Any]) -> None:
    del new["paths"]["/projects"]  # ProjectType is a request parameter and a response field there
    del new["components"]["schemas"]["ProjectType"]

    assert "BREAKING ProjectType: schema removed (its generated model disappears)" in lines(pinned, new)


def test_schemas_added_and_removed(pinned: dict[str, Any], new: dict[str, Any]) -> None:
    new["components"]["schemas"]["Cost"] = {"type": "number"}
    del new["components"]["schemas"]["ValidationError"]

    assert lines(pinned, new) == [
        "ok       Cost: schema added",
        "BREAKING ValidationError: schema removed (its generated model disappears)",
    ]


def test_titles_descriptions_summaries_and_versions_are_not_changes(
    pinned: dict[str, Any], new: dict[str, Any]
) -> None:
    fields(new, REQUEST)["limit"].update(title="Page size", description="How many rows.")
    operation(new).update(summary="Token usage", description="Rows of token usage.")
    new["info"].update(version="2.0.0", title="FastAPI")

    assert diff_specs(pinned, new) == []


def test_text_report_ends_with_a_summary(pinned: dict[str, Any], new: dict[str, Any]) -> None:
    del fields(new, ROW)["updated_at"]
    fields(new, ROW)["cost"] = {"type": "number"}

    assert text_report(diff_specs(pinned, new)).splitlines() == [
        f"ok       {ROW}.cost: optional field added",
        f"BREAKING {ROW}.updated_at: field removed (readers lose it)",
        "2 change(s), 1 breaking",
    ]


def test_markdown_lists_breaking_changes_first(pinned: dict[str, Any], new: dict[str, Any]) -> None:
    fields(new, ROW)["cost"] = {"type": "number"}
    del fields(new, ROW)["updated_at"]

    assert markdown_report(diff_specs(pinned, new), "1.961.4", "1.962.0") == (
        "### API changes (spec 1.961.4 -> 1.962.0)\n"
        "\n"
        "**Breaking**\n"
        "\n"
        f"- `{ROW}.updated_at`: field removed (readers lose it)\n"
        "\n"
        "**Other changes**\n"
        "\n"
        f"- `{ROW}.cost`: optional field added\n"
    )


def test_markdown_without_changes_says_so() -> None:
    assert markdown_report([], "1", "1").splitlines()[-1] == "No changes to the operations this SDK ships."


def test_update_report_tolerates_a_previous_file_of_another_shape(pinned: dict[str, Any]) -> None:
    weird = json.dumps({"openapi": "3.1.0", "paths": {"/v2/x": 5, "/v2/y": {"get": []}}, "components": []})

    report = update_report(weird.encode(), pinned, "openapi.json").splitlines()

    assert report[0] == "changes since the previous openapi.json:"
    assert f"ok       {OPERATION}: operation added" in report


# --- the report as Markdown, through the command's entry point (exit statuses: test_spec_diff_command.py) --


def test_cli_markdown_report(tmp_path: Path, new: dict[str, Any], capsys: pytest.CaptureFixture[str]) -> None:
    del new["paths"][TOKEN_USAGE]
    new["info"]["version"] = "2.0.0"
    changed = tmp_path / "new.json"
    changed.write_text(json.dumps(new), encoding="utf-8")

    assert main(["--markdown", str(PINNED_SPEC), str(changed)]) == 1
    out = capsys.readouterr().out
    assert out.startswith("### API changes (spec 1.961.4 -> 2.0.0)\n\n**Breaking**\n")
    assert f"- `{OPERATION}`: operation removed (its callers fail)" in out


# --- the enum rule, over many value sets ------------------------------------------------------------------

VALUES = st.sets(st.sampled_from(["eq", "ne", "gt", "lt", "contains"]), min_size=1)


@given(old_values=VALUES, new_values=VALUES, in_request=st.booleans())
def test_enum_changes_break_only_callers(old_values: set[str], new_values: set[str], in_request: bool) -> None:
    """A value removed breaks callers who send it; a value added breaks no one (readers keep it unknown)."""
    pinned = one_operation_spec()
    target = "Req" if in_request else "Resp"
    fields(pinned, target)["mode"] = {"type": "string", "enum": sorted(old_values)}
    changed = copy.deepcopy(pinned)
    fields(changed, target)["mode"]["enum"] = sorted(new_values)

    changes = diff_specs(pinned, changed)

    assert len(changes) == len(old_values ^ new_values)
    breaking = bool(old_values - new_values) if in_request else False
    assert any(change.breaking for change in changes) == breaking
