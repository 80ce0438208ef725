"""Hypothesis strategies for instances of any generated model, read from its attrs fields and type hints.

Built from the Python types rather than from the JSON schemas so that every field the generator made is filled
with every kind of value its annotation admits (UNSET, None, each union member), and the round trip is checked
on what a user can construct.
"""

from __future__ import annotations

import datetime
import sys
import types
import typing
import uuid
from typing import Any

import attrs
from hypothesis import strategies as st

MAX_DEPTH = 3
_JSON_SCALARS = st.one_of(st.none(), st.booleans(), st.integers(-(2**31), 2**31), st.text(max_size=5))


def _hints(cls: type[Any]) -> dict[str, Any]:
    return typing.get_type_hints(cls, vars(sys.modules[cls.__module__]))


def can_build(cls: type[Any]) -> bool:
    """False for models with a file field (multipart bodies: ``to_multipart``, not ``to_dict``)."""
    return "File" not in {getattr(tp, "__name__", "") for tp in _flatten(_hints(cls).values())}


def _flatten(hints: Any) -> list[Any]:
    found: list[Any] = []
    for tp in hints:
        found.append(tp)
        found.extend(_flatten(typing.get_args(tp)))
    return found


Memo = dict[tuple[type[Any], int], st.SearchStrategy[Any]]


def instances(cls: type[Any]) -> st.SearchStrategy[Any]:
    """Instances of ``cls``; nested models to ``MAX_DEPTH``, then only what a field allows without recursing."""
    return _instances(cls, 0, {})


def _instances(cls: type[Any], depth: int, memo: Memo) -> st.SearchStrategy[Any]:
    if (cls, depth) in memo:  # a model met again at the same depth (through a union, a list) shares its strategy
        return memo[cls, depth]
    hints = _hints(cls)
    tags = {field.name: _tag_set(hints[field.name]) for field in attrs.fields(cls) if field.init}
    fields = {name: _deferred(tp, depth + 1, memo) for name, tp in tags.items()}
    made = st.builds(cls, **fields)
    if "additional_properties" not in hints:
        memo[cls, depth] = made
        return made
    item_type = typing.get_args(hints["additional_properties"])[1]
    known: frozenset[str] = getattr(sys.modules[cls.__module__], "_PROPERTY_NAMES", frozenset())
    extra_keys = st.text(min_size=1, max_size=4).filter(lambda key: key not in known)
    # A model that is only a map (no properties) gets at least one entry: an empty JSON object is as valid for every
    # other map in a union, so which one from_dict picks is not the object's to decide.
    at_least = 0 if fields else 1
    extras = st.dictionaries(extra_keys, _deferred(item_type, depth + 1, memo), min_size=at_least, max_size=2)
    memo[cls, depth] = st.tuples(made, extras).map(lambda pair: _with_extras(*pair))
    return memo[cls, depth]


def _deferred(tp: Any, depth: int, memo: Memo) -> st.SearchStrategy[Any]:
    """Built when first drawn: a model's fields may refer back to it."""
    return st.deferred(lambda: _value(tp, depth, memo))


def _tag_set(tp: Any) -> Any:
    """A const field (one literal, or UNSET) is always set: it is the tag that tells a tagged union's members apart,
    and without it the JSON of one member is as valid for another (the server always sends it)."""
    members = typing.get_args(tp) if typing.get_origin(tp) in (typing.Union, types.UnionType) else ()
    literals = [m for m in members if typing.get_origin(m) is typing.Literal]
    others = [m for m in members if typing.get_origin(m) is not typing.Literal]
    if len(literals) == 1 and len(typing.get_args(literals[0])) == 1 and all(_is_unset(m) for m in others):
        return literals[0]
    return tp


def _is_unset(tp: Any) -> bool:
    return getattr(tp, "__name__", "") == "Unset"


def _with_extras(instance: Any, extras: dict[str, Any]) -> Any:
    instance.additional_properties.update(extras)
    return instance


def _value(tp: Any, depth: int, memo: Memo) -> st.SearchStrategy[Any]:
    origin = typing.get_origin(tp)
    args = typing.get_args(tp)
    if origin in (typing.Union, types.UnionType):
        members = list(args)
        if depth >= MAX_DEPTH:  # stop recursing where the type allows a leaf
            leaves = [m for m in members if not attrs.has(m) and typing.get_origin(m) not in (list, dict)]
            members = leaves or members
        return st.one_of(*(_value(member, depth, memo) for member in members))
    if origin is typing.Literal:
        return st.sampled_from(args)
    if origin is list:
        return st.lists(_value(args[0], depth + 1, memo), max_size=0 if depth >= MAX_DEPTH else 2)
    if origin is dict:
        return st.dictionaries(
            st.text(max_size=4), _value(args[1], depth + 1, memo), max_size=0 if depth >= MAX_DEPTH else 2
        )
    if attrs.has(tp):
        return _instances(tp, min(depth, MAX_DEPTH), memo)
    return _scalar(tp)


def _scalar(tp: Any) -> st.SearchStrategy[Any]:
    if tp is type(None):
        return st.none()
    if _is_unset(tp):
        return st.just(vars(sys.modules[tp.__module__])["UNSET"])
    simple: dict[Any, st.SearchStrategy[Any]] = {
        bool: st.booleans(),
        int: st.integers(-(2**53), 2**53),
        float: st.floats(allow_nan=False, allow_infinity=False),
        str: st.text(max_size=8),
        uuid.UUID: st.uuids(),
        datetime.date: st.dates(),
        datetime.datetime: st.datetimes(timezones=st.sampled_from([None, datetime.UTC])),
        typing.Any: _JSON_SCALARS,
    }
    if tp in simple:
        return simple[tp]
    planted = _planted_unknown(tp)
    if planted is not None:
        return planted
    raise TypeError(f"no strategy for {tp!r}")


def _planted_unknown(tp: Any) -> st.SearchStrategy[Any] | None:
    """A value a newer server could send, for a property a response holds (``ProjectType | UnknownEnumValue``):
    one no enum lists, as the generated code keeps it. Known by name, as the full-spec package is another module."""
    name = getattr(tp, "__name__", "")
    if name == "UnknownEnumValue":
        return st.from_regex(r"\Anewer_[a-z]{1,6}\Z").map(lambda value: tp(value, "Planted"))
    if name == "UnknownIntEnumValue":
        return st.integers(10**6, 10**6 + 1000).map(lambda value: tp(value, "Planted"))
    return None


def unknown_values(value: Any, path: str = "") -> list[tuple[str, str]]:
    """Where ``value`` holds an unknown enum value, with its type's name: what a round trip must keep typed."""
    if attrs.has(type(value)):
        found = [item for field in attrs.fields(type(value)) for item in _unknowns_in(value, field.name, path)]
        return found
    if isinstance(value, list):
        return [item for index, member in enumerate(value) for item in unknown_values(member, f"{path}[{index}]")]
    if isinstance(value, dict):
        return [item for key, member in value.items() for item in unknown_values(member, f"{path}[{key!r}]")]
    name = type(value).__name__
    return [(path, name)] if name in ("UnknownEnumValue", "UnknownIntEnumValue") else []


def _unknowns_in(instance: Any, name: str, path: str) -> list[tuple[str, str]]:
    return unknown_values(getattr(instance, name), f"{path}.{name}")


def same_json_possible(cls: type[Any]) -> bool:
    """Whether two different instances of ``cls`` can have the same JSON: a union (anywhere inside) with two or more
    members that are JSON objects or arrays and carry no distinct ``const`` tag. ``anyOf`` of a map and a message,
    or of two lists of maps, is such a union: from_dict reads the JSON as the first member that accepts it, so only
    the JSON round-trips, not the choice of member."""
    return _overlaps(cls, set())


def _overlaps(tp: Any, seen: set[Any]) -> bool:
    if attrs.has(tp):
        if tp in seen:
            return False
        seen.add(tp)
        return any(_overlaps(hint, seen) for hint in _hints(tp).values())
    args = typing.get_args(tp)
    if typing.get_origin(tp) in (typing.Union, types.UnionType):
        structured = [m for m in args if attrs.has(m) or typing.get_origin(m) in (list, dict)]
        if len(structured) > 1 and not _tagged(structured):
            return True
    return any(_overlaps(arg, seen) for arg in args if not isinstance(arg, (str, int, bool)))


def _tagged(members: list[Any]) -> bool:
    """Every member is a model with a one-value literal field of a name they share, each a different value."""
    if not all(attrs.has(m) for m in members):
        return False
    tags = [{name: _only_literal(hint) for name, hint in _hints(m).items()} for m in members]
    for name in set.intersection(*(set(k for k, v in t.items() if v is not None) for t in tags)):
        if len({t[name] for t in tags}) == len(members):
            return True
    return False


def _only_literal(tp: Any) -> Any:
    literal = _tag_set(tp)
    args = typing.get_args(literal)
    return args[0] if typing.get_origin(literal) is typing.Literal and len(args) == 1 else None
