"""Small hostile HTTP servers on raw sockets: they can misbehave at the byte level where a framework would not let them.

``RawServer(handler)`` listens on 127.0.0.1 (a free port), reads each request on each connection (headers, then a
``Content-Length`` body; bounded in size and time) and calls ``handler(request, connection)``, which writes whatever
bytes it likes. Every request, complete or not, is kept in ``received``. Threads are daemons and the server stops at
the end of its ``with`` block, so a test that goes wrong still ends in bounded time.
"""

from __future__ import annotations

import contextlib
import json
import socket
import threading
from collections.abc import Callable, Iterator, Sequence
from types import TracebackType
from typing import Self

import attrs

MAX_REQUEST_BYTES = 1 << 20
SOCKET_TIMEOUT = 5.0


@attrs.frozen
class RawRequest:
    """A request as received. ``complete`` is False when the client stopped before the end of its body."""

    method: str
    path: str
    headers: dict[str, str]
    body: bytes
    raw: bytes
    complete: bool


Handler = Callable[[RawRequest, socket.socket], None]


def response_bytes(
    status: int, body: bytes = b"", headers: dict[str, str] | None = None, reason: str = "Whatever"
) -> bytes:
    """A complete HTTP/1.1 response with a ``Content-Length``."""
    lines = [f"HTTP/1.1 {status} {reason}", f"Content-Length: {len(body)}"]
    lines += [f"{name}: {value}" for name, value in (headers or {}).items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body


def json_response(status: int, payload: object, headers: dict[str, str] | None = None) -> bytes:
    return response_bytes(status, json.dumps(payload).encode(), {"Content-Type": "application/json", **(headers or {})})


def page_answer(request: RawRequest, items: Sequence[object] = (), next_token: int | None = None) -> bytes:
    """A page answering ``request`` as the real API does: its ``starting_token`` and ``limit`` echoed."""
    body = json.loads(request.body or b"{}")
    return json_response(
        200,
        {
            "starting_token": body.get("starting_token", 0),
            "limit": body.get("limit", 100),
            "paginated": True,
            "next_starting_token": next_token,
            "token_usages": list(items),
        },
    )


def empty_page(request: RawRequest) -> bytes:
    return page_answer(request)


class RawServer:
    def __init__(self, handler: Handler) -> None:
        self._handler = handler
        self._listener = socket.create_server(("127.0.0.1", 0))
        self._listener.settimeout(0.1)
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._received: list[RawRequest] = []
        self._threads: list[threading.Thread] = []
        self.connections = 0
        host, port = self._listener.getsockname()[:2]
        self.url = f"http://{host}:{port}"

    @property
    def received(self) -> list[RawRequest]:
        with self._lock:
            return list(self._received)

    def __enter__(self) -> Self:
        thread = threading.Thread(target=self._accept, name="hostile-accept", daemon=True)
        thread.start()
        self._threads.append(thread)
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, traceback: TracebackType | None
    ) -> None:
        self._stop.set()
        for thread in list(self._threads):
            thread.join(timeout=SOCKET_TIMEOUT)
        self._listener.close()

    @property
    def stopping(self) -> bool:
        return self._stop.is_set()

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                connection, _ = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            with self._lock:
                self.connections += 1
            thread = threading.Thread(target=self._serve, args=(connection,), name="hostile-conn", daemon=True)
            thread.start()
            self._threads.append(thread)

    def _serve(self, connection: socket.socket) -> None:
        connection.settimeout(SOCKET_TIMEOUT)
        buffer = b""
        with connection, contextlib.suppress(OSError):
            while not self._stop.is_set():
                request, buffer = _read_request(connection, buffer)
                if request is None:
                    return
                with self._lock:
                    self._received.append(request)
                if not request.complete:
                    return
                self._handler(request, connection)


def _read_request(connection: socket.socket, buffer: bytes) -> tuple[RawRequest | None, bytes]:
    while b"\r\n\r\n" not in buffer:
        chunk = connection.recv(65536)
        if not chunk:
            return (_partial(buffer), b"") if buffer else (None, b"")
        buffer += chunk
        if len(buffer) > MAX_REQUEST_BYTES:
            return _partial(buffer), b""
    head, _, rest = buffer.partition(b"\r\n\r\n")
    request_line, *header_lines = head.decode("latin-1").split("\r\n")
    method, path, _ = [*request_line.split(" ", 2), "", ""][:3]
    headers = {}
    for line in header_lines:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    length = min(int(headers.get("content-length", "0") or 0), MAX_REQUEST_BYTES)
    while len(rest) < length:
        chunk = connection.recv(65536)
        if not chunk:
            raw = head + b"\r\n\r\n" + rest
            return RawRequest(method, path, headers, rest, raw, complete=False), b""
        rest += chunk
    body, remaining = rest[:length], rest[length:]
    return RawRequest(method, path, headers, body, head + b"\r\n\r\n" + body, complete=True), remaining


def _partial(buffer: bytes) -> RawRequest:
    return RawRequest("", "", {}, b"", buffer, complete=False)


@contextlib.contextmanager
def serving(handler: Handler) -> Iterator[RawServer]:
    with RawServer(handler) as server:
        yield server
