"""The parallel export yields exactly what a sequential walk yields, in the same order."""

from __future__ import annotations

import datetime
import itertools
import uuid

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from galileo_insights import AsyncGalileoInsights, GalileoInsights, InternalServerError, InvalidRequestError
from galileo_insights.resources.token_usage._query import split_time_range
from galileo_insights.testing import FakeGalileo, ServerError, TokenUsageRecord

START = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)
END = START + datetime.timedelta(hours=8)

# Offsets in seconds inside [START, END): clustered, duplicated and exactly on likely window boundaries.
offsets = st.lists(
    st.one_of(
        st.integers(0, 8 * 3600 - 1),
        st.sampled_from([0, 3600, 7200, 14400, 8 * 3600 - 1]),  # boundaries of 8 one-hour windows
        st.integers(3590, 3610),  # a burst around one boundary
    ),
    max_size=120,
)


def fake_with(seconds: list[int]) -> FakeGalileo:
    fake = FakeGalileo()
    fake.store.add(
        TokenUsageRecord(created_at=START + datetime.timedelta(seconds=s), id=uuid.UUID(int=i, version=4))
        for i, s in enumerate(seconds)
    )
    # Records outside the exported range must stay out of it.
    fake.store.add([TokenUsageRecord(created_at=END), TokenUsageRecord(created_at=START - datetime.timedelta(1))])
    return fake


def walk(fake: FakeGalileo, ascending: bool, **kwargs: object) -> list[str]:
    with GalileoInsights(api_key=fake.api_key, base_url="http://galileo.test", transport=fake.transport()) as client:
        pager = client.token_usage.list(
            fake.project_id,
            fake.log_stream_id,
            page_size=7,
            ascending=ascending,
            created_since=START,
            created_before=END,
            **kwargs,  # type: ignore[arg-type]
        )
        return [str(item.id) for item in pager]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seconds=offsets, ascending=st.booleans(), windows=st.integers(1, 11))
def test_parallel_export_equals_the_sequential_walk(seconds: list[int], ascending: bool, windows: int) -> None:
    fake = fake_with(seconds)
    sequential = walk(fake, ascending)
    assert len(sequential) == len(seconds)
    assert walk(fake, ascending, concurrency=4, windows=windows) == sequential


def test_max_items_applies_across_windows() -> None:
    fake = fake_with(list(range(0, 8 * 3600, 300)))  # 96 records
    full = walk(fake, ascending=False)
    assert walk(fake, ascending=False, concurrency=8, max_items=30) == full[:30]


@pytest.mark.anyio
async def test_async_parallel_export_equals_the_sequential_walk() -> None:
    fake = fake_with([s * 97 % (8 * 3600) for s in range(300)])
    expected = walk(fake, ascending=True)
    async with AsyncGalileoInsights(
        api_key=fake.api_key, base_url="http://galileo.test", transport=fake.transport()
    ) as client:
        pager = client.token_usage.list(
            fake.project_id,
            fake.log_stream_id,
            page_size=9,
            ascending=True,
            created_since=START,
            created_before=END,
            concurrency=8,
        )
        got = [str(item.id) async for item in pager]
    assert got == expected


def test_a_failing_window_raises_after_the_items_before_it() -> None:
    fake = fake_with(list(range(0, 8 * 3600, 60)))
    with GalileoInsights(
        api_key=fake.api_key, base_url="http://galileo.test", transport=fake.transport(), max_retries=0
    ) as client:
        fake.faults.script(None, None, ServerError(500))  # the third request fails
        pager = client.token_usage.list(
            fake.project_id, fake.log_stream_id, created_since=START, created_before=END, concurrency=2, page_size=50
        )
        with pytest.raises(InternalServerError):
            list(pager)


def test_parallel_export_needs_a_closed_range() -> None:
    fake = fake_with([])
    with GalileoInsights(api_key=fake.api_key, base_url="http://galileo.test", transport=fake.transport()) as client:
        with pytest.raises(InvalidRequestError, match="needs both created_since and created_before"):
            client.token_usage.list(fake.project_id, fake.log_stream_id, created_since=START, concurrency=4)
        with pytest.raises(InvalidRequestError, match="starting_token: cannot be combined"):
            client.token_usage.list(
                fake.project_id,
                fake.log_stream_id,
                created_since=START,
                created_before=END,
                concurrency=4,
                starting_token=5,
            )
        with pytest.raises(InvalidRequestError, match="concurrency: must be"):
            client.token_usage.list(fake.project_id, fake.log_stream_id, concurrency=0)


@given(
    span_us=st.integers(1, 10**12),
    count=st.integers(1, 64),
)
def test_windows_tile_the_range_exactly(span_us: int, count: int) -> None:
    before = START + datetime.timedelta(microseconds=span_us)
    windows = split_time_range(START, before, count)
    assert windows[0][0] == START
    assert windows[-1][1] == before
    assert all(a_end == b_start for (_, a_end), (b_start, _) in itertools.pairwise(windows))
    assert all(start < end for start, end in windows)
    assert len(windows) == min(count, span_us)
