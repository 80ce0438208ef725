"""What a generated package was made from, written into it as ``provenance.json``.

The modules carry no digest (a header change would rewrite every file on any spec edit); this one file does: the
upstream spec's title and version and a SHA-256 of the spec as selected, the generator and its version, a SHA-256
of the templates and the generator configuration, and the operations generated. The wheel copies it into its
``.dist-info`` (pyproject.toml) and ``galileo-insights --version`` prints it, so a bug report says which spec and
which generator made the code it ran.
"""

from __future__ import annotations

import hashlib
import json
from importlib.metadata import version
from pathlib import Path
from typing import Any

from .jsonfile import dumps
from .operations import operations_in

FILE_NAME = "provenance.json"


def tree_sha256(*roots: Path) -> str:
    """One digest over every file under ``roots`` (or the file itself), by relative path and bytes."""
    digest = hashlib.sha256()
    for root in roots:
        files = sorted(p for p in root.rglob("*") if p.is_file()) if root.is_dir() else [root]
        for path in files:
            name = path.relative_to(root).as_posix() if root.is_dir() else root.name
            digest.update(name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def provenance(spec: dict[str, Any], templates: Path, config: Path) -> dict[str, Any]:
    """The record for a package generated from ``spec`` (as selected, before normalization)."""
    info = spec.get("info", {})
    return {
        "spec": {
            "title": str(info.get("title", "")),
            "version": str(info.get("version", "")),
            # The bytes `make spec` commits, so `sha256sum openapi/openapi.json` gives the same digest.
            "sha256": hashlib.sha256(dumps(spec).encode("utf-8")).hexdigest(),
        },
        "generator": {"name": "openapi-python-client", "version": version("openapi-python-client")},
        "templates_sha256": tree_sha256(templates, config),
        "operations": [f"{method.upper()} {path}" for method, path, _ in operations_in(spec.get("paths", {}))],
    }


def write_provenance(package: Path, record: dict[str, Any]) -> None:
    (package / FILE_NAME).write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
