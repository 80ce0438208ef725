"""Which log streams an organisation-wide call covers: a selection (names, ids, or all) turned into targets.

The rules, in one place for the library, the CLI's ``--all`` / ``--project`` / ``--log-stream`` and every command
that reuses them (``token-usage``, ``export``, ``report``):

- ``all=True``: every log stream of every project the credentials can see (alone: no projects, no log streams);
  projects of another type than ``gen_ai`` (evaluation, monitoring, protect) are skipped.
- ``projects`` without ``log_streams``: every log stream of those projects.
- ``log_streams`` (with ``projects``, else the ``GALILEO_PROJECT_ID`` / ``GALILEO_PROJECT`` project): each value is
  looked for in every selected project; it must be found in at least one, and a name may not match twice in one.
- nothing: the ``GALILEO_*`` project and log stream (the project's every log stream without a log stream variable).

A value that parses as a UUID is an id, anything else a name. Targets come out in the order given (``all``: by
project name, then log stream name), each once. Matching is pure (``choose_projects``, ``choose_log_streams``);
``SelectionResolver`` / ``AsyncSelectionResolver`` only add the two lookups: one ``GET /projects`` (names for ids
too, so every row can carry both) and one log-stream listing per selected project.
"""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from ..._errors import InvalidRequestError, NameResolutionError
from .._target_defaults import TargetDefaults

if TYPE_CHECKING:
    from galileo_insights_api.models.project_db import ProjectDB

    from ..log_streams import AsyncLogStreamsResource, LogStreamsResource
    from ..projects import AsyncProjectsResource, ProjectsResource

_SHOWN = 10
Named = tuple[uuid.UUID, str]
"""An id and the name the server gave it ("" when it gave none)."""


@dataclasses.dataclass(frozen=True, slots=True)
class LogStreamTarget:
    """One log stream a call covers, with its project: ids for the requests, names for the rows."""

    project_id: uuid.UUID
    project: str
    log_stream_id: uuid.UUID
    log_stream: str


@dataclasses.dataclass(frozen=True, slots=True)
class LogStreamSelection:
    """Log streams by ``projects`` and ``log_streams`` (names or ids), or ``all``; see the module docstring.

    Contradictions are refused when it is built, before anything is sent.
    """

    projects: tuple[str, ...] = ()
    log_streams: tuple[str, ...] = ()
    all: bool = False

    def __post_init__(self) -> None:
        object.__setattr__(self, "projects", _values(self.projects, "projects"))
        object.__setattr__(self, "log_streams", _values(self.log_streams, "log_streams"))
        if self.all and self.log_streams:
            raise InvalidRequestError("all=True covers every log stream: drop log_streams= or all=", argument="all")
        if self.all and self.projects:
            raise InvalidRequestError("all=True covers every project: drop projects= or all=", argument="all")

    @classmethod
    def of(
        cls,
        projects: str | uuid.UUID | Iterable[str | uuid.UUID] = (),
        log_streams: str | uuid.UUID | Iterable[str | uuid.UUID] = (),
        *,
        all: bool = False,
    ) -> LogStreamSelection:
        """A selection from one value or many of each (``str`` or ``uuid.UUID``)."""
        return cls(_as_tuple(projects), _as_tuple(log_streams), all)

    def with_defaults(self, defaults: TargetDefaults) -> LogStreamSelection:
        """The ``GALILEO_*`` project where none is named (and its log stream where neither is)."""
        if self.all or self.projects:
            return self
        project = defaults.project_id or defaults.project
        if project is None:
            if not self.log_streams:
                raise InvalidRequestError(
                    "no log stream given: pass projects= (and log_streams=) or all=True, "
                    "or set GALILEO_PROJECT_ID or GALILEO_PROJECT",
                    argument="projects",
                )
            raise InvalidRequestError(
                "needs a project: pass projects=, or set GALILEO_PROJECT_ID or GALILEO_PROJECT", argument="log_streams"
            )
        stream = defaults.log_stream_id or defaults.log_stream
        streams = self.log_streams or ((stream,) if stream is not None else ())
        return LogStreamSelection((project,), streams)


def _as_tuple(values: str | uuid.UUID | Iterable[str | uuid.UUID]) -> tuple[str, ...]:
    if isinstance(values, str | uuid.UUID):
        return (str(values),)
    return tuple(str(value) if isinstance(value, uuid.UUID) else value for value in values)


def _values(values: Sequence[str], name: str) -> tuple[str, ...]:
    if isinstance(values, str) or not all(isinstance(value, str) for value in values):
        raise InvalidRequestError(f"must be names or ids (a sequence of str), got {values!r}", argument=name)
    for value in values:
        if not value.strip():
            raise InvalidRequestError(f"must hold non-empty names or ids, got {value!r}", argument=name)
    return tuple(dict.fromkeys(value.strip() for value in values))


def _as_id(value: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(value)
    except ValueError:
        return None


def _shown(names: Iterable[str]) -> str:
    unique = sorted(set(names))
    if not unique:
        return " (none found)"
    listed = ", ".join(repr(name) for name in unique[:_SHOWN])
    return f"; found: {listed}" + (" ..." if len(unique) > _SHOWN else "")


def _one(kind: str, value: str, candidates: Sequence[Named], where: str) -> list[Named]:
    """The candidates ``value`` names (by id, else by exact name); two by one name is ambiguous."""
    wanted = _as_id(value)
    label = kind.replace("_", " ")
    if wanted is not None:
        return [candidate for candidate in candidates if candidate[0] == wanted]
    matches = [candidate for candidate in candidates if candidate[1] == value]
    if len(matches) > 1:
        ids = ", ".join(str(identifier) for identifier, _ in matches)
        raise NameResolutionError(
            f"{len(matches)} {label}s {where} are named {value!r} (ids {ids}); give the id instead",
            kind=kind,
            name=value,
            found=[(name, str(identifier)) for identifier, name in candidates],
        )
    return matches


def _not_found(kind: str, value: str, candidates: Sequence[Named], where: str) -> NameResolutionError:
    label = kind.replace("_", " ")
    what = f"with id {value}" if _as_id(value) is not None else f"named {value!r}"
    return NameResolutionError(
        f"no {label} {what} {where}{_shown(name for _, name in candidates)}",
        kind=kind,
        name=value,
        found=[(name, str(identifier)) for identifier, name in candidates],
    )


def choose_projects(selection: LogStreamSelection, visible: Sequence[Named]) -> list[Named]:
    """The selected projects among those ``GET /projects`` listed (all of them, by name, for ``all``)."""
    if selection.all:
        return sorted(visible, key=lambda project: (project[1], str(project[0])))
    chosen: dict[uuid.UUID, Named] = {}
    for value in selection.projects:
        matches = _one("project", value, visible, "visible to these credentials")
        if not matches:
            raise _not_found("project", value, visible, "visible to these credentials")
        chosen.setdefault(matches[0][0], matches[0])
    return list(chosen.values())


def choose_log_streams(
    selection: LogStreamSelection, projects: Sequence[Named], streams: dict[uuid.UUID, list[Named]]
) -> list[LogStreamTarget]:
    """The targets: every log stream of ``projects``, or those ``selection.log_streams`` names in them."""
    targets: dict[uuid.UUID, LogStreamTarget] = {}

    def add(project: Named, stream: Named) -> None:
        targets.setdefault(stream[0], LogStreamTarget(project[0], project[1], stream[0], stream[1]))

    if not selection.log_streams:
        for project in projects:
            ordered = streams[project[0]]
            if selection.all:
                ordered = sorted(ordered, key=lambda stream: (stream[1], str(stream[0])))
            for stream in ordered:
                add(project, stream)
        return list(targets.values())
    where = (
        f"in project {projects[0][1]!r}" if len(projects) == 1 else f"in projects {', '.join(p[1] for p in projects)}"
    )
    for value in selection.log_streams:
        found = False
        for project in projects:
            for stream in _one("log_stream", value, streams[project[0]], f"in project {project[1]!r}"):
                add(project, stream)
                found = True
        if not found:
            every = [stream for project in projects for stream in streams[project[0]]]
            raise _not_found("log_stream", value, every, where)
    return list(targets.values())


def _project_name(project: object) -> str:
    name = getattr(project, "name", None)
    return name if isinstance(name, str) else ""


def _may_hold_log_streams(project: object) -> bool:
    """Log streams live in ``gen_ai`` projects (the spec's other ``ProjectType``s are evaluation, monitoring and
    protect projects); ``all=True`` skips the others, and keeps a project whose type the server left out."""
    kind = getattr(project, "type_", None)
    return not isinstance(kind, str) or kind == "gen_ai"


def _visible(projects: list[ProjectDB], selection: LogStreamSelection) -> list[Named]:
    return [
        (project.id, _project_name(project))
        for project in projects
        if not selection.all or _may_hold_log_streams(project)
    ]


class SelectionResolver:
    """Targets for a selection, through the sync lookups: one project listing, one log-stream listing per project."""

    def __init__(self, projects: ProjectsResource, log_streams: LogStreamsResource, defaults: TargetDefaults) -> None:
        self._projects = projects
        self._log_streams = log_streams
        self._defaults = defaults

    def targets(self, selection: LogStreamSelection) -> list[LogStreamTarget]:
        selection = selection.with_defaults(self._defaults)
        visible = _visible(self._projects.list(), selection)
        chosen = choose_projects(selection, visible)
        streams = {
            project_id: [(stream.id, stream.name) for stream in self._log_streams.list(project_id)]
            for project_id, _ in chosen
        }
        return choose_log_streams(selection, chosen, streams)


class AsyncSelectionResolver:
    """The async twin of ``SelectionResolver``; the log-stream listings run concurrently."""

    def __init__(
        self, projects: AsyncProjectsResource, log_streams: AsyncLogStreamsResource, defaults: TargetDefaults
    ) -> None:
        self._projects = projects
        self._log_streams = log_streams
        self._defaults = defaults

    async def targets(self, selection: LogStreamSelection) -> list[LogStreamTarget]:
        import asyncio  # noqa: PLC0415 - asyncio loads with the first async call, not at import

        selection = selection.with_defaults(self._defaults)
        visible = _visible(await self._projects.list(), selection)
        chosen = choose_projects(selection, visible)
        listings = await asyncio.gather(*(self._log_streams.list(project_id) for project_id, _ in chosen))
        streams = {
            project_id: [(stream.id, stream.name) for stream in listing]
            for (project_id, _), listing in zip(chosen, listings, strict=True)
        }
        return choose_log_streams(selection, chosen, streams)
