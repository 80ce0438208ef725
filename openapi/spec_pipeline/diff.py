"""``python -m spec_pipeline.diff OLD NEW``: what changed between two selected specs, and whom it breaks.

A change is judged by the direction its schema travels. Callers write what is reachable from request
bodies and parameters: a new required field, a removed field or enum value, or a narrowed type breaks
them. Readers receive what is reachable from responses: a removed field, a field made optional, a widened
type or a new enum value (exhaustive matches, strict enum parsing in the generated models) breaks them.
A schema used both ways gets both rules; one reachable from neither is judged both ways, to be safe.
Exit status: 0 no breaking change, 1 at least one breaking change, 2 unusable arguments or input.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import SpecPipelineError
from .operations import HTTP_METHODS
from .select import component_refs

REQUEST, RESPONSE = "request", "response"
BOTH = frozenset({REQUEST, RESPONSE})
_ANY = "any"
Operation = tuple[dict[str, Any], dict[str, Any]]  # (path item, operation)


@dataclass(frozen=True)
class Change:
    """One difference at ``where`` (an operation, ``Schema.field`` or ``METHOD /path parameters.name``)."""

    where: str
    what: str
    breaks: tuple[str, ...] = ()  # why it breaks SDK users; empty when it does not

    @property
    def breaking(self) -> bool:
        return bool(self.breaks)

    def line(self) -> str:
        why = f" ({'; '.join(self.breaks)})" if self.breaks else ""
        return f"{'BREAKING' if self.breaking else 'ok':<8} {self.where}: {self.what}{why}"


def _change(where: str, what: str, uses: frozenset[str], *, request: str = "", response: str = "") -> Change:
    """``request``/``response`` say why the change breaks that direction ("" when it does not)."""
    reasons = ((REQUEST, request), (RESPONSE, response))
    return Change(where, what, tuple(reason for use, reason in reasons if use in uses and reason))


def diff_specs(old: dict[str, Any], new: dict[str, Any]) -> list[Change]:
    """Every change from ``old`` to ``new``: operations first, then schemas, each sorted by name."""
    changes: list[Change] = []
    old_ops, new_ops = _operations(old), _operations(new)
    for key in sorted(old_ops.keys() | new_ops.keys()):
        if key not in new_ops:
            changes.append(Change(key, "operation removed", ("its callers fail",)))
        elif key not in old_ops:
            changes.append(Change(key, "operation added"))
        else:
            changes += _operation_changes(key, old, old_ops[key], new, new_ops[key])
    old_schemas, new_schemas = _schemas(old), _schemas(new)
    old_uses, new_uses = _schema_uses(old), _schema_uses(new)
    for name in sorted(old_schemas.keys() | new_schemas.keys()):
        uses = frozenset(old_uses.get(name, set()) | new_uses.get(name, set())) or BOTH
        if name not in new_schemas:
            gone = "its generated model disappears"
            changes.append(_change(name, "schema removed", uses, request=gone, response=gone))
        elif name not in old_schemas:
            changes.append(Change(name, "schema added"))
        else:
            changes += _node_changes(old_schemas[name], new_schemas[name], name, uses)
    return changes


def _node_changes(old: Any, new: Any, where: str, uses: frozenset[str]) -> list[Change]:
    """Type, enum values and fields of one schema node, recursing into the fields both sides have."""
    changes: list[Change] = []
    old_type, new_type = _signature(old), _signature(new)
    if old_type != new_type:
        changes.append(
            _change(
                where,
                f"retyped {_show(old_type)} -> {_show(new_type)}",
                uses,
                request="" if _within(old_type, new_type) else "values callers send may be rejected",
                response="" if _within(new_type, old_type) else "readers may get values of a new type",
            )
        )
    old_values, new_values = _enum_values(old), _enum_values(new)
    for value in sorted(new_values - old_values):
        changes.append(_change(where, f"value {value} added", uses, response="exhaustive matches miss it"))
    for value in sorted(old_values - new_values):
        changes.append(_change(where, f"value {value} removed", uses, request="callers sending it are rejected"))
    (old_fields, old_required), (new_fields, new_required) = _fields(old), _fields(new)
    for name in sorted(old_fields.keys() | new_fields.keys()):
        at = f"{where}.{name}"
        if name not in new_fields:
            changes.append(
                _change(at, "field removed", uses, request="callers setting it fail", response="readers lose it")
            )
        elif name not in old_fields:
            required = name in new_required
            must_send = "callers must now send it" if required else ""
            changes.append(
                _change(at, f"{'required' if required else 'optional'} field added", uses, request=must_send)
            )
        else:
            if name in new_required - old_required:
                changes.append(_change(at, "made required", uses, request="callers must now send it"))
            if name in old_required - new_required:
                changes.append(_change(at, "made optional", uses, response="readers may find it unset"))
            changes += _node_changes(old_fields[name], new_fields[name], at, uses)
    return changes


def _operation_changes(
    key: str, old: dict[str, Any], old_op: Operation, new: dict[str, Any], new_op: Operation
) -> list[Change]:
    request = frozenset({REQUEST})
    changes = _node_changes(_parameters(old, old_op), _parameters(new, new_op), f"{key} parameters", request)
    old_body, new_body = (
        _body_schema(old, old_op[1].get("requestBody")),
        _body_schema(new, new_op[1].get("requestBody")),
    )
    changes += _node_changes(old_body, new_body, f"{key} request body", request)
    old_responses, new_responses = _responses(old, old_op[1]), _responses(new, new_op[1])
    for code in sorted(old_responses.keys() | new_responses.keys()):
        where = f"{key} response {code}"
        if code not in new_responses:
            changes.append(Change(where, "response removed", ("readers of it fail",)))
        elif code not in old_responses:
            changes.append(Change(where, "response added"))
        else:
            changes += _node_changes(old_responses[code], new_responses[code], where, frozenset({RESPONSE}))
    return changes


def _signature(node: Any) -> frozenset[str]:
    """The set of value types a schema node admits, e.g. ``{"integer", "null"}``; enums are compared apart."""
    if not isinstance(node, dict):
        return frozenset({_ANY})
    if isinstance(node.get("$ref"), str):
        return frozenset({node["$ref"].rpartition("/")[2]})
    members = [m for key in ("anyOf", "oneOf") for m in _list(node.get(key))]
    if members:
        return frozenset().union(*(_signature(m) for m in members))
    if len(_list(node.get("allOf"))) == 1:
        return _signature(node["allOf"][0])
    types = node.get("type", "object" if "properties" in node else _ANY)
    kinds: set[str] = set()
    for kind in types if isinstance(types, list) else [types]:
        if kind == "array":
            kinds.add(f"array[{_show(_signature(node.get('items', {})))}]")
        elif kind in ("string", "integer", "number") and "format" in node:
            kinds.add(f"{kind}({node['format']})")
        else:
            kinds.add(str(kind))
    return frozenset(kinds | ({"null"} if node.get("nullable") is True else set()))


def _within(narrow: frozenset[str], wide: frozenset[str]) -> bool:
    return _ANY in wide or narrow <= wide


def _show(signature: frozenset[str]) -> str:
    return " | ".join(sorted(signature, key=lambda kind: (kind == "null", kind)))


def _flatten(node: Any) -> Iterator[dict[str, Any]]:
    """The node and the inline schemas it combines (anyOf/oneOf/allOf members, array items); not $refs."""
    if isinstance(node, dict) and "$ref" not in node:
        yield node
        for key in ("anyOf", "oneOf", "allOf"):
            for member in _list(node.get(key)):
                yield from _flatten(member)
        yield from _flatten(node.get("items"))


def _enum_values(node: Any) -> set[str]:
    values: set[str] = set()
    for part in _flatten(node):
        listed = _list(part.get("enum")) + ([part["const"]] if "const" in part else [])
        values.update(json.dumps(value, sort_keys=True) for value in listed)
    return values


def _fields(node: Any) -> tuple[dict[str, Any], set[str]]:
    fields: dict[str, Any] = {}
    required: set[str] = set()
    for part in _flatten(node):
        fields.update(_dict(part.get("properties")))
        required.update(name for name in _list(part.get("required")) if isinstance(name, str))
    return fields, required


def _operations(spec: dict[str, Any]) -> dict[str, Operation]:
    return {
        f"{method.upper()} {path}": (item, item[method])
        for path, item in _dict(spec.get("paths")).items()
        if isinstance(item, dict)
        for method in HTTP_METHODS
        if isinstance(item.get(method), dict)
    }


def _parameters(spec: dict[str, Any], operation: Operation) -> dict[str, Any]:
    """The operation's parameters as one object schema, so they are compared like request fields."""
    item, op = operation
    parameters = [_resolve(spec, p) for p in _list(item.get("parameters")) + _list(op.get("parameters"))]
    named = [p for p in parameters if isinstance(p.get("name"), str)]
    return {
        "type": "object",
        "properties": {p["name"]: p.get("schema", {}) for p in named},
        "required": [p["name"] for p in named if p.get("required") is True],
    }


def _body_schema(spec: dict[str, Any], body: Any) -> Any:
    content = _dict(_resolve(spec, body).get("content"))
    media: Any = content.get("application/json") or next(iter(content.values()), {})
    return _dict(media).get("schema", {})


def _responses(spec: dict[str, Any], operation: dict[str, Any]) -> dict[str, Any]:
    return {str(code): _body_schema(spec, response) for code, response in _dict(operation.get("responses")).items()}


def _schema_uses(spec: dict[str, Any]) -> dict[str, set[str]]:
    """Schema name -> the directions (request, response) in which some operation reaches it."""
    uses: dict[str, set[str]] = {}
    components = _dict(spec.get("components"))
    for item, op in _operations(spec).values():
        roots = {
            REQUEST: [item.get("parameters"), op.get("parameters"), op.get("requestBody")],
            RESPONSE: [op.get("responses")],
        }
        for direction, nodes in roots.items():
            seen: set[tuple[str, str]] = set()
            pending = list(component_refs(nodes))
            while pending:
                ref = pending.pop()
                if ref in seen:
                    continue
                seen.add(ref)
                section, name = ref
                if section == "schemas":
                    uses.setdefault(name, set()).add(direction)
                pending.extend(component_refs(_dict(components.get(section)).get(name)))
    return uses


def _resolve(spec: dict[str, Any], node: Any) -> dict[str, Any]:
    """Follow one local ``$ref`` (parameters, request bodies and responses may be components)."""
    ref = node.get("$ref") if isinstance(node, dict) else None
    if isinstance(ref, str) and ref.startswith("#/components/"):
        section, _, name = ref.removeprefix("#/components/").partition("/")
        return _dict(_dict(_dict(spec.get("components")).get(section)).get(name))
    return _dict(node)


def _schemas(spec: dict[str, Any]) -> dict[str, Any]:
    return _dict(_dict(spec.get("components")).get("schemas"))


def _dict(node: Any) -> dict[str, Any]:
    return node if isinstance(node, dict) else {}


def _list(node: Any) -> list[Any]:
    return node if isinstance(node, list) else []


def parse_spec(raw: bytes, source: str) -> dict[str, Any]:
    try:
        document = json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise SpecPipelineError(f"{source} is not a JSON document: {exc}") from None
    if not isinstance(document, dict) or not isinstance(document.get("paths"), dict):
        raise SpecPipelineError(f"{source} is not an OpenAPI document (no 'paths' object)")
    return document


def text_report(changes: Iterable[Change]) -> str:
    changes = list(changes)
    if not changes:
        return "no changes"
    breaking = sum(change.breaking for change in changes)
    return "\n".join([change.line() for change in changes] + [f"{len(changes)} change(s), {breaking} breaking"])


def markdown_report(changes: Iterable[Change], old_version: str, new_version: str) -> str:
    """A section for CHANGELOG.md: breaking changes first, each with why it breaks."""
    changes = list(changes)
    lines = [f"### API changes (spec {old_version} -> {new_version})", ""]
    if not changes:
        return "\n".join([*lines, "No changes to the operations this SDK ships.", ""])
    breaking = [c for c in changes if c.breaking]
    other = [c for c in changes if not c.breaking]
    if breaking:
        lines += ["**Breaking**", "", *(f"- `{c.where}`: {c.what} ({'; '.join(c.breaks)})" for c in breaking), ""]
    if other:
        lines += ["**Other changes**", "", *(f"- `{c.where}`: {c.what}" for c in other), ""]
    return "\n".join(lines)


def update_report(previous: bytes | None, new: dict[str, Any], name: str) -> str:
    """What ``make spec`` prints after rewriting ``name``: a problem with the old copy is one line, not an error."""
    if previous is None:
        return f"no previous {name}: no change report"
    try:
        changes = diff_specs(parse_spec(previous, f"previous {name}"), new)
    except SpecPipelineError as exc:
        return f"no change report: {exc}"
    return f"changes since the previous {name}:\n{text_report(changes)}"


def _version(spec: dict[str, Any]) -> str:
    return str(_dict(spec.get("info")).get("version", "?"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m spec_pipeline.diff", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("old", type=Path, help="the previous selected spec, e.g. <(git show HEAD:openapi/openapi.json)")
    parser.add_argument("new", type=Path, help="the new selected spec")
    parser.add_argument("--markdown", action="store_true", help="print a section to paste into CHANGELOG.md")
    args = parser.parse_args(argv)
    try:
        old, new = (parse_spec(_read(path), str(path)) for path in (args.old, args.new))
        changes = diff_specs(old, new)
    except SpecPipelineError as exc:
        print(f"spec-diff: {exc}", file=sys.stderr)
        return 2
    print(markdown_report(changes, _version(old), _version(new)) if args.markdown else text_report(changes))
    return 1 if any(change.breaking for change in changes) else 0


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise SpecPipelineError(f"cannot read {path}: {exc.strerror}") from None


if __name__ == "__main__":
    sys.exit(main())
