"""Every output format parses back to the records the fake holds, in the order asked for."""

from __future__ import annotations

import csv
import datetime
import io
import json
from typing import Any

import pytest
from rich.console import Console

from galileo_insights import GalileoInsights
from galileo_insights.cli._output import CSV_COLUMNS, NULL_MARK, _write_record_table
from galileo_insights.testing import FakeGalileo
from galileo_insights_api.models.log_stream_insight_token_usage_db import LogStreamInsightTokenUsageDB
from galileo_insights_api.models.token_usage import TokenUsage
from tests.cli.harness import RECORDS, Invoke, stored_records

PLUS_TWO = datetime.timezone(datetime.timedelta(hours=2))
TOKEN_FIELDS = ("input_tokens", "output_tokens", "cache_read_input_tokens", "cache_creation_input_tokens")


def newest_first(fake: FakeGalileo) -> list[dict[str, Any]]:
    return [record.to_dict() for record in reversed(stored_records(fake))]


def counts(record: LogStreamInsightTokenUsageDB) -> list[int | None]:
    usage = record.token_usage
    if not isinstance(usage, TokenUsage):
        return [None] * 4
    return [value if isinstance(value, int) else None for value in (getattr(usage, n) for n in TOKEN_FIELDS)]


def test_json_is_one_array_of_the_generated_models_dicts(cli: Invoke, ids: tuple[str, str], fake: FakeGalileo) -> None:
    result = cli("token-usage", *ids, "--format", "json", "--page-size", "64")

    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    assert json.loads(result.stdout) == newest_first(fake)
    assert len(fake.requests) == -(-RECORDS // 64)


def test_json_of_nothing_is_an_empty_array(cli: Invoke, ids: tuple[str, str]) -> None:
    result = cli("token-usage", *ids, "-f", "json", "--until", "2000-01-01T00:00:00Z")

    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout) == []


def test_jsonl_matches_a_direct_walk_with_the_client(cli: Invoke, ids: tuple[str, str], fake: FakeGalileo) -> None:
    result = cli("token-usage", *ids, "-f", "jsonl", "--ascending", "--max-items", "130", "--page-size", "50")

    with GalileoInsights(api_key=fake.api_key, transport=fake.transport()) as client:
        direct = [item.to_dict() for item in client.token_usage.list(*ids, ascending=True, max_items=130)]
    assert result.exit_code == 0, result.stderr
    assert [json.loads(line) for line in result.stdout.splitlines()] == direct
    assert direct == [record.to_dict() for record in stored_records(fake)[:130]]


def test_csv_has_the_documented_columns_and_empty_cells_for_nulls(
    cli: Invoke, ids: tuple[str, str], fake: FakeGalileo
) -> None:
    result = cli("token-usage", *ids, "-f", "csv")

    assert result.exit_code == 0, result.stderr
    reader = csv.DictReader(io.StringIO(result.stdout))
    assert tuple(reader.fieldnames or ()) == CSV_COLUMNS
    rows = list(reader)
    expected = list(reversed(stored_records(fake)))
    assert len(rows) == len(expected) == RECORDS
    for row, record in zip(rows, expected, strict=True):
        assert row["id"] == str(record.id)
        assert row["created_at"] == record.created_at.isoformat()
        assert row["updated_at"] == record.updated_at.isoformat()
        assert row["project_id"] == str(record.project_id)
        assert row["log_stream_id"] == str(record.log_stream_id)
        assert [int(row[name]) if row[name] else None for name in TOKEN_FIELDS] == counts(record)
    assert any(row["input_tokens"] == "" for row in rows), "the fixture should hold some nulls"


def test_table_streams_in_chunks_under_one_header(cli: Invoke, ids: tuple[str, str], fake: FakeGalileo) -> None:
    result = cli("token-usage", *ids, "--page-size", "64")

    assert result.exit_code == 0, result.stderr
    header, rule, *lines = result.stdout.splitlines()
    assert header.split()[:3] == ["created_at", "(UTC)", "id"]
    assert set(rule) == {"─"}
    assert "created_at" not in "".join(lines)
    expected = list(reversed(stored_records(fake)))
    assert len(lines) == len(expected)
    for line, record in zip(lines, expected, strict=True):
        day, time, record_id, *cells = line.split()
        assert f"{day} {time}" == record.created_at.strftime("%Y-%m-%d %H:%M:%S")
        assert record_id == str(record.id)
        assert [None if cell == NULL_MARK else int(cell.replace(",", "")) for cell in cells] == counts(record)


def test_table_says_so_when_nothing_matched(cli: Invoke, ids: tuple[str, str]) -> None:
    result = cli("token-usage", *ids, "--since", "2100-01-01T00:00:00Z")

    assert result.exit_code == 0, result.stderr
    assert result.stdout.strip() == "No token-usage records matched."


def test_since_is_inclusive_and_until_exclusive(cli: Invoke, ids: tuple[str, str], fake: FakeGalileo) -> None:
    records = stored_records(fake)
    since, until = records[100].created_at.isoformat(), records[160].created_at.isoformat()

    result = cli("token-usage", *ids, "-f", "jsonl", "--ascending", "--since", since, "--until", until)

    assert result.exit_code == 0, result.stderr
    got = [json.loads(line)["id"] for line in result.stdout.splitlines()]
    assert got == [str(record.id) for record in records[100:160]]


@pytest.mark.parametrize("offset", ["Z", "+02:00"])
def test_since_accepts_any_timezone_offset(cli: Invoke, ids: tuple[str, str], fake: FakeGalileo, offset: str) -> None:
    records = stored_records(fake)
    boundary = records[-5].created_at
    text = boundary.isoformat() if offset == "Z" else boundary.astimezone(PLUS_TWO).isoformat()

    result = cli("token-usage", *ids, "-f", "jsonl", "--since", text)

    assert result.exit_code == 0, result.stderr
    assert len(result.stdout.splitlines()) == 5


def test_table_on_a_narrow_terminal_shortens_ids_to_fit(fake: FakeGalileo) -> None:
    buffer = io.StringIO()
    console = Console(file=buffer, width=80, force_terminal=True, color_system=None)

    _write_record_table(stored_records(fake)[:3], console)

    lines = buffer.getvalue().splitlines()
    assert all(len(line) <= 80 for line in lines)
    assert [line.split()[2] for line in lines[2:]] == [str(r.id)[:8] + "…" for r in stored_records(fake)[:3]]
