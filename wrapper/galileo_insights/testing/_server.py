"""Serve a ``FakeGalileo`` (any ``RequestHandler``) over real HTTP with uvicorn in a background thread.

uvicorn and starlette (the ``server`` extra) are imported only when a server starts.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

from galileo_insights._optional import require
from galileo_insights.testing._reply import RequestHandler

_STARTUP_TIMEOUT = 10.0


class _ExpectedDropFilter(logging.Filter):
    """Keeps uvicorn from reporting the connections the fake drops on purpose as application errors."""

    def filter(self, record: logging.LogRecord) -> bool:
        from galileo_insights.testing._app import DROP_MESSAGE  # noqa: PLC0415 - starlette is optional

        return record.getMessage() != DROP_MESSAGE


def require_server(feature: str) -> None:
    """Both libraries of the ``server`` extra, or a ``MissingExtraError`` naming it."""
    require("uvicorn", feature)
    require("starlette", feature)


@contextmanager
def serve(fake: RequestHandler, *, host: str = "127.0.0.1", port: int = 0, log_level: str = "warning") -> Iterator[str]:
    """Run the fake's ASGI app on ``host:port`` (0 = any free port) until the block exits; yields its base URL."""
    require_server("FakeGalileo.serve()")
    import uvicorn  # noqa: PLC0415 - optional extra

    from galileo_insights.testing._app import create_app  # noqa: PLC0415 - starlette is an optional extra

    config = uvicorn.Config(
        create_app(fake),
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
