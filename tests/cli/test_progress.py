"""Progress goes to stderr only, and only when asked for or when stderr is a terminal; stdout stays data."""

from __future__ import annotations

import json

from galileo_insights.testing import FakeGalileo
from tests.cli.harness import RECORDS, Invoke, stored_records


def test_piped_run_prints_no_progress_anywhere(cli: Invoke, ids: tuple[str, str]) -> None:
    result = cli("token-usage", *ids, "-f", "jsonl", "--page-size", "100")

    assert result.exit_code == 0
    assert result.stderr == ""
    assert len(result.stdout.splitlines()) == RECORDS


def test_forced_progress_reports_items_and_pages_on_stderr_only(
    cli: Invoke, ids: tuple[str, str], fake: FakeGalileo
) -> None:
    result = cli("token-usage", *ids, "-f", "jsonl", "--page-size", "100", "--progress")

    assert result.exit_code == 0, result.stderr
    assert f"{RECORDS} items" in result.stderr
    assert "5 pages" in result.stderr
    assert "items/s" in result.stderr
    assert "\x1b" not in result.stdout
    expected = [record.to_dict() for record in reversed(stored_records(fake))]
    assert [json.loads(line) for line in result.stdout.splitlines()] == expected


def test_forced_progress_with_totals_keeps_stdout_json(cli: Invoke, ids: tuple[str, str]) -> None:
    result = cli("token-usage", *ids, "--totals", "-f", "json", "--progress")

    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["records"] == RECORDS
    assert "items" in result.stderr


def test_no_progress_wins(cli: Invoke, ids: tuple[str, str]) -> None:
    result = cli("token-usage", *ids, "-f", "csv", "--no-progress")

    assert result.exit_code == 0
    assert result.stderr == ""


def test_verbose_logs_requests_to_stderr_without_the_key(cli: Invoke, ids: tuple[str, str], fake: FakeGalileo) -> None:
    result = cli("token-usage", *ids, "-f", "jsonl", "--max-items", "5", "--verbose")

    assert result.exit_code == 0
    assert len(result.stdout.splitlines()) == 5
    log = result.stderr.splitlines()
    assert log
    assert all(line.startswith("debug: POST /v2/projects/") for line in log)
    assert fake.api_key not in result.stderr
