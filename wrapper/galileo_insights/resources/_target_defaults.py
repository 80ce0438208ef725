"""What a call names and what a client keeps for naming: ``GALILEO_*`` defaults and the names it has resolved.

Apart from the resolvers (``_targets``), which need the lookup endpoints: a client reads its defaults when it is
built, and this small module is all that needs (the lookups load with the first call).
"""

from __future__ import annotations

import dataclasses
import os
import threading
import uuid
from collections.abc import Mapping
from typing import TYPE_CHECKING

from .._errors import InvalidRequestError
from ._ids import as_uuid

if TYPE_CHECKING:
    import anyio


@dataclasses.dataclass(frozen=True, slots=True)
class Target:
    """One log stream, by id or by name, as a call named it."""

    project_id: uuid.UUID | None
    project: str | None
    log_stream_id: uuid.UUID | None
    log_stream: str | None


@dataclasses.dataclass(frozen=True, slots=True)
class TargetDefaults:
    """``GALILEO_PROJECT_ID`` / ``GALILEO_PROJECT`` and ``GALILEO_LOG_STREAM_ID`` / ``GALILEO_LOG_STREAM``."""

    project_id: str | None = None
    project: str | None = None
    log_stream_id: str | None = None
    log_stream: str | None = None

    @classmethod
    def from_environ(cls, environ: Mapping[str, str] | None = None) -> TargetDefaults:
        env = os.environ if environ is None else environ

        def get(name: str) -> str | None:
            return (env.get(name) or "").strip() or None

        return cls(
            get("GALILEO_PROJECT_ID"), get("GALILEO_PROJECT"), get("GALILEO_LOG_STREAM_ID"), get("GALILEO_LOG_STREAM")
        )

    def target(
        self,
        project_id: uuid.UUID | str | None,
        log_stream_id: uuid.UUID | str | None,
        project: str | None,
        log_stream: str | None,
    ) -> Target:
        """The call's choice, else the environment's; ids beat names, and a call may not give both."""
        resolved_project_id, resolved_project = _pick("project", project_id, project, self.project_id, self.project)
        resolved_stream_id, resolved_stream = _pick(
            "log_stream", log_stream_id, log_stream, self.log_stream_id, self.log_stream
        )
        return Target(resolved_project_id, resolved_project, resolved_stream_id, resolved_stream)


def _pick(
    kind: str, given_id: uuid.UUID | str | None, given_name: str | None, env_id: str | None, env_name: str | None
) -> tuple[uuid.UUID | None, str | None]:
    variable = kind.upper()
    if given_id is not None and given_name is not None:
        raise InvalidRequestError(f"pass {kind}_id= or {kind}= (a name), not both", argument=kind)
    if given_id is not None:
        return as_uuid(given_id, f"{kind}_id"), None
    if given_name is not None:
        if not isinstance(given_name, str) or not given_name.strip():
            raise InvalidRequestError(f"must be a non-empty name, got {given_name!r}", argument=kind)
        return None, given_name
    if env_id is not None:
        return as_uuid(env_id, f"GALILEO_{variable}_ID"), None
    if env_name is not None:
        return None, env_name
    raise InvalidRequestError(
        f"no {kind.replace('_', ' ')} given: pass its id or its name, "
        f"or set GALILEO_{variable}_ID or GALILEO_{variable}",
        argument=kind,
    )


class NameCache:
    """Resolved names for one client and its ``with_options`` copies; safe to share between threads.

    Lookups are single flight, like login renewal: the first caller to miss a name holds that name's lock while it
    looks the name up, and callers that miss it meanwhile wait for that answer instead of sending their own.
    """

    def __init__(self) -> None:
        self._ids: dict[tuple[str, ...], uuid.UUID] = {}
        self._lock = threading.Lock()
        self._flights: dict[tuple[str, ...], threading.Lock] = {}
        self._async_flights: dict[tuple[str, ...], anyio.Lock] = {}

    def flight(self, key: tuple[str, ...]) -> threading.Lock:
        """The lock a thread holds while it looks ``key`` up."""
        with self._lock:
            return self._flights.setdefault(key, threading.Lock())

    def async_flight(self, key: tuple[str, ...]) -> anyio.Lock:
        """The lock a task holds while it looks ``key`` up (anyio: asyncio and trio alike)."""
        import anyio  # noqa: PLC0415 - loaded by the first async lookup, not at import

        with self._lock:
            return self._async_flights.setdefault(key, anyio.Lock())

    def get(self, key: tuple[str, ...]) -> uuid.UUID | None:
        with self._lock:
            return self._ids.get(key)

    def put(self, key: tuple[str, ...], value: uuid.UUID) -> uuid.UUID:
        with self._lock:
            self._ids[key] = value
        return value
