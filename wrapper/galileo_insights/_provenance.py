"""What the generated package was made from (its ``provenance.json``, written by ``make generate``), for
``galileo-insights --version`` and bug reports: which spec, which generator, which templates, which operations."""

from __future__ import annotations

import json
from importlib.resources import files
from typing import Any


def provenance() -> dict[str, Any]:
    """The record as generated; ``{}`` when the generated package carries none (an older build)."""
    try:
        text = files("galileo_insights_api").joinpath("provenance.json").read_text(encoding="utf-8")
    except (FileNotFoundError, ModuleNotFoundError):
        return {}
    record: dict[str, Any] = json.loads(text)
    return record


def provenance_lines() -> list[str]:
    """Four short lines; the operations by count (``provenance()`` lists them)."""
    record = provenance()
    if not record:
        return ["generated from: (no provenance recorded)"]
    spec, generator = record["spec"], record["generator"]
    return [
        f"spec: {spec['title']} {spec['version']} (sha256 {spec['sha256'][:16]})",
        f"generator: {generator['name']} {generator['version']}, templates sha256 {record['templates_sha256'][:16]}",
        f"operations: {len(record['operations'])} selected",
    ]
