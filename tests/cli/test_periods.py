"""Per-period aggregation and bars, without the CLI around them."""

from __future__ import annotations

import datetime
import uuid

import pytest

from galileo_insights.cli._periods import Period, PeriodAggregator, bar
from galileo_insights_api.models.log_stream_insight_token_usage_db import LogStreamInsightTokenUsageDB
from galileo_insights_api.models.token_usage import TokenUsage

UTC = datetime.UTC


def record(created_at: datetime.datetime, usage: TokenUsage | None) -> LogStreamInsightTokenUsageDB:
    item = LogStreamInsightTokenUsageDB(
        created_at=created_at,
        id=uuid.uuid4(),
        log_stream_id=uuid.uuid4(),
        project_id=uuid.uuid4(),
        updated_at=created_at,
    )
    if usage is not None:
        item.token_usage = usage
    return item


def test_days_are_utc_days_and_gaps_are_filled() -> None:
    aggregator = PeriodAggregator(Period.DAY)
    minus_five = datetime.timezone(datetime.timedelta(hours=-5))
    aggregator.add(
        record(
            datetime.datetime(2025, 3, 1, 21, 0, tzinfo=minus_five),
            TokenUsage(input_tokens=10, output_tokens=None, cache_read_input_tokens=1),
        )
    )
    aggregator.add(record(datetime.datetime(2025, 3, 2, 1, 0, tzinfo=UTC), TokenUsage(input_tokens=5, output_tokens=7)))
    aggregator.add(record(datetime.datetime(2025, 3, 4, 0, 0, tzinfo=UTC), None))

    rows = aggregator.rows()

    assert [row.start for row in rows] == [datetime.datetime(2025, 3, d, tzinfo=UTC) for d in (2, 3, 4)]
    assert [(row.records, row.input_tokens, row.output_tokens, row.incomplete) for row in rows] == [
        (2, 15, 7, 1),
        (0, 0, 0, 0),
        (1, 0, 0, 1),
    ]
    assert rows[0].total_tokens == 22


def test_hours_label_and_length() -> None:
    start = Period.HOUR.start_of(datetime.datetime(2025, 3, 1, 13, 59, 59, tzinfo=UTC))

    assert start == datetime.datetime(2025, 3, 1, 13, tzinfo=UTC)
    assert Period.HOUR.label(start) == "2025-03-01 13:00"
    assert Period.DAY.label(start) == "2025-03-01"


def test_no_records_no_rows() -> None:
    assert PeriodAggregator(Period.HOUR).rows() == []


@pytest.mark.parametrize(
    ("value", "maximum", "expected"),
    [
        (0, 100, ""),
        (5, 0, ""),
        (100, 100, "█" * 10),
        (50, 100, "█" * 5),
        (1, 100, "▏"),
        (55, 100, "█" * 5 + "▌"),
    ],
)
def test_bar_uses_eighth_blocks(value: int, maximum: int, expected: str) -> None:
    assert bar(value, maximum, 10) == expected
