"""The organisation-wide question: usage per day of every log stream, with names and cost, from the CLI and Python.

The expected figures are computed by brute force from the fake's stored records, never by the code under test.
"""

from __future__ import annotations

import asyncio
import csv
import datetime
import io
import itertools
import json
import pathlib
import zoneinfo
from collections.abc import Callable
from decimal import Decimal

import pyarrow.parquet as pq
import pytest

from galileo_insights import AsyncGalileoInsights, GalileoInsights
from galileo_insights.testing import FakeGalileo, Organisation, TokenUsageRecord
from tests.cli.harness import Invoke

BASE_URL = "http://galileo.test"
PARIS = zoneinfo.ZoneInfo("Europe/Paris")
PRICE = "input=3,output=15,cache-read=0.30,cache-creation=3.75"
PRICES = {"input": Decimal(3), "output": Decimal(15), "cache_read": Decimal("0.30"), "cache_creation": Decimal("3.75")}
# The records lie in the 40 days before 1 Nov 2026 UTC; the question asks for October in Paris (its clocks go back on
# 25 October, a 25-hour day), so some records fall outside and the first and last days are cut by the bounds.
ORGANISATION = Organisation(
    projects=3, log_streams=2, records=300, days=40, end=datetime.datetime(2026, 11, 1, 0, 30, tzinfo=datetime.UTC)
)
SINCE, UNTIL = "2026-10-01", "2026-11-01"
FIELDS = ("input_tokens", "output_tokens", "cache_read_input_tokens", "cache_creation_input_tokens")


@pytest.fixture(scope="module")
def fake() -> FakeGalileo:
    return FakeGalileo(organisation=ORGANISATION)


@pytest.fixture
def cli(fake: FakeGalileo, cli_for: Callable[[FakeGalileo], Invoke]) -> Invoke:
    return cli_for(fake)


def paris_days() -> list[tuple[datetime.datetime, datetime.datetime]]:
    days = [datetime.date(2026, 10, 1) + datetime.timedelta(days=n) for n in range(32)]
    starts = [datetime.datetime.combine(day, datetime.time(0), tzinfo=PARIS) for day in days]
    return list(itertools.pairwise(starts))


def counts(record: TokenUsageRecord) -> tuple[int | None, ...]:
    usage = record.token_usage
    return tuple(getattr(usage, name) for name in FIELDS) if usage is not None else (None,) * 4


def brute_force(fake: FakeGalileo) -> list[dict[str, object]]:
    """One row per (project, log stream, Paris day of October), by looking at every stored record."""
    rows = []
    for project in sorted(fake.directory.projects(), key=lambda project: project.name):
        for stream in sorted(fake.directory.log_streams(project.id) or [], key=lambda stream: stream.name):
            records = list(fake.store.records(project.id, stream.id))
            for start, end in paris_days():
                inside = [counts(record) for record in records if start <= record.created_at < end]
                sums = [sum(value for value in column if value is not None) for column in zip(*inside, strict=True)]
                sums = sums or [0, 0, 0, 0]
                missing = [sum(value is None for value in column) for column in zip(*inside, strict=True)] or [0] * 4
                cost = sum(
                    (Decimal(total) * price for total, price in zip(sums, PRICES.values(), strict=True)), Decimal(0)
                ) / Decimal(1_000_000)
                rows.append(
                    {
                        "project": project.name,
                        "project_id": str(project.id),
                        "log_stream": stream.name,
                        "log_stream_id": str(stream.id),
                        "period_start": start.isoformat(),
                        "period_end": end.isoformat(),
                        "records": len(inside),
                        **dict(zip(FIELDS, sums, strict=True)),
                        "total_tokens": sum(sums),
                        "cost_usd": float(cost),
                        **{f"{name}_missing": count for name, count in zip(FIELDS, missing, strict=True)},
                    }
                )
    return rows


def typed(row: dict[str, str]) -> dict[str, object]:
    """A CSV row with its numbers read back."""
    return {
        name: (float(value) if name == "cost_usd" else int(value) if value.isdigit() else value)
        for name, value in row.items()
    }


def test_the_org_wide_question_from_the_cli_equals_brute_force(cli: Invoke, fake: FakeGalileo) -> None:
    result = cli(
        "token-usage", "--all", "--by", "day", "--tz", "Europe/Paris", "--since", SINCE, "--until", UNTIL,
        "--price", PRICE, "-f", "csv", "--concurrency", "3",
    )  # fmt: skip

    assert result.exit_code == 0, result.stderr
    rows = [typed(row) for row in csv.DictReader(io.StringIO(result.stdout))]
    expected = brute_force(fake)
    assert len(rows) == 3 * 2 * 31
    assert rows == expected
    assert any(row["period_end"] == "2026-10-26T00:00:00+01:00" for row in rows)  # the 25-hour day
    assert "cost_usd: prices given, USD per million tokens: input 3, output 15, cache-read 0.30" in result.stderr
    assert 0 < sum(int(str(row["records"])) for row in rows) < 6 * ORGANISATION.records  # the bounds cut some


def test_python_gives_the_same_figures_sync_and_async(fake: FakeGalileo) -> None:
    since = datetime.datetime(2026, 10, 1, tzinfo=PARIS)
    until = datetime.datetime(2026, 11, 1, tzinfo=PARIS)
    with GalileoInsights(api_key=fake.api_key, base_url=BASE_URL, transport=fake.transport()) as client:
        report = client.usage.by_period(
            "day", all=True, created_since=since, created_before=until, tz="Europe/Paris", prices=PRICES
        )

    async def read() -> list[dict[str, object]]:
        async with AsyncGalileoInsights(api_key=fake.api_key, base_url=BASE_URL, transport=fake.transport()) as aclient:
            answer = await aclient.usage.by_period(
                "day", all=True, created_since=since, created_before=until, tz="Europe/Paris", prices=PRICES
            )
        return answer.to_dicts()

    as_rows = [
        {**row, "period_start": row["period_start"].isoformat(), "period_end": row["period_end"].isoformat()}
        for row in report.to_dicts()
    ]
    assert as_rows == brute_force(fake)
    assert asyncio.run(read()) == report.to_dicts()
    assert report.prices is not None
    assert "cache-read 0.30" in report.prices
    frame = report.to_pandas()
    assert list(frame.columns[:5]) == ["project", "project_id", "log_stream", "log_stream_id", "period_start"]
    assert frame["cost_usd"].sum() == pytest.approx(sum(float(str(row["cost_usd"])) for row in brute_force(fake)))
    assert report.to_polars().height == report.to_arrow().num_rows == len(report) == 186
    assert report.to_arrow().schema.metadata == {b"galileo_insights.prices": report.prices.encode()}


@pytest.mark.parametrize(("group_by", "keys"), [("project", ("project",)), ("none", ())])
def test_group_by_sums_log_streams(cli: Invoke, fake: FakeGalileo, group_by: str, keys: tuple[str, ...]) -> None:
    result = cli(
        "token-usage", "--all", "--by", "month", "--tz", "Europe/Paris", "--since", SINCE, "--until", UNTIL,
        "--group-by", group_by, "-f", "json",
    )  # fmt: skip

    assert result.exit_code == 0, result.stderr
    rows = json.loads(result.stdout)
    expected: dict[tuple[object, ...], int] = {}
    for row in brute_force(fake):
        key = tuple(row[name] for name in keys)
        expected[key] = expected.get(key, 0) + int(str(row["input_tokens"]))
    assert {tuple(row[name] for name in keys): row["input_tokens"] for row in rows} == expected
    assert all(row["log_stream"] is None and row["log_stream_id"] is None for row in rows)
    assert all((row["project"] is None) == (group_by == "none") for row in rows)
    assert all(row["cost_usd"] is None for row in rows)  # no prices given


def test_an_empty_window_still_lists_every_day(cli: Invoke) -> None:
    result = cli(
        "token-usage", "--project", "project-02", "--log-stream", "log-stream-01", "--by", "day",
        "--since", "2020-02-01", "--until", "2020-03-01", "-f", "json",
    )  # fmt: skip

    assert result.exit_code == 0, result.stderr
    rows = json.loads(result.stdout)
    assert [row["period_start"][:10] for row in rows] == [f"2020-02-{day:02d}" for day in range(1, 30)]
    assert {row["records"] for row in rows} == {0}


def test_projects_and_log_streams_list_names_and_ids(cli: Invoke, fake: FakeGalileo) -> None:
    projects = cli("projects", "-f", "json")
    streams = cli("log-streams", "--project", "project-03", "-f", "csv")
    every = cli("log-streams")

    assert projects.exit_code == streams.exit_code == every.exit_code == 0, projects.stderr + streams.stderr
    assert [row["project"] for row in json.loads(projects.stdout)] == ["project-01", "project-02", "project-03"]
    listed = list(csv.DictReader(io.StringIO(streams.stdout)))
    assert [(row["project"], row["log_stream"]) for row in listed] == [
        ("project-03", "log-stream-01"),
        ("project-03", "log-stream-02"),
    ]
    assert {row["log_stream_id"] for row in listed} == {
        str(stream.id) for stream in fake.directory.log_streams(fake.directory.projects("project-03")[0].id) or []
    }
    assert every.stdout.count("log-stream-0") == 6


def test_records_of_every_log_stream_carry_names_in_every_format(
    cli: Invoke, fake: FakeGalileo, tmp_path: pathlib.Path
) -> None:
    window = ("--since", "2026-10-20T00:00:00Z", "--until", "2026-10-22T00:00:00Z", "--ascending")
    as_csv = cli("token-usage", "--all", *window, "-f", "csv", "--concurrency", "4")
    as_parquet = cli("token-usage", "--all", *window, "-f", "parquet", "-o", str(tmp_path / "all.parquet"))
    as_table = cli("token-usage", "--project", "project-02", *window)

    assert as_csv.exit_code == as_parquet.exit_code == as_table.exit_code == 0, as_csv.stderr + as_parquet.stderr
    since, until = (
        datetime.datetime(2026, 10, 20, tzinfo=datetime.UTC),
        datetime.datetime(2026, 10, 22, tzinfo=datetime.UTC),
    )
    expected = [
        (project.name, stream.name, str(record.id))
        for project in sorted(fake.directory.projects(), key=lambda project: project.name)
        for stream in sorted(fake.directory.log_streams(project.id) or [], key=lambda stream: stream.name)
        for record in fake.store.records(project.id, stream.id)
        if since <= record.created_at < until
    ]
    rows = list(csv.DictReader(io.StringIO(as_csv.stdout)))
    assert [(row["project"], row["log_stream"], row["id"]) for row in rows] == expected
    table = pq.read_table(tmp_path / "all.parquet")
    assert table.column_names[:2] == ["project", "log_stream"]
    assert (
        list(zip(*(table.column(name).to_pylist() for name in ("project", "log_stream", "id")), strict=True))
        == expected
    )
    project_two = [line for line in as_table.stdout.splitlines() if line.startswith("project-02")]
    assert len(project_two) == sum(1 for row in expected if row[0] == "project-02")


def test_python_records_sync_and_async_pair_each_record_with_its_log_stream(fake: FakeGalileo) -> None:
    window = ("2026-10-20T00:00:00Z", "2026-10-21T00:00:00Z")
    with GalileoInsights(api_key=fake.api_key, base_url=BASE_URL, transport=fake.transport()) as client:
        records = client.usage.records(all=True, created_since=window[0], created_before=window[1])
        pairs = [(target.log_stream_id, item.log_stream_id) for target, item in records]

    async def read() -> list[tuple[object, object]]:
        async with AsyncGalileoInsights(api_key=fake.api_key, base_url=BASE_URL, transport=fake.transport()) as aclient:
            walk = aclient.usage.records(all=True, created_since=window[0], created_before=window[1])
            return [(target.log_stream_id, item.log_stream_id) async for target, item in walk]

    assert pairs
    assert all(target == item for target, item in pairs)
    assert asyncio.run(read()) == pairs


def test_model_prices_from_genai_prices_match_the_same_prices_typed_in(cli: Invoke) -> None:
    """Claude Sonnet 4's prices in genai-prices are $3 / $15 / $0.30 / $3.75 per million, with no tiers at these
    sizes: pricing by model, record by record at its created_at, must give the typed-in prices' figures."""
    window = ("--all", "--by", "week", "--since", SINCE, "--until", UNTIL, "-f", "json")
    by_model = cli("token-usage", *window, "--model", "claude-sonnet-4-20250514", "--provider", "anthropic")
    by_price = cli("token-usage", *window, "--price", PRICE)
    table = cli(
        "token-usage", "--all", "--by", "month", "--since", SINCE, "--until", UNTIL, "--model", "claude-sonnet-4"
    )

    assert by_model.exit_code == by_price.exit_code == table.exit_code == 0, by_model.stderr + table.stderr
    model_costs = [row["cost_usd"] for row in json.loads(by_model.stdout)]
    assert model_costs == pytest.approx([row["cost_usd"] for row in json.loads(by_price.stdout)], rel=1e-12)
    assert sum(model_costs) > 0
    assert "prices of Claude Sonnet 4 (Anthropic) from genai-prices" in " ".join(table.stdout.split())
