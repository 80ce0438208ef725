"""Facts about the parsed API that the templates ask per property, computed once in Python before rendering.

Asked in Jinja, each of them walked the whole parse: "is this model an item of a list anywhere?" visited every
model's properties and every endpoint's responses for every model, and "which model is this union member?" filtered
every model per member, so rendering grew with the square of the spec (98 CPU-s at 200 operations against 4.7 for
the stock templates). Here each is one walk, and a template's question is a set or dict lookup.

The templates reach these through the ``facts`` global (``codegen.py`` installs it).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from openapi_python_client.parser import GeneratorData

# From their modules: the package's __all__ does not list them all.
from openapi_python_client.parser.properties.boolean import BooleanProperty
from openapi_python_client.parser.properties.float import FloatProperty
from openapi_python_client.parser.properties.int import IntProperty
from openapi_python_client.parser.properties.list_property import ListProperty
from openapi_python_client.parser.properties.model_property import ModelProperty
from openapi_python_client.parser.properties.none import NoneProperty
from openapi_python_client.parser.properties.string import StringProperty
from openapi_python_client.parser.properties.union import UnionProperty

# The JSON type of each scalar property class from_dict checks (scalar_checks.jinja). StringProperty is matched
# exactly: its subclasses (dates, ids, enums) are parsed by their own templates, not checked as plain strings.
_SCALAR_KINDS: dict[type[Any], str] = {
    IntProperty: "integer",
    FloatProperty: "number",
    BooleanProperty: "boolean",
    StringProperty: "string",
    NoneProperty: "null",
}


def member_kinds(members: Iterable[Any]) -> str:
    """The JSON types of a union's members, ``"integer|null"``; ``""`` when any member is not a plain scalar."""
    kinds = [_SCALAR_KINDS.get(type(member)) for member in members]
    if not kinds or None in kinds:
        return ""
    return "|".join(kind for kind in kinds if kind)


def json_kinds(prop: Any) -> str:
    """The JSON types a value of ``prop`` may have; ``""`` when it is not a scalar or a union of scalars."""
    return member_kinds(prop.inner_properties if isinstance(prop, UnionProperty) else [prop])


@dataclass
class TemplateFacts:
    """What the templates look up by model class name; build with :func:`collect`."""

    models: dict[str, ModelProperty] = field(default_factory=dict)
    flat: frozenset[str] = frozenset()
    listed: frozenset[str] = frozenset()

    # The templates call these three as functions; the two above are kept as module functions for tests.
    json_kinds = staticmethod(json_kinds)
    member_kinds = staticmethod(member_kinds)

    def model(self, class_name: str) -> ModelProperty | None:
        """The finished model of that name (a union member or a property may hold a copy taken mid-parse)."""
        return self.models.get(class_name)

    def is_flat(self, class_name: str) -> bool:
        """Every property of the model is a scalar or a union of scalars (model_property.py.jinja inlines it)."""
        return class_name in self.flat

    @staticmethod
    def instance_name(model: ModelProperty) -> str:
        """The local from_dict builds the instance in: the module's name, unless a property's locals take it.

        A model with a property of its own snake_case name (``MetricCritiqueColumns.metric_critique_columns``) would
        otherwise store the instance into itself, losing the property's value.
        """
        taken = {local for prop in _fields(model) for local in (prop.python_name, f"_{prop.python_name}")}
        name = str(model.class_info.module_name)
        while name in taken or f"{name}_list" in taken:
            name = f"{name}_"
        return name

    def is_listed(self, class_name: str) -> bool:
        """The model is not flat and is the item of a list somewhere: it gets ``_from_dict_list``."""
        return class_name in self.listed


def collect(openapi: GeneratorData) -> TemplateFacts:
    """One walk over the models and the endpoints' responses."""
    models = {str(model.class_info.name): model for model in reversed(openapi.models)}  # the first of a name wins
    flat = frozenset(
        name for name, model in models.items() if (fields := _fields(model)) and all(json_kinds(f) for f in fields)
    )
    roots: list[Any] = []
    for model in openapi.models:
        roots.extend(_fields(model))
        if model.additional_properties and getattr(model.additional_properties, "template", None):
            roots.append(model.additional_properties)
    for collection in openapi.endpoint_collections_by_tag.values():
        for endpoint in collection.endpoints:
            roots.extend(response.prop for response in endpoint.responses)
    listed = frozenset(
        item.class_info.name
        for root in roots
        for item in _list_items(root)
        if isinstance(item, ModelProperty) and item.class_info.name not in flat
    )
    return TemplateFacts(models=models, flat=flat, listed=listed)


def _fields(model: ModelProperty) -> list[Any]:
    return [*(model.required_properties or ()), *(model.optional_properties or ())]


def _list_items(prop: Any) -> Iterator[Any]:
    """The item properties of every list inside ``prop`` (through unions and lists of lists)."""
    if isinstance(prop, ListProperty):
        yield prop.inner_property
        yield from _list_items(prop.inner_property)
    elif isinstance(prop, UnionProperty):
        for member in prop.inner_properties:
            yield from _list_items(member)
