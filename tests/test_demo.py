"""``make demo`` cannot hang and leaves no server behind: every way out of ``scripts/demo.py`` stops the fake."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "demo.py"


@pytest.fixture(scope="module")
def demo() -> ModuleType:
    spec = importlib.util.spec_from_file_location("demo_script", SCRIPT)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def stand_in(tmp_path: Path, prints: str) -> list[str]:
    """A stand-in for the fake server: writes its pid, prints ``prints``, then sleeps for a minute."""
    code = (
        f"import os, sys, time; open({str(tmp_path / 'pid')!r}, 'w').write(str(os.getpid())); "
        f"sys.stdout.write({prints!r}); sys.stdout.flush(); time.sleep(60)"
    )
    return [sys.executable, "-c", code]


def is_running(tmp_path: Path) -> bool:
    pid = int((tmp_path / "pid").read_text())
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


FOUR_LINES = "http://127.0.0.1:1\napi-key: k\nproject-id: p\nlog-stream-id: s\n"


@pytest.mark.parametrize(
    "prints", ["", "http://127.0.0.1:1\n", "Traceback ...\n\n\n\n"], ids=["silent", "short", "other"]
)
def test_a_fake_that_does_not_start_is_an_error_and_is_stopped(
    demo: ModuleType, tmp_path: Path, prints: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert demo.main(stand_in(tmp_path, prints), startup_timeout=1.0) == 1
    assert "demo failed: the fake server" in capsys.readouterr().err
    assert not is_running(tmp_path)


def test_a_fake_that_exits_at_once_is_an_error(demo: ModuleType, capsys: pytest.CaptureFixture[str]) -> None:
    assert demo.main([sys.executable, "-c", "pass"], startup_timeout=10.0) == 1
    assert "exited" in capsys.readouterr().err


@pytest.mark.parametrize(
    "failure",
    [
        subprocess.CalledProcessError(3, ["galileo-insights"]),
        subprocess.TimeoutExpired(["galileo-insights"], 120),
        KeyboardInterrupt(),
    ],
    ids=["cli-failed", "cli-hung", "ctrl-c"],
)
def test_the_fake_is_stopped_whatever_ends_the_demo(
    demo: ModuleType, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, failure: BaseException
) -> None:
    def failing_run(*args: object, **kwargs: object) -> None:
        raise failure

    monkeypatch.setattr(demo, "run", failing_run)
    if isinstance(failure, KeyboardInterrupt):
        with pytest.raises(KeyboardInterrupt):
            demo.main(stand_in(tmp_path, FOUR_LINES), startup_timeout=10.0)
    else:
        assert demo.main(stand_in(tmp_path, FOUR_LINES), startup_timeout=10.0) == 1
    assert not is_running(tmp_path)
