"""Importing an optional library on first use, with an error that says which package or extra to install."""

from __future__ import annotations

import importlib
from types import ModuleType

_INSTALL_HINTS = {
    "pyarrow": "pip install 'galileo-insights[data]'",
    "pandas": "pip install pandas",
    "polars": "pip install polars",
    "altair": "pip install 'galileo-insights[report]'",
    "vl_convert": "pip install 'galileo-insights[report]'",
}


def require(module: str, feature: str) -> ModuleType:
    """``module`` imported, or a ``ModuleNotFoundError`` naming ``feature`` and how to install what it needs."""
    try:
        return importlib.import_module(module)
    except ModuleNotFoundError as exc:
        top = module.partition(".")[0]
        if exc.name is not None and exc.name.partition(".")[0] != top:
            raise
        raise ModuleNotFoundError(f"{feature} needs {top}: {_INSTALL_HINTS[top]}", name=top) from exc
