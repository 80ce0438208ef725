"""Which log stream a call reads: ids, or names looked up once per client, or ``GALILEO_*`` defaults.

Galileo users know their project and log stream by name. A name is resolved through the two lookup
resources on first use and cached for the client's lifetime (its ``with_options`` copies share the cache),
once even when many threads or tasks ask for it together (single flight, see ``NameCache``);
a name that matches nothing, or more than one, is a ``NameResolutionError`` naming what was found.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING

from .._errors import NameResolutionError
from ._target_defaults import NameCache, Target
from .log_streams import AsyncLogStreamsResource, LogStreamsResource
from .projects import AsyncProjectsResource, ProjectsResource

if TYPE_CHECKING:
    import asyncio

    from galileo_insights_api.models.project_db import ProjectDB

_SHOWN = 10


def _name(project: ProjectDB) -> str:
    return project.name if isinstance(project.name, str) else ""


def _only_match(kind: str, name: str, found: list[tuple[str, str]], where: str) -> uuid.UUID:
    """The id of the one candidate named exactly ``name``; anything else is an error that lists the candidates."""
    matches = [identifier for candidate, identifier in found if candidate == name]
    if len(matches) == 1:
        return uuid.UUID(matches[0])
    label = kind.replace("_", " ")
    if matches:
        raise NameResolutionError(
            f"{len(matches)} {label}s {where} are named {name!r} (ids {', '.join(matches)}); pass its id instead",
            kind=kind,
            name=name,
            found=found,
        )
    names = sorted({candidate for candidate, _ in found})
    shown = ", ".join(repr(candidate) for candidate in names[:_SHOWN]) + (" ..." if len(names) > _SHOWN else "")
    raise NameResolutionError(
        f"no {label} named {name!r} {where}" + (f"; found: {shown}" if names else " (none found)"),
        kind=kind,
        name=name,
        found=found,
    )


class TargetResolver:
    """Ids for a ``Target``, looking names up through the sync lookup resources."""

    def __init__(self, projects: ProjectsResource, log_streams: LogStreamsResource, cache: NameCache) -> None:
        self._projects = projects
        self._log_streams = log_streams
        self._cache = cache

    def ids(self, target: Target) -> tuple[uuid.UUID, uuid.UUID]:
        project_id = target.project_id
        if project_id is None:
            assert target.project is not None  # TargetDefaults.target gives an id or a name
            name = target.project
            project_id = self._once(("project", name), lambda: self._project(name))
        log_stream_id = target.log_stream_id
        if log_stream_id is None:
            assert target.log_stream is not None  # as above
            stream, in_project = target.log_stream, project_id
            log_stream_id = self._once(
                ("log_stream", str(in_project), stream), lambda: self._log_stream(in_project, stream)
            )
        return project_id, log_stream_id

    def _once(self, key: tuple[str, ...], look_up: Callable[[], uuid.UUID]) -> uuid.UUID:
        found = self._cache.get(key)
        if found is not None:
            return found
        with self._cache.flight(key):
            return self._cache.get(key) or self._cache.put(key, look_up())

    def _project(self, name: str) -> uuid.UUID:
        found = [(_name(project), str(project.id)) for project in self._projects.list(name=name)]
        return _only_match("project", name, found, "visible to these credentials")

    def _log_stream(self, project_id: uuid.UUID, name: str) -> uuid.UUID:
        found = [(stream.name, str(stream.id)) for stream in self._log_streams.list(project_id)]
        return _only_match("log_stream", name, found, f"in project {project_id}")


class AsyncTargetResolver:
    """The async twin of ``TargetResolver``."""

    def __init__(self, projects: AsyncProjectsResource, log_streams: AsyncLogStreamsResource, cache: NameCache) -> None:
        self._projects = projects
        self._log_streams = log_streams
        self._cache = cache

    async def ids(self, target: Target) -> tuple[uuid.UUID, uuid.UUID]:
        project_id = target.project_id
        if project_id is None:
            assert target.project is not None  # TargetDefaults.target gives an id or a name
            name = target.project
            project_id = await self._once(("project", name), lambda: self._project(name))
        log_stream_id = target.log_stream_id
        if log_stream_id is None:
            assert target.log_stream is not None  # as above
            stream, in_project = target.log_stream, project_id
            log_stream_id = await self._once(
                ("log_stream", str(in_project), stream), lambda: self._log_stream(in_project, stream)
            )
        return project_id, log_stream_id

    async def _once(self, key: tuple[str, ...], look_up: Callable[[], Awaitable[uuid.UUID]]) -> uuid.UUID:
        found = self._cache.get(key)
        if found is not None:
            return found
        async with self._cache.async_flight(key):
            return self._cache.get(key) or self._cache.put(key, await look_up())

    async def _project(self, name: str) -> uuid.UUID:
        found = [(_name(project), str(project.id)) for project in await self._projects.list(name=name)]
        return _only_match("project", name, found, "visible to these credentials")

    async def _log_stream(self, project_id: uuid.UUID, name: str) -> uuid.UUID:
        found = [(stream.name, str(stream.id)) for stream in await self._log_streams.list(project_id)]
        return _only_match("log_stream", name, found, f"in project {project_id}")


class ResolvedOnce:
    """One call's target, resolved by the first segment that needs it while the others wait (parallel export)."""

    def __init__(self, resolver: TargetResolver, target: Target) -> None:
        self._resolver = resolver
        self._target = target
        self._ids: tuple[uuid.UUID, uuid.UUID] | None = None
        self._lock = threading.Lock()

    def ids(self) -> tuple[uuid.UUID, uuid.UUID]:
        with self._lock:
            if self._ids is None:
                self._ids = self._resolver.ids(self._target)
            return self._ids


class AsyncResolvedOnce:
    """The async twin of ``ResolvedOnce``."""

    def __init__(self, resolver: AsyncTargetResolver, target: Target) -> None:
        self._resolver = resolver
        self._target = target
        self._ids: tuple[uuid.UUID, uuid.UUID] | None = None
        self._lock: asyncio.Lock | None = None

    async def ids(self) -> tuple[uuid.UUID, uuid.UUID]:
        if self._ids is not None:
            return self._ids
        import asyncio  # noqa: PLC0415 - asyncio loads with the first async call, not at import

        self._lock = self._lock or asyncio.Lock()
        async with self._lock:
            if self._ids is None:
                self._ids = await self._resolver.ids(self._target)
            return self._ids
