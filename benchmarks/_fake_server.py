"""The fake Galileo over real HTTP in its own process, so the server never competes with the client for the GIL.

``python -m galileo_insights.testing`` is ``FakeGalileo(...).serve()`` (uvicorn on 127.0.0.1, a free port) behind
the ``fake-server`` command line; it prints the URL, then ``api-key:``, ``project-id:`` and ``log-stream-id:``.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Sequence

import attrs

from benchmarks._child_server import served_by_module


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
    arguments = [
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
    with served_by_module("galileo_insights.testing", arguments, "fake server", lines=4) as lines:
        fields = dict(line.split(": ", 1) for line in lines[1:])
        yield ServedFake(lines[0], fields["api-key"], fields["project-id"], fields["log-stream-id"])
