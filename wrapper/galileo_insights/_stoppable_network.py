"""The SDK's own sync connection pool, with sockets a ``StopSignal`` can wake (see ``_stopping``).

httpx has no public way to reach the socket an in-flight request is blocked on, but httpcore lets a pool take a
network backend. ``stoppable_transport()`` gives httpx's default transport a backend whose streams run each read,
write and connect under the calling thread's signal, if it has one; other threads pay one thread-local lookup.
Loaded with the first sync client, as httpx loads httpcore itself (import time, issue 12).
"""

from __future__ import annotations

import ssl
import time
from collections.abc import Iterable
from typing import Any

import httpcore
import httpx

from ._http_client import DEFAULT_LIMITS
from ._stopping import Stopped, current_deadline, current_signal


class _StoppableStream(httpcore.NetworkStream):
    def __init__(self, stream: httpcore.NetworkStream) -> None:
        self._stream = stream
        self._socket = stream.get_extra_info("socket")

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        timeout = _within_deadline(timeout, httpcore.ReadTimeout)
        signal = current_signal()
        if signal is None:
            return self._stream.read(max_bytes, timeout)
        with signal.watching(self._socket):
            return self._stream.read(max_bytes, timeout)

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        timeout = _within_deadline(timeout, httpcore.WriteTimeout)
        signal = current_signal()
        if signal is None:
            self._stream.write(buffer, timeout)
            return
        with signal.watching(self._socket):
            self._stream.write(buffer, timeout)

    def close(self) -> None:
        self._stream.close()

    def start_tls(
        self, ssl_context: ssl.SSLContext, server_hostname: str | None = None, timeout: float | None = None
    ) -> httpcore.NetworkStream:
        return _StoppableStream(self._stream.start_tls(ssl_context, server_hostname, timeout))

    def get_extra_info(self, info: str) -> Any:
        return self._stream.get_extra_info(info)


class _StoppableBackend(httpcore.NetworkBackend):
    def __init__(self, backend: httpcore.NetworkBackend) -> None:
        self._backend = backend

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        _raise_if_stopped()
        timeout = _within_deadline(timeout, httpcore.ConnectTimeout)
        return _StoppableStream(self._backend.connect_tcp(host, port, timeout, local_address, socket_options))

    def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: Iterable[Any] | None = None
    ) -> httpcore.NetworkStream:
        _raise_if_stopped()
        return _StoppableStream(self._backend.connect_unix_socket(path, timeout, socket_options))

    def sleep(self, seconds: float) -> None:
        self._backend.sleep(seconds)


def _within_deadline(timeout: float | None, error: type[httpcore.TimeoutException]) -> float | None:
    """``timeout`` shortened to what is left of the exchange's deadline; past it, ``error`` (what httpx maps to a
    timeout, so the retry policy sees it as one)."""
    deadline = current_deadline()
    if deadline is None:
        return timeout
    left = deadline - time.monotonic()
    if left <= 0:
        raise error("the attempt's deadline (attempt_timeout) passed before the response was complete")
    return left if timeout is None else min(timeout, left)


def _raise_if_stopped() -> None:
    """A stopped worker opens no connection (a connect has no socket to wake yet)."""
    signal = current_signal()
    if signal is not None and signal.is_set():
        raise Stopped


def stoppable_transport() -> httpx.HTTPTransport:
    """httpx's default transport (as ``httpx.Client()`` builds it) on a backend whose sockets a stop can wake."""
    transport = httpx.HTTPTransport(limits=DEFAULT_LIMITS)
    # httpx builds the pool and takes no backend, so the backend is swapped before any connection exists: the one
    # private name the SDK touches (versions pinned; tests/hostile/test_export_stopping.py fails if it stops working).
    pool = transport._pool
    pool._network_backend = _StoppableBackend(pool._network_backend)
    return transport
