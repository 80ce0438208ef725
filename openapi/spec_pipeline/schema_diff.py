"""Compare two schema nodes: types, formats and nullability, enums and consts, constraints, defaults, fields, items.

Requests and responses break in opposite directions. Callers (request side) break when the accepted set
narrows: a type or enum value removed, a constraint added or tightened, a field made required. Readers
(response side) break when the possible set widens: a new type or const value (exhaustive matches, strict
parsing), a constraint dropped or loosened, a field made optional or removed. A new enum value (or a new enum in a
union of enums) breaks no one: the generated models keep a value they do not know as ``UnknownEnumValue``
(spec_pipeline/open_enums.py); callers may send what they did. Some changes break both sides whatever their
direction: a changed pattern or format, a changed discriminator. A changed default breaks callers who omit the
value (their results change silently); readers are told, not warned.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from types import MappingProxyType
from typing import Any

from .changes import RESPONSE, Change, directed

_ANY = "any"
_CALLERS_REJECTED = "values callers send may be rejected"
_READERS_SURPRISED = "readers may get values the old spec ruled out"

# keyword -> +1 when a larger value narrows what is allowed (lower bounds), -1 when a smaller value does
_BOUNDS = {
    "minimum": 1,
    "exclusiveMinimum": 1,
    "minLength": 1,
    "minItems": 1,
    "minProperties": 1,
    "maximum": -1,
    "exclusiveMaximum": -1,
    "maxLength": -1,
    "maxItems": -1,
    "maxProperties": -1,
}
_FLAGS = ("uniqueItems",)  # true narrows
_OPAQUE = ("pattern", "multipleOf")  # added narrows, removed widens, changed: cannot tell, both
CONSTRAINTS = (*_BOUNDS, *_FLAGS, *_OPAQUE, "additionalProperties")
# keywords that may be booleans: flags, OpenAPI 3.0's exclusive bounds, additionalProperties
_BOOLEANS = (*_FLAGS, "exclusiveMinimum", "exclusiveMaximum", "additionalProperties")


def node_changes(
    old: Any, new: Any, where: str, uses: frozenset[str], enums: Mapping[str, str] = MappingProxyType({})
) -> list[Change]:
    """Every change between two schema nodes, recursing into the fields and items both sides have. ``enums`` names
    the component schemas that are enums, with their JSON type (``enum_kinds``)."""
    changes: list[Change] = []
    old_type, new_type = signature(old), signature(new)
    if old_type != new_type:
        changes.append(_retype(where, old_type, new_type, uses, enums))
    old_values, new_values = _enum_values(old), _enum_values(new)
    for value in sorted(new_values.keys() - old_values.keys()):
        changes.append(_value_added(where, value, new_values[value], uses))
    for value in sorted(old_values.keys() - new_values.keys()):
        changes.append(directed(where, f"value {value} removed", uses, request="callers sending it are rejected"))
    changes += _constraint_changes(old, new, where, uses)
    changes += _annotation_changes(old, new, where, uses)
    old_items, new_items = _items(old), _items(new)
    if old_items is not None and new_items is not None:
        changes += node_changes(old_items, new_items, f"{where}[]", uses, enums)
    changes += _field_changes(old, new, where, uses, enums)
    return changes


def _value_added(where: str, value: str, keyword: str, uses: frozenset[str]) -> Change:
    """An enum value added breaks no released SDK: responses keep a value they do not know (``UnknownEnumValue``,
    spec_pipeline/open_enums.py), and callers may send what they did. A ``const`` is still parsed strictly."""
    if keyword == "const":
        return directed(where, f"value {value} added", uses, response="exhaustive matches miss it")
    kept = "; released SDKs read it as UnknownEnumValue" if RESPONSE in uses else ""
    return Change(where, f"value {value} added{kept}")


def _retype(
    where: str, old_type: frozenset[str], new_type: frozenset[str], uses: frozenset[str], enums: Mapping[str, str]
) -> Change:
    # A union of enums that gains an enum (Permission.action: one more `...Action`) breaks no released SDK: the old
    # union already keeps a string (integer) none of its enums lists as UnknownEnumValue (open_enums.py).
    old_enum_kinds = {enums[member] for member in old_type if member in enums}
    added = new_type - old_type
    kept = bool(added) and all(enums.get(member) in old_enum_kinds for member in added)
    return directed(
        where,
        f"retyped {_show(old_type)} -> {_show(new_type)}"
        + ("; released SDKs read the new members' values as UnknownEnumValue" if kept and RESPONSE in uses else ""),
        uses,
        request="" if _within(old_type, new_type) else _CALLERS_REJECTED,
        response="" if _within(new_type, old_type) or kept else "readers may get values of a new type",
    )


def _constraint_changes(old: Any, new: Any, where: str, uses: frozenset[str]) -> Iterator[Change]:
    old_constraints, new_constraints = _constraints(old), _constraints(new)
    for keyword in CONSTRAINTS:
        before, after = old_constraints.get(keyword), new_constraints.get(keyword)
        if before == after:
            continue
        narrows, widens = _direction(keyword, before, after)
        if before is None:
            what = f"{keyword} {_json(after)} added"
        elif after is None:
            what = f"{keyword} {_json(before)} removed"
        else:
            what = f"{keyword} {_json(before)} -> {_json(after)}"
        yield directed(
            where,
            f"constraint {what}",
            uses,
            request=_CALLERS_REJECTED if narrows else "",
            response=_READERS_SURPRISED if widens else "",
        )


def _direction(keyword: str, before: Any, after: Any) -> tuple[bool, bool]:
    """(narrows, widens) for one constraint keyword going from ``before`` to ``after`` (None = absent)."""
    if keyword in _BOUNDS and _is_number(before) and _is_number(after):
        narrows = (after - before) * _BOUNDS[keyword] > 0
        return narrows, not narrows
    if keyword in _BOOLEANS and isinstance(before, bool | None) and isinstance(after, bool | None):
        strict = keyword != "additionalProperties"  # additionalProperties: false is the narrow one
        narrow_before, narrow_after = before is strict, after is strict
        return narrow_after and not narrow_before, narrow_before and not narrow_after
    if before is None:
        return True, False
    if after is None:
        return False, True
    return True, True


def _annotation_changes(old: Any, new: Any, where: str, uses: frozenset[str]) -> Iterator[Change]:
    old_node, new_node = _dict(old), _dict(new)
    before, after = old_node.get("default", _ABSENT), new_node.get("default", _ABSENT)
    if before != after:
        what = (
            f"default {_json(after)} added"
            if before is _ABSENT
            else f"default {_json(before)} removed"
            if after is _ABSENT
            else f"default {_json(before)} -> {_json(after)}"
        )
        yield directed(where, what, uses, request="callers that omit it get different results")
    if bool(old_node.get("deprecated")) != bool(new_node.get("deprecated")):
        yield Change(where, "deprecated" if new_node.get("deprecated") else "no longer deprecated")
    old_discriminator, new_discriminator = _discriminator(old), _discriminator(new)
    if old_discriminator != new_discriminator:
        yield directed(
            where,
            f"discriminator {_json(old_discriminator)} -> {_json(new_discriminator)}",
            uses,
            request="the generated union sends another tag",
            response="the generated union picks its type by it",
        )


def _field_changes(old: Any, new: Any, where: str, uses: frozenset[str], enums: Mapping[str, str]) -> Iterator[Change]:
    (old_fields, old_required), (new_fields, new_required) = fields(old), fields(new)
    for name in sorted(old_fields.keys() | new_fields.keys()):
        at = f"{where}.{name}"
        if name not in new_fields:
            yield directed(at, "field removed", uses, request="callers setting it fail", response="readers lose it")
        elif name not in old_fields:
            required = name in new_required
            must_send = "callers must now send it" if required else ""
            yield directed(at, f"{'required' if required else 'optional'} field added", uses, request=must_send)
        else:
            if name in new_required - old_required:
                yield directed(at, "made required", uses, request="callers must now send it")
            if name in old_required - new_required:
                yield directed(at, "made optional", uses, response="readers may find it unset")
            yield from node_changes(old_fields[name], new_fields[name], at, uses, enums)


_ABSENT: Any = object()


def enum_kinds(schemas: Mapping[str, Any]) -> dict[str, str]:
    """Component name -> ``"string"`` or ``"integer"`` for each component schema that is an enum of one JSON type."""
    kinds: dict[str, str] = {}
    for name, schema in schemas.items():
        values = _list(_dict(schema).get("enum"))
        types = {"string" if isinstance(v, str) else "integer" for v in values if isinstance(v, str | int)}
        if values and len(types) == 1 and not any(isinstance(v, bool) for v in values):
            kinds[name] = types.pop()
    return kinds


def signature(node: Any) -> frozenset[str]:
    """The set of value types a schema node admits, e.g. ``{"integer", "null"}``; enums and items are compared apart."""
    if not isinstance(node, dict):
        return frozenset({_ANY})
    if isinstance(node.get("$ref"), str):
        return frozenset({node["$ref"].rpartition("/")[2]})
    members = [m for key in ("anyOf", "oneOf") for m in _list(node.get(key))]
    if members:
        return frozenset().union(*(signature(m) for m in members))
    if len(_list(node.get("allOf"))) == 1:
        return signature(node["allOf"][0])
    types = node.get("type", "object" if "properties" in node else _ANY)
    kinds: set[str] = set()
    for kind in types if isinstance(types, list) else [types]:
        if kind in ("string", "integer", "number") and "format" in node:
            kinds.add(f"{kind}({node['format']})")
        else:
            kinds.add(str(kind))
    return frozenset(kinds | ({"null"} if node.get("nullable") is True else set()))


def _within(narrow: frozenset[str], wide: frozenset[str]) -> bool:
    return _ANY in wide or narrow <= wide


def _show(kinds: frozenset[str]) -> str:
    return " | ".join(sorted(kinds, key=lambda kind: (kind == "null", kind)))


def _flatten(node: Any) -> Iterator[dict[str, Any]]:
    """The node and the inline schemas it combines (anyOf/oneOf/allOf members); not $refs, not array items."""
    if isinstance(node, dict) and "$ref" not in node:
        yield node
        for key in ("anyOf", "oneOf", "allOf"):
            for member in _list(node.get(key)):
                yield from _flatten(member)


def _enum_values(node: Any) -> dict[str, str]:
    """JSON text of each value the node's ``enum`` or ``const`` lists -> which of the two (``enum`` wins)."""
    values: dict[str, str] = {}
    for part in _flatten(node):
        if "const" in part:
            values.setdefault(json.dumps(part["const"], sort_keys=True), "const")
        for value in _list(part.get("enum")):
            values[json.dumps(value, sort_keys=True)] = "enum"
    return values


def _constraints(node: Any) -> dict[str, Any]:
    """Constraint keywords of the node and its inline members (the first member stating one wins)."""
    found: dict[str, Any] = {}
    for part in _flatten(node):
        for keyword in CONSTRAINTS:
            if keyword in part and not isinstance(part[keyword], dict):
                found.setdefault(keyword, part[keyword])
    return found


def _items(node: Any) -> Any:
    return next((part["items"] for part in _flatten(node) if "items" in part), None)


def _discriminator(node: Any) -> Any:
    """propertyName and mapping, with the docs rendering's ``{"$ref": ...}`` mapping values read as strings."""
    for part in _flatten(node):
        found = _dict(part.get("discriminator"))
        if found:
            mapping = {
                key: value.get("$ref") if isinstance(value, dict) else value
                for key, value in _dict(found.get("mapping")).items()
            }
            return {"propertyName": found.get("propertyName"), "mapping": mapping}
    return None


def fields(node: Any) -> tuple[dict[str, Any], set[str]]:
    found: dict[str, Any] = {}
    required: set[str] = set()
    for part in _flatten(node):
        found.update(_dict(part.get("properties")))
        required.update(name for name in _list(part.get("required")) if isinstance(name, str))
    return found, required


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _json(value: Any) -> str:
    return json.dumps(value, sort_keys=True)


def _dict(node: Any) -> dict[str, Any]:
    return node if isinstance(node, dict) else {}


def _list(node: Any) -> list[Any]:
    return node if isinstance(node, list) else []
