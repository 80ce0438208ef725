"""Every public name says what it is: the API reference and IDE hovers are built from these docstrings."""

from __future__ import annotations

import importlib
import inspect
from collections.abc import Callable, Iterator

import pytest

PUBLIC_MODULES = ("galileo_insights", "galileo_insights.testing", "galileo_insights.report")
# Entry methods: their docstrings carry Google-style sections that IDEs render per argument.
ENTRY_POINTS = (
    "galileo_insights:TokenUsageResource.list",
    "galileo_insights:TokenUsageResource.totals",
    "galileo_insights:TokenUsageResource.usage_by",
    "galileo_insights:export_to_parquet",
    "galileo_insights:UsageResource.by_period",
    "galileo_insights:UsageResource.records",
    "galileo_insights.report:ReportDocument.from_rows",
    "galileo_insights.report:usage_chart",
)
SECTIONS = ("Args:", "Returns:", "Raises:")


def public_objects() -> Iterator[tuple[str, object]]:
    """Each public class and function, and each public method or property a public class defines."""
    for module_name in PUBLIC_MODULES:
        module = importlib.import_module(module_name)
        for name in module.__all__:
            value = getattr(module, name)
            if not (inspect.isclass(value) or inspect.isfunction(value)):
                continue  # constants are documented where they are defined, as attribute docstrings
            yield f"{module_name}.{name}", value
            if inspect.isclass(value):
                yield from public_members(f"{module_name}.{name}", value)


def public_members(path: str, cls: type) -> Iterator[tuple[str, object]]:
    """The public methods and properties of ``cls``, inherited ones included when the SDK wrote them (a mixin's
    ``to_arrow`` is what an IDE shows on the pager)."""
    for owner in cls.__mro__:
        if not owner.__module__.startswith("galileo_insights"):
            continue
        for member, attribute in vars(owner).items():
            function = attribute.fget if isinstance(attribute, property) else attribute
            function = getattr(function, "__func__", function)
            if not member.startswith("_") and inspect.isfunction(function):
                yield f"{path}.{member}", function


def own_docstring(value: object) -> str:
    """The docstring written for ``value`` itself, not one inherited from a base class."""
    if inspect.isclass(value):
        return value.__dict__.get("__doc__") or ""
    return getattr(value, "__doc__", None) or ""


def test_every_public_name_has_a_docstring() -> None:
    missing = [name for name, value in public_objects() if not own_docstring(value).strip()]
    assert missing == []


def resolve(path: str) -> Callable[..., object]:
    module_name, _, qualified = path.partition(":")
    value: object = importlib.import_module(module_name)
    for part in qualified.split("."):
        value = getattr(value, part)
    assert callable(value)
    return value


STARS: dict[inspect._ParameterKind, str] = {inspect.Parameter.VAR_POSITIONAL: "*", inspect.Parameter.VAR_KEYWORD: "**"}


@pytest.mark.parametrize("path", ENTRY_POINTS)
def test_entry_points_document_their_arguments_result_and_errors(path: str) -> None:
    docstring = inspect.getdoc(resolve(path)) or ""
    for section in SECTIONS:
        assert f"\n{section}\n" in f"\n{docstring}\n", f"{path} has no {section} section"
    parameters = inspect.signature(resolve(path)).parameters.values()
    arguments = docstring.split("Args:", 1)[1].split("Returns:", 1)[0]
    for parameter in parameters:
        if parameter.name in ("self", "cls"):
            continue
        stars = STARS.get(parameter.kind, "")
        assert f"\n    {stars}{parameter.name}:" in arguments, f"{path}: argument {parameter.name} is not described"
