"""Projects and log streams by name: what the two lookups serve, shaped as Galileo's spec says (no I/O).

``GET /projects?project_name=NAME`` answers a JSON array of ``ProjectDB`` objects with that exact name (every
project without the parameter; all are ``gen_ai`` projects, as Galileo's log streams are, for ``type=``);
``GET /v2/projects/{project_id}/log_streams[/paginated]`` its ``LogStreamResponse`` objects (an array, or pages).

Seeded names (every ``FakeGalileo`` has them):

- ``fake-project`` (``DEFAULT_PROJECT_ID``) holding ``fake-log-stream`` (``DEFAULT_LOG_STREAM_ID``, the seeded
  records) and ``empty-log-stream`` (no records);
- two projects both named ``twin-project`` (``TWIN_PROJECT_IDS``), for the "ambiguous name" error; each holds a
  ``fake-log-stream`` of its own (no records).
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

import attrs

from galileo_insights.testing._records import DEFAULT_LOG_STREAM_ID, DEFAULT_PROJECT_ID, format_instant

DEFAULT_PROJECT_NAME = "fake-project"
DEFAULT_LOG_STREAM_NAME = "fake-log-stream"
EMPTY_LOG_STREAM_NAME = "empty-log-stream"
TWIN_PROJECT_NAME = "twin-project"
TWIN_PROJECT_IDS = (
    uuid.UUID("7a1c1a2e-7d3b-4c5e-9a8f-0b1c2d3e4f51"),
    uuid.UUID("7b1c1a2e-7d3b-4c5e-9a8f-0b1c2d3e4f52"),
)
PROJECT_TYPE = "gen_ai"
FAKE_USER_ID = uuid.UUID("5e5e5e5e-1111-4222-8333-444455556666")
FAKE_USER_EMAIL = "owner@fake.galileo.test"
_CREATED = datetime(2024, 12, 1, tzinfo=UTC)


@attrs.frozen
class Project:
    id: uuid.UUID
    name: str
    type: str = PROJECT_TYPE

    def to_json(self) -> dict[str, Any]:
        """A ``ProjectDB``: the required fields, the name and the type."""
        stamp = format_instant(_CREATED)
        return {
            "id": str(self.id),
            "name": self.name,
            "type": self.type,
            "created_by": str(FAKE_USER_ID),
            "created_by_user": {"id": str(FAKE_USER_ID), "email": FAKE_USER_EMAIL},
            "runs": [],
            "created_at": stamp,
            "updated_at": stamp,
        }


@attrs.frozen
class LogStream:
    id: uuid.UUID
    name: str
    project_id: uuid.UUID

    def to_json(self) -> dict[str, Any]:
        """A ``LogStreamResponse``: the required fields."""
        stamp = format_instant(_CREATED)
        return {
            "id": str(self.id),
            "name": self.name,
            "project_id": str(self.project_id),
            "created_at": stamp,
            "updated_at": stamp,
        }


class Directory:
    """The fake's projects and log streams, seeded as the module docstring says (``seeded=False``: none).
    Thread-safe."""

    def __init__(
        self,
        project_id: uuid.UUID = DEFAULT_PROJECT_ID,
        log_stream_id: uuid.UUID = DEFAULT_LOG_STREAM_ID,
        *,
        seeded: bool = True,
    ):
        self._projects: dict[uuid.UUID, Project] = {}
        self._streams: dict[uuid.UUID, list[LogStream]] = {}
        self._lock = threading.Lock()
        if not seeded:
            return
        self.add_project(DEFAULT_PROJECT_NAME, project_id)
        self.add_log_stream(project_id, DEFAULT_LOG_STREAM_NAME, log_stream_id)
        self.add_log_stream(project_id, EMPTY_LOG_STREAM_NAME, seeded_id(project_id, EMPTY_LOG_STREAM_NAME))
        for twin in TWIN_PROJECT_IDS:
            self.add_project(TWIN_PROJECT_NAME, twin)
            self.add_log_stream(twin, DEFAULT_LOG_STREAM_NAME, seeded_id(twin, DEFAULT_LOG_STREAM_NAME))

    def __repr__(self) -> str:
        return f"Directory(projects={len(self._projects)})"

    def add_project(self, name: str, project_id: uuid.UUID | None = None, project_type: str = PROJECT_TYPE) -> Project:
        project = Project(project_id or uuid.uuid4(), name, project_type)
        with self._lock:
            self._projects[project.id] = project
            self._streams.setdefault(project.id, [])
        return project

    def add_log_stream(self, project_id: uuid.UUID, name: str, log_stream_id: uuid.UUID | None = None) -> LogStream:
        stream = LogStream(log_stream_id or uuid.uuid4(), name, project_id)
        with self._lock:
            if project_id not in self._projects:
                raise KeyError(f"no project {project_id}: add it first")
            self._streams[project_id].append(stream)
        return stream

    def projects(self, name: str | None = None, project_type: str | None = None) -> list[Project]:
        """Projects named exactly ``name`` and of ``project_type`` (None: any), in the order they were added."""
        with self._lock:
            return [
                project
                for project in self._projects.values()
                if (name is None or project.name == name) and (project_type is None or project.type == project_type)
            ]

    def log_streams(self, project_id: uuid.UUID) -> list[LogStream] | None:
        """The project's log streams, or None for an unknown project."""
        with self._lock:
            streams = self._streams.get(project_id)
            return None if streams is None else list(streams)


def seeded_id(namespace: uuid.UUID, name: str) -> uuid.UUID:
    """The same id on every run, and a version 4 UUID as Galileo's ids are (its spec says ``uuid4``)."""
    return uuid.UUID(int=uuid.uuid5(namespace, name).int, version=4)


def as_json(items: Iterable[Project | LogStream]) -> list[dict[str, Any]]:
    return [item.to_json() for item in items]
