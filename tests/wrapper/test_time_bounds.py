"""Library bounds take the command line's forms: dates and date-only strings (midnight in ``tz``, UTC where no ``tz``
applies) and, for lower bounds, ``timedelta`` / ``"7d"`` back from now; ``totals`` and ``usage_by`` read in
parallel with ``concurrency=`` and take ``list()``'s arguments without re-declaring them."""

from __future__ import annotations

import asyncio
import collections
import datetime
import inspect
import typing
import zoneinfo

import pytest

from galileo_insights import (
    AsyncGalileoInsights,
    GalileoInsights,
    InvalidRequestError,
    TokenUsageArguments,
    TokenUsageResource,
)
from galileo_insights.resources.token_usage import LowerBound, TimeBound
from galileo_insights.testing import FakeGalileo, TokenUsageRecord

UTC = datetime.UTC
PARIS = zoneinfo.ZoneInfo("Europe/Paris")


def fake_with(*moments: datetime.datetime) -> FakeGalileo:
    fake = FakeGalileo()
    fake.store.add([TokenUsageRecord(created_at=moment) for moment in moments])
    return fake


def client_for(fake: FakeGalileo) -> GalileoInsights:
    return GalileoInsights(api_key=fake.api_key, base_url="http://galileo.test", transport=fake.transport())


def created_filters(fake: FakeGalileo) -> list[tuple[str, datetime.datetime]]:
    (request,) = [request for request in fake.requests if request.method == "POST"]
    return [
        (item["operator"], datetime.datetime.fromisoformat(item["value"]))
        for item in request.json["filters"]
        if item["name"] == "created_at"
    ]


@pytest.mark.parametrize(
    ("since", "before"),
    [
        (datetime.date(2026, 3, 2), datetime.date(2026, 3, 3)),
        ("2026-03-02", "2026-03-03"),
        ("2026-03-02T00:00:00Z", "2026-03-03T00:00:00+00:00"),
    ],
    ids=["dates", "date-strings", "iso"],
)
def test_dates_are_midnight_utc_in_list(since: LowerBound, before: TimeBound) -> None:
    fake = fake_with(*(datetime.datetime(2026, 3, day, 12, tzinfo=UTC) for day in (1, 2, 3)))
    with client_for(fake) as client:
        items = list(
            client.token_usage.list(fake.project_id, fake.log_stream_id, created_since=since, created_before=before)
        )

    assert [item.created_at.day for item in items] == [2]
    assert created_filters(fake) == [
        ("gte", datetime.datetime(2026, 3, 2, tzinfo=UTC)),
        ("lt", datetime.datetime(2026, 3, 3, tzinfo=UTC)),
    ]


@pytest.mark.parametrize("since", [datetime.timedelta(days=2), "2d", "48h"])
def test_a_lower_bound_may_be_a_duration_back_from_now(since: LowerBound) -> None:
    now = datetime.datetime.now(UTC)
    fake = fake_with(now - datetime.timedelta(days=3), now - datetime.timedelta(days=1))
    with client_for(fake) as client:
        totals = client.token_usage.totals(fake.project_id, fake.log_stream_id, created_since=since)

    assert totals.records == 1


def test_a_duration_is_not_an_upper_bound() -> None:
    fake = FakeGalileo()
    with client_for(fake) as client, pytest.raises(InvalidRequestError) as caught:
        client.token_usage.list(fake.project_id, fake.log_stream_id, created_before="7d")
    assert caught.value.argument == "created_before"


def test_usage_by_reads_dates_in_its_zone() -> None:
    # 23:30 UTC on 1 March is 00:30 on 2 March in Paris: inside a Paris day that starts at 23:00 UTC.
    fake = fake_with(
        datetime.datetime(2026, 3, 1, 23, 30, tzinfo=UTC), datetime.datetime(2026, 3, 1, 22, 30, tzinfo=UTC)
    )
    with client_for(fake) as client:
        rows = client.token_usage.usage_by(
            "day", fake.project_id, fake.log_stream_id, tz="Europe/Paris", created_since="2026-03-02"
        )

    assert [(row.start, row.records) for row in rows] == [(datetime.datetime(2026, 3, 2, tzinfo=PARIS), 1)]
    assert created_filters(fake) == [("gte", datetime.datetime(2026, 3, 1, 23, tzinfo=UTC))]


def test_totals_and_usage_by_read_in_parallel() -> None:
    start = datetime.datetime(2026, 3, 1, tzinfo=UTC)
    fake = fake_with(*(start + datetime.timedelta(hours=hour) for hour in range(48)))
    with client_for(fake) as client:
        arguments: TokenUsageArguments = {
            "created_since": "2026-03-01",
            "created_before": "2026-03-03",
            "concurrency": 4,
        }
        totals = client.token_usage.totals(fake.project_id, fake.log_stream_id, **arguments)
        rows = client.token_usage.usage_by("day", fake.project_id, fake.log_stream_id, **arguments)

    assert totals.records == 48
    assert [row.records for row in rows] == [24, 24]
    windows = collections.Counter(
        tuple(value for _, value in created_filters_of(request.json)) for request in fake.requests
    )
    assert len(windows) > 1  # the range was read as parallel windows
    assert set(windows.values()) == {2}  # one page per window for each call: the same windows


def created_filters_of(body: dict[str, typing.Any]) -> list[tuple[str, str]]:
    return [(item["operator"], item["value"]) for item in body["filters"] if item["name"] == "created_at"][-2:]


def test_async_totals_take_the_same_forms() -> None:
    fake = fake_with(datetime.datetime(2026, 3, 2, 12, tzinfo=UTC), datetime.datetime(2026, 3, 4, tzinfo=UTC))

    async def main() -> int:
        async with AsyncGalileoInsights(
            api_key=fake.api_key, base_url="http://galileo.test", transport=fake.transport()
        ) as client:
            totals = await client.token_usage.totals(
                fake.project_id,
                fake.log_stream_id,
                created_since=datetime.date(2026, 3, 2),
                created_before="2026-03-03",
            )
            return totals.records

    assert asyncio.run(main()) == 1


def test_the_shared_arguments_are_lists_own() -> None:
    """``totals()`` / ``usage_by()`` take ``TokenUsageArguments``: each is a ``list()`` parameter of the same type."""
    hints = typing.get_type_hints(TokenUsageResource.list)
    shared = typing.get_type_hints(TokenUsageArguments)
    parameters = inspect.signature(TokenUsageResource.list).parameters
    for name, annotation in shared.items():
        assert parameters[name].kind is inspect.Parameter.KEYWORD_ONLY, name
        assert hints[name] == annotation, name
    only_list = set(parameters) - set(shared) - {"self", "project_id", "log_stream_id"}
    assert only_list == {"ascending", "max_items", "starting_token"}
