"""normalize: rules over shapes apply wherever the shape is, report where, and leave everything else alone."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from typing import Any

import pytest

from spec_pipeline import normalize as rules
from spec_pipeline.errors import SpecPipelineError
from spec_pipeline.normalize import RULES, TITLE, normalize, normalize_with_report, rewrite_summary
from spec_pipeline.operations import SelectedOperation, Selection, WatchRule, load_selection

SCHEMA_REF = "#/components/schemas/"
TOKEN_USAGE_PATH = "/v2/projects/{project_id}/log_streams/{log_stream_id}/logstream_insights/token_usage"
REQUEST_SCHEMA = "LogstreamInsightTokenUsageRequest"


def walk(node: Any) -> Iterator[dict[str, Any]]:
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from walk(value)
    elif isinstance(node, list):
        for value in node:
            yield from walk(value)


def request_properties(document: dict[str, Any]) -> dict[str, Any]:
    properties: dict[str, Any] = document["components"]["schemas"][REQUEST_SCHEMA]["properties"]
    return properties


def mapping(document: dict[str, Any]) -> dict[str, Any]:
    found: dict[str, Any] = request_properties(document)["filters"]["items"]["discriminator"]["mapping"]
    return found


def token_usage(document: dict[str, Any]) -> dict[str, Any]:
    operation: dict[str, Any] = document["paths"][TOKEN_USAGE_PATH]["post"]
    return operation


def test_the_pinned_spec_normalizes(pinned: dict[str, Any]) -> None:
    uuid4_count = sum(node.get("format") == "uuid4" for node in walk(pinned))

    result, rewrites = normalize_with_report(pinned)

    assert token_usage(result)["operationId"] == "get_token_usage"
    assert result["paths"]["/projects"]["get"]["operationId"] == "list_projects"
    assert result["info"]["title"] == TITLE
    assert not [node for node in walk(result) if node.get("format") == "uuid4"]
    assert uuid4_count > 5
    assert sum(node.get("format") == "uuid" for node in walk(result)) == uuid4_count
    assert "default" not in request_properties(result)["sort"]
    assert "default" not in token_usage(result)["requestBody"]["content"]["application/json"]["schema"]
    counts = {rule.__name__: sum(r.rule == rule.__name__ for r in rewrites) for rule in RULES}
    assert counts == {
        "discriminator_mapping_as_strings": 0,
        "drop_object_default_on_model_property": 1,
        "drop_request_body_default": 2,  # token usage's body and the insights-settings PATCH's
        "uuid4_as_uuid": uuid4_count,
        "drop_colliding_titles": 0,
    }


def test_normalize_leaves_its_input_untouched(pinned: dict[str, Any]) -> None:
    before = copy.deepcopy(pinned)

    normalize(pinned)

    assert pinned == before


def test_only_the_rewritten_places_change(pinned: dict[str, Any]) -> None:
    result = normalize(pinned)

    assert set(result) == set(pinned)
    assert result["components"]["securitySchemes"] == pinned["components"]["securitySchemes"]
    assert set(result["components"]["schemas"]) == set(pinned["components"]["schemas"])
    assert request_properties(result)["sort"]["anyOf"] == request_properties(pinned)["sort"]["anyOf"]


def test_a_selection_without_token_usage_normalizes(pinned: dict[str, Any]) -> None:
    """No rule names a schema or a path: a spec without the token-usage operation is no error."""
    del pinned["paths"][TOKEN_USAGE_PATH]
    del pinned["components"]["schemas"][REQUEST_SCHEMA]
    del pinned["paths"]["/v2/projects/{project_id}/runs/{run_id}/insights-settings"]  # the other body with a default
    only_projects = Selection(
        (SelectedOperation("get", "/projects", "get_projects_projects_get", "list_projects"),),
        WatchRule(frozenset({"x"}), "/v2/"),
    )

    result, rewrites = normalize_with_report(pinned, only_projects)

    assert result["paths"]["/projects"]["get"]["operationId"] == "list_projects"
    assert "drop_object_default_on_model_property" not in {rewrite.rule for rewrite in rewrites}  # only token usage's


def sorted_request(name: str, default: Any) -> dict[str, Any]:
    sort = {"oneOf": [{"$ref": SCHEMA_REF + "NameSort"}], "discriminator": {"propertyName": "name"}}
    properties = {"sort": {"anyOf": [sort, {"type": "null"}], "default": default}}
    return {"type": "object", "title": name, "properties": properties}


def test_an_object_default_on_a_model_property_is_dropped_wherever_it_is(pinned: dict[str, Any]) -> None:
    """Galileo has the sort default in eight request schemas; each is one place in the report."""
    schemas = pinned["components"]["schemas"]
    for name in ("ExperimentSearchRequest", "ListPlaygroundParams"):
        schemas[name] = sorted_request(name, {"name": "created_at", "ascending": False})
    schemas["ScalarDefault"] = {"type": "object", "properties": {"limit": {"type": "integer", "default": 100}}}

    result, rewrites = normalize_with_report(pinned)

    dropped = [r.where for r in rewrites if r.rule == "drop_object_default_on_model_property"]
    assert dropped == [
        "/components/schemas/LogstreamInsightTokenUsageRequest/properties/sort/default",
        "/components/schemas/ExperimentSearchRequest/properties/sort/default",
        "/components/schemas/ListPlaygroundParams/properties/sort/default",
    ]
    assert result["components"]["schemas"]["ScalarDefault"]["properties"]["limit"]["default"] == 100


def test_docs_page_mapping_objects_become_strings(pinned: dict[str, Any]) -> None:
    expected = dict(mapping(pinned))
    mapping(pinned).update({key: {"$ref": value} for key, value in expected.items()})

    result, rewrites = normalize_with_report(pinned)

    assert mapping(result) == expected
    assert [r.rule for r in rewrites].count("discriminator_mapping_as_strings") == len(expected)


@pytest.mark.parametrize("target", [SCHEMA_REF + "NoSuchFilter", {"schema": "X"}, "LogstreamInsightTokenUsageRequest"])
def test_a_mapping_naming_no_schema_is_refused(pinned: dict[str, Any], target: Any) -> None:
    mapping(pinned)["deleted_at"] = target

    with pytest.raises(SpecPipelineError, match=r"'deleted_at'.*does not name a schema"):
        normalize(pinned)


def test_colliding_titles_are_dropped_and_a_title_matching_its_key_kept(pinned: dict[str, Any]) -> None:
    schemas = pinned["components"]["schemas"]
    span = {"type": "object", "properties": {"user_metadata": {"type": "object", "title": "User Metadata"}}}
    schemas["AgentSpan"] = {**copy.deepcopy(span), "title": "AgentSpan"}
    schemas["AgentSpan-Output"] = {**copy.deepcopy(span), "title": "AgentSpan"}
    schemas["Lonely"] = {"type": "object", "title": "Something Else"}

    result, rewrites = normalize_with_report(pinned)

    out = result["components"]["schemas"]
    assert out["AgentSpan"]["title"] == "AgentSpan"
    assert "title" not in out["AgentSpan-Output"]
    assert "title" not in out["AgentSpan"]["properties"]["user_metadata"]
    assert out["Lonely"]["title"] == "Something Else"
    assert sorted(r.where for r in rewrites if r.rule == "drop_colliding_titles") == [
        "/components/schemas/AgentSpan-Output/properties/user_metadata/title",
        "/components/schemas/AgentSpan-Output/title",
        "/components/schemas/AgentSpan/properties/user_metadata/title",
    ]


def test_normalizing_twice_changes_nothing_more(pinned: dict[str, Any]) -> None:
    once = normalize(pinned)
    selection = load_selection()
    renamed = Selection(
        tuple(SelectedOperation(op.method, op.path, op.name, op.name) for op in selection.operations), selection.watch
    )

    twice, rewrites = normalize_with_report(once, renamed)

    assert twice == once
    assert rewrites == []


def test_a_renamed_or_missing_operation_stops_normalization(pinned: dict[str, Any]) -> None:
    token_usage(pinned)["operationId"] = "token_usage_v3"
    with pytest.raises(SpecPipelineError, match=r"operationId of POST .* is 'token_usage_v3'.*operations.yaml"):
        normalize(pinned)
    del pinned["paths"][TOKEN_USAGE_PATH]
    with pytest.raises(SpecPipelineError, match="is not in the spec"):
        normalize(pinned)


def test_the_summary_names_each_rule_once_with_its_first_places() -> None:
    rewrites = [rules.Rewrite("uuid4_as_uuid", f"/p/{index}") for index in range(5)]

    assert rewrite_summary(rewrites) == ["uuid4_as_uuid: 5 place(s): /p/0, /p/1, /p/2, ... (2 more)"]
