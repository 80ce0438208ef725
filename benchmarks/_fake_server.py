"""The fake Galileo over real HTTP in its own process, so the server never competes with the client for the GIL.

``python -m galileo_insights.testing`` is ``FakeGalileo(...).serve()`` (uvicorn on 127.0.0.1, a free port) behind
the ``fake-server`` command line; it prints the URL, then ``api-key:``, ``project-id:`` and ``log-stream-id:``.
"""

from __future__ import annotations

import contextlib
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator, Sequence

import attrs

_START_TIMEOUT = 30.0


@attrs.frozen
class ServedFake:
    url: str
    api_key: str
    project_id: str
    log_stream_id: str


@contextlib.contextmanager
def served_fake(
    records: int, *, latency_ms: float = 0.0, seed: int = 7, options: Sequence[str] = ()
) -> Iterator[ServedFake]:
    """A fake-server child process for the block (``options``: more of its flags, e.g. ``--projects``); killed
    (SIGTERM, then SIGKILL) when the block exits."""
    command = [
        sys.executable,
        "-m",
        "galileo_insights.testing",
        "--host",
        "127.0.0.1",
        "--port",
        "0",
        "--records",
        str(records),
        "--seed",
        str(seed),
        "--latency-ms",
        str(latency_ms),
        *options,
    ]
    child = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)  # noqa: S603 - our own interpreter
    try:
        lines = _first_lines(child, 4)
        fields = dict(line.split(": ", 1) for line in lines[1:])
        yield ServedFake(lines[0], fields["api-key"], fields["project-id"], fields["log-stream-id"])
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
    """The child's first ``count`` stdout lines, or RuntimeError if it dies or stays silent too long."""
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
    reader.join(timeout=_START_TIMEOUT)
    if len(lines) < count:
        raise RuntimeError(f"the fake server did not start (exit code {child.poll()}, got {lines!r})")
    return lines
