"""Jobs sharing one bound on requests in flight: in order, never over the bound, the last ones sharing what is idle."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Awaitable, Callable

import pytest

from galileo_insights._request_shares import in_tasks_by_share, in_threads_by_share, shares_of


@pytest.mark.parametrize(
    ("count", "concurrency", "expected"),
    [
        (50, 8, [1] * 48 + [4, 4]),
        (16, 8, [1] * 16),
        (3, 8, [3, 3, 2]),
        (1, 8, [8]),
        (5, 1, [1] * 5),
        (0, 4, []),
    ],
)
def test_whole_rounds_go_one_request_each_and_the_rest_split_the_bound(
    count: int, concurrency: int, expected: list[int]
) -> None:
    shares = shares_of(count, concurrency)
    assert shares == expected
    assert all(share <= concurrency for share in shares)


class Flight:
    """Requests in flight by the jobs running now (each holds its share while it runs); the most seen."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.now = 0
        self.most = 0
        self.started: list[int] = []

    def enter(self, index: int, share: int) -> None:
        with self.lock:
            self.now += share
            self.most = max(self.most, self.now)
            self.started.append(index)

    def leave(self, share: int) -> None:
        with self.lock:
            self.now -= share


def test_threads_return_every_result_in_order_and_never_exceed_the_bound() -> None:
    flight = Flight()

    def job(index: int) -> Callable[[int], tuple[int, int]]:
        def run(share: int) -> tuple[int, int]:
            flight.enter(index, share)
            time.sleep(0.002 * (index % 3))  # uneven jobs: later ones finish before earlier ones
            flight.leave(share)
            return index, share

        return run

    shares = shares_of(11, 4)
    got = in_threads_by_share([job(index) for index in range(11)], shares, 4)

    assert got == [(index, share) for index, share in enumerate(shares)]
    assert flight.most <= 4
    assert flight.started == sorted(flight.started)  # started in order


def test_threads_stop_at_the_first_failure_and_end_before_raising() -> None:
    flight = Flight()

    def job(index: int) -> Callable[[int], int]:
        def run(share: int) -> int:
            flight.enter(index, share)
            try:
                if index == 2:
                    raise ValueError("job 2 failed")
                time.sleep(0.01)
                return index
            finally:
                flight.leave(share)

        return run

    with pytest.raises(ValueError, match="job 2 failed"):
        in_threads_by_share([job(index) for index in range(40)], [1] * 40, 2)
    assert flight.now == 0  # nothing still running once it raised
    assert len(flight.started) < 10  # no job started after the failure was seen


def test_tasks_return_every_result_in_order_and_never_exceed_the_bound() -> None:
    flight = Flight()

    def job(index: int) -> Callable[[int], Awaitable[tuple[int, int]]]:
        async def run(share: int) -> tuple[int, int]:
            flight.enter(index, share)
            await asyncio.sleep(0.002 * (index % 3))
            flight.leave(share)
            return index, share

        return run

    shares = shares_of(11, 4)
    got = asyncio.run(in_tasks_by_share([job(index) for index in range(11)], shares, 4))

    assert got == [(index, share) for index, share in enumerate(shares)]
    assert flight.most <= 4
    assert flight.started == sorted(flight.started)


def test_tasks_cancel_the_others_at_the_first_failure() -> None:
    flight = Flight()
    cancelled: list[int] = []

    def job(index: int) -> Callable[[int], Awaitable[int]]:
        async def run(share: int) -> int:
            flight.enter(index, share)
            try:
                if index == 1:
                    await asyncio.sleep(0.005)
                    raise ValueError("job 1 failed")
                await asyncio.sleep(10)  # only a cancellation ends it in time
                return index
            except asyncio.CancelledError:
                cancelled.append(index)
                raise
            finally:
                flight.leave(share)

        return run

    started = time.perf_counter()
    with pytest.raises(ValueError, match="job 1 failed"):
        asyncio.run(in_tasks_by_share([job(index) for index in range(10)], [1] * 10, 3))
    assert time.perf_counter() - started < 5
    assert flight.now == 0
    assert sorted(cancelled) == [0, 2]  # the two running beside it; none started after
