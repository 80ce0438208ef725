"""The lazy ``galileo_insights_api.models`` package (openapi/templates/models_init.py.jinja) behaves like stock's."""

from __future__ import annotations

import importlib
import subprocess
import sys

import pytest

import galileo_insights_api.models as models


def test_every_exported_name_resolves_to_its_modules_class() -> None:
    for name in models.__all__:
        value = getattr(models, name)
        assert value.__module__.startswith("galileo_insights_api.models.")
        assert getattr(importlib.import_module(value.__module__), name) is value


def test_an_unknown_name_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="has no attribute 'NoSuchModel'"):
        _ = models.NoSuchModel  # type: ignore[attr-defined] # the point of the test


def test_importing_the_sdk_does_not_load_the_lookup_models() -> None:
    script = (
        "import sys, galileo_insights; "
        "print(sorted(m for m in sys.modules if m.startswith('galileo_insights_api.models.project')))"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"
