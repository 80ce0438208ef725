"""Read and write spec documents in the one form we commit: upstream's key order, two-space indent.

Keys are not sorted: openapi-python-client orders a model's fields (and so its constructor's parameters)
as the schema lists its properties, and upstream lists ``id, created_at, updated_at, ...`` as Galileo's own
SDK does. Sorting would turn that into alphabetical order.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any


def dumps(document: Any) -> str:
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def write_atomically(path: Path, document: Any) -> None:
    """Replace ``path`` in one step, so an interrupted run never leaves a half-written spec behind."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(dumps(document))
        os.replace(tmp_name, path)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise


def load(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))
