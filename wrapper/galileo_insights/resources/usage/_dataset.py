"""The organisation in one Parquet dataset: every selected log stream exported beside the others.

``DIR/project_id=P/log_stream_id=S/date=YYYY-MM-DD/part-0.parquet`` holds a log stream's records of one UTC day,
with its ``project`` and ``log_stream`` names as columns of every file; ``DIR/project_id=P/log_stream_id=S/`` is
exactly what ``export_to_parquet`` keeps for one log stream (its own ``_export_state.json`` included), so each log
stream closes, resumes after a kill, re-reads its open days and drops duplicate ids as a single export does. Hive
readers (``pyarrow.dataset``, DuckDB, polars, Spark) read ``DIR`` as one table with ``project_id``,
``log_stream_id`` and ``date`` from the path.

A log stream added to the selection later, or created since the last run (``all=True``), gets its own partition
beside the others: nothing already written is read or written again for it. A renamed project or log stream keeps
its partition (ids are the keys); files written after the rename carry the new name.

Log streams are exported concurrently, and ``concurrency`` bounds the requests in flight over all of them. They
go in rounds of ``concurrency`` log streams with one request in flight each; those left after the last whole
round (fewer than ``concurrency``, or a lone log stream) share all ``concurrency`` among them, reading their
closed days in parallel windows as ``export_to_parquet`` does, so a run does not end with most of its requests
idle while its last log streams are read one request at a time. Each log stream starts, in order, as soon as
its share is free. A failure (or Ctrl-C) stops the run as one log stream's failure does: the other log streams
stop at their next request, the days already closed stay closed and the next run resumes every log stream where
it stopped. The call returns only once every worker has ended, so no file of this
run is written after it returns (a next run in the same process cannot meet a writer of this one).
"""

from __future__ import annotations

import datetime
import functools
import os
import uuid
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

import attrs

from ..._errors import InvalidRequestError
from ..._request_shares import in_threads_by_share, shares_of
from ..token_usage._data._dataset_files import dataset_files
from ..token_usage._data._export import DEFAULT_LAG, STATE_FILE, ExportSummary, check_wait, export_to_parquet
from ..token_usage._query import check_concurrency
from ._selection import LogStreamTarget

if TYPE_CHECKING:
    from ..token_usage import TokenUsageResource
    from ._resource import UsageResource

DEFAULT_DATASET_CONCURRENCY = 8
IdOrName = str | uuid.UUID
Names = IdOrName | Iterable[IdOrName]


class DatasetClient(Protocol):
    """What the dataset export needs of a ``galileo_insights.GalileoInsights``: the selection and the records."""

    @property
    def usage(self) -> UsageResource: ...

    @property
    def token_usage(self) -> TokenUsageResource: ...


@attrs.frozen
class LogStreamExport:
    """One log stream's part of a run: which log stream, and what its export did."""

    target: LogStreamTarget
    summary: ExportSummary


@attrs.frozen
class DatasetSummary:
    """What one run did, per log stream in the order selected."""

    directory: Path | str
    log_streams: tuple[LogStreamExport, ...]

    @property
    def records(self) -> int:
        """Records written over all log streams (rewritten open days included)."""
        return sum(part.summary.records for part in self.log_streams)

    @property
    def files(self) -> int:
        """Day files written over all log streams."""
        return sum(len(part.summary.days) for part in self.log_streams)


def _partition_of(target: LogStreamTarget) -> tuple[str, str]:
    """The Hive folders of a log stream's records below the dataset's root."""
    return f"project_id={target.project_id}", f"log_stream_id={target.log_stream_id}"


def export_dataset(
    client: DatasetClient,
    to: str | os.PathLike[str],
    projects: Names = (),
    log_streams: Names = (),
    *,
    all: bool = False,
    lag: datetime.timedelta = DEFAULT_LAG,
    concurrency: int = DEFAULT_DATASET_CONCURRENCY,
    page_size: int = 1000,
    now: datetime.datetime | None = None,
    wait: float = 0.0,
) -> DatasetSummary:
    """Bring the dataset at ``to`` up to date with every selected log stream (see the module docstring).

    One ``export_to_parquet`` per log stream, into ``project_id=.../log_stream_id=...``, each with its own state
    file and lock, so a run killed anywhere resumes where each log stream stopped and a log stream added later is
    read from its first record. Nothing named means the ``GALILEO_*`` project and log stream.

    Args:
        client: a ``GalileoInsights`` client.
        to: the dataset's root, created if missing: a path or a URL of a filesystem pyarrow or fsspec knows
            (``s3://bucket/usage``, ``gs://...``, ``file://...``).
        projects: names or ids of projects, all of whose log streams are exported.
        log_streams: names or ids of log streams (in ``projects``, or found in any project).
        all: every log stream of every project the key can see.
        lag: how late records may still reach the server after their UTC day ends (``export_to_parquet``'s).
        concurrency: requests in flight over all log streams (see the module docstring).
        page_size: records per request.
        now: the current time (for tests).
        wait: seconds to wait for another export holding a log stream's lock (default 0).

    Returns:
        ``DatasetSummary``: the root and, per log stream in the order selected, what its export wrote.

    Raises:
        InvalidRequestError: an argument is not valid (the message names it), before anything is read; ``to``
            holds a single log stream's dataset; or another export holds a log stream's lock after ``wait``.
        NameResolutionError: a name matches no project or log stream, or several.
        GalileoInsightsError: the API failed (its subclasses say how), after the retries; day files already
            written stay whole and the next run resumes.
    """
    check_concurrency(concurrency)
    check_wait(wait)
    root = dataset_files(to)
    targets = client.usage.select(projects, log_streams, all=all)
    root.make_directory()
    try:
        single = root.read_text(STATE_FILE)
    except (OSError, UnicodeDecodeError) as exc:
        raise InvalidRequestError(
            f"{root}/{STATE_FILE} is not a readable export state file ({exc})", argument="directory"
        ) from None
    if single is not None:
        raise InvalidRequestError(
            f"{root} holds one log stream's dataset (DIR/date=..., from export_to_parquet): "
            "export the organisation-wide dataset to another directory",
            argument="directory",
        )
    shares = shares_of(len(targets), concurrency)

    def export_one(target: LogStreamTarget, windows: int) -> LogStreamExport:
        summary = export_to_parquet(
            client,
            target.project_id,
            target.log_stream_id,
            root.child(*_partition_of(target)),
            columns={"project": target.project, "log_stream": target.log_stream},
            lag=lag,
            concurrency=windows,
            page_size=page_size,
            now=now,
            wait=wait,
        )
        return LogStreamExport(target, summary)

    if len(targets) == 1:
        return DatasetSummary(root.where(), (export_one(targets[0], shares[0]),))
    jobs = [functools.partial(export_one, target) for target in targets]
    return DatasetSummary(root.where(), tuple(in_threads_by_share(jobs, shares, concurrency)))
