"""Usage by period against a brute-force grouping, in two zones across both daylight-saving changes."""

from __future__ import annotations

import datetime
import itertools
import random
import time
import zoneinfo
from collections import defaultdict
from collections.abc import Callable, Hashable, Iterator
from typing import Any

import pytest

from galileo_insights import (
    AsyncGalileoInsights,
    FieldTotal,
    GalileoInsights,
    GalileoInsightsError,
    InvalidRequestError,
    Period,
    PeriodUsage,
    usage_by_period,
)
from galileo_insights.testing import FakeGalileo, RecordStore, TokenCounts, TokenUsageRecord
from galileo_insights_api.models.log_stream_insight_token_usage_db import LogStreamInsightTokenUsageDB
from tests.data.records import LOG_STREAM_ID, PROJECT_ID, TOKEN_FIELDS

UTC = datetime.UTC
ZONES = ("Europe/Paris", "America/New_York")
MINUTE = datetime.timedelta(minutes=1)
# Both zones change clocks inside these ranges: March 9 / 30 forward, October 26 / November 2 back.
RANGES = (
    (datetime.datetime(2025, 3, 1, tzinfo=UTC), datetime.datetime(2025, 4, 8, tzinfo=UTC)),
    (datetime.datetime(2025, 10, 20, tzinfo=UTC), datetime.datetime(2025, 11, 9, tzinfo=UTC)),
)


def _moments(rng: random.Random) -> Iterator[datetime.datetime]:
    for start, end in RANGES:
        span = int((end - start).total_seconds())
        for _ in range(300):
            yield start + datetime.timedelta(seconds=rng.randrange(span), microseconds=rng.randrange(1_000_000))
    # Exactly on boundaries: local midnights and the changes themselves.
    for name in ZONES:
        zone = zoneinfo.ZoneInfo(name)
        for day in (datetime.date(2025, 3, 9), datetime.date(2025, 3, 30), datetime.date(2025, 11, 2)):
            yield datetime.datetime.combine(day, datetime.time(0), tzinfo=zone).astimezone(UTC)
    yield datetime.datetime(2025, 3, 30, 1, 0, tzinfo=UTC)  # Paris jumps 02:00 -> 03:00
    yield datetime.datetime(2025, 10, 26, 0, 30, tzinfo=UTC)  # Paris 02:30, first run
    yield datetime.datetime(2025, 10, 26, 1, 30, tzinfo=UTC)  # Paris 02:30, second run


def _timestamp(moment: datetime.datetime, rng: random.Random) -> str:
    """Naive (UTC), ``Z`` or an offset, as servers send them."""
    match rng.randrange(3):
        case 0:
            return moment.replace(tzinfo=None).isoformat()
        case 1:
            return moment.isoformat().replace("+00:00", "Z")
        case _:
            return moment.astimezone(datetime.timezone(datetime.timedelta(hours=rng.randrange(-11, 13)))).isoformat()


def make_items(seed: int = 3) -> list[LogStreamInsightTokenUsageDB]:
    rng = random.Random(seed)
    items = []
    for index, moment in enumerate(_moments(rng)):
        record: dict[str, Any] = {
            "id": f"00000000-0000-4000-8000-{index:012d}",
            "created_at": _timestamp(moment, rng),
            "updated_at": _timestamp(moment, rng),
            "project_id": PROJECT_ID,
            "log_stream_id": LOG_STREAM_ID,
        }
        if rng.random() > 0.1:
            record["token_usage"] = {
                name: rng.choice([None, rng.randrange(5000)]) for name in TOKEN_FIELDS if rng.random() > 0.05
            }
        items.append(LogStreamInsightTokenUsageDB.from_dict(record))
    rng.shuffle(items)
    return items


def _utc(moment: datetime.datetime) -> datetime.datetime:
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _label(period: str, zone: zoneinfo.ZoneInfo) -> Callable[[datetime.datetime], Hashable]:
    """What names a period on the zone's wall clock: the same label, the same period."""

    def label(moment: datetime.datetime) -> Hashable:
        local = moment.astimezone(zone)
        match period:
            case "hour":
                return (local.date(), local.hour, local.fold)
            case "day":
                return local.date()
            case "week":
                return local.isocalendar()[:2]
            case _:
                return (local.year, local.month)

    return label


def _brute_start(moment: datetime.datetime, label: Callable[[datetime.datetime], Hashable]) -> datetime.datetime:
    """The earliest whole UTC minute with ``moment``'s label (both zones change clocks on whole minutes)."""
    target = label(moment)
    high = moment.replace(second=0, microsecond=0)
    low = high - datetime.timedelta(days=32)
    while high - low > MINUTE:  # label(high) == target; the labels before the period's start differ
        middle = low + ((high - low) // MINUTE // 2) * MINUTE
        if label(middle) == target:
            high = middle
        else:
            low = middle
    return high


def brute_force(items: list[LogStreamInsightTokenUsageDB], period: str, tz: str) -> dict[datetime.datetime, Any]:
    """Per period start (UTC): records and, per field, [total, counted, missing], summed one record at a time."""
    label = _label(period, zoneinfo.ZoneInfo(tz))
    groups: dict[datetime.datetime, Any] = defaultdict(lambda: [0, {name: [0, 0, 0] for name in TOKEN_FIELDS}])
    for item in items:
        group = groups[_brute_start(_utc(item.created_at), label)]
        group[0] += 1
        for name in TOKEN_FIELDS:
            value = getattr(item.token_usage, name, None) if item.token_usage else None
            if isinstance(value, int):
                group[1][name][0] += value
                group[1][name][1] += 1
            else:
                group[1][name][2] += 1
    return groups


def as_brute(row: PeriodUsage) -> list[Any]:
    return [row.records, {name: [f.total, f.counted, f.missing] for name, f in row.fields.items()}]


@pytest.mark.parametrize("tz", ZONES)
@pytest.mark.parametrize("period", ["hour", "day", "week", "month"])
def test_periods_match_a_brute_force_grouping(period: str, tz: str) -> None:
    items = make_items()
    rows = usage_by_period(items, period, tz=tz)
    expected = brute_force(items, period, tz)

    assert sum(row.records for row in rows) == len(items)
    filled = {row.start.astimezone(UTC): as_brute(row) for row in rows if row.records}
    assert filled == {start: [records, fields] for start, (records, fields) in expected.items()}
    assert all(row.start.tzinfo == zoneinfo.ZoneInfo(tz) and row.end.tzinfo == row.start.tzinfo for row in rows)
    assert all(_utc(earlier.end) == _utc(later.start) for earlier, later in itertools.pairwise(rows))
    assert all(row.duration > datetime.timedelta(0) for row in rows)
    empty = [row for row in rows if not row.records]
    assert all(row.fields == dict.fromkeys(TOKEN_FIELDS, FieldTotal()) for row in empty)


@pytest.mark.parametrize(
    ("tz", "short_day", "long_day"),
    [
        ("Europe/Paris", datetime.date(2025, 3, 30), datetime.date(2025, 10, 26)),
        ("America/New_York", datetime.date(2025, 3, 9), datetime.date(2025, 11, 2)),
    ],
)
def test_daylight_saving_days_last_23_and_25_hours(tz: str, short_day: datetime.date, long_day: datetime.date) -> None:
    days = {row.start.date(): row for row in usage_by_period(make_items(), Period.DAY, tz=tz)}
    hours = [row for row in usage_by_period(make_items(), "hour", tz=tz) if row.start.date() == long_day]

    assert days[short_day].duration == datetime.timedelta(hours=23)
    assert days[long_day].duration == datetime.timedelta(hours=25)
    assert all(
        row.duration == datetime.timedelta(hours=24) for day, row in days.items() if day not in (short_day, long_day)
    )
    assert all(row.start.time() == datetime.time(0) for row in days.values())
    assert len(hours) == 25
    assert len({row.start.astimezone(UTC) for row in hours}) == 25
    assert [row.start.hour for row in hours if row.start.fold == 1] == [1 if tz == "America/New_York" else 2]


def test_a_naive_timestamp_is_utc_whatever_the_machine_zone(monkeypatch: pytest.MonkeyPatch) -> None:
    item = LogStreamInsightTokenUsageDB.from_dict(
        {
            "id": "2ce3165f-e8af-4ce8-b918-027dffd83648",
            "created_at": "2025-01-29T23:30:00",
            "updated_at": "2025-01-29T23:30:00",
            "project_id": PROJECT_ID,
            "log_stream_id": LOG_STREAM_ID,
        }
    )
    for machine_zone in ("UTC", "America/Los_Angeles", "Asia/Tokyo"):
        monkeypatch.setenv("TZ", machine_zone)
        time.tzset()
        [row] = usage_by_period([item], "day")
        assert row.start == datetime.datetime(2025, 1, 29, tzinfo=zoneinfo.ZoneInfo("UTC"))
    monkeypatch.undo()
    time.tzset()


def test_bad_period_or_zone_is_refused_before_sending() -> None:
    fake = FakeGalileo(records=10)
    with GalileoInsights(api_key=fake.api_key, transport=fake.transport()) as client:
        with pytest.raises(InvalidRequestError, match="period must be one of 'hour', 'day', 'week', 'month'"):
            client.token_usage.usage_by("fortnight", fake.project_id, fake.log_stream_id)
        with pytest.raises(InvalidRequestError, match=r"tz must be an IANA time zone name.*'Europe/Pariss'"):
            client.token_usage.usage_by("day", fake.project_id, fake.log_stream_id, tz="Europe/Pariss")
    assert fake.requests == []


def _count(item: LogStreamInsightTokenUsageDB, name: str) -> int | None:
    value = getattr(item.token_usage, name, None)
    return value if isinstance(value, int) else None


def _fake_with(items: list[LogStreamInsightTokenUsageDB]) -> FakeGalileo:
    records = [
        TokenUsageRecord(
            id=item.id,
            created_at=_utc(item.created_at),
            updated_at=_utc(item.updated_at),
            project_id=item.project_id,
            log_stream_id=item.log_stream_id,
            token_usage=TokenCounts(**{name: _count(item, name) for name in TOKEN_FIELDS})
            if item.token_usage
            else None,
        )
        for item in items
    ]
    return FakeGalileo(store=RecordStore(records), project_id=items[0].project_id, log_stream_id=items[0].log_stream_id)


def test_the_resource_method_groups_the_servers_records() -> None:
    items = make_items()
    fake = _fake_with(items)
    with GalileoInsights(api_key=fake.api_key, transport=fake.transport()) as client:
        rows = client.token_usage.usage_by("day", PROJECT_ID, LOG_STREAM_ID, tz="Europe/Paris", page_size=97)
        since = datetime.datetime(2025, 10, 26, tzinfo=zoneinfo.ZoneInfo("Europe/Paris"))
        bounded = client.token_usage.usage_by("hour", PROJECT_ID, LOG_STREAM_ID, created_since=since)

    assert rows == usage_by_period(items, "day", tz="Europe/Paris")
    in_range = [item for item in items if _utc(item.created_at) >= since]
    assert bounded == usage_by_period(in_range, "hour")


@pytest.mark.anyio
async def test_the_async_method_matches_the_sync_one() -> None:
    items = make_items(seed=8)
    fake = _fake_with(items)
    async with AsyncGalileoInsights(api_key=fake.api_key, transport=fake.transport()) as client:
        rows = await client.token_usage.usage_by("week", PROJECT_ID, LOG_STREAM_ID, tz="America/New_York")

    assert rows == usage_by_period(items, "week", tz="America/New_York")
    assert sum(row.records for row in rows) == len(items)


@pytest.mark.parametrize("tz", ["UTC", "Asia/Tokyo", "America/New_York"])
def test_the_end_of_time_is_a_typed_error_or_the_last_row(tz: str) -> None:
    past_9999 = TokenUsageRecord(created_at=datetime.datetime(2026, 1, 1)).to_json()
    past_9999["created_at"] = "9999-12-31T23:59:59.999999-23:59"
    with pytest.raises(GalileoInsightsError, match="year 9999"):
        usage_by_period([LogStreamInsightTokenUsageDB.from_dict(past_9999)], "day", tz)
    last_day = dict(past_9999, created_at="9999-12-31T12:00:00Z")
    rows = usage_by_period([LogStreamInsightTokenUsageDB.from_dict(last_day)], "day", tz)
    assert [row.records for row in rows] == [1]


def test_a_stray_timestamp_far_from_the_rest_is_an_error_not_millions_of_rows() -> None:
    near = TokenUsageRecord(created_at=datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)).to_json()
    far = dict(near, id="00000000-0000-4000-8000-000000000001", created_at="9999-12-31T12:00:00Z")
    items = [LogStreamInsightTokenUsageDB.from_dict(record) for record in (near, far)]
    with pytest.raises(GalileoInsightsError, match="span more than 100,000 hours"):
        usage_by_period(items, "hour")
    later = [items[0], LogStreamInsightTokenUsageDB.from_dict(dict(far, created_at="2100-06-01T00:00:00Z"))]
    rows = usage_by_period(later, "month")  # 894 months, gaps included: allowed
    assert (len(rows), rows[0].records, rows[-1].records) == (894, 1, 1)
