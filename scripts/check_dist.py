"""The built wheel and sdist as a user gets them: only the files that belong, metadata PyPI accepts
(``twine check --strict``), and a wheel that installs with plain pip into a fresh venv where the command starts,
the README's examples run and the pytest plugin serves its fixtures.

    python scripts/check_dist.py dist/        # `make dist-check` builds dist/ first; pip needs PyPI for the deps
"""

from __future__ import annotations

import subprocess
import sys
import tarfile
import tempfile
import zipfile
from collections.abc import Iterable, Sequence
from importlib.metadata import version
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SDIST_TOP = (
    *("generated/galileo_insights_api/", "wrapper/galileo_insights/", "wrapper/_galileo_insights_pytest.py"),
    *("openapi/", "generator-config.yaml", "README.md", "CHANGELOG.md", "LICENSE", "pyproject.toml", "PKG-INFO"),
    ".gitignore",
)
WHEEL_TOP = ("galileo_insights/", "galileo_insights_api/", "_galileo_insights_pytest.py", "galileo_insights-")
_NEVER = ("__pycache__/", ".pyc")
# What the README's examples import beyond the package, at the versions tested in .venv.
_EXAMPLES_NEED = ("pandas", "pytest", "duckdb")
_PLUGIN_TEST = """
import pytest


@pytest.mark.galileo_fake(records=5, seed=1)
def test_fixtures(galileo_fake, galileo_client):
    assert len(list(galileo_client.token_usage.list(galileo_fake.project_id, galileo_fake.log_stream_id))) == 5
"""


def unexpected(names: Iterable[str], allowed: Sequence[str]) -> list[str]:
    """Members outside ``allowed`` (path prefixes) or compiled files, which a distribution must not carry."""
    return sorted(name for name in names if not name.startswith(tuple(allowed)) or any(part in name for part in _NEVER))


def sdist_members(sdist: Path) -> list[str]:
    with tarfile.open(sdist) as archive:
        return [member.name.split("/", 1)[1] for member in archive.getmembers() if member.isfile()]


def wheel_members(wheel: Path) -> list[str]:
    with zipfile.ZipFile(wheel) as archive:
        return [name for name in archive.namelist() if not name.endswith("/")]


def _run(command: Sequence[str | Path], cwd: Path) -> str:
    print("+", " ".join(str(part) for part in command), flush=True)
    done = subprocess.run([str(part) for part in command], cwd=cwd, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"check_dist: failed ({done.returncode}):\n{done.stdout}{done.stderr}")
    return done.stdout


def smoke_test(wheel: Path, workdir: Path) -> None:
    """Plain pip into a fresh venv, then the command, the README's examples and the plugin, away from the sources."""
    venv = workdir / "venv"
    _run([getattr(sys, "_base_executable", sys.executable), "-m", "venv", venv], workdir)
    pins = [f"{name}=={version(name)}" for name in _EXAMPLES_NEED]
    _run([venv / "bin" / "pip", "install", "--quiet", f"{wheel}[cli,server,data,dlt]", *pins], workdir)
    where = _run([venv / "bin" / "python", "-c", "import galileo_insights; print(galileo_insights.__file__)"], workdir)
    if not where.startswith(str(venv)):
        raise SystemExit(f"check_dist: galileo_insights came from {where.strip()}, not the installed wheel")
    if "token-usage" not in _run([venv / "bin" / "galileo-insights", "--help"], workdir):
        raise SystemExit("check_dist: galileo-insights --help does not list token-usage")
    _run([venv / "bin" / "python", ROOT / "scripts" / "readme_examples.py", ROOT / "README.md"], workdir)
    (workdir / "test_plugin.py").write_text(_PLUGIN_TEST, encoding="utf-8")
    _run([venv / "bin" / "python", "-m", "pytest", "-q", "-p", "no:cacheprovider", "test_plugin.py"], workdir)


def main(argv: Sequence[str] | None = None) -> int:
    dist = Path((sys.argv[1:] if argv is None else argv)[0])
    (sdist,) = dist.glob("*.tar.gz")
    (wheel,) = dist.glob("*.whl")
    stray = unexpected(sdist_members(sdist), SDIST_TOP) + unexpected(wheel_members(wheel), WHEEL_TOP)
    if stray:
        raise SystemExit("check_dist: files that do not belong in the distribution:\n  " + "\n  ".join(stray))
    _run([Path(sys.executable).parent / "twine", "check", "--strict", sdist, wheel], ROOT)
    with tempfile.TemporaryDirectory(prefix="galileo-dist-") as workdir:
        smoke_test(wheel.resolve(), Path(workdir))
    print(f"check_dist: {sdist.name} and {wheel.name} are clean, valid and work from a fresh venv")
    return 0


if __name__ == "__main__":
    sys.exit(main())
