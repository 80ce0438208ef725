"""Open response enums: a value a newer server adds to an enum a response holds is kept, not refused.

An enum is a ``Literal`` of the values the spec lists, and stock ``from_dict`` raises on any other. A server one
release ahead of the SDK then breaks every response that holds the new value: in 8 of 24 consecutive Galileo specs
a value was added to an enum ``GET /projects`` returns, and the project lookup (so name resolution) failed for
every user until they upgraded.

So, before rendering, every enum a *response* can hold gets one more union member standing for the values the SDK
does not know (``UnknownEnumMember``, rendered by ``property_templates/unknown_enum_value_property.py.jinja``):

- ``type_: None | ProjectType | Unset`` becomes ``None | ProjectType | UnknownEnumValue | Unset``; a required
  ``role: UserRole`` becomes the union ``UserRole | UnknownEnumValue``; ``list[ProjectLabels]`` becomes
  ``list[ProjectLabels | UnknownEnumValue]``; a union of enums (``Permission.action``, twelve of them) gets one
  member after all of them, so a value is tried as each enum first and only one none of them lists is unknown.
- A union that already takes any string (or any integer, for an integer enum) gets none: it loses nothing now.

Which properties: those of the models a response can reach (through fields, items, unions and maps), and the
responses themselves. A model reached only from request bodies keeps its enums closed, and parameters are never
touched, so requests stay strict: a type checker refuses an unknown value there, and a request model's
``from_dict`` still raises on one. A model used both ways is opened: its ``from_dict`` reads responses.

Properties are replaced in the parsed API (the lists the templates iterate), never in the generator's schema
registry; the generator's own union machinery then writes the type strings, docstrings and ``to_dict``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any, ClassVar

from attrs import define, evolve
from openapi_python_client.parser import GeneratorData
from openapi_python_client.parser.properties import AnyProperty, ModelProperty
from openapi_python_client.parser.properties.int import IntProperty
from openapi_python_client.parser.properties.list_property import ListProperty
from openapi_python_client.parser.properties.literal_enum_property import LiteralEnumProperty
from openapi_python_client.parser.properties.protocol import PropertyProtocol, Value, convert_example
from openapi_python_client.parser.properties.string import StringProperty
from openapi_python_client.parser.properties.union import UnionProperty
from openapi_python_client.schema import UntrustedString
from openapi_python_client.strings import PythonCode, PythonIdentifier

TEMPLATE = "unknown_enum_value_property.py.jinja"


@define
class UnknownEnumMember(PropertyProtocol):
    """The union member for the values of ``enum`` (one enum's class name, or several joined by ``" | "``) that
    the SDK does not know; ``where`` (``ProjectDB.type``) is what the warning names."""

    name: UntrustedString
    required: bool
    default: Value | None
    python_name: PythonIdentifier
    description: UntrustedString | None
    example: UntrustedString | None
    enum: str
    where: str
    value_type: type[str] | type[int]

    template: ClassVar[str] = TEMPLATE

    def convert_value(self, value: Any) -> Value | None:
        return None

    def get_base_type_string(self) -> PythonCode:
        return PythonCode("UnknownEnumValue" if self.value_type is str else "UnknownIntEnumValue")

    def get_base_json_type_string(self) -> PythonCode:
        return PythonCode(self.value_type.__name__)

    def get_instance_type_string(self) -> PythonCode:
        return self.get_base_type_string()

    def get_imports(self, *, prefix: str) -> set[str]:
        return {f"from {prefix}types import {self.get_base_type_string()}, {self.parser}"}

    @property
    def parser(self) -> str:
        """The function in ``types.py`` that keeps such a value (and checks its JSON type)."""
        return "unknown_enum_value" if self.value_type is str else "unknown_int_enum_value"

    @property
    def arguments(self) -> str:
        """The constant arguments of the parser's call after the value, as Python literals (``repr`` is what makes
        the spec's text safe to render)."""
        return f"{self.enum!r}, {self.where!r}"


def open_response_enums(openapi: GeneratorData) -> list[str]:
    """Give every enum a response can hold its unknown-value member, in place; requests are left as they are.
    Returns where (``ProjectDB.type``, ``Permission.action``, ``ProjectDB.labels[]``), sorted."""
    models: dict[str, list[ModelProperty]] = {}
    for model in openapi.models:
        models.setdefault(str(model.class_info.name), []).append(model)
    endpoints = [
        endpoint for collection in openapi.endpoint_collections_by_tag.values() for endpoint in collection.endpoints
    ]
    reached = _response_models((response.prop for endpoint in endpoints for response in endpoint.responses), models)
    opened: list[str] = []
    for name in sorted(reached):
        for model in models[name]:
            for fields in (model.required_properties, model.optional_properties):
                if fields:
                    fields[:] = [_open(field, f"{name}.{_text(field.name)}", opened) for field in fields]
            extra = model.additional_properties
            if extra is not None and not isinstance(extra, bool):
                object.__setattr__(model, "additional_properties", _open(extra, f"{name}[*]", opened))
    for endpoint in endpoints:
        for response in endpoint.responses:
            response.prop = _open(response.prop, f"{endpoint.method.upper()} {endpoint.path} response", opened)
    return sorted(set(opened))


def _response_models(roots: Iterable[Any], models: dict[str, list[ModelProperty]]) -> set[str]:
    """The class names of every model reachable from ``roots``: fields, list items, union members, map values."""
    reached: set[str] = set()
    pending = list(roots)
    while pending:
        prop = pending.pop()
        for model_name in _model_names(prop):
            if model_name in reached or model_name not in models:
                continue
            reached.add(model_name)
            for model in models[model_name]:
                pending.extend([*(model.required_properties or ()), *(model.optional_properties or ())])
                if model.additional_properties is not None and not isinstance(model.additional_properties, bool):
                    pending.append(model.additional_properties)
    return reached


def _model_names(prop: Any) -> Iterator[str]:
    if isinstance(prop, ModelProperty):
        yield str(prop.class_info.name)
    elif isinstance(prop, ListProperty):
        yield from _model_names(prop.inner_property)
    elif isinstance(prop, UnionProperty):
        for member in prop.inner_properties:
            yield from _model_names(member)


def _open(prop: Any, where: str, opened: list[str]) -> Any:
    """``prop`` with an unknown-value member beside each enum it holds (itself if it holds none)."""
    if isinstance(prop, LiteralEnumProperty):
        opened.append(where)
        member = evolve(prop, required=True, default=None, python_name=_name(prop, "type_0"))
        union = UnionProperty(
            name=prop.name,
            required=prop.required,
            default=prop.default,
            python_name=prop.python_name,
            description=prop.description,
            example=prop.example,
            inner_properties=[member],
        )
        return _with_unknown_members(union, where)
    if isinstance(prop, ListProperty):
        inner = _open(prop.inner_property, f"{where}[]", opened)
        return prop if inner is prop.inner_property else evolve(prop, inner_property=inner)
    if isinstance(prop, UnionProperty):
        members = [
            member if isinstance(member, LiteralEnumProperty) else _open(member, where, opened)
            for member in prop.inner_properties
        ]
        widened = _with_unknown_members(evolve(prop, inner_properties=members), where)
        if len(widened.inner_properties) > len(members):
            opened.append(where)
        elif all(new is old for new, old in zip(members, prop.inner_properties, strict=True)):
            return prop
        return widened
    return prop


def _with_unknown_members(union: UnionProperty, where: str) -> UnionProperty:
    """The union with an unknown-value member per value type (str, int) of its enums, after all its members;
    none where a member already takes any value of that type."""
    added: list[PropertyProtocol] = []
    for value_type, takes_any in ((str, StringProperty), (int, IntProperty)):
        enums = [
            member
            for member in union.inner_properties
            if isinstance(member, LiteralEnumProperty) and member.value_type is value_type
        ]
        if not enums or any(type(member) in (takes_any, AnyProperty) for member in union.inner_properties):
            continue
        added.append(
            UnknownEnumMember(
                name=union.name,
                required=True,
                default=None,
                python_name=_name(union, f"unknown_{value_type.__name__}"),
                description=None,
                example=convert_example(None),
                enum=" | ".join(sorted(str(member.class_info.name) for member in enums)),
                where=where,
                value_type=value_type,
            )
        )
    return evolve(union, inner_properties=[*union.inner_properties, *added]) if added else union


def _text(name: Any) -> str:
    """A property's name as the spec writes it; only ever rendered through ``repr`` (a Python string literal)."""
    return name.get_untrusted_value() if isinstance(name, UntrustedString) else str(name)


def _name(prop: Any, suffix: str) -> PythonIdentifier:
    return PythonIdentifier(f"{prop.python_name}_{suffix}", prefix="field_")
