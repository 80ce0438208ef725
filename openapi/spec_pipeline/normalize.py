"""Rules that make Galileo's spec generate a correct client, in one reviewable place.

``openapi/openapi.json`` stays the upstream text; this module produces the intermediate document the
generator reads. Each rule is a shape the generator mishandles (an object default on a model-typed property,
``format: uuid4``, ...), not a named schema or path: it applies wherever the shape occurs in the selected
document, and says where (``Rewrite``), so ``make generate`` can report every change it made to the spec. A rule
that finds nothing does nothing; a selection without the token-usage operation generates the same way.

Two steps are not shapes: the title (it names the generated client) and the operations' short names, which
``operations.yaml`` gives and which are checked against upstream's operationIds first.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from openapi_python_client.strings import ClassName

from .errors import SpecPipelineError
from .operations import Selection, load_selection, operations_in

TITLE = "Galileo Insights API"
SCHEMA_REF = "#/components/schemas/"


@dataclass(frozen=True)
class Rewrite:
    """One place a rule changed: ``rule`` (its function's name) at ``where`` (a JSON pointer into the spec)."""

    rule: str
    where: str


Rule = Callable[[dict[str, Any]], list[str]]  # rewrites the document in place, returns the pointers it changed


def set_title(document: dict[str, Any]) -> None:
    """The upstream title ("FastAPI" or "Galileo API Server") names the generated client; give it ours."""
    info = document.get("info")
    if not isinstance(info, dict) or "title" not in info:
        raise SpecPipelineError("the spec has no info.title")
    info["title"] = TITLE


def shorten_operation_ids(document: dict[str, Any], selection: Selection) -> None:
    """FastAPI's operationIds become 120-character module names; callers import the short ``name`` instead.

    Each selected operation must still carry the operationId ``operations.yaml`` records: a rename upstream
    stops generation here rather than silently renaming a generated function.
    """
    paths = document.get("paths", {})
    for selected in selection.operations:
        operation = paths.get(selected.path, {}).get(selected.method)
        if not isinstance(operation, dict):
            raise SpecPipelineError(f"{selected.key} is not in the spec: update openapi/operations.yaml")
        if operation.get("operationId") != selected.operation_id:
            raise SpecPipelineError(
                f"operationId of {selected.key} is {operation.get('operationId')!r}, "
                f"expected {selected.operation_id!r}: update openapi/operations.yaml"
            )
        operation["operationId"] = selected.name


def discriminator_mapping_as_strings(document: dict[str, Any]) -> list[str]:
    """A discriminator mapping value that is a ``{"$ref": ...}`` object becomes the reference string.

    The docs-page rendering of the spec writes mapping values that way, and openapi-python-client aborts on them;
    the served JSON has strings. A value naming no schema of the document stops generation.
    """
    schemas = document.get("components", {}).get("schemas", {})
    changed = []
    for pointer, node in _nodes(document):
        mapping = node.get("discriminator", {}).get("mapping") if isinstance(node.get("discriminator"), dict) else None
        if not isinstance(mapping, dict):
            continue
        for key, value in list(mapping.items()):
            target = value["$ref"] if isinstance(value, dict) and isinstance(value.get("$ref"), str) else value
            if not isinstance(target, str) or target.removeprefix(SCHEMA_REF) not in schemas or target[:1] != "#":
                raise SpecPipelineError(f"{pointer}/discriminator/mapping {key!r} -> {target!r} does not name a schema")
            if target is not value:
                mapping[key] = target
                changed.append(f"{pointer}/discriminator/mapping/{_escape(key)}")
    return changed


def drop_object_default_on_model_property(document: dict[str, Any]) -> list[str]:
    """Remove an object ``default`` from a property typed by a ``$ref`` (directly or in ``anyOf``/``oneOf``/``allOf``).

    openapi-python-client only supports ``None`` as the default of a model-typed property and drops the whole
    model (and every operation using it) otherwise: Galileo's ``sort`` fields (``{"name": "created_at", ...}``) in
    eight request schemas. Without the default the generated field is ``UNSET`` and omitted from the body, so the
    server applies the default it documents; the wrapper always sends an explicit sort anyway.
    """
    changed = []
    for pointer, node in _nodes(document):
        properties = node.get("properties")
        if not isinstance(properties, dict):
            continue
        for name, prop in properties.items():
            if isinstance(prop, dict) and isinstance(prop.get("default"), dict) and _refers_to_a_schema(prop):
                del prop["default"]
                changed.append(f"{pointer}/properties/{_escape(name)}/default")
    return changed


def drop_request_body_default(document: dict[str, Any]) -> list[str]:
    """Remove a ``default`` beside a request body's ``$ref`` (FastAPI's ``Body(default=...)``).

    In OpenAPI 3.1 it is an annotation the generator cannot represent on a referenced model; the body is
    always sent in full by the generated function, so dropping it changes no request.
    """
    changed = []
    for method, path, operation in operations_in(document.get("paths", {})):
        content = operation.get("requestBody", {}).get("content", {})
        for media_type, body in content.items() if isinstance(content, dict) else ():
            schema = body.get("schema") if isinstance(body, dict) else None
            if isinstance(schema, dict) and "$ref" in schema and "default" in schema:
                del schema["default"]
                changed.append(
                    f"/paths/{_escape(path)}/{method}/requestBody/content/{_escape(media_type)}/schema/default"
                )
    return changed


def uuid4_as_uuid(document: dict[str, Any]) -> list[str]:
    """``format: uuid4`` is not a registered format, so the generator types ids as ``str``; use ``uuid``."""
    changed = []
    for pointer, node in _nodes(document):
        if node.get("format") == "uuid4":
            node["format"] = "uuid"
            changed.append(f"{pointer}/format")
    return changed


def drop_colliding_titles(document: dict[str, Any]) -> list[str]:
    """A schema whose ``title`` makes the same class name as another schema's loses the title.

    The generator names a model by its title when there is one, and drops every model after the first of a name
    ("Attempted to generate duplicate models"): FastAPI's ``AgentSpan-Input``/``AgentSpan-Output`` pairs, schemas
    copied under a new name with the old title (``LogStreamIDFilter`` titled ``RunIDFilter``), and inline objects
    titled alike in many schemas (``User Metadata``) or request bodies (``Body``). Without the title a component
    is named by its key and an inline object by its parent and property (a body by its operation), all unique.
    A component whose title matches its key keeps it.
    """
    schemas = document.get("components", {}).get("schemas", {})
    titled: dict[str, list[tuple[str, dict[str, Any], bool]]] = {}
    for key, schema in schemas.items():
        if isinstance(schema, dict):
            title = schema.get("title")
            name = _class_name(title if isinstance(title, str) else key)
            keeps = _class_name(key) == name
            titled.setdefault(name, []).append((f"/components/schemas/{_escape(key)}", schema, keeps))
    inline = [(p, n) for p, n in _nodes(schemas, "/components/schemas") if p.count("/") > 3]
    inline += list(_nodes(document.get("paths", {}), "/paths"))
    for pointer, node in inline:
        if node.get("type") == "object" and isinstance(node.get("title"), str):
            titled.setdefault(_class_name(node["title"]), []).append((pointer, node, False))
    changed = []
    for holders in titled.values():
        if len(holders) < 2:
            continue
        for pointer, schema, keeps in holders:
            if "title" in schema and not keeps:
                del schema["title"]
                changed.append(f"{pointer}/title")
    return changed


RULES: tuple[Rule, ...] = (
    discriminator_mapping_as_strings,
    drop_object_default_on_model_property,
    drop_request_body_default,
    uuid4_as_uuid,
    drop_colliding_titles,
)


def normalize_with_report(
    document: dict[str, Any], selection: Selection | None = None
) -> tuple[dict[str, Any], list[Rewrite]]:
    """A patched copy of ``document`` and every place a rule changed; the input is left untouched.

    The title is replaced and the operations renamed as ``selection`` says (by default ``openapi/operations.yaml``),
    then every rule in ``RULES`` runs over the whole document.
    """
    patched = copy.deepcopy(document)
    set_title(patched)
    shorten_operation_ids(patched, selection or load_selection())
    rewrites = [Rewrite(rule.__name__, where) for rule in RULES for where in rule(patched)]
    return patched, rewrites


def normalize(document: dict[str, Any], selection: Selection | None = None) -> dict[str, Any]:
    """:func:`normalize_with_report` without the report."""
    return normalize_with_report(document, selection)[0]


def rewrite_summary(rewrites: list[Rewrite], limit: int = 3) -> list[str]:
    """One line per rule that matched: how many places, and the first few."""
    lines = []
    for rule in dict.fromkeys(rewrite.rule for rewrite in rewrites):
        places = [rewrite.where for rewrite in rewrites if rewrite.rule == rule]
        more = f", ... ({len(places) - limit} more)" if len(places) > limit else ""
        lines.append(f"{rule}: {len(places)} place(s): {', '.join(places[:limit])}{more}")
    return lines


def _refers_to_a_schema(prop: dict[str, Any]) -> bool:
    """``$ref`` itself, or a member of its ``anyOf``/``oneOf``/``allOf`` (at any depth) is one."""
    return "$ref" in prop or any(
        isinstance(member, dict) and _refers_to_a_schema(member)
        for keyword in ("anyOf", "oneOf", "allOf")
        for member in prop.get(keyword, [])
    )


def _class_name(name: str) -> str:
    """The class name the generator makes of a title or component key."""
    return str(ClassName(name, prefix="Field"))


def _escape(token: str) -> str:
    return token.replace("~", "~0").replace("/", "~1")


def _nodes(node: Any, pointer: str = "") -> Iterator[tuple[str, dict[str, Any]]]:
    """Every object in ``node`` with its JSON pointer, parents before children."""
    if isinstance(node, dict):
        yield pointer, node
        for key, value in node.items():
            yield from _nodes(value, f"{pointer}/{_escape(str(key))}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _nodes(value, f"{pointer}/{index}")
