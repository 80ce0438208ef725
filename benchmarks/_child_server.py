"""A benchmark's server in a child process: started, its first lines read (its URL first), stopped on exit."""

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
def served_by_module(module: str, arguments: Sequence[str], what: str, *, lines: int = 1) -> Iterator[list[str]]:
    """``python -m module arguments...`` for the block, yielding the first ``lines`` lines it prints (a URL first);
    the child gets SIGTERM, then SIGKILL, when the block exits. A child that prints fewer lines within
    ``START_TIMEOUT``, or no URL first, is a RuntimeError naming ``what``."""
    command = [sys.executable, "-m", module, *arguments]
    child = subprocess.Popen(command, stdout=subprocess.PIPE, text=True, cwd=Path(__file__).resolve().parents[1])  # noqa: S603
    try:
        printed = _first_lines(child, lines)
        if len(printed) < lines or not printed[0].startswith("http://"):
            raise RuntimeError(f"the {what} did not start (exit code {child.poll()}, got {printed!r})")
        yield printed
    finally:
        child.send_signal(signal.SIGTERM)
        try:
            child.wait(timeout=10)
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait(timeout=10)
        if child.stdout is not None:
            child.stdout.close()


def _first_lines(child: subprocess.Popen[str], count: int) -> list[str]:
    """Up to ``count`` stdout lines of the child: fewer if it ends, or stays silent past ``START_TIMEOUT``."""
    lines: list[str] = []

    def read() -> None:
        assert child.stdout is not None  # stdout=PIPE
        for _ in range(count):
            line = child.stdout.readline()
            if not line:
                return
            lines.append(line.strip())

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    reader.join(timeout=START_TIMEOUT)
    return list(lines)
