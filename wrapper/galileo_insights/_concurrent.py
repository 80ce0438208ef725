"""Run several ordered streams at once and read them back in order, with bounded buffering.

The parallel export splits a time range into windows; each window is a sequential page walk. Producers
fill one bounded queue per window while the consumer drains the windows strictly in order, so output
order is deterministic, memory is bounded by ``buffer`` values per window, and a consumer that stops
early (``break``, ``max_items``, an error) stops the producers too.
"""

from __future__ import annotations

import asyncio
import queue
import threading
from collections.abc import AsyncIterator, Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

T = TypeVar("T")

_PUT_POLL_SECONDS = 0.05


class _Done:
    """Marks the end of one producer's stream."""


_DONE = _Done()


def ordered_in_threads(segments: Sequence[Callable[[], Iterator[T]]], concurrency: int, buffer: int) -> Iterator[T]:
    """Values of ``segments[0]()``, then ``segments[1]()``..., produced by up to ``concurrency`` threads."""
    stop = threading.Event()
    queues: list[queue.Queue[T | _Done | Exception]] = [queue.Queue(maxsize=buffer) for _ in segments]

    def put(target: queue.Queue[T | _Done | Exception], message: T | _Done | Exception) -> bool:
        while not stop.is_set():
            try:
                target.put(message, timeout=_PUT_POLL_SECONDS)
            except queue.Full:
                continue
            return True
        return False

    def produce(segment: Callable[[], Iterator[T]], target: queue.Queue[T | _Done | Exception]) -> None:
        if stop.is_set():
            return
        try:
            for value in segment():
                if not put(target, value):
                    return
        except Exception as exc:  # handed to the consumer, raised there in order
            put(target, exc)
            return
        put(target, _DONE)

    pool = ThreadPoolExecutor(max_workers=concurrency, thread_name_prefix="galileo-insights-export")
    try:
        for segment, target in zip(segments, queues, strict=True):
            pool.submit(produce, segment, target)
        for source in queues:
            while not isinstance(message := source.get(), _Done):
                if isinstance(message, Exception):
                    raise message
                yield message
    finally:
        stop.set()
        pool.shutdown(wait=True, cancel_futures=True)


async def ordered_in_tasks(
    segments: Sequence[Callable[[], AsyncIterator[T]]], concurrency: int, buffer: int
) -> AsyncIterator[T]:
    """The asyncio twin of ``ordered_in_threads``: up to ``concurrency`` segments run as tasks."""
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
