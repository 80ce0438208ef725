"""Stopping worker threads, including one blocked in a socket read.

A thread blocked in ``recv()`` wakes only when data arrives, when the read times out (60 s by default) or when
its socket is shut down; closing the socket or the connection pool from another thread does not wake it. So the
parallel export binds a ``StopSignal`` to each worker thread, the SDK's own connection pool registers the socket
a bound thread is reading or writing (``_stoppable_network``), and setting the signal shuts those sockets down:
the blocked call returns at once and the worker raises ``Stopped`` instead of retrying or reading on.
"""

from __future__ import annotations

import contextlib
import socket
import threading
from collections.abc import Iterator


class Stopped(BaseException):
    """Raised in a worker whose signal was set; a ``BaseException``, as ``GeneratorExit``, so no retry loop and no
    ``except Exception`` mistakes a stop for a failure worth handling."""


class StopSignal:
    """A stop flag for worker threads that also wakes whatever socket call a bound worker is blocked in."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._event = threading.Event()
        self._sockets: set[socket.socket] = set()

    def set(self) -> None:
        with self._lock:
            self._event.set()
            sockets = list(self._sockets)
        for sock in sockets:
            with contextlib.suppress(OSError):  # already closed by its connection: nothing to wake
                sock.shutdown(socket.SHUT_RDWR)

    def is_set(self) -> bool:
        return self._event.is_set()

    def wait(self, seconds: float) -> None:
        """Sleep ``seconds``, or raise ``Stopped`` as soon as the signal is set."""
        if self._event.wait(seconds):
            raise Stopped

    @contextlib.contextmanager
    def bound(self) -> Iterator[None]:
        """Make this the signal of the current thread's socket calls and backoff sleeps while the block runs."""
        _bound.signal = self
        try:
            yield
        finally:
            _bound.signal = None

    @contextlib.contextmanager
    def watching(self, sock: socket.socket | None) -> Iterator[None]:
        """Run one blocking call on ``sock`` so that ``set()`` can wake it; after a stop it raises ``Stopped``,
        whatever the woken call returned or raised (an empty read or a reset that must not be retried)."""
        with self._lock:
            if self._event.is_set():
                raise Stopped
            if sock is not None:
                self._sockets.add(sock)
        try:
            yield
        except Exception:
            if self._event.is_set():
                raise Stopped from None
            raise
        finally:
            if sock is not None:
                with self._lock:
                    self._sockets.discard(sock)
        if self._event.is_set():
            raise Stopped


class _Bound(threading.local):
    signal: StopSignal | None = None
    deadline: float | None = None  # time.monotonic() by which the current request's whole exchange must end


_bound = _Bound()


def set_exchange_deadline(deadline: float | None) -> None:
    """Bound every connect, write and read of this thread's request (a login on the way included) by ``deadline``
    until it is set back to None: httpx's timeouts are per socket call, so a status line dripped a byte at a time or
    an endless run of ``103 Early Hints`` would never trip them. Enforced by the SDK's own connection pool
    (``_stoppable_network``). A plain setter, not a context manager: it runs once per request."""
    _bound.deadline = deadline


def current_deadline() -> float | None:
    return _bound.deadline


def current_signal() -> StopSignal | None:
    """The signal bound to this thread, if it is a worker of something that can be stopped."""
    return _bound.signal
