"""The SDK's own sync connection pool, with sockets a ``StopSignal`` can wake (see ``_stopping``).

httpx has no public way to reach the socket an in-flight request is blocked on, but httpcore lets a pool take a
network backend. ``StoppableClient`` is ``httpx.Client`` as httpx builds it (``HTTP_PROXY``, ``HTTPS_PROXY``,
``ALL_PROXY``, ``NO_PROXY``, the SSL variables: httpx turns environment proxies off when it is handed a transport,
so the SDK hands it none) whose every transport, the direct one and each proxy's, gets a backend whose streams run
each read, write and connect under the calling thread's signal, if it has one; other threads pay one thread-local
lookup. Loaded with the first sync client, as httpx loads httpcore itself (import time).
"""

from __future__ import annotations

import functools
import ssl
import time
from collections.abc import Iterable
from typing import Any

import httpcore
import httpx

from ._http_client import DEFAULT_LIMITS
from ._logging import logger
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


def make_stoppable(transport: httpx.BaseTransport) -> httpx.BaseTransport:
    """``transport`` (an ``httpx.HTTPTransport``, direct or through a proxy) on a backend whose sockets a stop can
    wake, or ``transport`` as it is when its pool is out of reach.

    httpx builds the pool and takes no backend, so the backend is swapped before any connection exists: the one
    private name the SDK touches (tests/hostile/test_export_stopping.py fails if it stops working). Should a later
    httpx or httpcore rename it, the transport stays httpx's own: requests work, a stopped export's workers end
    with their read (bounded by the timeouts) instead of at once, and the SDK says so once.
    """
    pool = getattr(transport, "_pool", None)
    backend = getattr(pool, "_network_backend", None)
    if pool is None or not isinstance(backend, httpcore.NetworkBackend):
        _say_no_prompt_stop()
        return transport
    pool._network_backend = _StoppableBackend(backend)
    return transport


@functools.cache
def _say_no_prompt_stop() -> None:
    logger.warning(
        "httpx %s / httpcore %s keep their connection pool where this SDK cannot reach it: a stopped export's "
        "workers end when their reads do, not at once",
        httpx.__version__,
        httpcore.__version__,
    )


class StoppableClient(httpx.Client):
    """``httpx.Client`` built exactly as ``httpx.Client(...)`` builds itself, environment proxies and ``NO_PROXY``
    included, with each transport it makes passed through ``make_stoppable``."""

    def __init__(self, timeout: httpx.Timeout) -> None:
        self._hooked = False
        super().__init__(timeout=timeout, limits=DEFAULT_LIMITS, follow_redirects=False)
        if not self._hooked:  # a later httpx that builds its transport another way: say so, as for the pool
            _say_no_prompt_stop()

    def _init_transport(self, *args: Any, **kwargs: Any) -> httpx.BaseTransport:
        self._hooked = True
        return make_stoppable(super()._init_transport(*args, **kwargs))

    def _init_proxy_transport(self, *args: Any, **kwargs: Any) -> httpx.BaseTransport:
        return make_stoppable(super()._init_proxy_transport(*args, **kwargs))
