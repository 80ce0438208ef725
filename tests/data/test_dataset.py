"""The organisation in one dataset: 3 projects x 2 log streams exported beside each other, read by pyarrow, DuckDB
and polars with hive partitioning only; faults, kills, log streams added later, bounded concurrency."""

from __future__ import annotations

import datetime
import json
import threading
import time
from pathlib import Path
from typing import Any

import duckdb
import httpx
import polars as pl
import pyarrow.dataset as ds
import pyarrow.parquet as pq
import pytest

from galileo_insights import (
    GalileoInsightsError,
    InvalidRequestError,
    export_dataset,
    export_to_parquet,
)
from galileo_insights.cli import _app
from galileo_insights.testing import FakeGalileo, GeneratedRecords, Organisation, RandomFaults
from galileo_insights.testing._directory import seeded_id
from galileo_insights_api.models.log_stream_insight_token_usage_db import LogStreamInsightTokenUsageDB
from tests.cli.harness import GALILEO_VARIABLES, fake_client_factory, run_cli
from tests.data.records import expected_row

UTC = datetime.UTC
END = datetime.datetime(2026, 3, 1, tzinfo=UTC)
NOW = END + datetime.timedelta(hours=6)
ORGANISATION = Organisation(projects=3, log_streams=2, records=150, days=20, end=END)
NAMES = ("project", "log_stream")


def organisation_fake() -> FakeGalileo:
    return FakeGalileo(organisation=ORGANISATION)


def server_rows(fake: FakeGalileo) -> list[dict[str, Any]]:
    """Every record of every log stream, as the dataset should hold it: the record's fields and both names."""
    rows = []
    for project in fake.directory.projects():
        for stream in fake.directory.log_streams(project.id) or []:
            for record in fake.store.records(project.id, stream.id):
                row = expected_row(LogStreamInsightTokenUsageDB.from_dict(record.to_json()))
                rows.append({**row, "project": project.name, "log_stream": stream.name})
    return sorted(rows, key=lambda row: (row["created_at"], row["id"]))


def pyarrow_rows(directory: Path) -> list[dict[str, Any]]:
    rows = ds.dataset(directory, format="parquet", partitioning="hive").to_table().to_pylist()
    for row in rows:
        assert str(row.pop("date")) == row["created_at"].date().isoformat()
    return sorted(rows, key=lambda row: (row["created_at"], row["id"]))


def state_files(directory: Path) -> list[Path]:
    return sorted(directory.rglob("_export_state.json"))


def left_behind(directory: Path) -> list[Path]:
    """Dot files other than each log stream's ``.export.lock`` (it stays, empty, for the next run): temporaries."""
    locks = set(directory.glob("project_id=*/log_stream_id=*/.export.lock"))
    assert len(locks) == len(state_files(directory))
    return [path for path in directory.rglob(".*") if path not in locks]


def test_every_log_stream_in_one_dataset_read_by_pyarrow_duckdb_and_polars(tmp_path: Path, client_of: Any) -> None:
    fake = organisation_fake()
    summary = export_dataset(client_of(fake), tmp_path, all=True, now=NOW)

    expected = server_rows(fake)
    assert len(expected) == 6 * 150
    assert pyarrow_rows(tmp_path) == expected
    assert summary.records == len(expected)
    assert [(part.target.project, part.target.log_stream) for part in summary.log_streams] == [
        (f"project-0{p}", f"log-stream-0{s}") for p in (1, 2, 3) for s in (1, 2)
    ]
    # One state file per log stream, in its own partition, keyed by the ids the path names.
    states = state_files(tmp_path)
    assert len(states) == 6
    for path in states:
        document = json.loads(path.read_text())
        assert path.parent.name == f"log_stream_id={document['log_stream_id']}"
        assert path.parent.parent.name == f"project_id={document['project_id']}"
    # Every file names its project and log stream, matching its partition.
    for file in tmp_path.glob("*/*/date=*/part-0.parquet"):
        table = pq.read_table(file)
        assert set(table.column("project_id").to_pylist()) == {file.parts[-4].removeprefix("project_id=")}
        assert len(set(table.column("project").to_pylist())) == 1
    # DuckDB and polars: only hive partitioning, over the same files.
    glob = f"{tmp_path}/**/*.parquet"
    query = (
        "SELECT project, log_stream, count(*), count(DISTINCT id), sum(input_tokens) "
        "FROM read_parquet(?, hive_partitioning=true) GROUP BY ALL ORDER BY ALL"
    )
    by_duckdb = duckdb.connect().execute(query, [glob]).fetchall()
    by_polars = (
        pl.scan_parquet(glob, hive_partitioning=True)
        .group_by("project", "log_stream")
        .agg(pl.len(), pl.col("id").n_unique(), pl.col("input_tokens").sum())
        .sort("project", "log_stream")
        .collect()
        .rows()
    )
    by_hand: dict[tuple[str, str], list[Any]] = {}
    for row in expected:
        entry = by_hand.setdefault((row["project"], row["log_stream"]), [0, set(), 0])
        entry[0] += 1
        entry[1].add(row["id"])
        entry[2] += row["input_tokens"] or 0
    brute = [(*key, count, len(ids), tokens) for key, (count, ids, tokens) in sorted(by_hand.items())]
    assert by_duckdb == brute
    assert [tuple(row) for row in by_polars] == brute
    partitions = pl.scan_parquet(glob, hive_partitioning=True).select("project_id", "log_stream_id", "date")
    assert partitions.collect().schema["date"] == pl.Date


def test_with_the_fakes_faults_on_re_running_until_done_ends_exact(tmp_path: Path, client_of: Any) -> None:
    fake = organisation_fake()
    fake.faults.set_random(RandomFaults(seed=5, server_error=0.15, dropped=0.1, malformed=0.1))
    client = client_of(fake)
    failures = 0
    for _ in range(40):
        try:
            export_dataset(client, tmp_path, all=True, now=NOW, page_size=40, concurrency=3)
            break
        except GalileoInsightsError:
            failures += 1
    else:
        pytest.fail("the export never finished")
    fake.faults.clear()

    assert failures > 0, "the faults should have stopped at least one run"
    assert pyarrow_rows(tmp_path) == server_rows(fake)
    assert left_behind(tmp_path) == []


class Killed(BaseException):
    """Stands in for SIGKILL / Ctrl-C: not an Exception, so nothing on the way catches it."""


@pytest.mark.parametrize("after", [0, 7, 30])
def test_killed_mid_run_then_run_again_ends_exact(
    tmp_path: Path, client_of: Any, monkeypatch: pytest.MonkeyPatch, after: int
) -> None:
    """Killed after ``after`` files were put in place (day files and states, over all log streams), then re-run."""
    fake = organisation_fake()
    client = client_of(fake)
    calls = {"count": 0}
    lock = threading.Lock()
    original = Path.replace

    def dies_after(self: Path, target: Any) -> Any:
        with lock:
            if calls["count"] >= after:
                raise Killed
            calls["count"] += 1
        return original(self, target)

    monkeypatch.setattr(Path, "replace", dies_after)
    with pytest.raises(Killed):
        export_dataset(client, tmp_path, all=True, now=NOW, concurrency=4)
    monkeypatch.undo()

    export_dataset(client, tmp_path, all=True, now=NOW, concurrency=4)
    assert pyarrow_rows(tmp_path) == server_rows(fake)
    assert left_behind(tmp_path) == []


def test_a_log_stream_added_later_extends_the_dataset_and_nothing_written_is_rewritten(
    tmp_path: Path, client_of: Any
) -> None:
    fake = organisation_fake()
    client = client_of(fake)
    export_dataset(client, tmp_path, ["project-01"], now=NOW)  # two log streams of one project
    assert len(state_files(tmp_path)) == 2
    closed = {file: file.stat().st_mtime_ns for file in tmp_path.glob("*/*/date=*/part-0.parquet")}
    assert len(closed) == 2 * 20  # 20 closed days each; the day of NOW has no record

    export_dataset(client, tmp_path, ["project-01", "project-02"], now=NOW)  # adds project-02
    project = fake.directory.projects("project-03")[0]
    stream = fake.directory.add_log_stream(project.id, "log-stream-new", seeded_id(project.id, "log-stream-new"))
    fake.store.add_generated(
        GeneratedRecords(
            40,
            seed=99,
            start=END - datetime.timedelta(days=3),
            span=datetime.timedelta(days=3),
            project_id=project.id,
            log_stream_id=stream.id,
        )
    )
    fake.clear_requests()
    summary = export_dataset(client, tmp_path, all=True, now=NOW)  # project-03 and the new log stream

    assert pyarrow_rows(tmp_path) == server_rows(fake)
    assert len(state_files(tmp_path)) == 7
    assert {file: file.stat().st_mtime_ns for file in closed} == closed
    already_there = [part for part in summary.log_streams if part.target.project in ("project-01", "project-02")]
    assert [part.summary.records for part in already_there] == [0] * 4
    assert {part.target.log_stream for part in summary.log_streams if part.summary.records} == {
        "log-stream-01",
        "log-stream-02",
        "log-stream-new",
    }


def test_concurrency_bounds_the_requests_in_flight_over_all_log_streams(tmp_path: Path, client_of: Any) -> None:
    fake = organisation_fake()
    inner = fake.transport()
    flight = {"now": 0, "most": 0}
    lock = threading.Lock()

    class Counting(httpx.BaseTransport):
        def handle_request(self, request: httpx.Request) -> httpx.Response:
            with lock:
                flight["now"] += 1
                flight["most"] = max(flight["most"], flight["now"])
            try:
                time.sleep(0.005)  # long enough for the other log streams' requests to overlap this one
                return inner.handle_request(request)
            finally:
                with lock:
                    flight["now"] -= 1

    export_dataset(client_of(fake, Counting()), tmp_path, all=True, now=NOW, concurrency=3, page_size=50)

    assert pyarrow_rows(tmp_path) == server_rows(fake)
    assert 1 < flight["most"] <= 3


def test_the_log_streams_after_the_last_whole_round_share_the_requests(tmp_path: Path, client_of: Any) -> None:
    """6 log streams at concurrency 4: one round of 4 with a request each, then the last 2 with 2 each (not 1,
    which would leave half the requests idle at the end of the run)."""
    fake = organisation_fake()
    inner = fake.transport()
    flight: dict[str, int] = {}
    most: dict[str, int] = {}
    lock = threading.Lock()

    class PerLogStream(httpx.BaseTransport):
        def handle_request(self, request: httpx.Request) -> httpx.Response:
            parts = request.url.path.split("/")
            stream = parts[parts.index("log_streams") + 1] if "token_usage" in parts else "lookup"
            with lock:
                flight[stream] = flight.get(stream, 0) + 1
                flight["all"] = flight.get("all", 0) + 1
                for key in (stream, "all"):
                    most[key] = max(most.get(key, 0), flight[key])
            try:
                time.sleep(0.03)  # long enough for a log stream's windows to overlap each other
                return inner.handle_request(request)
            finally:
                with lock:
                    flight[stream] -= 1
                    flight["all"] -= 1

    client = client_of(fake, PerLogStream())
    order = [str(target.log_stream_id) for target in client.usage.select(all=True)]
    export_dataset(client, tmp_path, all=True, now=NOW, concurrency=4, page_size=20)

    assert pyarrow_rows(tmp_path) == server_rows(fake)
    assert most["all"] <= 4
    assert [most[stream] for stream in order] == [1, 1, 1, 1, 2, 2]


def test_bad_input_is_refused_before_anything_is_written(tmp_path: Path, client_of: Any) -> None:
    fake = organisation_fake()
    client = client_of(fake)
    with pytest.raises(InvalidRequestError, match="concurrency: must be an integer between 1 and 64"):
        export_dataset(client, tmp_path / "a", all=True, concurrency=0)
    with pytest.raises(InvalidRequestError, match="all=True covers every log stream"):
        export_dataset(client, tmp_path / "b", log_streams=["log-stream-01"], all=True)
    with pytest.raises(InvalidRequestError, match=r"wait: must be a number of seconds >= 0, got -1"):
        export_dataset(client, tmp_path / "c", all=True, wait=-1)
    assert list(tmp_path.iterdir()) == []
    # A directory holding one log stream's dataset (DIR/date=...) is not mixed with partitions of another layout.
    export_to_parquet(client, fake.project_id, fake.log_stream_id, tmp_path / "single", now=NOW)
    with pytest.raises(InvalidRequestError, match="holds one log stream's dataset"):
        export_dataset(client, tmp_path / "single", all=True, now=NOW)
    (tmp_path / "odd" / "_export_state.json").mkdir(parents=True)
    with pytest.raises(InvalidRequestError, match=r"directory: .*_export_state\.json is not a readable export state"):
        export_dataset(client, tmp_path / "odd", all=True, now=NOW)


def test_the_cli_exports_the_selection_and_names_the_flag_of_bad_input(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake = organisation_fake()
    for name in GALILEO_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr(_app, "build_client", fake_client_factory(fake.transport()))
    monkeypatch.setenv("GALILEO_API_KEY", fake.api_key)

    some = run_cli(["export", "--project", "project-02", "--to", str(tmp_path / "org")])
    everything = run_cli(["export", "--all", "--to", str(tmp_path / "org"), "--concurrency", "3"])
    assert some.exit_code == 0, some.stderr
    assert some.stdout.startswith("wrote 300 records in ")
    assert "of 2 log streams" in some.stdout
    assert everything.exit_code == 0, everything.stderr
    assert "of 6 log streams" in everything.stdout
    added = {row["project"] for row in pyarrow_rows(tmp_path / "org")}
    assert added == {"project-01", "project-02", "project-03"}

    both = run_cli(["export", "--all", "--log-stream", "log-stream-01", "--to", str(tmp_path / "x")])
    assert both.exit_code == 2
    assert "--all" in both.stderr
    unknown = run_cli(["export", "--project", "nope", "--to", str(tmp_path / "y")])
    assert unknown.exit_code == 7
    assert "--project" in unknown.stderr
    (tmp_path / "single").mkdir()
    (tmp_path / "single" / "_export_state.json").write_text("{}")
    mixed = run_cli(["export", "--all", "--to", str(tmp_path / "single")])
    assert mixed.exit_code == 2
    assert mixed.stderr.startswith("error: --to: ")
    assert "holds one log stream's dataset" in mixed.stderr
    assert not (tmp_path / "x").exists()
    assert not (tmp_path / "y").exists()
