"""select_operations keeps exactly our operations and everything they reference, and nothing else."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from spec_pipeline.errors import SpecPipelineError
from spec_pipeline.fetch import DEFAULT_PATH_PREFIX, DEFAULT_TAGS
from spec_pipeline.jsonfile import dumps
from spec_pipeline.select import select_operations

from .specs import PINNED_SPEC, SUMMARY, TOKEN_USAGE

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
    return select_operations(spec, tags=DEFAULT_TAGS, path_prefix=DEFAULT_PATH_PREFIX)


def test_keeps_exactly_the_tagged_operations_under_the_prefix(full_spec: dict[str, Any]) -> None:
    selected = select(full_spec)

    assert set(selected["paths"]) == {TOKEN_USAGE, SUMMARY}
    assert set(selected["paths"][TOKEN_USAGE]) == {"parameters", "post"}  # path-level keys travel along
    assert set(selected["paths"][SUMMARY]) == {"get"}  # the DELETE is tagged "projects"
    assert selected["paths"][TOKEN_USAGE]["parameters"] == full_spec["paths"][TOKEN_USAGE]["parameters"]


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
    selected = select(pinned)

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


@pytest.mark.parametrize(
    ("tags", "path_prefix"),
    [
        (("no-such-tag",), "/v2/"),
        (("logstream-insights",), "/v3/"),
        (("projects",), "/public/"),
    ],
)
def test_nothing_selected_is_an_error(full_spec: dict[str, Any], tags: tuple[str, ...], path_prefix: str) -> None:
    with pytest.raises(SpecPipelineError, match="refusing to write an empty spec"):
        select_operations(full_spec, tags=tags, path_prefix=path_prefix)


def test_a_document_without_paths_is_an_error() -> None:
    with pytest.raises(SpecPipelineError, match="no 'paths' object"):
        select({"openapi": "3.1.0", "info": {}})
