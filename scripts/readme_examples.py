"""Run the README's Python examples, in order and in one namespace, against a fake Galileo served on 127.0.0.1.

    python scripts/readme_examples.py [README.md]

Needs only the installed package with its ``server`` and ``dlt`` extras (and what the examples import: pandas,
pytest, duckdb), so it runs as well in a fresh environment holding just the built wheel as in the development one.
"""

from __future__ import annotations

import contextlib
import os
import re
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from galileo_insights.testing import FakeGalileo

README = Path(__file__).resolve().parents[1] / "README.md"
PYTHON_BLOCK = re.compile(r"```python\n(.*?)```", re.DOTALL)
# Settings the examples must not inherit from the caller's environment: the fake's URL and key are the only ones.
_CLEARED = (
    *("GALILEO_JWT_TOKEN", "GALILEO_USERNAME", "GALILEO_PASSWORD", "GALILEO_CONSOLE_URL"),
    *("GALILEO_PROJECT_ID", "GALILEO_PROJECT", "GALILEO_LOG_STREAM_ID", "GALILEO_LOG_STREAM"),
)


def python_blocks(readme: Path = README) -> list[str]:
    return PYTHON_BLOCK.findall(readme.read_text(encoding="utf-8"))


@contextmanager
def _environment(**variables: str) -> Iterator[None]:
    saved = dict(os.environ)
    for name in _CLEARED:
        os.environ.pop(name, None)
    os.environ.update(variables)
    try:
        yield
    finally:
        os.environ.clear()
        os.environ.update(saved)


def run_examples(readme: Path = README) -> tuple[FakeGalileo, dict[str, Any]]:
    """Every Python block of ``readme`` executed as written; the fake they ran against and their namespace.

    They run in a temporary directory, where the dlt example keeps its DuckDB file and pipeline state.
    """
    fake = FakeGalileo(records=1_000, seed=7)
    namespace: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="readme-examples-") as folder, contextlib.chdir(folder):
        dlt = {"DLT_DATA_DIR": str(Path(folder) / "dlt"), "RUNTIME__DLTHUB_TELEMETRY": "false"}
        with fake.serve() as url, _environment(GALILEO_API_URL=url, GALILEO_API_KEY=fake.api_key, **dlt):
            for block in python_blocks(readme):
                exec(compile(block, str(readme), "exec"), namespace)  # noqa: S102 - the README's own examples
    return fake, namespace


def main() -> int:
    readme = Path(sys.argv[1]) if len(sys.argv) > 1 else README
    fake, _ = run_examples(readme)
    print(f"readme_examples: {len(python_blocks(readme))} blocks ran, {len(fake.requests)} requests", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
