"""``galileo_source``: Logstream Insights token usage as a dlt source, for loading into any dlt destination.

Three resources, all merged on ``id`` (loading again replaces a row, never duplicates it):

* ``token_usage``: every record of the selected log streams, with ``project`` and ``log_stream`` names beside the
  ids; incremental on ``updated_at`` per log stream (``_cursor``), so a run reads only what was created or updated
  since the last one, one page per log stream when nothing changed.
* ``projects`` and ``log_streams``: the names of the selected projects and log streams, by id.

The selection is ``client.usage.select``'s: ``project=`` / ``log_stream=`` (a name or id, or a list), or
``all=True``; nothing named means the ``GALILEO_*`` project and log stream. Credentials: ``api_key`` and
``base_url`` from dlt's config (``[sources.galileo_insights]`` in ``secrets.toml`` / ``config.toml``, or
``SOURCES__GALILEO_INSIGHTS__API_KEY``), else the SDK's ``GALILEO_*`` environment as ``GalileoInsights()`` reads it.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any

import attrs
import dlt

from .._client import GalileoInsights
from .._concurrent import ordered_in_threads
from ..resources.token_usage._data._name_columns import NameColumns
from ._cursor import UpdatedCursor

if TYPE_CHECKING:
    import pyarrow as pa
    from dlt.sources import DltResource

    from ..resources.usage import LogStreamTarget

SECTION = "galileo_insights"
DEFAULT_PAGE_SIZE = 1000
DEFAULT_CONCURRENCY = 4
_CURSORS = "updated_at_by_log_stream"


@attrs.frozen
class _Connection:
    """How each resource builds its client: dlt's values where given, else the ``GALILEO_*`` environment."""

    api_key: str | None = attrs.field(repr=False)
    base_url: str | None

    def client(self) -> GalileoInsights:
        return GalileoInsights(api_key=self.api_key, base_url=self.base_url)


@attrs.frozen
class _Selection:
    projects: tuple[str, ...]
    log_streams: tuple[str, ...]
    all: bool

    def targets(self, client: GalileoInsights) -> list[LogStreamTarget]:
        return client.usage.select(self.projects, self.log_streams, all=self.all)


def _names(value: str | Sequence[str] | None) -> tuple[str, ...]:
    if value is None:
        return ()
    return (value,) if isinstance(value, str) else tuple(str(item) for item in value)


@dlt.source(name=SECTION, section=SECTION)
def galileo_source(
    project: str | list[str] | None = None,
    log_stream: str | list[str] | None = None,
    *,
    all: bool = False,
    api_key: str | None = dlt.secrets.value,
    base_url: str | None = dlt.config.value,
    page_size: int = DEFAULT_PAGE_SIZE,
    concurrency: int = DEFAULT_CONCURRENCY,
) -> Sequence[DltResource]:
    """Token usage of the selected log streams, with the names of their projects and log streams (module docstring).

    Args:
        project: a project's name or id, or a list of them (all their log streams are read).
        log_stream: a log stream's name or id, or a list of them.
        all: every log stream of every project the key can see.
        api_key: from dlt's secrets (``[sources.galileo_insights]``), else ``GALILEO_API_KEY``.
        base_url: from dlt's config, else ``GALILEO_API_URL`` or the SDK's default.
        page_size: records per request.
        concurrency: log streams read at once (one request in flight each).

    Returns:
        The ``token_usage``, ``projects`` and ``log_streams`` resources, for ``pipeline.run(...)``.

    Raises:
        NameResolutionError: (when the pipeline runs) a name matches no project or log stream, or several.
        GalileoInsightsError: (when the pipeline runs) the API failed, after the retries; the cursors are dlt
            state, committed only with a load, so the next run reads again what this one did not load.
    """
    connection = _Connection(api_key, base_url)
    selection = _Selection(_names(project), _names(log_stream), all)
    return (
        dlt.resource(
            _token_usage(connection, selection, page_size, concurrency),
            name="token_usage",
            primary_key="id",
            write_disposition="merge",
        ),
        dlt.resource(_projects(connection, selection), name="projects", primary_key="id", write_disposition="merge"),
        dlt.resource(
            _log_streams(connection, selection), name="log_streams", primary_key="id", write_disposition="merge"
        ),
    )


def _projects(connection: _Connection, selection: _Selection) -> Iterator[list[dict[str, Any]]]:
    with connection.client() as client:
        targets = selection.targets(client)
    seen = {target.project_id: target.project for target in targets}
    yield [{"id": str(project_id), "name": name} for project_id, name in seen.items()]


def _log_streams(connection: _Connection, selection: _Selection) -> Iterator[list[dict[str, Any]]]:
    with connection.client() as client:
        targets = selection.targets(client)
    yield [
        {
            "id": str(target.log_stream_id),
            "name": target.log_stream,
            "project_id": str(target.project_id),
            "project": target.project,
        }
        for target in targets
    ]


def _token_usage(
    connection: _Connection, selection: _Selection, page_size: int, concurrency: int
) -> Iterator[pa.RecordBatch]:
    """Record batches of every selected log stream, each read from its cursor; the cursors move in the resource's
    state, which dlt commits with the load, so a run that fails or is killed before loading reads it all again.

    Worker threads only fetch pages; cursors and names are applied here, in dlt's thread.

    Every walk reads the records created and updated before the run's start (``until``): a walk is a snapshot as
    of one moment, so a record created or updated during the run is left to the next run, and no cursor moves
    past such a record's ``updated_at`` (were updates after ``until`` read, a cursor could pass a record created
    during the run, which the walk cannot see, and it would never be loaded).
    """
    state: dict[str, Any] = dlt.current.resource_state().setdefault(_CURSORS, {})
    until = datetime.datetime.now(datetime.UTC)
    with connection.client() as client:
        targets = selection.targets(client)
        start = [UpdatedCursor.from_state(state.get(str(target.log_stream_id))) for target in targets]
        moved = list(start)
        names = [NameColumns({"project": target.project, "log_stream": target.log_stream}) for target in targets]
        walks = [
            _LogStreamWalk(client, index, target, cursor.updated_at, until, page_size)
            for index, (target, cursor) in enumerate(zip(targets, start, strict=True))
        ]
        for index, batch in ordered_in_threads(walks, concurrency, 2):
            if batch is None:
                state[str(targets[index].log_stream_id)] = moved[index].to_state()
                continue
            fresh = start[index].unseen(batch)
            if fresh.num_rows:
                moved[index] = moved[index].advanced(fresh)
                yield names[index].extend(fresh)


@attrs.frozen
class _LogStreamWalk:
    """One log stream's records updated since ``updated_since`` and created and updated before ``until``, as
    ``(index, batch)``; ``(index, None)`` at the end."""

    client: GalileoInsights
    index: int
    target: LogStreamTarget
    updated_since: datetime.datetime | None
    until: datetime.datetime
    page_size: int

    def __call__(self) -> Iterator[tuple[int, pa.RecordBatch | None]]:
        pager = self.client.token_usage.list(
            self.target.project_id,
            self.target.log_stream_id,
            updated_since=self.updated_since,
            created_before=self.until,
            updated_before=self.until,
            ascending=True,
            page_size=self.page_size,
        )
        for batch in pager.iter_batches(self.page_size):
            yield self.index, batch
        yield self.index, None
