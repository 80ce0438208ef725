"""A parallel export over bounds given in a zone with daylight saving time yields what the sequential walk yields.

Bounds are ``zoneinfo`` datetimes on both sides of a DST gap (clocks jump forward) and a DST fold (an hour repeats),
in two zones. Windows must be cut on absolute instants: cutting on wall-clock time makes windows overlap (duplicated
records) or leave holes (lost ones).
"""

from __future__ import annotations

import datetime
import itertools
import uuid
from zoneinfo import ZoneInfo

import pytest

from galileo_insights import AsyncGalileoInsights, GalileoInsights
from galileo_insights.resources.token_usage._query import split_time_range
from galileo_insights.testing import FakeGalileo, TokenUsageRecord

SYDNEY = ZoneInfo("Australia/Sydney")
NEW_YORK = ZoneInfo("America/New_York")

# (since, before) in local time, each pair spanning one DST transition.
RANGES = {
    "sydney-gap": (
        datetime.datetime(2026, 10, 4, 1, 40, tzinfo=SYDNEY),
        datetime.datetime(2026, 10, 4, 3, 40, tzinfo=SYDNEY),
    ),
    "sydney-fold": (
        datetime.datetime(2026, 4, 5, 1, 30, tzinfo=SYDNEY),
        datetime.datetime(2026, 4, 5, 2, 30, fold=1, tzinfo=SYDNEY),
    ),
    "new-york-gap": (
        datetime.datetime(2026, 3, 8, 1, 20, tzinfo=NEW_YORK),
        datetime.datetime(2026, 3, 8, 3, 50, tzinfo=NEW_YORK),
    ),
    "new-york-fold": (
        datetime.datetime(2026, 11, 1, 0, 45, tzinfo=NEW_YORK),
        datetime.datetime(2026, 11, 1, 1, 15, fold=1, tzinfo=NEW_YORK),
    ),
}


def fake_around(since: datetime.datetime, before: datetime.datetime) -> FakeGalileo:
    """A record every 20 s from an hour before ``since`` to an hour after ``before`` (absolute time)."""
    start = since.astimezone(datetime.UTC) - datetime.timedelta(hours=1)
    stop = before.astimezone(datetime.UTC) + datetime.timedelta(hours=1)
    count = int((stop - start) / datetime.timedelta(seconds=20))
    fake = FakeGalileo()
    fake.store.add(
        TokenUsageRecord(created_at=start + datetime.timedelta(seconds=20 * i), id=uuid.UUID(int=i, version=4))
        for i in range(count)
    )
    return fake


def in_range(fake: FakeGalileo, since: datetime.datetime, before: datetime.datetime) -> list[str]:
    records = fake.store.records(fake.project_id, fake.log_stream_id)
    return [str(record.id) for record in records if since <= record.created_at < before]


def walk(fake: FakeGalileo, since: datetime.datetime, before: datetime.datetime, **kwargs: object) -> list[str]:
    with GalileoInsights(api_key=fake.api_key, base_url="http://galileo.test", transport=fake.transport()) as client:
        pager = client.token_usage.list(
            fake.project_id,
            fake.log_stream_id,
            page_size=25,
            ascending=True,
            created_since=since,
            created_before=before,
            **kwargs,  # type: ignore[arg-type]
        )
        return [str(item.id) for item in pager]


@pytest.mark.parametrize("name", sorted(RANGES))
@pytest.mark.parametrize("windows", [2, 6, 13])
def test_parallel_export_across_dst_equals_the_sequential_walk(name: str, windows: int) -> None:
    since, before = RANGES[name]
    fake = fake_around(since, before)
    sequential = walk(fake, since, before)
    assert sequential == in_range(fake, since, before)
    parallel = walk(fake, since, before, concurrency=6, windows=windows)
    assert len(parallel) == len(set(parallel)), "the parallel export repeated records"
    assert parallel == sequential


@pytest.mark.anyio
@pytest.mark.parametrize("name", sorted(RANGES))
async def test_async_parallel_export_across_dst_equals_the_sequential_walk(name: str) -> None:
    since, before = RANGES[name]
    fake = fake_around(since, before)
    async with AsyncGalileoInsights(
        api_key=fake.api_key, base_url="http://galileo.test", transport=fake.transport()
    ) as client:
        pager = client.token_usage.list(
            fake.project_id,
            fake.log_stream_id,
            page_size=25,
            ascending=False,
            created_since=since,
            created_before=before,
            concurrency=6,
        )
        got = [str(item.id) async for item in pager]
    assert got == walk(fake, since, before)[::-1]


@pytest.mark.parametrize("name", sorted(RANGES))
def test_windows_tile_the_absolute_range(name: str) -> None:
    since, before = RANGES[name]
    windows = split_time_range(since, before, 7)
    utc = [(start.astimezone(datetime.UTC), end.astimezone(datetime.UTC)) for start, end in windows]
    assert utc[0][0] == since.astimezone(datetime.UTC)
    assert utc[-1][1] == before.astimezone(datetime.UTC)
    assert all(a_end == b_start for (_, a_end), (b_start, _) in itertools.pairwise(utc))
    assert all(start < end for start, end in utc)
    lengths = {end - start for start, end in utc}
    assert max(lengths) - min(lengths) <= datetime.timedelta(microseconds=1)
