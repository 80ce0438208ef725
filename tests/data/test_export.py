"""The Parquet export ends with exactly the server's records: first run, incremental runs, kills, faults."""

from __future__ import annotations

import datetime
import json
from pathlib import Path
from typing import Any

import duckdb
import pyarrow.dataset as ds
import pyarrow.parquet as pq
import pytest

from galileo_insights import (
    GalileoInsightsError,
    InvalidRequestError,
    NameResolutionError,
    export_to_parquet,
    token_usage_schema,
)
from galileo_insights.testing import (
    FakeGalileo,
    GeneratedRecords,
    MalformedJson,
    RandomFaults,
    RecordStore,
    TokenUsageRecord,
)
from tests.data.records import expected_row, stored_records

UTC = datetime.UTC
NOW = datetime.datetime(2026, 1, 1, tzinfo=UTC)
RECORDS = 600


def fresh_fake(records: int = RECORDS) -> FakeGalileo:
    return FakeGalileo(records=records, seed=21)


def dataset_rows(directory: Path) -> list[dict[str, Any]]:
    """The dataset as a reader sees it (pyarrow.dataset, Hive partitions), sorted like the server's records."""
    table = ds.dataset(directory, format="parquet", partitioning="hive").to_table()
    rows = table.to_pylist()
    for row in rows:
        assert str(row.pop("date")) == row["created_at"].date().isoformat()
    return sorted(rows, key=lambda row: (row["created_at"], row["id"]))


def server_rows(fake: FakeGalileo, before: datetime.datetime = NOW) -> list[dict[str, Any]]:
    rows = [expected_row(record) for record in stored_records(fake)]
    return sorted((row for row in rows if row["created_at"] < before), key=lambda row: (row["created_at"], row["id"]))


def state(directory: Path) -> dict[str, Any]:
    document: dict[str, Any] = json.loads((directory / "_export_state.json").read_text())
    return document


def test_a_first_run_writes_one_file_per_utc_day_readable_by_pyarrow_and_duckdb(tmp_path: Path, client_of: Any) -> None:
    fake = fresh_fake()
    summary = export_to_parquet(client_of(fake), fake.project_id, fake.log_stream_id, tmp_path, now=NOW)

    assert dataset_rows(tmp_path) == server_rows(fake)
    assert summary.records == RECORDS
    files = sorted(tmp_path.glob("date=*/*"))
    assert [file.name for file in files] == ["part-0.parquet"] * len(summary.days)
    assert all(pq.read_schema(file) == token_usage_schema() for file in files)
    assert state(tmp_path)["closed_before"] == "2025-12-31T00:00:00+00:00"
    query = "SELECT count(*), count(DISTINCT id), min(date) FROM read_parquet(?, hive_partitioning=true)"
    [found] = duckdb.connect().execute(query, [f"{tmp_path}/*/*.parquet"]).fetchall()
    assert found[:2] == (RECORDS, RECORDS)
    assert str(found[2]) == summary.days[0].isoformat()


def test_runs_add_only_what_is_new_and_re_read_the_open_days(tmp_path: Path, client_of: Any) -> None:
    generated = GeneratedRecords(RECORDS, seed=4, start=datetime.datetime(2025, 1, 1, tzinfo=UTC))
    fake = FakeGalileo(store=RecordStore())
    fake.store.add_generated(generated)
    client = client_of(fake)
    first_now = datetime.datetime(2025, 1, 15, 12, tzinfo=UTC)

    first = export_to_parquet(client, fake.project_id, fake.log_stream_id, tmp_path, now=first_now)
    assert dataset_rows(tmp_path) == server_rows(fake, first_now)
    assert state(tmp_path)["closed_before"] == "2025-01-15T00:00:00+00:00"
    assert first.days[-1] == datetime.date(2025, 1, 15)

    # A record of the open day that reached the server late, and one of a closed day (too late: the lag is 1 h).
    late = TokenUsageRecord(created_at=datetime.datetime(2025, 1, 15, 8, tzinfo=UTC))
    fake.store.add([late])
    second_now = datetime.datetime(2025, 1, 16, 6, tzinfo=UTC)
    fake.clear_requests()
    second = export_to_parquet(client, fake.project_id, fake.log_stream_id, tmp_path, now=second_now)

    assert dataset_rows(tmp_path) == server_rows(fake, second_now)
    assert str(late.id) in {row["id"] for row in dataset_rows(tmp_path)}
    assert second.days == (datetime.date(2025, 1, 15), datetime.date(2025, 1, 16))
    since = {
        item["value"] for request in fake.requests for item in request.json["filters"] if item["operator"] == "gte"
    }
    assert min(since) >= "2025-01-15"  # closed days are never read again

    third = export_to_parquet(client, fake.project_id, fake.log_stream_id, tmp_path, now=second_now)
    assert dataset_rows(tmp_path) == server_rows(fake, second_now)
    assert third.days == (datetime.date(2025, 1, 16),)


class Killed(BaseException):
    """Stands in for SIGKILL / Ctrl-C: not an Exception, so nothing on the way catches it."""


@pytest.mark.parametrize(
    ("where", "after"), [("replace", 0), ("replace", 4), ("replace", 12), ("replace", 22), ("write_batch", 2)]
)
def test_killed_mid_run_then_run_again_ends_with_exactly_the_servers_records(
    tmp_path: Path, client_of: Any, monkeypatch: pytest.MonkeyPatch, where: str, after: int
) -> None:
    """Killed after ``after`` file renames (day files and state) or mid-file (after a batch), then re-run."""
    fake = fresh_fake()
    client = client_of(fake)
    export_to_parquet(
        client, fake.project_id, fake.log_stream_id, tmp_path, now=datetime.datetime(2025, 1, 9, tzinfo=UTC)
    )
    calls = {"count": 0}
    target: Any = Path if where == "replace" else pq.ParquetWriter
    original = getattr(target, where)

    def dies_after(self: Any, *args: Any, **kwargs: Any) -> Any:
        if calls["count"] == after:
            raise Killed
        calls["count"] += 1
        return original(self, *args, **kwargs)

    monkeypatch.setattr(target, where, dies_after)
    if where == "write_batch":
        monkeypatch.setattr("galileo_insights.resources.token_usage._data._export._BATCH_ROWS", 5)
    with pytest.raises(Killed):
        export_to_parquet(client, fake.project_id, fake.log_stream_id, tmp_path, now=NOW)
    monkeypatch.undo()

    export_to_parquet(client, fake.project_id, fake.log_stream_id, tmp_path, now=NOW)
    assert dataset_rows(tmp_path) == server_rows(fake)
    assert list(tmp_path.rglob(".*")) == [tmp_path / ".export.lock"]  # the lock stays, empty, for the next run


def test_with_the_fakes_faults_on_re_running_until_done_ends_exact(tmp_path: Path, client_of: Any) -> None:
    fake = fresh_fake(300)
    fake.faults.script(*[None] * 6, MalformedJson())  # mid-walk: a page no retry can save, so the run fails
    fake.faults.set_random(RandomFaults(seed=3, server_error=0.15, dropped=0.1, malformed=0.05))
    client = client_of(fake)
    failures = 0
    for _ in range(30):
        try:
            export_to_parquet(client, fake.project_id, fake.log_stream_id, tmp_path, now=NOW, page_size=50)
            break
        except GalileoInsightsError:
            failures += 1
    else:
        pytest.fail("the export never finished")
    fake.faults.clear()

    assert failures > 0, "the faults should have stopped at least one run"
    assert dataset_rows(tmp_path) == server_rows(fake)
    assert state(tmp_path)["closed_before"] == "2025-12-31T00:00:00+00:00"


def test_one_directory_holds_one_log_stream(tmp_path: Path, client_of: Any) -> None:
    fake = fresh_fake(50)
    client = client_of(fake)
    export_to_parquet(client, fake.project_id, fake.log_stream_id, tmp_path, now=NOW)
    other = "3fa85f64-5717-4562-b3fc-2c963f66afa6"

    with pytest.raises(InvalidRequestError, match="holds the export of project"):
        export_to_parquet(client, fake.project_id, other, tmp_path, now=NOW)
    with pytest.raises(InvalidRequestError, match="lag: must be a timedelta >= 0"):
        export_to_parquet(client, fake.project_id, fake.log_stream_id, tmp_path, lag=datetime.timedelta(hours=-1))


def test_names_resolve_to_the_ids_the_state_is_keyed_by(tmp_path: Path, client_of: Any) -> None:
    fake = fresh_fake(50)
    client = client_of(fake)
    by_name = export_to_parquet(
        client, None, None, tmp_path, project="fake-project", log_stream="fake-log-stream", now=NOW
    )

    assert by_name.records == 50
    assert (state(tmp_path)["project_id"], state(tmp_path)["log_stream_id"]) == (
        str(fake.project_id),
        str(fake.log_stream_id),
    )
    with pytest.raises(NameResolutionError, match=r"2 projects .* named 'twin-project'"):
        export_to_parquet(client, None, None, tmp_path / "twins", project="twin-project", log_stream="x", now=NOW)
    assert not (tmp_path / "twins").exists()


def test_an_empty_log_stream_writes_only_the_state(tmp_path: Path, client_of: Any) -> None:
    fake = FakeGalileo()
    summary = export_to_parquet(client_of(fake), fake.project_id, fake.log_stream_id, tmp_path, now=NOW)

    assert summary.records == 0
    assert sorted(path.name for path in tmp_path.iterdir()) == [".export.lock", "_export_state.json"]
    assert ds.dataset(tmp_path, format="parquet", partitioning="hive").to_table().num_rows == 0
