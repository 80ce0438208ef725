"""Every public name says what it is: the API reference and IDE hovers are built from these docstrings."""

from __future__ import annotations

import importlib
import inspect
import re
from collections.abc import Callable, Iterator

import pytest

PUBLIC_MODULES = ("galileo_insights", "galileo_insights.testing", "galileo_insights.report", "galileo_insights.dlt")
# Entry methods: their docstrings carry Google-style sections that IDEs render per argument.
SYNC_ENTRY_POINTS = (
    "galileo_insights:TokenUsageResource.list",
    "galileo_insights:TokenUsageResource.totals",
    "galileo_insights:TokenUsageResource.usage_by",
    "galileo_insights:export_to_parquet",
    "galileo_insights:export_dataset",
    "galileo_insights.dlt:galileo_source",
    "galileo_insights:UsageResource.select",
    "galileo_insights:UsageResource.by_period",
    "galileo_insights:UsageResource.records",
    "galileo_insights:UsageReport.plot",
    "galileo_insights.report:ReportDocument.from_rows",
    "galileo_insights.report:ReportDocument.chart",
    "galileo_insights.report:ReportDocument.html",
    "galileo_insights.report:ReportDocument.png",
    "galileo_insights.report:ReportDocument.svg",
    "galileo_insights.report:ReportDocument.write_html",
    "galileo_insights.report:ReportDocument.write_png",
    "galileo_insights.report:ReportDocument.write_svg",
    "galileo_insights.report:usage_chart",
)


def async_twin(path: str) -> str | None:
    """The same method of the async client's class (``AsyncX`` for ``X``) when the module exports one: an async
    client user hovers that one, so it needs the same sections, not a pointer to the sync method."""
    module_name, _, qualified = path.partition(":")
    owner, _, member = qualified.rpartition(".")
    twin = f"Async{owner}"
    if not owner or twin not in importlib.import_module(module_name).__all__:
        return None
    return f"{module_name}:{twin}.{member}"


def with_async_twins(paths: tuple[str, ...]) -> tuple[str, ...]:
    return (*paths, *(twin for twin in map(async_twin, paths) if twin is not None))


ENTRY_POINTS = with_async_twins(SYNC_ENTRY_POINTS)
SECTIONS = ("Args:", "Returns:", "Raises:")
POINTER = re.compile(r"see ``[\w.]+``\.?$")  # "...; see ``UsageResource.by_period``."


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


def test_the_async_twins_are_found_and_pointers_are_refused() -> None:
    twins = set(ENTRY_POINTS) - set(SYNC_ENTRY_POINTS)
    assert {path.partition(":")[2].partition(".")[0] for path in twins} == {
        "AsyncTokenUsageResource",
        "AsyncUsageResource",
    }
    assert POINTER.search("Token usage per period for every selected log stream; see ``UsageResource.by_period``.")


@pytest.mark.parametrize("path", ENTRY_POINTS)
def test_entry_points_document_their_arguments_result_and_errors(path: str) -> None:
    docstring = inspect.getdoc(resolve(path)) or ""
    parameters = [
        parameter for parameter in inspect.signature(resolve(path)).parameters.values() if parameter.name != "self"
    ]
    sections = SECTIONS if parameters else SECTIONS[1:]  # nothing to describe: no Args section
    for section in sections:
        assert f"\n{section}\n" in f"\n{docstring}\n", f"{path} has no {section} section"
    summary = docstring.split("\n\n", 1)[0]
    assert not POINTER.search(summary), f"{path}: the summary points elsewhere instead of describing the call"
    if not parameters:
        return
    arguments = docstring.split("Args:", 1)[1].split("Returns:", 1)[0]
    for parameter in parameters:
        if parameter.name == "cls":
            continue
        stars = STARS.get(parameter.kind, "")
        assert f"\n    {stars}{parameter.name}:" in arguments, f"{path}: argument {parameter.name} is not described"
