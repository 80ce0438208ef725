"""Generate a package from a variant of the spec and import it beside the committed one, under its own name."""

from __future__ import annotations

import importlib
import importlib.util
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

from spec_pipeline.generate import generate_into
from spec_pipeline.operations import Selection


def generate_variant(workdir: Path, spec: dict[str, Any], selection: Selection | None = None) -> Path:
    """The package ``make generate`` would write for ``spec``; the committed ``generated/`` is not touched."""
    return generate_into(workdir, spec, selection)


def import_variant(package: Path, name: str) -> ModuleType:
    """Import a generated package as ``name`` (its imports are relative, so it does not clash with the real one)."""
    spec = importlib.util.spec_from_file_location(
        name, package / "__init__.py", submodule_search_locations=[str(package)]
    )
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot import {package} as {name}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def forget_variant(name: str) -> None:
    for module in [key for key in sys.modules if key == name or key.startswith(f"{name}.")]:
        del sys.modules[module]


def submodule(name: str, path: str) -> ModuleType:
    return importlib.import_module(f"{name}.{path}")
