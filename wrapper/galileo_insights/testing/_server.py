"""Serve a ``FakeGalileo`` over real HTTP with uvicorn in a background thread, and the ``fake-server`` command.

uvicorn and starlette (the ``server`` extra) are imported only when a server starts.
"""

from __future__ import annotations

import argparse
import logging
import signal
import sys
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from types import FrameType
from typing import TYPE_CHECKING

from galileo_insights.testing._faults import RandomFaults

if TYPE_CHECKING:
    from galileo_insights.testing._fake import FakeGalileo

_STARTUP_TIMEOUT = 10.0


class _ExpectedDropFilter(logging.Filter):
    """Keeps uvicorn from reporting the connections the fake drops on purpose as application errors."""

    def filter(self, record: logging.LogRecord) -> bool:
        from galileo_insights.testing._app import DROP_MESSAGE  # noqa: PLC0415 - starlette is optional

        return record.getMessage() != DROP_MESSAGE


@contextmanager
def serve(fake: FakeGalileo, *, host: str = "127.0.0.1", port: int = 0, log_level: str = "warning") -> Iterator[str]:
    """Run ``fake.app()`` on ``host:port`` (0 = any free port) until the block exits; yields ``http://host:port``."""
    import uvicorn  # noqa: PLC0415 - optional extra

    config = uvicorn.Config(
        fake.app(),
        host=host,
        port=port,
        log_level=log_level,
        lifespan="off",
        access_log=False,
        timeout_graceful_shutdown=1,
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name="galileo-fake-server", daemon=True)
    drop_filter = _ExpectedDropFilter()
    error_log = logging.getLogger("uvicorn.error")
    error_log.addFilter(drop_filter)
    thread.start()
    try:
        deadline = time.monotonic() + _STARTUP_TIMEOUT
        while not server.started:
            if not thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError(f"the fake Galileo server did not start on {host}:{port}")
            time.sleep(0.01)
        bound_port = server.servers[0].sockets[0].getsockname()[1]
        yield f"http://{host}:{bound_port}"
    finally:
        server.should_exit = True
        thread.join(timeout=_STARTUP_TIMEOUT)
        error_log.removeFilter(drop_filter)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="galileo-insights fake-server",
        description="Run a fake Galileo Logstream Insights API on localhost. Prints its URL first, then an API key.",
    )
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0, help="0 picks a free port (default)")
    parser.add_argument("--records", type=int, default=1000, help="seeded records in the default log stream")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--latency-ms", type=float, default=0.0, help="delay every token-usage answer")
    parser.add_argument("--api-key", help="accept this API key instead of a random one")
    parser.add_argument("--print-env", action="store_true", help="print `export GALILEO_...=...` lines to paste")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Serve until interrupted. stdout: the URL, then ``api-key: ...``, ``project-id: ...``, ``log-stream-id: ...``."""
    from galileo_insights.testing._auth import Credentials  # noqa: PLC0415 - avoids a cycle through _fake
    from galileo_insights.testing._fake import FakeGalileo  # noqa: PLC0415 - as above

    args = _parser().parse_args(argv)
    fake = FakeGalileo(
        records=args.records,
        seed=args.seed,
        credentials=Credentials([args.api_key] if args.api_key else None),
    )
    if args.latency_ms > 0:
        fake.faults.set_random(RandomFaults(latency=1.0, latency_seconds=args.latency_ms / 1000))
    stop = threading.Event()

    def on_signal(signum: int, frame: FrameType | None) -> None:
        stop.set()

    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, on_signal)
    with fake.serve(host=args.host, port=args.port) as url:
        if args.print_env:
            print(f"export GALILEO_API_URL={url}", flush=True)
            print(f"export GALILEO_API_KEY={fake.api_key}", flush=True)
            print(f"export GALILEO_PROJECT_ID={fake.project_id}", flush=True)
            print(f"export GALILEO_LOG_STREAM_ID={fake.log_stream_id}", flush=True)
        else:
            print(url, flush=True)
            print(f"api-key: {fake.api_key}", flush=True)
            print(f"project-id: {fake.project_id}", flush=True)
            print(f"log-stream-id: {fake.log_stream_id}", flush=True)
        with suppress(KeyboardInterrupt):
            stop.wait()
    return 0


if __name__ == "__main__":
    sys.exit(main())
