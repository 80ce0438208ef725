"""``usage_by(..., fill=True)``: a row for every period between the bounds, empty ones included."""

from __future__ import annotations

import datetime
import zoneinfo

import pytest

from galileo_insights import AsyncGalileoInsights, GalileoInsights, PeriodAccumulator
from galileo_insights.testing import FakeGalileo

BASE_URL = "http://galileo.test"
PARIS = zoneinfo.ZoneInfo("Europe/Paris")


@pytest.fixture(scope="module")
def fake() -> FakeGalileo:
    return FakeGalileo(records=300, seed=3)  # records over 30 days from 2025-01-01 UTC


def test_fill_lists_every_day_between_the_bounds(fake: FakeGalileo) -> None:
    since, until = datetime.date(2024, 12, 25), datetime.date(2025, 2, 5)
    with GalileoInsights(api_key=fake.api_key, base_url=BASE_URL, transport=fake.transport()) as client:
        filled = client.token_usage.usage_by(
            "day", fake.project_id, fake.log_stream_id, tz=PARIS, created_since=since, created_before=until, fill=True
        )
        bare = client.token_usage.usage_by(
            "day", fake.project_id, fake.log_stream_id, tz=PARIS, created_since=since, created_before=until
        )
    days = [row.start.date() for row in filled]
    assert days == [since + datetime.timedelta(days=n) for n in range((until - since).days)]
    assert {row.records for row in filled if row.start.date() < datetime.date(2025, 1, 1)} == {0}
    assert [row for row in filled if row.records] == [row for row in bare if row.records]
    assert len(bare) < len(filled)  # without fill the rows run from the first record's day to the last's
    assert sum(row.records for row in filled) == 300


@pytest.mark.anyio
async def test_async_fill_is_the_same(fake: FakeGalileo) -> None:
    async with AsyncGalileoInsights(api_key=fake.api_key, base_url=BASE_URL, transport=fake.transport()) as client:
        weeks = await client.token_usage.usage_by(
            "week",
            fake.project_id,
            fake.log_stream_id,
            fill=True,
            created_since="2024-12-30T00:00:00Z",
            created_before="2025-02-03T00:00:00Z",
        )
    assert [row.start.date().isoformat() for row in weeks] == [
        "2024-12-30",
        "2025-01-06",
        "2025-01-13",
        "2025-01-20",
        "2025-01-27",
    ]


def test_rows_cover_the_bounds_across_a_daylight_saving_change() -> None:
    grouping = PeriodAccumulator("day", PARIS)
    since = datetime.datetime(2026, 10, 24, tzinfo=PARIS)
    until = datetime.datetime(2026, 10, 27, tzinfo=PARIS)
    rows = grouping.rows(since, until)
    assert [row.start.day for row in rows] == [24, 25, 26]
    assert [row.duration for row in rows] == [datetime.timedelta(hours=hours) for hours in (24, 25, 24)]
    assert grouping.rows() == []  # no record and no bounds: nothing to list
