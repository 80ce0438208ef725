"""normalize: every patch applies to the pinned spec, and refuses to run when its target is gone."""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from spec_pipeline import normalize as patches
from spec_pipeline.errors import SpecPipelineError
from spec_pipeline.normalize import PATCHES, REQUEST_SCHEMA, TITLE, TOKEN_USAGE_PATH, normalize
from spec_pipeline.operations import load_selection

SCHEMA_REF = "#/components/schemas/"


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


def shorten_operation_ids(document: dict[str, Any]) -> None:
    """The renaming patch with the committed ``openapi/operations.yaml``."""
    patches.shorten_operation_ids(document, load_selection())


def test_the_pinned_spec_normalizes(pinned: dict[str, Any]) -> None:
    uuid4_count = sum(node.get("format") == "uuid4" for node in walk(pinned))

    result = normalize(pinned)

    assert token_usage(result)["operationId"] == "get_token_usage"
    assert result["paths"]["/projects"]["get"]["operationId"] == "list_projects"
    assert result["paths"]["/v2/projects/{project_id}/log_streams"]["get"]["operationId"] == "list_log_streams"
    assert result["info"]["title"] == TITLE
    assert not [node for node in walk(result) if node.get("format") == "uuid4"]
    assert uuid4_count > 5
    assert sum(node.get("format") == "uuid" for node in walk(result)) == uuid4_count
    assert mapping(result) == {
        "created_at": SCHEMA_REF + "LogstreamInsightTokenUsageCreatedAtFilter",
        "updated_at": SCHEMA_REF + "LogstreamInsightTokenUsageUpdatedAtFilter",
    }
    assert "default" not in request_properties(result)["sort"]
    assert "default" not in token_usage(result)["requestBody"]["content"]["application/json"]["schema"]


def test_normalize_leaves_its_input_untouched(pinned: dict[str, Any]) -> None:
    before = copy.deepcopy(pinned)

    normalize(pinned)

    assert pinned == before


def test_only_the_patched_places_change(pinned: dict[str, Any]) -> None:
    result = normalize(pinned)

    assert set(result) == set(pinned)
    assert result["components"]["securitySchemes"] == pinned["components"]["securitySchemes"]
    assert set(result["components"]["schemas"]) == set(pinned["components"]["schemas"])
    assert request_properties(result)["sort"]["anyOf"] == request_properties(pinned)["sort"]["anyOf"]


def test_docs_page_mapping_objects_become_strings(pinned: dict[str, Any]) -> None:
    expected = dict(mapping(pinned))
    docs_form = {key: {"$ref": value} for key, value in expected.items()}
    mapping(pinned).update(docs_form)

    patches.string_discriminator_mapping(pinned)

    assert mapping(pinned) == expected


def test_mapping_to_an_unknown_schema_is_refused(pinned: dict[str, Any]) -> None:
    mapping(pinned)["deleted_at"] = SCHEMA_REF + "NoSuchFilter"

    with pytest.raises(SpecPipelineError, match=r"'deleted_at'.*does not name a schema"):
        patches.string_discriminator_mapping(pinned)


def test_mapping_value_of_another_shape_is_refused(pinned: dict[str, Any]) -> None:
    mapping(pinned)["created_at"] = {"schema": "LogstreamInsightTokenUsageCreatedAtFilter"}

    with pytest.raises(SpecPipelineError, match="does not name a schema"):
        patches.string_discriminator_mapping(pinned)


ONE_SHOT_PATCHES = [
    shorten_operation_ids,
    patches.drop_object_sort_default,
    patches.drop_request_body_default,
    patches.uuid4_as_uuid,
]


@pytest.mark.parametrize("patch", ONE_SHOT_PATCHES, ids=lambda patch: patch.__name__)
def test_a_patch_refuses_an_already_fixed_spec(pinned: dict[str, Any], patch: Callable[[dict[str, Any]], None]) -> None:
    patch(pinned)

    with pytest.raises(SpecPipelineError):
        patch(pinned)


def test_normalizing_twice_is_refused(pinned: dict[str, Any]) -> None:
    with pytest.raises(SpecPipelineError):
        normalize(normalize(pinned))


def _remove_title(d: dict[str, Any]) -> None:
    del d["info"]["title"]


def _rename_operation(d: dict[str, Any]) -> None:
    token_usage(d)["operationId"] = "token_usage_v3"


def _move_path(d: dict[str, Any]) -> None:
    d["paths"]["/v3/token_usage"] = d["paths"].pop(TOKEN_USAGE_PATH)


def _drop_discriminator(d: dict[str, Any]) -> None:
    del request_properties(d)["filters"]["items"]["discriminator"]


def _rename_request_schema(d: dict[str, Any]) -> None:
    d["components"]["schemas"]["TokenUsageRequest"] = d["components"]["schemas"].pop(REQUEST_SCHEMA)


def _remove_sort_default(d: dict[str, Any]) -> None:
    del request_properties(d)["sort"]["default"]


def _change_sort_default(d: dict[str, Any]) -> None:
    request_properties(d)["sort"]["default"]["ascending"] = True


def _remove_body_default(d: dict[str, Any]) -> None:
    del token_usage(d)["requestBody"]["content"]["application/json"]["schema"]["default"]


def _fix_uuid4_upstream(d: dict[str, Any]) -> None:
    for node in walk(d):
        if node.get("format") == "uuid4":
            node["format"] = "uuid"


@pytest.mark.parametrize(
    ("upstream_change", "patch", "message"),
    [
        (_remove_title, patches.set_title, "'title' is missing"),
        (_rename_operation, shorten_operation_ids, "operationId of POST .* is 'token_usage_v3'.*operations.yaml"),
        (_move_path, shorten_operation_ids, "is missing"),
        (_move_path, patches.drop_request_body_default, "is missing"),
        (_drop_discriminator, patches.string_discriminator_mapping, "'discriminator' is missing"),
        (_rename_request_schema, patches.string_discriminator_mapping, "is missing"),
        (_rename_request_schema, patches.drop_object_sort_default, "is missing"),
        (_remove_sort_default, patches.drop_object_sort_default, "sort default is None"),
        (_change_sort_default, patches.drop_object_sort_default, "sort default is .*'ascending': True"),
        (_remove_body_default, patches.drop_request_body_default, "'default' is missing"),
        (_fix_uuid4_upstream, patches.uuid4_as_uuid, "no 'format: uuid4' left"),
    ],
    ids=lambda value: getattr(value, "__name__", "").lstrip("_") or None,
)
def test_a_patch_refuses_when_upstream_changed(
    pinned: dict[str, Any],
    upstream_change: Callable[[dict[str, Any]], None],
    patch: Callable[[dict[str, Any]], None],
    message: str,
) -> None:
    upstream_change(pinned)

    with pytest.raises(SpecPipelineError, match=message):
        patch(pinned)
    with pytest.raises(SpecPipelineError, match=message):
        normalize(pinned)


def test_every_patch_is_covered() -> None:
    covered = {*ONE_SHOT_PATCHES[1:], patches.set_title, patches.string_discriminator_mapping}

    assert set(PATCHES) == covered
