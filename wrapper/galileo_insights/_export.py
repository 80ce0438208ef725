"""The incremental export: a log stream's records as a Hive-partitioned Parquet dataset, one file per UTC day.

``DIR/date=YYYY-MM-DD/part-0.parquet`` holds every record created that day (UTC), ascending, one row per id;
DuckDB, polars, pandas, Spark and BigQuery read the directory as is. ``DIR/_export_state.json`` says up to
which day the dataset is closed. A run re-reads from there to now and rewrites each day it touches as a whole:

* Days that ended more than ``lag`` ago are closed: they are read with the parallel export and not read again.
* Later days are open: written now (so the dataset is current) and read again on the next run, which picks up
  records that reached the server late. Each rewrite replaces the day's file, so nothing is written twice.

Every file is written to a temporary name and renamed, and the state moves one closed day at a time, after
that day's file is in place: killed at any point, the dataset holds complete day files, and the next run
resumes from the first day not closed and ends with exactly the server's records. Dataset readers skip names
starting with ``.`` or ``_``, so neither temporary files nor the state file show up as data. ``DIR`` may be a URL
of object storage (``s3://``, ``gs://``): there a file is put in place by a server-side copy, as whole.
"""

from __future__ import annotations

import datetime
import json
import os
import uuid
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs

from galileo_insights_api.models.log_stream_insight_token_usage_db import LogStreamInsightTokenUsageDB

from ._errors import InvalidRequestError, PaginationError
from .resources.token_usage._data._arrow import record_batch
from .resources.token_usage._data._columns import RecordColumns
from .resources.token_usage._data._dataset_files import (
    DatasetFiles,
    dataset_files,
    temporary_name,
)
from .resources.token_usage._data._name_columns import NameColumns
from .resources.token_usage._data._optional import require
from .resources.token_usage._record_fields import as_utc

if TYPE_CHECKING:
    from ._client import GalileoInsights

STATE_FILE = "_export_state.json"
PART_FILE = "part-0.parquet"
STATE_VERSION = 1
DEFAULT_LAG = datetime.timedelta(hours=1)
_DAY = datetime.timedelta(days=1)
_BATCH_ROWS = 10_000


@attrs.frozen
class ExportSummary:
    """What one run did: records written (rewritten open days included), the days written, where it is closed."""

    directory: Path | str
    records: int
    days: tuple[datetime.date, ...]
    closed_before: datetime.datetime | None


@attrs.frozen
class ExportState:
    """The state file: whose records the directory holds and the first day not yet closed (UTC midnight)."""

    project_id: uuid.UUID
    log_stream_id: uuid.UUID
    closed_before: datetime.datetime | None

    def to_json(self) -> dict[str, Any]:
        return {
            "version": STATE_VERSION,
            "project_id": str(self.project_id),
            "log_stream_id": str(self.log_stream_id),
            "closed_before": None if self.closed_before is None else self.closed_before.isoformat(),
        }

    @classmethod
    def read(cls, files: DatasetFiles) -> ExportState | None:
        text = files.read_text(STATE_FILE)
        if text is None:
            return None
        try:
            document = json.loads(text)
            if document["version"] != STATE_VERSION:
                raise ValueError(f"version {document['version']!r}, this SDK writes {STATE_VERSION}")
            closed = document["closed_before"]
            return cls(
                uuid.UUID(document["project_id"]),
                uuid.UUID(document["log_stream_id"]),
                None if closed is None else datetime.datetime.fromisoformat(closed),
            )
        except (ValueError, KeyError, TypeError) as exc:
            raise InvalidRequestError(
                f"{files}/{STATE_FILE} is not an export state file this SDK can read ({exc})"
            ) from None

    def write(self, files: DatasetFiles) -> None:
        """Atomically: a reader (or a killed run) sees the old state or the new one, never half of one."""
        files.replace_text(STATE_FILE, json.dumps(self.to_json(), indent=2) + "\n")


def _utc_midnight(moment: datetime.datetime) -> datetime.datetime:
    return datetime.datetime.combine(moment.astimezone(datetime.UTC).date(), datetime.time(0), tzinfo=datetime.UTC)


def _midnight_after(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day + _DAY, datetime.time(0), tzinfo=datetime.UTC)


def _partition(day: datetime.date) -> str:
    return f"date={day.isoformat()}"


@attrs.define
class _DayWriter:
    """Writes the records of one UTC day to its partition, one row per id, replacing the day's file at the end."""

    directory: DatasetFiles
    day: datetime.date
    constants: NameColumns
    records: int = 0
    _seen: set[int] = attrs.Factory(set)
    _columns: RecordColumns = attrs.Factory(RecordColumns)
    _writer: Any = None
    _temporary: str | None = None

    def add(self, item: LogStreamInsightTokenUsageDB) -> None:
        key = item.id.int
        if key in self._seen:
            return
        self._seen.add(key)
        self._columns.add(item)
        self.records += 1
        if len(self._columns) >= _BATCH_ROWS:
            self._flush()

    def _flush(self) -> None:
        if not len(self._columns):
            return
        if self._writer is None:
            self._temporary = temporary_name(f"{_partition(self.day)}/{PART_FILE}")
            self._writer = self.directory.parquet_writer(self._temporary, self.constants.schema())
        self._writer.write_batch(self.constants.extend(record_batch(self._columns)))
        self._columns = RecordColumns()

    def finish(self) -> None:
        """Replace the day's file with what was written (or remove it: the day has no records now)."""
        self._flush()
        target = f"{_partition(self.day)}/{PART_FILE}"
        if self._writer is None or self._temporary is None:
            self.directory.remove(target)
            return
        self._writer.close()
        self.directory.put_in_place(self._temporary, target)
        self._writer = self._temporary = None

    def abandon(self) -> None:
        if self._writer is not None:
            self._writer.close()
        if self._temporary is not None:
            self.directory.remove(self._temporary)


def _write_days(
    directory: DatasetFiles,
    constants: NameColumns,
    items: Iterable[LogStreamInsightTokenUsageDB],
    since: datetime.datetime,
    before: datetime.datetime,
) -> Iterator[_DayWriter]:
    """Write every UTC day of ``[since, before)`` (whole days) from ``items`` (ascending); yield each day written.

    Days without records get their old file removed, so a re-read day holds exactly what the server has now.
    """
    day = since.date()
    writer = _DayWriter(directory, day, constants)
    try:
        for item in items:
            item_day = as_utc(item.created_at).date()
            if not since <= as_utc(item.created_at) < before or item_day < writer.day:
                raise PaginationError(
                    f"record {item.id} created at {item.created_at.isoformat()} came after a record of "
                    f"{writer.day} in a walk of [{since.isoformat()}, {before.isoformat()}) sorted by created_at; "
                    "the export stopped before writing that day"
                )
            while item_day > writer.day:
                writer.finish()
                yield writer
                writer = _DayWriter(directory, writer.day + _DAY, constants)
            writer.add(item)
        while True:
            writer.finish()
            yield writer
            if _midnight_after(writer.day) >= before:
                return
            writer = _DayWriter(directory, writer.day + _DAY, constants)
    finally:
        writer.abandon()


def _remove_stale_temporaries(directory: DatasetFiles) -> None:
    """Temporary files a killed run left behind (they are never read: their names start with a dot)."""
    directory.remove_temporaries("date=*")
    directory.remove_temporaries("")


def export_to_parquet(
    client: GalileoInsights,
    project_id: uuid.UUID | str | None,
    log_stream_id: uuid.UUID | str | None,
    directory: str | os.PathLike[str] | DatasetFiles,
    *,
    project: str | None = None,
    log_stream: str | None = None,
    columns: Mapping[str, str] | None = None,
    lag: datetime.timedelta = DEFAULT_LAG,
    concurrency: int = 4,
    page_size: int = 1000,
    now: datetime.datetime | None = None,
) -> ExportSummary:
    """Bring ``directory``'s Parquet dataset up to date with the log stream (see the module docstring).

    ``lag`` is how long after a UTC day ends its records may still arrive; until then the day is re-read on
    every run. ``concurrency`` windows read closed days in parallel. ``now`` is for tests.

    ``directory`` is a path or a URL of a filesystem pyarrow or fsspec knows (``s3://bucket/usage``; see
    ``galileo_insights.resources.token_usage._data._dataset_files``). ``columns`` adds string columns with one
    value to every file (the organisation-wide export's ``project`` and ``log_stream`` names).

    The log stream is chosen as ``client.token_usage.list`` chooses it: ids, or ``project=`` / ``log_stream=``
    names (pass ``None`` for the ids), else the ``GALILEO_*`` defaults. Names are looked up before anything is
    read, so the state file is keyed by ids and a renamed log stream still matches its dataset.
    """
    require("pyarrow.parquet", "the Parquet export")
    if not isinstance(lag, datetime.timedelta) or lag < datetime.timedelta(0):
        raise InvalidRequestError(f"lag must be a timedelta >= 0, got {lag!r}")
    project_uuid, stream = client.token_usage.log_stream_ids(
        project_id, log_stream_id, project=project, log_stream=log_stream
    )
    now = datetime.datetime.now(datetime.UTC) if now is None else as_utc(now)
    root = dataset_files(directory)
    constants = NameColumns(columns or {})
    root.make_directory()
    state = ExportState.read(root) or ExportState(project_uuid, stream, None)
    if (state.project_id, state.log_stream_id) != (project_uuid, stream):
        raise InvalidRequestError(
            f"{root} holds the export of project {state.project_id} / log stream {state.log_stream_id}, "
            f"not {project_uuid} / {stream}: export each log stream to its own directory"
        )
    _remove_stale_temporaries(root)
    since = state.closed_before or _first_day(client, project_uuid, stream, now)
    if since is None:
        state.write(root)
        return ExportSummary(root.where(), 0, (), state.closed_before)
    closed_before = max(since, _utc_midnight(now - lag))
    written: list[_DayWriter] = []
    if since < closed_before:
        closed = client.token_usage.list(
            project_uuid,
            stream,
            ascending=True,
            page_size=page_size,
            created_since=since,
            created_before=closed_before,
            concurrency=concurrency,
        )
        for day in _write_days(root, constants, closed, since, closed_before):
            written.append(day)
            if day.records:  # empty days move the state too, but need no write of their own
                state = attrs.evolve(state, closed_before=_midnight_after(day.day))
                state.write(root)
        state = attrs.evolve(state, closed_before=closed_before)
    open_before = _utc_midnight(now) + _DAY
    if closed_before < now:
        recent = client.token_usage.list(
            project_uuid, stream, ascending=True, page_size=page_size, created_since=closed_before, created_before=now
        )
        written.extend(_write_days(root, constants, recent, closed_before, open_before))
    state.write(root)
    return ExportSummary(
        root.where(),
        sum(day.records for day in written),
        tuple(day.day for day in written if day.records),
        state.closed_before,
    )


def _first_day(
    client: GalileoInsights, project: uuid.UUID, stream: uuid.UUID, now: datetime.datetime
) -> datetime.datetime | None:
    """UTC midnight of the oldest record's day, or None when the log stream has no record yet."""
    oldest = client.token_usage.list(project, stream, ascending=True, max_items=1, created_before=now)
    for item in oldest:
        return _utc_midnight(as_utc(item.created_at))
    return None
