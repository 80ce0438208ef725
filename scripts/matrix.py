"""Run the test suite in environments other than ``.venv``: each supported Python, or the declared dependency floors.

    python scripts/matrix.py pythons [3.11 3.12 3.13]      # .venv-py3.X from uv.lock, for each Python
    python scripts/matrix.py resolution lowest-direct      # .venv-lowest-direct: every direct dependency at its floor
    python scripts/matrix.py resolution highest            # .venv-highest: the newest releases pyproject.toml allows

Arguments after ``--`` go to pytest. A Python that is not on this machine is reported and fails the run: a matrix
that skips what it cannot find would pass on a machine that tested nothing. Interpreters are looked up as
``python3.X`` on PATH, then under ``~/.pyenv/versions/3.X.*``.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import time
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
UV = ROOT / ".tools" / "bin" / "uv"
SUPPORTED = ("3.11", "3.12", "3.13")
EXTRAS = tuple(tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["optional-dependencies"])
# Two workers per core, at most 8, as `make test` (most tests wait on a loopback server or a child process).
WORKERS = str(min(8, 2 * (os.cpu_count() or 1)))
PYTEST = ("-m", "pytest", "-n", WORKERS, "--dist", "worksteal", "-q", "-p", "no:cacheprovider")


@dataclass(frozen=True)
class Outcome:
    name: str
    status: str  # "passed", "FAILED", "MISSING"
    detail: str

    @property
    def ok(self) -> bool:
        return self.status == "passed"


def find_python(version: str, pyenv_root: Path | None = None) -> Path | None:
    """``python3.X`` on PATH, else the newest ``~/.pyenv/versions/3.X.N``, whichever runs and is that version.

    A pyenv shim is on PATH for every installed version but runs only those pyenv has activated, hence the check.
    """
    root = pyenv_root or Path(os.environ.get("PYENV_ROOT", Path.home() / ".pyenv"))
    pattern = re.compile(rf"{re.escape(version)}\.(\d+)")
    installed = sorted(
        (
            (int(match.group(1)), candidate / "bin" / f"python{version}")
            for candidate in (root / "versions").glob(f"{version}.*")
            if (match := pattern.fullmatch(candidate.name))
        ),
        reverse=True,
    )
    on_path = shutil.which(f"python{version}")
    candidates = ([Path(on_path)] if on_path else []) + [python for _, python in installed]
    return next((python for python in candidates if _runs_as(python, version)), None)


def _runs_as(python: Path, version: str) -> bool:
    try:
        done = subprocess.run(
            [str(python), "-c", "import sys; print('%d.%d' % sys.version_info[:2])"],
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        )
    except OSError:
        return False
    return done.returncode == 0 and done.stdout.strip() == version


def _environ() -> dict[str, str]:
    environ = {key: value for key, value in os.environ.items() if not key.startswith(("UV_", "VIRTUAL_ENV"))}
    environ["UV_PYTHON_DOWNLOADS"] = "never"
    environ.pop("PYTHONDONTWRITEBYTECODE", None)  # each environment compiles once, not once per worker and run
    return environ


def _run(command: Sequence[str | Path], environ: dict[str, str]) -> int:
    print("+", " ".join(str(part) for part in command), flush=True)
    return subprocess.run([str(part) for part in command], cwd=ROOT, env=environ, check=False).returncode


def _suite(name: str, venv: Path, environ: dict[str, str], pytest_args: Sequence[str]) -> Outcome:
    started = time.monotonic()
    code = _run([venv / "bin" / "python", *PYTEST, *pytest_args], environ)
    seconds = f"{time.monotonic() - started:.0f} s"
    if code == 0:
        return Outcome(name, "passed", seconds)
    return Outcome(name, "FAILED", f"pytest exit {code} after {seconds}")


def run_python(version: str, pytest_args: Sequence[str]) -> Outcome:
    """The locked environment (all extras, dev group) on one Python, then the suite."""
    python = find_python(version)
    if python is None:
        return Outcome(version, "MISSING", f"no python{version} on PATH or under ~/.pyenv/versions/{version}.*")
    venv = ROOT / f".venv-py{version}"
    environ = {**_environ(), "UV_PROJECT_ENVIRONMENT": str(venv)}
    code = _run([UV, "sync", "--frozen", "--all-extras", "--quiet", "--python", python], environ)
    if code != 0:
        return Outcome(version, "FAILED", f"uv sync exit {code}")
    return _suite(version, venv, environ, pytest_args)


def run_resolution(resolution: str, pytest_args: Sequence[str]) -> Outcome:
    """A fresh environment resolved from pyproject.toml (not the lock) with one strategy, then the suite."""
    python = find_python(SUPPORTED[0])
    if python is None:
        return Outcome(resolution, "MISSING", f"no python{SUPPORTED[0]}")
    venv = ROOT / f".venv-{resolution}"
    environ = _environ()
    steps: tuple[list[str | Path], ...] = (
        [UV, "venv", "--quiet", "--clear", "--python", python, venv],
        [
            *(UV, "pip", "install", "--quiet", "--python", venv / "bin" / "python"),
            *("--resolution", resolution, "--group", "dev", "--editable", f".[{','.join(EXTRAS)}]"),
        ],
    )
    for step in steps:
        code = _run(step, environ)
        if code != 0:
            return Outcome(resolution, "FAILED", f"{step[1]} exit {code}")
    _run([UV, "pip", "freeze", "--python", venv / "bin" / "python"], environ)  # the versions tested, in the log
    return _suite(resolution, venv, environ, pytest_args)


def report(outcomes: Sequence[Outcome]) -> int:
    print("\nmatrix:")
    for outcome in outcomes:
        print(f"  {outcome.name:<14} {outcome.status:<8} {outcome.detail}")
    return 0 if all(outcome.ok for outcome in outcomes) else 1


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    pytest_args = args[args.index("--") + 1 :] if "--" in args else []
    args = args[: args.index("--")] if "--" in args else args
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    kinds = parser.add_subparsers(dest="kind", required=True)
    pythons = kinds.add_parser("pythons", help="the locked environment on each Python")
    # No ``choices=`` here: Python 3.11's argparse checks an empty ``nargs="*"`` against them and refuses it.
    pythons.add_argument("versions", nargs="*", metavar="3.X", help=f"any of {', '.join(SUPPORTED)} (default: all)")
    resolutions = kinds.add_parser("resolution", help="dependencies resolved with one strategy")
    resolutions.add_argument("strategy", choices=("lowest-direct", "highest"))
    options = parser.parse_args(args)
    if options.kind == "pythons":
        unknown = [version for version in options.versions if version not in SUPPORTED]
        if unknown:
            parser.error(f"unsupported Python {', '.join(unknown)}: choose from {', '.join(SUPPORTED)}")
        return report([run_python(version, pytest_args) for version in options.versions or SUPPORTED])
    return report([run_resolution(options.strategy, pytest_args)])


if __name__ == "__main__":
    sys.exit(main())
