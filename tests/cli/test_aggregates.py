"""``--totals`` and ``--by`` agree with brute-force sums over the fake's records."""

from __future__ import annotations

import csv
import datetime
import io
import json
from collections import defaultdict
from typing import Any

import attrs
import pytest

from galileo_insights import GalileoInsights
from galileo_insights.cli._output import BAR_WIDTH
from galileo_insights.testing import FakeGalileo
from galileo_insights_api.models.token_usage import TokenUsage
from tests.cli.harness import RECORDS, Invoke, stored_records

TOKEN_FIELDS = ("input_tokens", "output_tokens", "cache_read_input_tokens", "cache_creation_input_tokens")


def brute_force_totals(fake: FakeGalileo) -> dict[str, Any]:
    records = stored_records(fake)
    totals: dict[str, Any] = {"records": len(records)}
    for name in TOKEN_FIELDS:
        values = [getattr(r.token_usage, name) for r in records if isinstance(r.token_usage, TokenUsage)]
        known = [value for value in values if isinstance(value, int)]
        totals[name] = {"total": sum(known), "counted": len(known), "missing": len(records) - len(known)}
    return totals


def test_totals_json_equals_a_brute_force_sum(cli: Invoke, ids: tuple[str, str], fake: FakeGalileo) -> None:
    result = cli("token-usage", *ids, "--totals", "--format", "json", "--page-size", "100")

    assert result.exit_code == 0, result.stderr
    expected = brute_force_totals(fake)
    assert json.loads(result.stdout) == expected
    assert 0 < expected["input_tokens"]["missing"] < RECORDS
    with GalileoInsights(api_key=fake.api_key, transport=fake.transport()) as client:
        assert attrs.asdict(client.token_usage.totals(*ids)) == expected


def test_totals_table_shows_every_field(cli: Invoke, ids: tuple[str, str], fake: FakeGalileo) -> None:
    result = cli("token-usage", *ids, "--totals")

    assert result.exit_code == 0, result.stderr
    expected = brute_force_totals(fake)
    rows = {line.split()[0]: line.split()[1:] for line in result.stdout.splitlines() if line.strip()}
    for name in TOKEN_FIELDS:
        field = expected[name]
        assert rows[name] == [f"{field['total']:,}", f"{field['counted']:,}", f"{field['missing']:,}"]
    assert f"{RECORDS} records" in result.stdout


def test_totals_respect_the_time_range(cli: Invoke, ids: tuple[str, str], fake: FakeGalileo) -> None:
    records = stored_records(fake)
    since, until = records[10].created_at.isoformat(), records[30].created_at.isoformat()

    result = cli("token-usage", *ids, "--totals", "-f", "json", "--since", since, "--until", until)

    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["records"] == 20


def daily_sums(fake: FakeGalileo) -> dict[str, list[int]]:
    sums: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    for record in stored_records(fake):
        day = record.created_at.astimezone(datetime.UTC).date().isoformat()
        usage = record.token_usage
        sums[day][0] += 1
        if isinstance(usage, TokenUsage):
            sums[day][1] += usage.input_tokens if isinstance(usage.input_tokens, int) else 0
            sums[day][2] += usage.output_tokens if isinstance(usage.output_tokens, int) else 0
    return dict(sums)


def test_by_day_csv_groups_records_per_utc_day(cli: Invoke, ids: tuple[str, str], fake: FakeGalileo) -> None:
    result = cli("token-usage", *ids, "--by", "day", "-f", "csv")

    assert result.exit_code == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    got = {
        row["period_start"][:10]: [int(row["records"]), int(row["input_tokens"]), int(row["output_tokens"])]
        for row in rows
    }
    assert got == daily_sums(fake)
    fields = ("input_tokens", "output_tokens", "cache_read_input_tokens", "cache_creation_input_tokens")
    assert all(int(row["total_tokens"]) == sum(int(row[name]) for name in fields) for row in rows)
    assert [row["period_start"] for row in rows] == sorted(row["period_start"] for row in rows)
    assert sum(int(row["records"]) for row in rows) == RECORDS


def test_by_day_table_draws_bars_scaled_to_the_busiest_day(
    cli: Invoke, ids: tuple[str, str], fake: FakeGalileo
) -> None:
    result = cli("token-usage", *ids, "--by", "day")

    assert result.exit_code == 0, result.stderr
    expected = daily_sums(fake)
    lines = [line.split(maxsplit=2)[2] for line in result.stdout.splitlines() if fake.log_stream_name in line]
    assert [line.split()[0] for line in lines] == sorted(expected)
    max(expected, key=lambda day: expected[day][1] + expected[day][2])  # input + output
    peak_line = max(lines, key=lambda line: int(line.split()[6].replace(",", "")))  # total tokens
    assert "█" * BAR_WIDTH in peak_line
    assert all("█" * (BAR_WIDTH + 1) not in line for line in lines)
    assert "null or missing" in result.stdout


@pytest.mark.parametrize("output_format", ["json", "jsonl"])
def test_by_hour_json_formats_cover_every_hour_between_first_and_last(
    cli: Invoke, ids: tuple[str, str], fake: FakeGalileo, output_format: str
) -> None:
    records = stored_records(fake)[:40]
    until = stored_records(fake)[40].created_at.isoformat()

    result = cli("token-usage", *ids, "--by", "hour", "-f", output_format, "--until", until)

    assert result.exit_code == 0, result.stderr
    text = result.stdout
    rows = json.loads(text) if output_format == "json" else [json.loads(line) for line in text.splitlines()]
    starts = [datetime.datetime.fromisoformat(row["period_start"]) for row in rows]
    assert starts == [starts[0] + datetime.timedelta(hours=n) for n in range(len(starts))]
    assert starts[0] == records[0].created_at.replace(minute=0, second=0, microsecond=0)
    assert sum(row["records"] for row in rows) == 40


def test_totals_and_by_together_are_a_usage_error(cli: Invoke, ids: tuple[str, str]) -> None:
    result = cli("token-usage", *ids, "--totals", "--by", "day")

    assert result.exit_code == 2
    assert "--totals" in result.stderr
