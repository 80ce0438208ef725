"""``--by``: periods of ``--tz``'s calendar from the library's grouping, every field in every data format."""

from __future__ import annotations

import csv
import datetime
import io
import json
import zoneinfo
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from galileo_insights import USAGE_COLUMNS, usage_by_period
from galileo_insights.cli._output import bar
from galileo_insights.testing import FakeGalileo
from tests.cli.harness import Invoke, stored_records

TOKEN_FIELDS = ("input_tokens", "output_tokens", "cache_read_input_tokens", "cache_creation_input_tokens")


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


@pytest.mark.parametrize("period", ["hour", "day", "week", "month"])
def test_by_json_is_the_librarys_grouping_in_the_zone(
    cli: Invoke, ids: tuple[str, str], fake: FakeGalileo, period: str
) -> None:
    result = cli("token-usage", *ids, "--by", period, "--tz", "America/New_York", "-f", "json")

    assert result.exit_code == 0, result.stderr
    expected = usage_by_period(stored_records(fake), period, tz="America/New_York")
    rows = json.loads(result.stdout)
    assert [(row["period_start"], row["period_end"], row["records"]) for row in rows] == [
        (usage.start.isoformat(), usage.end.isoformat(), usage.records) for usage in expected
    ]
    for row, usage in zip(rows, expected, strict=True):
        assert [(row[name], row[f"{name}_missing"]) for name in TOKEN_FIELDS] == [
            (usage.fields[name].total, usage.fields[name].missing) for name in TOKEN_FIELDS
        ]
        assert (row["project"], row["log_stream"]) == (fake.project_name, fake.log_stream_name)
        assert (row["project_id"], row["log_stream_id"]) == (str(fake.project_id), str(fake.log_stream_id))
    first = datetime.datetime.fromisoformat(json.loads(result.stdout)[0]["period_start"])
    assert first.utcoffset() == datetime.timedelta(hours=-5)


def test_by_csv_and_parquet_carry_all_four_fields_and_the_missing_counts(
    cli: Invoke, ids: tuple[str, str], fake: FakeGalileo, tmp_path: Path
) -> None:
    target = tmp_path / "days.parquet"
    as_csv = cli("token-usage", *ids, "--by", "day", "-f", "csv", "--tz", "Europe/Paris")
    as_parquet = cli("token-usage", *ids, "--by", "day", "-f", "parquet", "--tz", "Europe/Paris", "-o", str(target))

    assert as_csv.exit_code == 0, as_csv.stderr
    assert as_parquet.exit_code == 0, as_parquet.stderr
    rows = list(csv.DictReader(io.StringIO(as_csv.stdout)))
    table = pq.read_table(target)
    assert tuple(rows[0]) == USAGE_COLUMNS == tuple(table.column_names)
    expected = usage_by_period(stored_records(fake), "day", tz="Europe/Paris")
    for row, parquet_row, period in zip(rows, table.to_pylist(), expected, strict=True):
        for name in TOKEN_FIELDS:
            field = period.fields[name]
            assert (int(row[name]), int(row[f"{name}_missing"])) == (field.total, field.missing)
            assert (parquet_row[name], parquet_row[f"{name}_missing"]) == (field.total, field.missing)
        assert parquet_row["period_start"] == period.start
        assert str(table.schema.field("period_start").type.tz) == "Europe/Paris"
    assert sum(int(row["input_tokens_missing"]) for row in rows) > 0


def test_date_only_bounds_are_midnight_in_tz(cli: Invoke, ids: tuple[str, str], fake: FakeGalileo) -> None:
    result = cli(
        "token-usage", *ids, "-f", "jsonl", "--since", "2025-01-10", "--until", "2025-01-12", "--tz", "Asia/Tokyo"
    )

    assert result.exit_code == 0, result.stderr
    tokyo = zoneinfo.ZoneInfo("Asia/Tokyo")
    since = datetime.datetime(2025, 1, 10, tzinfo=tokyo)
    until = datetime.datetime(2025, 1, 12, tzinfo=tokyo)
    expected = [str(r.id) for r in reversed(stored_records(fake)) if since <= r.created_at < until]
    assert [json.loads(line)["id"] for line in result.stdout.splitlines()] == expected
    assert expected


def test_relative_since_and_last_count_back_from_now(cli: Invoke, ids: tuple[str, str]) -> None:
    """The fake's records are from January 2025: 7d ago holds none of them, 10000d ago all of them."""
    recent = cli("token-usage", *ids, "-f", "json", "--last", "7d")
    everything = cli("token-usage", *ids, "--totals", "-f", "json", "--since", "10000d")

    assert recent.exit_code == 0, recent.stderr
    assert json.loads(recent.stdout) == []
    assert json.loads(everything.stdout)["records"] > 0
