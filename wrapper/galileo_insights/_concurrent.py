"""Run many ordered streams a few at a time and read them back in order, holding a bounded amount read ahead.

The parallel export splits a time range into windows; each window is a sequential page walk. How many windows,
the order they are read in and how much may be read ahead are three separate settings:

* the windows start in order, ``concurrency`` at a time, each as soon as a worker is free;
* the consumer reads them strictly in order, so the output order is the requested one;
* ``read_ahead`` bounds what all windows together hold that the consumer has not taken yet, measured by ``size``
  (the pager counts records). The window the consumer is reading may always hold one value, even at the bound,
  so it can never wait on windows after it. A consumer that sleeps therefore leaves at most ``read_ahead`` plus
  one value (that always-allowed one) plus one value per worker (the one it is fetching) in memory, whatever the
  number or size of the windows.

A consumer that stops early (``break``, ``max_items``, an error, Ctrl-C) stops the producers too, without waiting
for them.
"""

from __future__ import annotations

import collections
import contextlib
import functools
import threading
from collections.abc import AsyncGenerator, AsyncIterator, Callable, Generator, Iterator, Sequence
from typing import Generic, TypeVar

from ._stopping import Stopped, StopSignal

T = TypeVar("T")

_POLL_SECONDS = 0.05


def _one(_: object) -> int:
    return 1


class _Marker:
    """Not a value: what ``take`` returns when it has none to give."""


_NOT_YET = _Marker()  # the consumer's window has nothing yet
_ALL_READ = _Marker()  # every window is finished and taken


class _ReadAhead(Generic[T]):
    """What the windows hold for the consumer, and the rule for who may add: no I/O, shared by threads and tasks."""

    def __init__(self, windows: int, limit: int, size: Callable[[T], int]) -> None:
        self.buffers: list[collections.deque[tuple[T, int]]] = [collections.deque() for _ in range(windows)]
        self.finished = [False] * windows
        self.head = 0  # the window the consumer reads
        self.held = 0  # total size of what every window holds
        self._limit = limit
        self._size = size

    def has_room(self, window: int) -> bool:
        """Below the bound, or the consumer's own window with nothing in it (so it can always make progress)."""
        return self.held < self._limit or (window == self.head and not self.buffers[window])

    def add(self, window: int, value: T) -> None:
        weight = self._size(value)
        self.buffers[window].append((value, weight))
        self.held += weight

    def take(self) -> T | _Marker:
        """The next value in order; ``_NOT_YET`` while the head window has none, ``_ALL_READ`` after the last."""
        while self.head < len(self.buffers):
            buffer = self.buffers[self.head]
            if buffer:
                value, weight = buffer.popleft()
                self.held -= weight
                return value
            if not self.finished[self.head]:
                return _NOT_YET
            self.head += 1
        return _ALL_READ


def ordered_in_threads(
    segments: Sequence[Callable[[], Iterator[T]]],
    concurrency: int,
    read_ahead: int,
    size: Callable[[T], int] = _one,
) -> Generator[T, None, None]:
    """Values of ``segments[0]()``, then ``segments[1]()``..., produced by up to ``concurrency`` threads.

    Stopping never waits for a producer: on ``break``, an exception (Ctrl-C included) or a failed segment the
    consumer returns at once, no segment starts any more, and each producer ends within moments, even one blocked
    in a read or a backoff (through the SDK's own connection pool; with a ``transport=`` or ``http_client=`` of
    yours, a blocked read ends at its timeout). The threads are daemons, so none ever keeps the process alive.
    A failure in any segment is raised as soon as the consumer has nothing buffered to give before it.
    """
    stop = StopSignal()
    failures: list[Exception] = []
    state: _ReadAhead[T] = _ReadAhead(len(segments), read_ahead, size)
    changed = threading.Condition()
    pending = iter(range(len(segments)))

    def put(window: int, value: T) -> bool:
        with changed:
            while not state.has_room(window):
                if stop.is_set():
                    return False
                changed.wait(_POLL_SECONDS)
            state.add(window, value)
            changed.notify_all()
        return not stop.is_set()

    def produce() -> None:
        with stop.bound(), contextlib.suppress(Stopped):
            produce_segments()

    def produce_segments() -> None:
        while not stop.is_set():
            with changed:
                window = next(pending, None)
            if window is None:
                return
            try:
                for value in segments[window]():
                    if not put(window, value):
                        return
            except Exception as exc:  # handed to the consumer
                failures.append(exc)
                stop.set()
                with changed:
                    changed.notify_all()
                return
            with changed:
                state.finished[window] = True
                changed.notify_all()

    threads = [
        threading.Thread(target=produce, name=f"galileo-insights-export-{number}", daemon=True)
        for number in range(min(concurrency, len(segments)))
    ]
    for thread in threads:
        thread.start()
    try:
        while True:
            with changed:
                value = state.take()
                if value is _ALL_READ:
                    return
                if isinstance(value, _Marker):
                    if failures:
                        raise failures[0]
                    changed.wait(_POLL_SECONDS)
                    continue
                changed.notify_all()  # room for the producers
            yield value
    finally:
        stop.set()


async def ordered_in_tasks(
    segments: Sequence[Callable[[], AsyncIterator[T]]],
    concurrency: int,
    read_ahead: int,
    size: Callable[[T], int] = _one,
) -> AsyncGenerator[T, None]:
    """The asyncio twin of ``ordered_in_threads``: up to ``concurrency`` segments run as tasks."""
    import asyncio  # noqa: PLC0415 - asyncio loads with the first async call, not at import

    state: _ReadAhead[T] = _ReadAhead(len(segments), read_ahead, size)
    changed = asyncio.Condition()
    failures: list[Exception] = []
    pending = iter(range(len(segments)))

    async def produce() -> None:
        for window in pending:  # one iterator shared by the tasks: each window starts once, in order
            try:
                async for value in segments[window]():
                    async with changed:
                        await changed.wait_for(functools.partial(state.has_room, window))
                        state.add(window, value)
                        changed.notify_all()
            except Exception as exc:  # handed to the consumer once it has nothing before it to give
                failures.append(exc)
                async with changed:
                    changed.notify_all()
                return
            async with changed:
                state.finished[window] = True
                changed.notify_all()

    tasks = [asyncio.create_task(produce()) for _ in range(min(concurrency, len(segments)))]
    try:
        while True:
            async with changed:
                value = state.take()
                if value is _ALL_READ:
                    return
                if isinstance(value, _Marker):
                    if failures:
                        raise failures[0]
                    await changed.wait()
                    continue
                changed.notify_all()
            yield value
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
