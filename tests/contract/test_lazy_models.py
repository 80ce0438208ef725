"""The lazy ``galileo_insights_api.models`` package (openapi/templates/models_init.py.jinja) behaves like stock's."""

from __future__ import annotations

import importlib
import pkgutil
import subprocess
import sys

import pytest

import galileo_insights_api.models as models


def test_every_exported_name_is_the_object_its_module_defines() -> None:
    found = set()
    for module_info in pkgutil.iter_modules(models.__path__):
        module = importlib.import_module(f"{models.__name__}.{module_info.name}")
        for name in set(models.__all__) & set(vars(module)):
            if getattr(module, name).__module__ in (module.__name__, "typing"):  # defined there, or a Literal alias
                assert getattr(models, name) is getattr(module, name)
                found.add(name)
    assert found == set(models.__all__)


def test_an_unknown_name_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="has no attribute 'NoSuchModel'"):
        _ = models.NoSuchModel


def test_importing_the_sdk_does_not_load_the_lookup_models() -> None:
    script = (
        "import sys, galileo_insights; "
        "print(sorted(m for m in sys.modules if m.startswith('galileo_insights_api.models.project')))"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"
