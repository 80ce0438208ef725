"""Importing an optional library on first use; a missing one is a ``MissingExtraError`` saying what to install."""

from __future__ import annotations

import importlib
from types import ModuleType

from ._errors import GalileoInsightsError

_INSTALL_HINTS = {
    "pyarrow": "pip install 'galileo-insights[data]'",
    "pandas": "pip install pandas",
    "polars": "pip install polars",
    "starlette": "pip install 'galileo-insights[server]'",
    "uvicorn": "pip install 'galileo-insights[server]'",
    "genai_prices": "pip install 'galileo-insights[prices]'",
    "altair": "pip install 'galileo-insights[report]'",
    "vl_convert": "pip install 'galileo-insights[report]'",
    "dlt": "pip install 'galileo-insights[dlt]'",
}


class MissingExtraError(GalileoInsightsError, ModuleNotFoundError):
    """A feature needs a library that is not installed (an extra of the package, or pandas/polars).

    Still a ``ModuleNotFoundError`` (``.name`` is the missing package), so ``except ImportError`` keeps working;
    the message is one line ending in the command that installs it.
    """


def require(module: str, feature: str) -> ModuleType:
    """``module`` imported, or a ``MissingExtraError`` naming ``feature`` and how to install what it needs."""
    try:
        return importlib.import_module(module)
    except ModuleNotFoundError as exc:
        top = module.partition(".")[0]
        if exc.name is not None and exc.name.partition(".")[0] != top:
            raise
        raise MissingExtraError(f"{feature} needs {top}: {_INSTALL_HINTS[top]}", name=top) from None
