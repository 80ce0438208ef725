"""Patches that make Galileo's spec generate a correct client, in one reviewable place.

``openapi/openapi.json`` stays the upstream text; this module produces the intermediate document the
generator reads. Every patch first checks that the thing it fixes is still there and raises
``SpecPipelineError`` otherwise, so when upstream changes (or fixes the problem) regeneration stops and
someone looks, instead of a patch silently doing nothing or being applied twice.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterator
from typing import Any

from .errors import SpecPipelineError
from .operations import Selection, load_selection

TOKEN_USAGE_PATH = "/v2/projects/{project_id}/log_streams/{log_stream_id}/logstream_insights/token_usage"
REQUEST_SCHEMA = "LogstreamInsightTokenUsageRequest"
DOCUMENTED_SORT_DEFAULT = {"name": "created_at", "ascending": False, "sort_type": "column"}
TITLE = "Galileo Insights API"

Patch = Callable[[dict[str, Any]], None]


def _at(document: dict[str, Any], *keys: str) -> Any:
    node: Any = document
    for depth, key in enumerate(keys):
        if not isinstance(node, dict) or key not in node:
            where = "/".join(keys[: depth + 1])
            raise SpecPipelineError(f"patch target {where!r} is missing: upstream changed, review the patch")
        node = node[key]
    return node


def set_title(document: dict[str, Any]) -> None:
    """The upstream title ("FastAPI" or "Galileo API Server") names the generated client; give it ours."""
    info = _at(document, "info")
    _at(info, "title")
    info["title"] = TITLE


def shorten_operation_ids(document: dict[str, Any], selection: Selection) -> None:
    """FastAPI's operationIds become 120-character module names; callers import the short ``name`` instead.

    Each selected operation must still carry the operationId ``operations.yaml`` records: a rename upstream
    stops generation here rather than silently renaming a generated function.
    """
    for selected in selection.operations:
        operation = _at(document, "paths", selected.path, selected.method)
        if operation.get("operationId") != selected.operation_id:
            raise SpecPipelineError(
                f"operationId of {selected.key} is {operation.get('operationId')!r}, "
                f"expected {selected.operation_id!r}: update openapi/operations.yaml"
            )
        operation["operationId"] = selected.name


def string_discriminator_mapping(document: dict[str, Any]) -> None:
    """Discriminator mapping values must be strings.

    The docs-page rendering of the spec (our seed) turns them into ``{"$ref": ...}`` objects, which make
    openapi-python-client abort; the served JSON has strings. Accept both, leave strings, and fail on
    anything else or on a mapping that names a schema the document does not have.
    """
    items = _at(document, "components", "schemas", REQUEST_SCHEMA, "properties", "filters", "items")
    mapping = _at(items, "discriminator", "mapping")
    schemas = _at(document, "components", "schemas")
    for key, value in list(mapping.items()):
        target = value["$ref"] if isinstance(value, dict) and isinstance(value.get("$ref"), str) else value
        if not isinstance(target, str) or target.rpartition("/")[2] not in schemas:
            raise SpecPipelineError(f"discriminator mapping {key!r} -> {target!r} does not name a schema")
        mapping[key] = target


def drop_object_sort_default(document: dict[str, Any]) -> None:
    """Remove the object ``default`` of the request's ``sort``.

    openapi-python-client only supports ``None`` as a default for a model-typed union and drops the
    whole request model (and with it the only endpoint) otherwise. Without the default the generated
    field is ``UNSET`` and omitted from the body, so the server applies the documented default
    (created_at descending); the wrapper always sends an explicit sort anyway.
    """
    sort = _at(document, "components", "schemas", REQUEST_SCHEMA, "properties", "sort")
    if sort.get("default") != DOCUMENTED_SORT_DEFAULT:
        raise SpecPipelineError(
            f"{REQUEST_SCHEMA}.sort default is {sort.get('default')!r}, expected {DOCUMENTED_SORT_DEFAULT!r}"
        )
    del sort["default"]


def drop_request_body_default(document: dict[str, Any]) -> None:
    """Remove the ``default`` beside the request body's ``$ref`` (FastAPI's ``Body(default=...)``).

    In OpenAPI 3.1 it is an annotation the generator cannot represent on a referenced model; the body is
    always sent in full by the generated function, so dropping it changes no request.
    """
    schema = _at(document, "paths", TOKEN_USAGE_PATH, "post", "requestBody", "content", "application/json", "schema")
    _at(schema, "default")
    del schema["default"]


def uuid4_as_uuid(document: dict[str, Any]) -> None:
    """``format: uuid4`` is not a registered format, so the generator types ids as ``str``; use ``uuid``."""
    occurrences = [node for node in _walk(document) if node.get("format") == "uuid4"]
    if not occurrences:
        raise SpecPipelineError("no 'format: uuid4' left in the spec: upstream changed, review the patch")
    for node in occurrences:
        node["format"] = "uuid"


PATCHES: tuple[Patch, ...] = (
    set_title,
    string_discriminator_mapping,
    drop_object_sort_default,
    drop_request_body_default,
    uuid4_as_uuid,
)


def normalize(document: dict[str, Any], selection: Selection | None = None) -> dict[str, Any]:
    """Return a patched copy of ``document``; the input is left untouched.

    The operations are renamed as ``selection`` says (by default ``openapi/operations.yaml``), then every patch
    in ``PATCHES`` runs.
    """
    patched = copy.deepcopy(document)
    shorten_operation_ids(patched, selection or load_selection())
    for patch in PATCHES:
        patch(patched)
    return patched


def _walk(node: Any) -> Iterator[dict[str, Any]]:
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from _walk(value)
    elif isinstance(node, list):
        for value in node:
            yield from _walk(value)
