"""A benchmark's page server in a child process: started, its URL read from its first line, stopped on exit."""

from __future__ import annotations

import contextlib
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path

START_TIMEOUT = 60.0


@contextlib.contextmanager
def served_by_module(module: str, arguments: Sequence[str], what: str) -> Iterator[str]:
    """``python -m module arguments...`` for the block, yielding the URL it prints first; the child gets SIGTERM,
    then SIGKILL, when the block exits. A child that prints no URL within ``START_TIMEOUT`` is a RuntimeError."""
    command = [sys.executable, "-m", module, *arguments]
    child = subprocess.Popen(command, stdout=subprocess.PIPE, text=True, cwd=Path(__file__).resolve().parents[1])  # noqa: S603
    try:
        lines: list[str] = []
        reader = threading.Thread(target=lambda: lines.append((child.stdout or sys.stdin).readline().strip()))
        reader.start()
        reader.join(timeout=START_TIMEOUT)
        if not lines or not lines[0].startswith("http://"):
            raise RuntimeError(f"the {what} did not start (exit code {child.poll()}, got {lines!r})")
        yield lines[0]
    finally:
        child.send_signal(signal.SIGTERM)
        try:
            child.wait(timeout=10)
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait(timeout=10)
        if child.stdout is not None:
            child.stdout.close()
