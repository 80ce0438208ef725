"""Cut a full OpenAPI document down to the operations this SDK ships and what they reference.

Galileo publishes one document with ~950 operations; generating all of them would bury the few we
support. Selection keeps the operations ``openapi/operations.yaml`` lists (by method and path) plus every
component reachable from them through ``$ref`` (transitively) and the security schemes they name, so the
result is a valid document. Nothing is swept in by tag: operations the watch rule matches but the file
does not list are only reported (``available_operations``).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from .errors import SpecPipelineError
from .operations import HTTP_METHODS, Selection, operations_in

_COMPONENT_REF_PREFIX = "#/components/"


def select_operations(spec: dict[str, Any], selection: Selection) -> dict[str, Any]:
    """Return a new document holding only the selected operations, in the order the document has them."""
    paths = spec.get("paths")
    if not isinstance(paths, dict):
        raise SpecPipelineError("the document has no 'paths' object")
    missing = [op for op in selection.operations if not isinstance(_dict(paths.get(op.path)).get(op.method), dict)]
    if missing:
        names = ", ".join(f"{op.key} ({op.name})" for op in missing)
        raise SpecPipelineError(f"selected operation(s) not in the document: {names}; refusing to write a partial spec")

    selected_paths: dict[str, Any] = {}
    for path, item in paths.items():
        if any(selection.find(method, path) for method in _dict(item)):
            selected_paths[path] = {
                key: value for key, value in item.items() if key not in HTTP_METHODS or selection.find(key, path)
            }

    components = spec.get("components", {})
    kept_components: dict[str, dict[str, Any]] = {}
    pending = list(component_refs(selected_paths))
    while pending:
        section, name = pending.pop()
        if name in kept_components.get(section, {}):
            continue
        try:
            target = components[section][name]
        except (KeyError, TypeError):
            raise SpecPipelineError(f"$ref to missing component #/components/{section}/{name}") from None
        kept_components.setdefault(section, {})[name] = target
        pending.extend(component_refs(target))

    schemes = components.get("securitySchemes", {})
    for scheme in _security_scheme_names(spec, selected_paths):
        if scheme not in schemes:
            raise SpecPipelineError(f"operation names missing security scheme {scheme!r}")
        kept_components.setdefault("securitySchemes", {})[scheme] = schemes[scheme]

    used_tags = {tag for item in selected_paths.values() for op in _operations(item) for tag in op.get("tags", [])}
    replaced: dict[str, Any] = {
        "paths": selected_paths,
        "components": _in_order_of(components, kept_components),
        "tags": [tag for tag in _list(spec.get("tags")) if _dict(tag).get("name") in used_tags],
    }
    selected = {key: replaced.get(key, value) for key, value in spec.items()}
    selected.setdefault("components", replaced["components"])
    return selected


def _in_order_of(components: Any, kept: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """``kept`` with its sections and their entries in the order the document lists them."""
    return {
        section: {name: entries[name] for name in _dict(_dict(components).get(section)) if name in entries}
        for section in _dict(components)
        if (entries := kept.get(section))
    }


def available_operations(spec: dict[str, Any], selection: Selection) -> list[str]:
    """Operations the watch rule matches that are not selected, e.g. ``GET /v2/... (operationId)``."""
    return [
        f"{method.upper()} {path} ({operation.get('operationId', 'no operationId')})"
        for method, path, operation in operations_in(_dict(spec.get("paths")))
        if selection.watch.matches(path, operation) and not selection.find(method, path)
    ]


def _dict(node: Any) -> dict[str, Any]:
    return node if isinstance(node, dict) else {}


def _list(node: Any) -> list[Any]:
    return node if isinstance(node, list) else []


def _operations(path_item: dict[str, Any]) -> Iterator[dict[str, Any]]:
    for method in HTTP_METHODS:
        if method in path_item:
            yield path_item[method]


def component_refs(node: Any) -> Iterator[tuple[str, str]]:
    """Yield (section, name) for every local component reference inside ``node``.

    Discriminator mappings count too: they name schemas by reference string.
    """
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str):
                yield _parse_ref(value)
            elif key == "mapping" and isinstance(value, dict):
                for target in value.values():
                    if isinstance(target, str):
                        yield _parse_ref(target)
                    else:
                        yield from component_refs(target)
            else:
                yield from component_refs(value)
    elif isinstance(node, list):
        for value in node:
            yield from component_refs(value)


def _parse_ref(ref: str) -> tuple[str, str]:
    if not ref.startswith(_COMPONENT_REF_PREFIX):
        raise SpecPipelineError(f"unsupported $ref {ref!r}: only local '#/components/...' references are handled")
    section, _, name = ref[len(_COMPONENT_REF_PREFIX) :].partition("/")
    if not section or not name:
        raise SpecPipelineError(f"malformed $ref {ref!r}")
    return section, name


def _security_scheme_names(spec: dict[str, Any], paths: dict[str, Any]) -> Iterator[str]:
    requirements = list(spec.get("security", []))
    for item in paths.values():
        for operation in _operations(item):
            requirements.extend(operation.get("security", []))
    for requirement in requirements:
        yield from requirement
