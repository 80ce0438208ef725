"""The ``galileo-insights`` command line. It needs the ``cli`` extra (typer and rich), imported only here."""

from __future__ import annotations

import sys
from collections.abc import Sequence

_CLI_DEPENDENCIES = frozenset({"typer", "rich", "click"})


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``galileo-insights`` on ``argv`` (default ``sys.argv[1:]``) and return the exit code."""
    try:
        from ._app import run  # noqa: PLC0415 - typer and rich are an optional extra
    except ModuleNotFoundError as exc:
        if exc.name not in _CLI_DEPENDENCIES:
            raise
        print(
            f"galileo-insights: the command line needs the 'cli' extra ({exc.name} is missing): "
            "pip install 'galileo-insights[cli]'",
            file=sys.stderr,
        )
        return 2
    return run(argv)


__all__ = ["main"]
