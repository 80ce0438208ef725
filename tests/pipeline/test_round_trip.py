"""Every generated model round-trips: ``from_dict(to_dict(x)) == x`` over generated instances, and every module imports.

Instances of the models a response can hold carry planted unknown enum values (a newer server's, ``instances.py``),
which must come back as ``UnknownEnumValue`` / ``UnknownIntEnumValue``, not as plain strings.

Where the spec allows two different instances the same JSON (an ``anyOf`` of two maps, say: ``same_json_possible``),
the JSON is what must survive: ``to_dict(from_dict(to_dict(x))) == to_dict(x)``, checked for every model.

By default this checks the committed package (the shipped selection). ``make check-full-spec`` points
``GALILEO_FULL_SPEC_PACKAGE`` at the package generated from all of Galileo's operations, where the templates meet
every shape the spec has (self-named properties, unions of lists, maps of models).
"""

from __future__ import annotations

import importlib
import os
import pkgutil
import sys
import warnings
from pathlib import Path
from types import ModuleType
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .generated_package import forget_variant, generate_variant, import_variant, submodule
from .instances import can_build, instances, same_json_possible, unknown_values

FULL_PACKAGE = os.environ.get("GALILEO_FULL_SPEC_PACKAGE")
if FULL_PACKAGE:
    # Hypothesis 6.170 links each test's settings to the previous one's (a chain it walks recursively to find the
    # example database): about 950 tests in one process pass the default recursion limit of 1000.
    sys.setrecursionlimit(max(sys.getrecursionlimit(), 10_000))
VARIANT = "galileo_full_spec_api"


def _package() -> ModuleType:
    if FULL_PACKAGE:
        return import_variant(Path(FULL_PACKAGE), VARIANT)
    return importlib.import_module("galileo_insights_api")


PACKAGE = _package()
MODELS = [
    model
    for name in importlib.import_module(f"{PACKAGE.__name__}.models").__all__
    if attrs.has(model := getattr(importlib.import_module(f"{PACKAGE.__name__}.models"), name)) and can_build(model)
]
ROUND_TRIP = settings(
    max_examples=int(os.environ.get("GALILEO_ROUND_TRIP_EXAMPLES", "25")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    database=None,
)


def test_every_module_imports() -> None:
    names = [info.name for info in pkgutil.walk_packages(PACKAGE.__path__, f"{PACKAGE.__name__}.")]

    for name in names:
        importlib.import_module(name)

    assert len(names) > len(MODELS) > 0


def round_trips(model: type[Any], instance: Any) -> None:
    as_dict = instance.to_dict()
    with warnings.catch_warnings():  # planted unknown enum values (instances.py) warn the first time they are read
        warnings.simplefilter("ignore", importlib.import_module(f"{PACKAGE.__name__}.types").UnknownEnumValueWarning)
        again = model.from_dict(as_dict)

    assert again.to_dict() == as_dict
    if not same_json_possible(model):
        assert again == instance
        assert unknown_values(again) == unknown_values(instance)  # still UnknownEnumValue, not a plain str


@pytest.mark.parametrize("model", MODELS, ids=lambda model: model.__name__)
@ROUND_TRIP
@given(data=st.data())
def test_a_model_round_trips(model: type[Any], data: st.DataObject) -> None:
    round_trips(model, data.draw(instances(model)))


def test_a_model_with_a_property_of_its_own_name_keeps_it(tmp_path: Path, pinned: dict[str, Any]) -> None:
    """Galileo's MetricCritiqueColumns.metric_critique_columns: from_dict stored the instance into itself."""
    pinned["components"]["schemas"]["MetricCritiqueColumns"] = {
        "type": "object",
        "title": "MetricCritiqueColumns",
        "required": ["metric_critique_columns"],
        "properties": {
            "metric_critique_columns": {"type": "array", "items": {"$ref": "#/components/schemas/TokenUsage"}}
        },
    }
    package = generate_variant(tmp_path, pinned)
    try:
        import_variant(package, "self_named_api")
        model = submodule("self_named_api", "models.metric_critique_columns").MetricCritiqueColumns
        token_usage = submodule("self_named_api", "models.token_usage").TokenUsage
        row = {"input_tokens": 1, "output_tokens": 2}

        parsed = model.from_dict({"metric_critique_columns": [row]})

        assert isinstance(parsed.metric_critique_columns, list)
        assert parsed.to_dict() == {"metric_critique_columns": [token_usage.from_dict(row).to_dict()]}
        round_trips(model, parsed)
    finally:
        forget_variant("self_named_api")
