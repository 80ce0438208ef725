"""Compare two OpenAPI specs and say what breaks SDK users; the exit status is the answer.

    .venv/bin/python scripts/spec_diff.py OLD NEW [--markdown]

Exit status: 0 no breaking change, 1 at least one breaking change, 2 the specs cannot be compared (unreadable,
not an OpenAPI document, bad arguments). ``make spec-diff`` calls this and fails when it does, but make reports
every failure as 2; scripts and CI that need to tell "breaking" from "cannot compare" call this file directly.
"""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

OPENAPI = Path(__file__).resolve().parents[1] / "openapi"


def main() -> int:
    sys.path.insert(0, str(OPENAPI))  # spec_pipeline is repository tooling, not part of the installed package
    diff = importlib.import_module("spec_pipeline.diff")
    status: int = diff.main(sys.argv[1:])
    return status


if __name__ == "__main__":
    sys.exit(main())
