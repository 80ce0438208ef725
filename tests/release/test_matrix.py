"""`make test-matrix` finds each supported Python, and a Python it cannot find fails the run instead of passing."""

from __future__ import annotations

from pathlib import Path

import pytest

from scripts import matrix


def _pyenv_python(root: Path, version: str) -> Path:
    minor = version.rsplit(".", 1)[0]
    python = root / "versions" / version / "bin" / f"python{minor}"
    python.parent.mkdir(parents=True)
    python.touch()
    return python


def test_the_newest_pyenv_patch_release_is_found(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    _pyenv_python(tmp_path, "3.12.1")
    newest = _pyenv_python(tmp_path, "3.12.10")
    _pyenv_python(tmp_path, "3.12.9")
    _pyenv_python(tmp_path, "3.13.0")
    assert matrix.find_python("3.12", pyenv_root=tmp_path) == newest


def test_a_python_on_path_comes_first(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    on_path = tmp_path / "bin" / "python3.13"
    on_path.parent.mkdir()
    on_path.touch(mode=0o755)
    monkeypatch.setenv("PATH", str(on_path.parent))
    _pyenv_python(tmp_path, "3.13.2")
    assert matrix.find_python("3.13", pyenv_root=tmp_path) == on_path


def test_a_missing_python_is_reported_and_fails_the_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    monkeypatch.setenv("PYENV_ROOT", str(tmp_path))
    outcome = matrix.run_python("3.13", [])
    assert outcome.status == "MISSING"
    assert matrix.report([matrix.Outcome("3.11", "passed", "60 s"), outcome]) == 1
    assert "3.13           MISSING  no python3.13 on PATH" in capsys.readouterr().out
    assert matrix.report([matrix.Outcome("3.11", "passed", "60 s")]) == 0
