"""A fake organisation: several projects with several log streams each, stable names and ids, records in a window.

``Organisation(projects=3, log_streams=2)`` names its projects ``project-01`` ... and each project's log streams
``log-stream-01`` ...; ids derive from the names (the same on every run). Each log stream gets ``records``
generated records spread over the ``days`` before ``end`` (default: now), so a command asking for the last days
finds data; pin ``end`` for reproducible tests. Seeds differ per log stream, so no two hold the same counts.
"""

from __future__ import annotations

import datetime
import uuid

import attrs

from galileo_insights.testing._directory import Directory, LogStream, Project, seeded_id
from galileo_insights.testing._insights import InsightsSettings
from galileo_insights.testing._records import GeneratedRecords, format_instant
from galileo_insights.testing._store import RecordStore

_NAMESPACE = uuid.UUID("0c7e1d2a-4b5f-4c6d-8e9f-a0b1c2d3e4f5")


def _positive(_: object, attribute: attrs.Attribute[int], value: int) -> None:
    if value < 1:
        raise ValueError(f"{attribute.name} must be >= 1, got {value}")


def _non_negative(_: object, attribute: attrs.Attribute[int], value: int) -> None:
    if value < 0:
        raise ValueError(f"{attribute.name} must be >= 0, got {value}")


def _aware(value: datetime.datetime | None) -> datetime.datetime | None:
    if value is not None and value.tzinfo is None:
        raise ValueError(f"end must be an aware datetime, got {value!r}")
    return value


@attrs.frozen
class Organisation:
    """What to seed: ``projects`` x ``log_streams`` log streams with ``records`` records each (see the module)."""

    projects: int = attrs.field(default=3, validator=_positive)
    log_streams: int = attrs.field(default=2, validator=_positive)
    records: int = attrs.field(default=200, validator=_non_negative)
    days: int = attrs.field(default=30, validator=_positive)
    end: datetime.datetime | None = attrs.field(default=None, converter=_aware)
    seed: int = 0

    @staticmethod
    def project_name(number: int) -> str:
        """The name of project ``number`` (``project-01``, ...): stable, for tests to name."""
        return f"project-{number:02d}"

    @staticmethod
    def log_stream_name(number: int) -> str:
        """The name of log stream ``number`` of each project (``log-stream-01``, ...)."""
        return f"log-stream-{number:02d}"

    def window(self, now: datetime.datetime | None = None) -> tuple[datetime.datetime, datetime.datetime]:
        """``[end - days, end)``, where the records are; ``end`` defaults to ``now`` to the second."""
        end = self.end or (now or datetime.datetime.now(datetime.UTC)).replace(microsecond=0)
        return end - datetime.timedelta(days=self.days), end

    def seed_into(self, directory: Directory, store: RecordStore, settings: InsightsSettings) -> list[LogStream]:
        """Add the projects, log streams and records, insights enabled since the window's start (they are what
        generated the records); the log streams in order (project by project)."""
        start, end = self.window()
        streams = []
        for project_number in range(1, self.projects + 1):
            name = self.project_name(project_number)
            project: Project = directory.add_project(name, seeded_id(_NAMESPACE, name))
            for stream_number in range(1, self.log_streams + 1):
                stream_name = self.log_stream_name(stream_number)
                stream = directory.add_log_stream(project.id, stream_name, seeded_id(project.id, stream_name))
                streams.append(stream)
                settings.set(project.id, stream.id, enabled=True, start_time=format_instant(start))
                if self.records:
                    store.add_generated(
                        GeneratedRecords(
                            self.records,
                            seed=self.seed * 1_000_003 + len(streams),
                            start=start,
                            span=end - start,
                            project_id=project.id,
                            log_stream_id=stream.id,
                        )
                    )
        return streams
