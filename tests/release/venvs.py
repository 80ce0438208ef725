"""Fresh virtual environments with the locked runtime dependencies of some extras only, for subprocess tests."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _uv() -> str:
    found = ROOT / ".tools" / "bin" / "uv"
    if found.exists():
        return str(found)
    on_path = shutil.which("uv")
    if on_path is None:
        pytest.fail("needs uv: run `make setup` (it installs one in .tools/)")
    return on_path


def _run(command: Sequence[str | Path]) -> None:
    environ = {key: value for key, value in os.environ.items() if not key.startswith(("UV_", "VIRTUAL_ENV"))}
    done = subprocess.run([str(part) for part in command], capture_output=True, text=True, env=environ, check=False)
    assert done.returncode == 0, f"{' '.join(map(str, command))}:\n{done.stdout}{done.stderr}"


def runtime_venv(where: Path, extras: Sequence[str], also: Sequence[str] = ()) -> Path:
    """A venv holding the locked dependencies of the package with ``extras`` (and the requirements ``also``) and
    nothing else; returns its python.

    The package itself comes from the working tree through ``PYTHONPATH`` (see ``environ``), so nothing is built.
    """
    uv = _uv()
    requirements = where / "requirements.txt"
    flags = [f"--extra={extra}" for extra in extras]
    _run([uv, "export", "--frozen", "--no-dev", "--no-emit-project", "--no-hashes", *flags, "-o", requirements])
    _run([uv, "venv", "--quiet", "--python", sys.executable, where / "venv"])
    python = where / "venv" / "bin" / "python"
    _run([uv, "pip", "install", "--quiet", "--python", python, "-r", requirements, *also])
    return python


def environ(**extra: str) -> dict[str, str]:
    """The environment for a subprocess in such a venv: the working tree's packages, no GALILEO_* settings."""
    kept = {key: value for key, value in os.environ.items() if not key.startswith(("GALILEO_", "PYTHONPATH"))}
    paths = os.pathsep.join(str(ROOT / folder) for folder in ("wrapper", "generated"))
    return {**kept, "PYTHONPATH": paths, "COLUMNS": "200", **extra}
