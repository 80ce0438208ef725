"""``--output``, stopped walks and resuming, and the options that select records."""

from __future__ import annotations

import csv
import io
import json
import time
from pathlib import Path

import httpx
import pyarrow.parquet as pq
import pytest

from galileo_insights.cli import _app
from galileo_insights.testing import FakeGalileo, ServerError
from tests.cli.harness import RECORDS, Invoke, fake_client_factory, run_cli, stored_records
from tests.data.records import LOG_STREAM_ID, PROJECT_ID, expected_row, odd_page_transport


@pytest.mark.parametrize("output_format", ["json", "jsonl", "csv", "table"])
def test_output_file_holds_what_stdout_would(
    cli: Invoke, ids: tuple[str, str], tmp_path: Path, output_format: str
) -> None:
    target = tmp_path / f"usage.{output_format}"
    to_file = cli("token-usage", *ids, "-f", output_format, "-o", str(target))
    to_stdout = cli("token-usage", *ids, "-f", output_format)

    assert to_file.exit_code == 0, to_file.stderr
    assert to_file.stdout == ""
    assert target.read_text(encoding="utf-8") == to_stdout.stdout
    assert [path.name for path in tmp_path.iterdir()] == [target.name]


def test_parquet_reads_back_as_the_servers_records(
    cli: Invoke, ids: tuple[str, str], fake: FakeGalileo, tmp_path: Path
) -> None:
    target = tmp_path / "usage.parquet"
    result = cli("token-usage", *ids, "-f", "parquet", "-o", str(target), "--ascending")

    assert result.exit_code == 0, result.stderr
    assert pq.read_table(target).to_pylist() == [expected_row(record) for record in stored_records(fake)]


def test_parquet_on_stdout_is_a_parquet_file(cli: Invoke, ids: tuple[str, str], tmp_path: Path) -> None:
    result = cli("token-usage", *ids, "-f", "parquet", "--max-items", "30")

    assert result.exit_code == 0, result.stderr
    (tmp_path / "out.parquet").write_bytes(result.stdout_bytes)
    assert pq.read_table(tmp_path / "out.parquet").num_rows == 30


def test_a_walk_that_fails_part_way_keeps_a_partial_file_and_says_how_to_resume(
    cli: Invoke, ids: tuple[str, str], fake: FakeGalileo, tmp_path: Path
) -> None:
    target = tmp_path / "usage.csv"
    fake.faults.script(None, None, ServerError(500), ServerError(500), ServerError(500))
    stopped = cli("token-usage", *ids, "-f", "csv", "-o", str(target), "--ascending", "--page-size", "100")

    assert stopped.exit_code == 4
    assert not target.exists()
    partial = list(csv.DictReader(io.StringIO((tmp_path / "usage.csv.partial").read_text())))
    assert len(partial) == 200
    assert "stopped after 200 records" in stopped.stderr
    assert "--starting-token 200" in stopped.stderr

    resumed = cli("token-usage", *ids, "-f", "csv", "-o", str(target), "--ascending", "--starting-token", "200")
    assert resumed.exit_code == 0, resumed.stderr
    rest = list(csv.DictReader(io.StringIO(target.read_text())))
    assert [row["id"] for row in partial + rest] == [str(record.id) for record in stored_records(fake)]


def test_json_on_stdout_stays_valid_when_the_walk_fails(cli: Invoke, ids: tuple[str, str], fake: FakeGalileo) -> None:
    fake.faults.script(None, ServerError(500), ServerError(500), ServerError(500))
    stopped = cli("token-usage", *ids, "-f", "json", "--page-size", "50")

    assert stopped.exit_code == 4
    assert len(json.loads(stopped.stdout)) == 50
    assert "--starting-token 50" in stopped.stderr


def test_the_resume_hint_carries_what_is_left_of_max_items(
    cli: Invoke, ids: tuple[str, str], fake: FakeGalileo
) -> None:
    fake.faults.script(None, ServerError(500), ServerError(500), ServerError(500))
    stopped = cli(
        "token-usage", *ids, "-f", "jsonl", "--page-size", "50", "--starting-token", "7", "--max-items", "120"
    )

    assert stopped.exit_code == 4
    assert len(stopped.stdout.splitlines()) == 50
    assert "resume with --starting-token 57 --max-items 70 " in stopped.stderr


def test_a_walk_that_fails_at_once_writes_nothing(
    cli: Invoke, ids: tuple[str, str], fake: FakeGalileo, tmp_path: Path
) -> None:
    fake.faults.script(ServerError(500), ServerError(500), ServerError(500))
    to_stdout = cli("token-usage", *ids, "-f", "json")
    fake.faults.script(ServerError(500), ServerError(500), ServerError(500))
    to_file = cli("token-usage", *ids, "-f", "json", "-o", str(tmp_path / "usage.json"))

    assert (to_stdout.exit_code, to_file.exit_code) == (4, 4)
    assert to_stdout.stdout == ""
    assert list(tmp_path.iterdir()) == []


def test_ctrl_c_part_way_keeps_the_partial_file(
    ids: tuple[str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake = FakeGalileo(records=300, seed=2)
    transport = fake.transport()
    answered = {"pages": 0}

    def interrupt_third_page(request: httpx.Request) -> httpx.Response:
        answered["pages"] += 1
        if answered["pages"] == 3:
            raise KeyboardInterrupt
        return transport.handle_request(request)

    monkeypatch.setattr(_app, "build_client", fake_client_factory(httpx.MockTransport(interrupt_third_page)))
    target = tmp_path / "usage.jsonl"
    result = run_cli(
        ["token-usage", *ids, "--api-key", fake.api_key, "--page-size", "100", "-f", "jsonl", "-o", str(target)]
    )

    assert result.exit_code == 130
    assert "interrupted: stopped after 200 records" in result.stderr
    assert len((tmp_path / "usage.jsonl.partial").read_text().splitlines()) == 200
    assert not target.exists()


@pytest.mark.parametrize(
    ("args", "flag"),
    [
        (["--since", "2025-01-10T00:00Z", "--until", "2025-01-10T00:00Z"], "--since"),
        (["--since", "2025-01-11", "--until", "2025-01-10"], "--since"),
        (["--last", "24h", "--since", "2025-01-10"], "--last"),
        (["--last", "forever"], "--last"),
        (["--updated-since", "2025-02-01T00:00Z", "--updated-before", "2025-01-01T00:00Z"], "--updated-since"),
        (["--tz", "Mars/Olympus"], "--tz"),
        (["--concurrency", "4"], "--concurrency"),
        (["--concurrency", "4", "--since", "7d", "--starting-token", "5"], "--starting-token"),
    ],
)
def test_bad_ranges_are_usage_errors_naming_the_flag(
    cli: Invoke, ids: tuple[str, str], fake: FakeGalileo, args: list[str], flag: str
) -> None:
    result = cli("token-usage", *ids, *args)

    assert result.exit_code == 2, result.stderr
    assert result.stderr.startswith(f"error: {flag}") or f" {flag} " in result.stderr, result.stderr
    assert fake.requests == []


def test_ids_default_to_the_environment(cli: Invoke, ids: tuple[str, str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GALILEO_PROJECT_ID", ids[0])
    monkeypatch.setenv("GALILEO_LOG_STREAM_ID", ids[1])

    result = cli("token-usage", "--totals", "-f", "json")

    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["records"] == RECORDS


def test_concurrency_reads_the_same_records(cli: Invoke, ids: tuple[str, str], fake: FakeGalileo) -> None:
    sequential = cli("token-usage", *ids, "-f", "jsonl", "--since", "2025-01-01", "--until", "2025-03-01")
    parallel = cli(
        "token-usage", *ids, "-f", "jsonl", "--since", "2025-01-01", "--until", "2025-03-01", "--concurrency", "4"
    )

    assert parallel.exit_code == 0, parallel.stderr
    assert parallel.stdout == sequential.stdout
    assert len(parallel.stdout.splitlines()) == RECORDS


def test_updated_bounds_and_starting_token_select_records(cli: Invoke, ids: tuple[str, str], fake: FakeGalileo) -> None:
    records = stored_records(fake)
    low, high = records[50].updated_at, records[250].updated_at
    result = cli(
        "token-usage", *ids, "-f", "jsonl", "--ascending", "--starting-token", "3",
        "--updated-since", low.isoformat(), "--updated-before", high.isoformat(),
    )  # fmt: skip

    assert result.exit_code == 0, result.stderr
    expected = [str(r.id) for r in records if low <= r.updated_at < high][3:]
    assert [json.loads(line)["id"] for line in result.stdout.splitlines()] == expected


def test_table_shows_naive_server_times_as_utc_whatever_the_machine_zone(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("TZ", "America/Los_Angeles")
    time.tzset()
    monkeypatch.setattr(_app, "build_client", fake_client_factory(odd_page_transport()))
    try:
        result = run_cli(["token-usage", PROJECT_ID, LOG_STREAM_ID, "--api-key", "k"])
    finally:
        monkeypatch.undo()
        time.tzset()

    assert result.exit_code == 0, result.stderr
    assert result.stdout.count("2025-01-29 23:30:00") == 3


def test_an_output_that_cannot_be_written_is_a_usage_error(cli: Invoke, ids: tuple[str, str], tmp_path: Path) -> None:
    result = cli("token-usage", *ids, "-o", str(tmp_path / "missing" / "usage.csv"), "-f", "csv")

    assert result.exit_code == 2
    assert result.stderr.startswith("error: --output: cannot write ")
    assert "Traceback" not in result.output
