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

import contextlib
import datetime
import json
import math
import os
import uuid
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

import attrs

from galileo_insights_api.models.log_stream_insight_token_usage_db import LogStreamInsightTokenUsageDB

from ...._errors import InvalidRequestError, PaginationError
from ...._optional import require
from .._record_fields import as_utc
from ._arrow import token_usage_schema
from ._dataset_files import DatasetFiles, dataset_files, temporary_name
from ._days import DistinctIds, days_of
from ._name_columns import NameColumns

if TYPE_CHECKING:
    import pyarrow as pa

    from .._resource import TokenUsageResource


class TokenUsageClient(Protocol):
    """What the export needs of a ``galileo_insights.GalileoInsights`` (it sits below the client, so it names
    only the resource it reads)."""

    @property
    def token_usage(self) -> TokenUsageResource: ...


STATE_FILE = "_export_state.json"
LOCK_FILE = ".export.lock"  # a dot name: dataset readers skip it
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
    def read(cls, files: DatasetFiles, now: datetime.datetime) -> ExportState | None:
        """The state in ``files`` (None if there is none yet); anything this SDK would not have written is an
        ``InvalidRequestError`` naming the file and what is wrong, never a guess at where the dataset stands."""
        try:
            text = files.read_text(STATE_FILE)
        except (OSError, UnicodeDecodeError) as exc:
            raise InvalidRequestError(
                f"{_state_file(files)} is not a readable export state file ({_reason(exc)})"
            ) from None
        if text is None:
            return None
        try:
            document = json.loads(text)
            if document["version"] != STATE_VERSION:
                raise ValueError(f"version {document['version']!r}, this SDK writes {STATE_VERSION}")
            closed = document["closed_before"]
            state = cls(
                uuid.UUID(document["project_id"]),
                uuid.UUID(document["log_stream_id"]),
                None if closed is None else _closed_day(closed, now),
            )
        except (ValueError, KeyError, TypeError) as exc:
            raise InvalidRequestError(
                f"{_state_file(files)} is not an export state file this SDK can read ({exc})"
            ) from None
        return state

    def write(self, files: DatasetFiles) -> None:
        """Atomically: a reader (or a killed run) sees the old state or the new one, never half of one."""
        files.replace_text(STATE_FILE, json.dumps(self.to_json(), indent=2) + "\n")


def _state_file(files: DatasetFiles) -> str:
    return f"{files}/{STATE_FILE}"


def _closed_day(text: object, now: datetime.datetime) -> datetime.datetime:
    """``closed_before`` as written: an aware UTC midnight that is not in the future (ValueError otherwise)."""
    if not isinstance(text, str):
        raise ValueError(f"closed_before must be a date-time string, got {text!r}")
    moment = datetime.datetime.fromisoformat(text)
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"closed_before {text!r} has no timezone")
    if moment != _utc_midnight(moment) or moment.utcoffset() != datetime.timedelta(0):
        raise ValueError(f"closed_before {text!r} is not a UTC midnight")
    if moment > _utc_midnight(now) + _DAY:
        raise ValueError(f"closed_before {text!r} lies in the future")
    return moment


def _reason(exc: BaseException) -> str:
    return exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)


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
    names: NameColumns
    records: int = 0
    _ids: DistinctIds = attrs.Factory(DistinctIds)
    _held: list[pa.RecordBatch] = attrs.Factory(list)
    _held_rows: int = 0
    _writer: Any = None
    _temporary: str | None = None

    def add(self, batch: pa.RecordBatch) -> None:
        """Records of this day (Arrow, in order); a record whose id the day already holds is left out."""
        batch = self._ids.new_rows(batch)
        self._held.append(batch)
        self._held_rows += batch.num_rows
        self.records += batch.num_rows
        if self._held_rows >= _BATCH_ROWS:
            self._flush()

    def _flush(self) -> None:
        if not self._held_rows:
            return
        pa = require("pyarrow", "the Parquet export")
        if self._writer is None:
            self._temporary = temporary_name(f"{_partition(self.day)}/{PART_FILE}")
            self._writer = self.directory.parquet_writer(self._temporary, self.names.schema())
        table = pa.Table.from_batches(self._held, schema=token_usage_schema()).combine_chunks()
        for batch in table.to_batches():
            self._writer.write_batch(self.names.extend(batch))
        self._held, self._held_rows = [], 0

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
    names: NameColumns,
    batches: Iterable[pa.RecordBatch],
    since: datetime.datetime,
    before: datetime.datetime,
) -> Iterator[_DayWriter]:
    """Write every UTC day of ``[since, before)`` (whole days) from ``batches`` (ascending); yield each day written.

    Days without records get their old file removed, so a re-read day holds exactly what the server has now.
    """
    day = since.date()
    writer = _DayWriter(directory, day, names)
    try:
        for batch in batches:
            for batch_day, records in days_of(batch, since, before, writer.day):
                while batch_day > writer.day:
                    writer.finish()
                    yield writer
                    writer = _DayWriter(directory, writer.day + _DAY, names)
                writer.add(records)
        while True:
            writer.finish()
            yield writer
            if _midnight_after(writer.day) >= before:
                return
            writer = _DayWriter(directory, writer.day + _DAY, names)
    finally:
        writer.abandon()


def _utc_created(item: LogStreamInsightTokenUsageDB) -> datetime.datetime:
    """The record's ``created_at`` in UTC; one whose UTC instant lies outside years 1-9999 has no day to go in."""
    try:
        return as_utc(item.created_at)
    except OverflowError:
        raise PaginationError(
            f"record {item.id}: created_at {item.created_at.isoformat()} lies outside the UTC times Python can "
            "represent (years 1-9999); the export stopped before writing its day"
        ) from None


def _remove_stale_temporaries(directory: DatasetFiles) -> None:
    """Temporary files a killed run left behind (they are never read: their names start with a dot)."""
    directory.remove_temporaries("date=*")
    directory.remove_temporaries("")


def export_to_parquet(
    client: TokenUsageClient,
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
    wait: float = 0.0,
) -> ExportSummary:
    """Bring ``directory``'s Parquet dataset up to date with the log stream (see the module docstring).

    ``lag`` is how long after a UTC day ends its records may still arrive; until then the day is re-read on
    every run. ``concurrency`` windows read closed days in parallel. ``now`` is for tests.

    One export at a time per directory (overlapping cron runs would otherwise remove each other's temporary
    files): a run takes ``DIR/.export.lock`` and, if another run holds it, waits up to ``wait`` seconds for it,
    then raises ``InvalidRequestError`` saying so. The lock is released when the process ends, however it ends;
    the empty lock file stays (a dot name: dataset readers skip it). Object storage has no such lock: for a URL
    the lock is a file in this user's temporary directory named after the URL, so runs on this machine exclude
    each other but runs on two machines exporting to the same URL do not (schedule those apart).

    The log stream is chosen as ``client.token_usage.list`` chooses it: ids, or ``project=`` / ``log_stream=``
    names (pass ``None`` for the ids), else the ``GALILEO_*`` defaults. Names are looked up before anything is
    read, so the state file is keyed by ids and a renamed log stream still matches its dataset.

    Args:
        client: a ``GalileoInsights`` client.
        project_id: the project's id, or None (then ``project=`` or the defaults).
        log_stream_id: the log stream's id, or None (then ``log_stream=`` or the defaults).
        directory: the dataset's directory, created if missing: a path, or a URL of a filesystem pyarrow or
            fsspec knows (``s3://bucket/usage``).
        project: the project by name.
        log_stream: the log stream by name, in that project.
        columns: string columns with one value each, added to every file (the organisation-wide export's
            ``project`` and ``log_stream`` names).
        lag: how late records may still reach the server after their UTC day ends.
        concurrency: windows reading the closed days in parallel.
        page_size: records per request.
        now: the current time (for tests).
        wait: seconds to wait for another export holding ``DIR/.export.lock`` to finish (default 0).

    Returns:
        ``ExportSummary``: the records written, the day files, and the day before which days are closed.

    Raises:
        InvalidRequestError: an argument is not valid (the message names it), before anything is read; or
            another export still holds the directory after ``wait`` seconds (nothing was written); or the
            directory's state file is not one the SDK would write (the message names the file).
        NameResolutionError: a name matches no project or log stream, or several.
        GalileoInsightsError: the API failed (its subclasses say how), after the retries; files already
            written stay whole and the next run resumes.
    """
    require("pyarrow.parquet", "the Parquet export")
    if not isinstance(lag, datetime.timedelta) or lag < datetime.timedelta(0):
        raise InvalidRequestError(f"must be a timedelta >= 0, got {lag!r}", argument="lag")
    check_wait(wait)
    project_uuid, stream = client.token_usage.log_stream_ids(
        project_id, log_stream_id, project=project, log_stream=log_stream
    )
    now = datetime.datetime.now(datetime.UTC) if now is None else as_utc(now)
    root = dataset_files(directory)
    root.make_directory()
    with _only_export_into(root, wait):
        return _export(
            client,
            project_uuid=project_uuid,
            stream=stream,
            root=root,
            names=NameColumns(columns or {}),
            lag=lag,
            concurrency=concurrency,
            page_size=page_size,
            now=now,
        )


def check_wait(wait: object) -> None:
    """``wait=``: how long a run waits for another export's lock, in seconds (a finite number >= 0)."""
    if isinstance(wait, bool) or not isinstance(wait, int | float) or not 0 <= wait < math.inf:
        raise InvalidRequestError(f"must be a number of seconds >= 0, got {wait!r}", argument="wait")


@contextlib.contextmanager
def _only_export_into(root: DatasetFiles, wait: float) -> Iterator[None]:
    from filelock import FileLock, Timeout  # noqa: PLC0415 - the data extra, loaded by the export only

    path = root.lock_file(LOCK_FILE)
    lock = FileLock(path)
    try:
        lock.acquire(timeout=wait)
    except Timeout:
        raise InvalidRequestError(
            f"another export into {root} is running (it holds {path}); this run wrote nothing. "
            "Wait for it to end, or pass wait= (the CLI: run it again later)"
        ) from None
    try:
        yield
    finally:
        lock.release()


def _export(
    client: TokenUsageClient,
    *,
    project_uuid: uuid.UUID,
    stream: uuid.UUID,
    root: DatasetFiles,
    names: NameColumns,
    lag: datetime.timedelta,
    concurrency: int,
    page_size: int,
    now: datetime.datetime,
) -> ExportSummary:
    state = ExportState.read(root, now) or ExportState(project_uuid, stream, None)
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
        for day in _write_days(root, names, closed.arrow_pages(), since, closed_before):
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
        written.extend(_write_days(root, names, recent.arrow_pages(), closed_before, open_before))
    state.write(root)
    return ExportSummary(
        root.where(),
        sum(day.records for day in written),
        tuple(day.day for day in written if day.records),
        state.closed_before,
    )


def _first_day(
    client: TokenUsageClient, project: uuid.UUID, stream: uuid.UUID, now: datetime.datetime
) -> datetime.datetime | None:
    """UTC midnight of the oldest record's day, or None when the log stream has no record yet."""
    oldest = client.token_usage.list(project, stream, ascending=True, max_items=1, created_before=now)
    for item in oldest:
        return _utc_midnight(_utc_created(item))
    return None
