"""Cut a full OpenAPI document down to the operations this SDK ships and what they reference.

Galileo publishes one document with ~950 operations; generating all of them would bury the one we
support. Selection keeps matching operations plus every component reachable from them through
``$ref`` (transitively) and the security schemes they name, so the result is a valid document.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from .errors import SpecPipelineError

HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
_COMPONENT_REF_PREFIX = "#/components/"


def select_operations(spec: dict[str, Any], *, tags: Iterable[str], path_prefix: str) -> dict[str, Any]:
    """Return a new document holding only operations tagged with one of ``tags`` under ``path_prefix``."""
    wanted_tags = set(tags)
    paths = spec.get("paths")
    if not isinstance(paths, dict):
        raise SpecPipelineError("the document has no 'paths' object")

    selected_paths: dict[str, Any] = {}
    for path, item in paths.items():
        if not path.startswith(path_prefix) or not isinstance(item, dict):
            continue
        kept = {
            method: operation
            for method, operation in item.items()
            if method in HTTP_METHODS and wanted_tags.intersection(operation.get("tags", []))
        }
        if kept:
            shared = {key: value for key, value in item.items() if key not in HTTP_METHODS}
            selected_paths[path] = {**shared, **kept}
    if not selected_paths:
        raise SpecPipelineError(
            f"no operation tagged {sorted(wanted_tags)} under {path_prefix!r}: refusing to write an empty spec"
        )

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

    selected = {key: value for key, value in spec.items() if key not in ("paths", "components", "tags")}
    selected["paths"] = selected_paths
    selected["components"] = kept_components
    used_tags = {tag for item in selected_paths.values() for op in _operations(item) for tag in op.get("tags", [])}
    if "tags" in spec:
        selected["tags"] = [tag for tag in spec["tags"] if tag.get("name") in used_tags]
    return selected


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
