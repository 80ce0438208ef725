"""select_operations keeps exactly the listed operations and everything they reference, and nothing else."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from spec_pipeline.errors import SpecPipelineError
from spec_pipeline.jsonfile import dumps
from spec_pipeline.operations import load_selection
from spec_pipeline.select import available_operations, select_operations

from .specs import PINNED_SPEC, SUMMARY, TOKEN_USAGE, fixture_selection, only

KEPT_SCHEMAS = {
    # request side: body -> filters oneOf -> filter -> operator enum; mapping-only LegacyFilter; sort
    "InsightRequest",
    "CreatedAtFilter",
    "UpdatedAtFilter",
    "LegacyFilter",
    "Operator",
    "Sort",
    # response side: response -> row -> token usage -> counts (three levels of $ref)
    "InsightResponse",
    "InsightRow",
    "TokenUsage",
    "TokenCounts",
    "InsightSummary",
    # through components.responses.ValidationFailed
    "HTTPValidationError",
    "ValidationError",
}


def select(spec: dict[str, Any]) -> dict[str, Any]:
    return select_operations(spec, fixture_selection())


def test_keeps_exactly_the_listed_operations(full_spec: dict[str, Any]) -> None:
    selected = select(full_spec)

    assert set(selected["paths"]) == {TOKEN_USAGE, SUMMARY}
    assert set(selected["paths"][TOKEN_USAGE]) == {"parameters", "post"}  # path-level keys travel along
    assert set(selected["paths"][SUMMARY]) == {"get"}  # the DELETE on the same path is not listed
    assert selected["paths"][TOKEN_USAGE]["parameters"] == full_spec["paths"][TOKEN_USAGE]["parameters"]


def test_a_tagged_operation_that_is_not_listed_is_reported_not_kept(full_spec: dict[str, Any]) -> None:
    selection = only(("post", TOKEN_USAGE, "token_usage_post"))

    assert set(select_operations(full_spec, selection)["paths"]) == {TOKEN_USAGE}
    # /public/v2/ and /experimental/ operations carry the tag too, but are outside the watched prefix
    assert available_operations(full_spec, selection) == [f"GET {SUMMARY} (summary_get)"]
    assert available_operations(full_spec, fixture_selection()) == []


def test_an_operation_outside_the_watch_rule_can_be_listed(full_spec: dict[str, Any]) -> None:
    selected = select_operations(full_spec, only(("get", "/v2/projects", "projects_get")))

    assert list(selected["paths"]) == ["/v2/projects"]
    assert selected["paths"]["/v2/projects"]["get"] == full_spec["paths"]["/v2/projects"]["get"]


def test_operations_keep_the_documents_order(full_spec: dict[str, Any]) -> None:
    listed_backwards = only(("get", "/v2/projects", "projects_get"), ("post", TOKEN_USAGE, "token_usage_post"))

    assert list(select_operations(full_spec, listed_backwards)["paths"]) == [TOKEN_USAGE, "/v2/projects"]


def test_a_listed_operation_missing_upstream_is_named(full_spec: dict[str, Any]) -> None:
    del full_spec["paths"][SUMMARY]["get"]
    selection = only(("post", TOKEN_USAGE, "token_usage_post"), ("get", SUMMARY, "summary_get"), ("get", "/v9", "x"))

    with pytest.raises(SpecPipelineError, match=r"not in the document: GET .*/summary \(op_1\), GET /v9 \(op_2\)"):
        select_operations(full_spec, selection)


def test_keeps_exactly_the_referenced_components(full_spec: dict[str, Any]) -> None:
    components = select(full_spec)["components"]

    assert set(components) == {"schemas", "parameters", "responses", "securitySchemes"}
    assert set(components["schemas"]) == KEPT_SCHEMAS
    assert set(components["parameters"]) == {"ProjectId"}
    assert set(components["responses"]) == {"ValidationFailed"}
    assert set(components["securitySchemes"]) == {"APIKeyHeader", "HTTPBasic", "OAuth2PasswordBearer"}
    assert components["schemas"]["TokenCounts"] == full_spec["components"]["schemas"]["TokenCounts"]


def test_keeps_top_level_fields_and_only_the_used_tags(full_spec: dict[str, Any]) -> None:
    selected = select(full_spec)

    assert selected["info"] == full_spec["info"]
    assert selected["servers"] == full_spec["servers"]
    assert selected["openapi"] == "3.1.0"
    assert selected["tags"] == [{"name": "logstream-insights"}, {"name": "experiments"}]


def test_top_level_security_requirements_keep_their_schemes(full_spec: dict[str, Any]) -> None:
    full_spec["security"] = [{"UnusedScheme": []}]

    assert "UnusedScheme" in select(full_spec)["components"]["securitySchemes"]


def test_does_not_mutate_its_input(full_spec: dict[str, Any]) -> None:
    before = copy.deepcopy(full_spec)

    select(full_spec)

    assert full_spec == before


def test_selection_is_idempotent(full_spec: dict[str, Any]) -> None:
    once = select(full_spec)

    assert select(once) == once


def test_the_pinned_spec_selects_to_itself_byte_for_byte(pinned: dict[str, Any]) -> None:
    selected = select_operations(pinned, load_selection())

    assert selected == pinned
    assert dumps(selected) == PINNED_SPEC.read_text(encoding="utf-8")


def test_missing_nested_schema_is_named(full_spec: dict[str, Any]) -> None:
    del full_spec["components"]["schemas"]["TokenCounts"]

    with pytest.raises(SpecPipelineError, match=r"missing component #/components/schemas/TokenCounts"):
        select(full_spec)


def test_missing_mapping_target_is_named(full_spec: dict[str, Any]) -> None:
    del full_spec["components"]["schemas"]["LegacyFilter"]

    with pytest.raises(SpecPipelineError, match=r"#/components/schemas/LegacyFilter"):
        select(full_spec)


def test_missing_component_parameter_is_named(full_spec: dict[str, Any]) -> None:
    del full_spec["components"]["parameters"]

    with pytest.raises(SpecPipelineError, match=r"#/components/parameters/ProjectId"):
        select(full_spec)


def test_missing_security_scheme_is_named(full_spec: dict[str, Any]) -> None:
    del full_spec["components"]["securitySchemes"]["HTTPBasic"]

    with pytest.raises(SpecPipelineError, match=r"missing security scheme 'HTTPBasic'"):
        select(full_spec)


def test_non_local_ref_is_refused(full_spec: dict[str, Any]) -> None:
    full_spec["components"]["schemas"]["TokenCounts"] = {"$ref": "https://example.com/counts.json"}

    with pytest.raises(SpecPipelineError, match=r"unsupported \$ref"):
        select(full_spec)


def test_a_document_without_paths_is_an_error() -> None:
    with pytest.raises(SpecPipelineError, match="no 'paths' object"):
        select({"openapi": "3.1.0", "info": {}})
