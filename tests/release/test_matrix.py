"""`make test-matrix` finds each supported Python, and a Python it cannot find fails the run instead of passing."""

from __future__ import annotations

from pathlib import Path

import pytest

from scripts import matrix


def _fake_python(path: Path, reports: str) -> Path:
    """An executable that answers the version probe as an interpreter of ``reports`` would (a failing shim: '')."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"#!/bin/sh\n{'echo ' + reports if reports else 'exit 127'}\n", encoding="utf-8")
    path.chmod(0o755)
    return path


def _pyenv_python(root: Path, version: str) -> Path:
    minor = version.rsplit(".", 1)[0]
    return _fake_python(root / "versions" / version / "bin" / f"python{minor}", minor)


def test_the_newest_pyenv_patch_release_is_found(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    _pyenv_python(tmp_path, "3.12.1")
    newest = _pyenv_python(tmp_path, "3.12.10")
    _pyenv_python(tmp_path, "3.12.9")
    _pyenv_python(tmp_path, "3.13.0")
    assert matrix.find_python("3.12", pyenv_root=tmp_path) == newest


def test_a_python_on_path_comes_first(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    on_path = _fake_python(tmp_path / "bin" / "python3.13", "3.13")
    monkeypatch.setenv("PATH", str(on_path.parent))
    _pyenv_python(tmp_path, "3.13.2")
    assert matrix.find_python("3.13", pyenv_root=tmp_path) == on_path


def test_a_shim_that_does_not_run_is_passed_over(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    shim = _fake_python(tmp_path / "shims" / "python3.13", "")  # pyenv's shim for a version it has not activated
    monkeypatch.setenv("PATH", str(shim.parent))
    installed = _pyenv_python(tmp_path, "3.13.0")
    assert matrix.find_python("3.13", pyenv_root=tmp_path) == installed


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


@pytest.mark.parametrize(("argv", "expected"), [([], list(matrix.SUPPORTED)), (["3.13"], ["3.13"])])
def test_make_test_matrix_without_pythons_runs_every_supported_one(
    monkeypatch: pytest.MonkeyPatch, argv: list[str], expected: list[str]
) -> None:
    ran: list[str] = []

    def run_python(version: str, pytest_args: list[str]) -> matrix.Outcome:
        ran.append(version)
        return matrix.Outcome(version, "passed", "")

    monkeypatch.setattr(matrix, "run_python", run_python)
    assert matrix.main(["pythons", *argv]) == 0
    assert ran == expected


def test_an_unsupported_python_is_a_usage_error() -> None:
    with pytest.raises(SystemExit) as exited:
        matrix.main(["pythons", "3.10"])
    assert exited.value.code == 2
