"""Run several ordered streams at once and read them back in order, with bounded buffering.

The parallel export splits a time range into windows; each window is a sequential page walk. Producers
fill one bounded queue per window while the consumer drains the windows strictly in order, so output
order is deterministic, memory is bounded by ``buffer`` values per window, and a consumer that stops
early (``break``, ``max_items``, an error, Ctrl-C) stops the producers too, without waiting for them.
"""

from __future__ import annotations

import contextlib
import queue
import threading
from collections.abc import AsyncGenerator, AsyncIterator, Callable, Generator, Iterator, Sequence
from typing import TYPE_CHECKING, TypeVar

from ._stopping import Stopped, StopSignal

if TYPE_CHECKING:
    import asyncio

T = TypeVar("T")

_POLL_SECONDS = 0.05


class _Done:
    """Marks the end of one producer's stream."""


_DONE = _Done()


def ordered_in_threads(
    segments: Sequence[Callable[[], Iterator[T]]], concurrency: int, buffer: int
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
    queues: list[queue.Queue[T | _Done]] = [queue.Queue(maxsize=buffer) for _ in segments]
    pending: queue.SimpleQueue[int] = queue.SimpleQueue()
    for index in range(len(segments)):
        pending.put(index)

    def put(target: queue.Queue[T | _Done], message: T | _Done) -> bool:
        while not stop.is_set():
            try:
                target.put(message, timeout=_POLL_SECONDS)
            except queue.Full:
                continue
            return True
        return False

    def produce() -> None:
        with stop.bound(), contextlib.suppress(Stopped):
            produce_segments()

    def produce_segments() -> None:
        while not stop.is_set():
            try:
                index = pending.get_nowait()
            except queue.Empty:
                return
            try:
                for value in segments[index]():
                    if not put(queues[index], value):
                        return
            except Exception as exc:  # handed to the consumer
                failures.append(exc)
                stop.set()
                return
            put(queues[index], _DONE)

    threads = [
        threading.Thread(target=produce, name=f"galileo-insights-export-{number}", daemon=True)
        for number in range(min(concurrency, len(segments)))
    ]
    for thread in threads:
        thread.start()
    try:
        for source in queues:
            while True:
                try:
                    message = source.get(timeout=_POLL_SECONDS)
                except queue.Empty:
                    if failures:
                        raise failures[0] from None
                    continue
                if isinstance(message, _Done):
                    break
                yield message
    finally:
        stop.set()


async def ordered_in_tasks(
    segments: Sequence[Callable[[], AsyncIterator[T]]], concurrency: int, buffer: int
) -> AsyncGenerator[T, None]:
    """The asyncio twin of ``ordered_in_threads``: up to ``concurrency`` segments run as tasks."""
    import asyncio  # noqa: PLC0415 - asyncio loads with the first async call, not at import (issue 12: import time)

    limit = asyncio.Semaphore(concurrency)
    queues: list[asyncio.Queue[T | _Done | Exception]] = [asyncio.Queue(maxsize=buffer) for _ in segments]

    async def produce(segment: Callable[[], AsyncIterator[T]], target: asyncio.Queue[T | _Done | Exception]) -> None:
        async with limit:
            try:
                async for value in segment():
                    await target.put(value)
            except Exception as exc:  # handed to the consumer, raised there in order
                await target.put(exc)
                return
            await target.put(_DONE)

    tasks = [asyncio.create_task(produce(segment, target)) for segment, target in zip(segments, queues, strict=True)]
    try:
        for source in queues:
            while not isinstance(message := await source.get(), _Done):
                if isinstance(message, Exception):
                    raise message
                yield message
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
