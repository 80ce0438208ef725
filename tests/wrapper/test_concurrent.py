"""Ordered parallel streams: output in order, producers never stalled by window size, read-ahead bounded."""

from __future__ import annotations

import asyncio
import random
import threading
import time
from collections.abc import AsyncIterator, Callable, Iterator

import pytest

from galileo_insights._concurrent import ordered_in_tasks, ordered_in_threads

_WAIT = 10.0


class Outstanding:
    """Counts values made by producers and not yet taken by the consumer; remembers the peak."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.now = 0
        self.peak = 0

    def made(self) -> None:
        with self._lock:
            self.now += 1
            self.peak = max(self.peak, self.now)

    def taken(self) -> None:
        with self._lock:
            self.now -= 1


def counting(window: int, values: int, outstanding: Outstanding) -> Callable[[], Iterator[tuple[int, int]]]:
    def segment() -> Iterator[tuple[int, int]]:
        for index in range(values):
            outstanding.made()
            yield window, index

    return segment


def test_many_windows_come_back_in_order_whatever_finishes_first() -> None:
    rng = random.Random(3)
    sizes = [rng.randrange(0, 30) for _ in range(40)]

    def segment(window: int, size: int) -> Callable[[], Iterator[tuple[int, int]]]:
        def values() -> Iterator[tuple[int, int]]:
            for index in range(size):
                time.sleep(rng.random() / 2000)
                yield window, index

        return values

    segments = [segment(window, size) for window, size in enumerate(sizes)]
    got = list(ordered_in_threads(segments, concurrency=6, read_ahead=25))
    assert got == [(window, index) for window, size in enumerate(sizes) for index in range(size)]


def test_a_long_first_window_does_not_stall_the_windows_after_it() -> None:
    """Every window is produced in full before the consumer reads anything: no per-window cap stops a worker."""
    finished = threading.Barrier(4, timeout=_WAIT)

    def segment(window: int) -> Callable[[], Iterator[int]]:
        def values() -> Iterator[int]:
            yield from (window * 1000 + index for index in range(300))
            finished.wait()  # all four windows reach their end while nothing has been read

        return values

    walk = ordered_in_threads([segment(window) for window in range(4)], concurrency=4, read_ahead=2000)
    assert list(walk) == [window * 1000 + index for window in range(4) for index in range(300)]


def test_a_sleeping_consumer_holds_at_most_the_read_ahead_plus_one_value_per_worker() -> None:
    """Outstanding: the bound, the head window's one value past it, one per worker, the one the consumer holds."""
    outstanding = Outstanding()
    segments = [counting(window, 500, outstanding) for window in range(16)]
    walk = ordered_in_threads(segments, concurrency=8, read_ahead=40)
    taken = 0
    for _ in walk:
        outstanding.taken()
        taken += 1
        if taken % 1000 == 1:
            time.sleep(0.2)  # a slow consumer: the producers would fill any unbounded buffer meanwhile
    assert taken == 16 * 500
    assert outstanding.peak <= 40 + 1 + 8 + 1


def test_read_ahead_is_measured_by_size() -> None:
    outstanding = Outstanding()
    segments = [counting(window, 200, outstanding) for window in range(8)]
    walk = ordered_in_threads(segments, concurrency=4, read_ahead=100, size=lambda _: 10)
    for index, _ in enumerate(walk):
        outstanding.taken()
        if index == 0:
            time.sleep(0.3)
    assert outstanding.peak <= 100 // 10 + 1 + 4 + 1


def test_a_failure_comes_after_every_value_before_it_and_nothing_after() -> None:
    def ok(window: int) -> Callable[[], Iterator[int]]:
        return lambda: iter(range(window * 100, window * 100 + 50))

    def failing() -> Iterator[int]:
        yield 200
        raise ValueError("window 2 failed")

    got: list[int] = []
    with pytest.raises(ValueError, match="window 2 failed"):
        got.extend(ordered_in_threads([ok(0), ok(1), failing, ok(3)], concurrency=4, read_ahead=1000))
    assert got[:100] == [*range(50), *range(100, 150)]
    assert all(value < 300 for value in got)


def test_breaking_out_stops_every_producer() -> None:
    outstanding = Outstanding()
    walk = ordered_in_threads([counting(w, 10**9, outstanding) for w in range(4)], concurrency=4, read_ahead=50)
    for _ in walk:
        break
    walk.close()
    time.sleep(0.3)
    settled = outstanding.now
    time.sleep(0.3)
    assert outstanding.now == settled  # nothing is produced any more


def test_tasks_come_back_in_order_with_a_bounded_read_ahead() -> None:
    outstanding = Outstanding()

    def segment(window: int, size: int) -> Callable[[], AsyncIterator[tuple[int, int]]]:
        async def values() -> AsyncIterator[tuple[int, int]]:
            for index in range(size):
                await asyncio.sleep(0)
                outstanding.made()
                yield window, index

        return values

    sizes = [(window * 7) % 23 for window in range(30)]

    async def read() -> list[tuple[int, int]]:
        got = []
        async for value in ordered_in_tasks([segment(w, s) for w, s in enumerate(sizes)], 5, read_ahead=10):
            outstanding.taken()
            got.append(value)
            if len(got) % 50 == 1:
                await asyncio.sleep(0.01)
        return got

    assert asyncio.run(read()) == [(window, index) for window, size in enumerate(sizes) for index in range(size)]
    assert outstanding.peak <= 10 + 5 + 1
