"""The export's input: ascending Arrow batches cut into UTC days, out-of-order records refused, one row per id."""

from __future__ import annotations

import datetime

import pyarrow as pa
import pytest

from galileo_insights import PaginationError, token_usage_schema
from galileo_insights.resources.token_usage._data._days import DistinctIds, days_of

UTC = datetime.UTC
SINCE = datetime.datetime(2025, 3, 1, tzinfo=UTC)
BEFORE = datetime.datetime(2025, 3, 5, tzinfo=UTC)


def batch_of(*rows: tuple[str, datetime.datetime]) -> pa.RecordBatch:
    records = [
        {"id": identifier, "created_at": created, "updated_at": created, "project_id": "p", "log_stream_id": "s"}
        for identifier, created in rows
    ]
    return pa.RecordBatch.from_pylist(records, schema=token_usage_schema())


def at(day: int, hour: int = 0) -> datetime.datetime:
    return datetime.datetime(2025, 3, day, hour, tzinfo=UTC)


def test_a_batch_is_cut_at_utc_midnights() -> None:
    batch = batch_of(("a", at(1, 5)), ("b", at(1, 23)), ("c", at(3)), ("d", at(4, 23)))
    cuts = [(day, part.column("id").to_pylist()) for day, part in days_of(batch, SINCE, BEFORE, SINCE.date())]
    assert cuts == [
        (datetime.date(2025, 3, 1), ["a", "b"]),
        (datetime.date(2025, 3, 3), ["c"]),
        (datetime.date(2025, 3, 4), ["d"]),
    ]


@pytest.mark.parametrize(
    ("rows", "after", "culprit"),
    [
        ((("a", at(2)), ("b", at(1))), datetime.date(2025, 3, 1), "b"),  # days go back
        ((("a", at(2)), ("b", BEFORE)), datetime.date(2025, 3, 1), "b"),  # past the range
        ((("a", SINCE - datetime.timedelta(microseconds=1)),), datetime.date(2025, 3, 1), "a"),  # before it
        ((("a", at(2)),), datetime.date(2025, 3, 3), "a"),  # a day the walk already left
    ],
)
def test_a_record_out_of_order_or_range_is_a_pagination_error_naming_it(
    rows: tuple[tuple[str, datetime.datetime], ...], after: datetime.date, culprit: str
) -> None:
    with pytest.raises(PaginationError, match=f"record {culprit} created at"):
        list(days_of(batch_of(*rows), SINCE, BEFORE, after))


def test_a_day_keeps_one_row_per_id_across_batches() -> None:
    ids = DistinctIds()
    first = ids.new_rows(batch_of(("a", at(1)), ("b", at(1))))
    second = ids.new_rows(batch_of(("b", at(1)), ("c", at(1)), ("c", at(1))))
    assert first.column("id").to_pylist() == ["a", "b"]
    assert second.column("id").to_pylist() == ["c"]
