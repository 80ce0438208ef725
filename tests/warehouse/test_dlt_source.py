"""A real dlt pipeline into DuckDB from the fake (3 projects x 2 log streams, served over loopback HTTP): first load,
a run with nothing new, updated records merged, faults, kills; the rows always equal the fake's records."""

from __future__ import annotations

import datetime
import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import dlt
import pytest

from galileo_insights.dlt import UpdatedCursor, galileo_source
from galileo_insights.testing import FakeGalileo, Organisation, RandomFaults, TokenCounts, TokenUsageRecord, serve
from tests.cli.harness import GALILEO_VARIABLES
from tests.data.test_dataset import server_rows

UTC = datetime.UTC
END = datetime.datetime(2026, 3, 1, tzinfo=UTC)
ORGANISATION = Organisation(projects=3, log_streams=2, records=120, days=10, end=END, seed=7)
HAND_MADE = 5  # per log stream: records the tests update later
COLUMNS = (
    "id",
    "created_at",
    "updated_at",
    "project_id",
    "log_stream_id",
    "input_tokens",
    "output_tokens",
    "cache_read_input_tokens",
    "cache_creation_input_tokens",
    "project",
    "log_stream",
)


def organisation_fake() -> FakeGalileo:
    fake = FakeGalileo(organisation=ORGANISATION)
    for project in fake.directory.projects():
        for stream in fake.directory.log_streams(project.id) or []:
            fake.store.add(
                TokenUsageRecord(
                    created_at=END - datetime.timedelta(hours=3 * number + 1),
                    project_id=project.id,
                    log_stream_id=stream.id,
                    token_usage=TokenCounts(input_tokens=number, output_tokens=1),
                )
                for number in range(HAND_MADE)
            )
    return fake


class Loaded:
    """The fake served on loopback, the environment pointing at it, and a DuckDB pipeline in a temporary folder."""

    def __init__(self, fake: FakeGalileo, folder: Path) -> None:
        self.fake = fake
        self.folder = folder

    def pipeline(self) -> Any:
        """The pipeline, attached to whatever state earlier runs left in the folder (as a new process would be)."""
        return dlt.pipeline(
            pipeline_name="galileo",
            destination=dlt.destinations.duckdb(str(self.folder / "warehouse.duckdb")),
            dataset_name="usage",
            pipelines_dir=str(self.folder / "pipelines"),
        )

    def run(self) -> Any:
        return self.pipeline().run(galileo_source(all=True, page_size=25))

    def rows(self, table: str = "token_usage", columns: tuple[str, ...] = COLUMNS) -> list[dict[str, Any]]:
        with self.pipeline().sql_client() as client:
            found = client.execute_sql(f"SELECT {', '.join(columns)} FROM {table}")
        rows = [dict(zip(columns, row, strict=True)) for row in found]
        for row in rows:
            for name in ("created_at", "updated_at"):
                if name in row:
                    row[name] = row[name].astimezone(UTC)
        return sorted(rows, key=lambda row: (row.get("created_at"), row["id"]))

    def token_usage_requests(self) -> list[str]:
        return [request.path for request in self.fake.requests if request.path.endswith("/token_usage")]


@pytest.fixture
def loaded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Loaded]:
    for name in GALILEO_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("RUNTIME__DLTHUB_TELEMETRY", "false")
    fake = organisation_fake()
    with serve(fake) as url:
        monkeypatch.setenv("GALILEO_API_URL", url)
        monkeypatch.setenv("GALILEO_API_KEY", fake.api_key)
        yield Loaded(fake, tmp_path)


def expected(fake: FakeGalileo) -> list[dict[str, Any]]:
    return [{name: row[name] for name in COLUMNS} for row in server_rows(fake)]


def update_some(fake: FakeGalileo, when: datetime.datetime) -> list[TokenUsageRecord]:
    """Two hand-made records of each log stream get new counts and a later ``updated_at``, as a server update does."""
    changed = []
    for project_id, stream_id in fake.store.streams():
        records = [record for record in fake.store.records(project_id, stream_id) if record.token_usage is not None]
        for record in [r for r in records if r.token_usage is not None and r.token_usage.output_tokens == 1][:2]:
            new = TokenUsageRecord(
                created_at=record.created_at,
                updated_at=when,
                id=record.id,
                project_id=project_id,
                log_stream_id=stream_id,
                token_usage=TokenCounts(input_tokens=999, output_tokens=2),
            )
            fake.store.update(new)
            changed.append(new)
    return changed


def test_first_load_equals_the_fakes_records_and_a_second_run_adds_nothing(loaded: Loaded) -> None:
    loaded.run()

    assert loaded.rows() == expected(loaded.fake)
    assert len(loaded.rows()) == 6 * (ORGANISATION.records + HAND_MADE)
    streams = loaded.rows("log_streams", ("id", "name", "project_id", "project"))
    assert sorted((row["project"], row["name"]) for row in streams) == [
        (f"project-0{p}", f"log-stream-0{s}") for p in (1, 2, 3) for s in (1, 2)
    ]
    projects = loaded.rows("projects", ("id", "name"))
    assert sorted(row["name"] for row in projects) == ["project-01", "project-02", "project-03"]

    loaded.fake.clear_requests()
    second = loaded.run()

    assert loaded.rows() == expected(loaded.fake)
    requests = loaded.token_usage_requests()
    assert len(requests) <= 6
    assert len(set(requests)) == len(requests)  # at most one page per log stream
    loaded_tables = {
        job.job_file_info.table_name for package in second.load_packages for job in package.jobs["completed_jobs"]
    }
    assert "token_usage" not in loaded_tables


def test_records_updated_on_the_server_are_re_loaded_and_merged(loaded: Loaded) -> None:
    loaded.run()
    changed = update_some(loaded.fake, END + datetime.timedelta(days=1))
    late = TokenUsageRecord(
        created_at=END - datetime.timedelta(days=9),  # created long ago, reaching the server only now
        updated_at=END + datetime.timedelta(days=1),
        project_id=changed[0].project_id,
        log_stream_id=changed[0].log_stream_id,
    )
    loaded.fake.store.add([late])
    loaded.fake.clear_requests()

    loaded.run()

    rows = loaded.rows()
    assert rows == expected(loaded.fake)
    by_id = {row["id"]: row for row in rows}
    assert all(by_id[str(record.id)]["input_tokens"] == 999 for record in changed)
    assert str(late.id) in by_id
    assert len(loaded.token_usage_requests()) == 6


def test_what_changes_during_a_run_is_loaded_by_the_next(loaded: Loaded, monkeypatch: pytest.MonkeyPatch) -> None:
    """Once a log stream's first page is answered, the server creates a record there and then updates a record the
    walk has not reached yet. The walk (a snapshot as of its start) cannot see the new record, and must not move its
    cursor past it by loading the update: the next run loads both."""
    fake = loaded.fake
    project_id, stream_id = fake.store.streams()[0]
    stream_path = fake.token_usage_path(project_id, stream_id)
    hand_made = [
        record
        for record in fake.store.records(project_id, stream_id)
        if record.token_usage is not None and record.token_usage.output_tokens == 1
    ]
    last = max(hand_made, key=lambda record: record.created_at)  # on the walk's last page
    created: list[TokenUsageRecord] = []
    original = fake.handle

    def changes_after_the_first_page(method: str, path: str, *args: Any, **kwargs: Any) -> Any:
        reply = original(method, path, *args, **kwargs)
        if path == stream_path and not created:
            moment = datetime.datetime.now(UTC)
            new = TokenUsageRecord(created_at=moment, project_id=project_id, log_stream_id=stream_id)
            fake.store.add([new])
            created.append(new)
            fake.store.update(
                TokenUsageRecord(
                    created_at=last.created_at,
                    updated_at=moment + datetime.timedelta(milliseconds=1),
                    id=last.id,
                    project_id=project_id,
                    log_stream_id=stream_id,
                    token_usage=TokenCounts(input_tokens=777, output_tokens=3),
                )
            )
        return reply

    with monkeypatch.context() as patch:
        patch.setattr(fake, "handle", changes_after_the_first_page)
        loaded.run()
    assert created

    loaded.run()

    rows = loaded.rows()
    by_id = {row["id"]: row for row in rows}
    assert str(created[0].id) in by_id
    assert by_id[str(last.id)]["input_tokens"] == 777
    assert rows == expected(fake)


class Killed(BaseException):
    """Stands in for SIGKILL / Ctrl-C: not an Exception, so nothing on the way catches it."""


def test_a_run_killed_midway_then_run_again_ends_exact(loaded: Loaded, monkeypatch: pytest.MonkeyPatch) -> None:
    loaded.run()
    update_some(loaded.fake, END + datetime.timedelta(days=1))
    batches = {"count": 0}
    original = UpdatedCursor.advanced

    def dies_at_the_fourth_batch(self: UpdatedCursor, batch: Any) -> UpdatedCursor:
        batches["count"] += 1
        if batches["count"] == 4:
            raise Killed
        return original(self, batch)

    with monkeypatch.context() as patch:
        patch.setattr(UpdatedCursor, "advanced", dies_at_the_fourth_batch)
        with pytest.raises((Killed, Exception)):
            loaded.run()
    assert batches["count"] == 4

    loaded.run()
    assert loaded.rows() == expected(loaded.fake)


def test_killed_after_extract_before_load_then_run_again_ends_exact(loaded: Loaded) -> None:
    pipeline = loaded.pipeline()
    pipeline.extract(galileo_source(all=True, page_size=25))
    pipeline.normalize()  # and then the process dies: nothing loaded
    update_some(loaded.fake, END + datetime.timedelta(days=2))

    loaded.run()
    loaded.run()  # the pending package first, then what changed since it was extracted

    assert loaded.rows() == expected(loaded.fake)


def runs_until_done(loaded: Loaded) -> int:
    """Run the pipeline until a run succeeds (as a scheduler retrying it would); the failed runs before it."""
    for failures in range(30):
        try:
            loaded.run()
        except Exception:  # dlt wraps what failed in PipelineStepFailed
            continue
        return failures
    pytest.fail("the load never finished")


def test_with_faults_on_re_running_until_done_ends_exact(loaded: Loaded) -> None:
    loaded.fake.faults.set_random(RandomFaults(seed=11, server_error=0.1, dropped=0.05, malformed=0.05))
    failures = runs_until_done(loaded)
    update_some(loaded.fake, END + datetime.timedelta(days=1))
    failures += runs_until_done(loaded)
    loaded.fake.faults.clear()

    assert failures > 0, "the faults should have stopped at least one run"
    assert loaded.rows() == expected(loaded.fake)


def test_credentials_from_dlt_secrets_win_over_the_environment(loaded: Loaded, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GALILEO_API_KEY", "not-the-key")
    monkeypatch.setenv("SOURCES__GALILEO_INSIGHTS__API_KEY", loaded.fake.api_key)
    loaded.run()
    assert len(loaded.rows()) == len(expected(loaded.fake))

    monkeypatch.delenv("SOURCES__GALILEO_INSIGHTS__API_KEY")
    with pytest.raises(Exception, match=r"401|[Aa]uthentication"):
        loaded.pipeline().run(galileo_source(project="project-01"))


def test_a_selection_by_names_and_a_log_stream_added_later(loaded: Loaded) -> None:
    pipeline = loaded.pipeline()
    pipeline.run(galileo_source(project="project-01", log_stream=["log-stream-02"]))
    assert {row["log_stream"] for row in loaded.rows()} == {"log-stream-02"}

    loaded.run()  # all of them now: the other five are read from their first record, not from log-stream-02's cursor
    assert loaded.rows() == expected(loaded.fake)
    assert uuid.UUID(loaded.rows()[0]["id"])
    assert os.environ["RUNTIME__DLTHUB_TELEMETRY"] == "false"


def test_a_selection_by_ids_loads_what_the_same_selection_by_names_does(loaded: Loaded) -> None:
    project = loaded.fake.directory.projects()[0]
    stream = (loaded.fake.directory.log_streams(project.id) or [])[1]
    loaded.pipeline().run(galileo_source(project=str(project.id), log_stream=[str(stream.id)]))
    rows = loaded.rows()
    assert len(rows) >= HAND_MADE
    assert rows == [row for row in expected(loaded.fake) if row["log_stream_id"] == str(stream.id)]
    assert {(row["project"], row["log_stream"]) for row in rows} == {(project.name, stream.name)}
