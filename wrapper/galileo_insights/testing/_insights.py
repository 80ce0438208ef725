"""The insights settings of a log stream (a run), as ``GET``/``PATCH .../runs/{run_id}/insights-settings`` serve them.

Validation follows the pinned spec as the token-usage body does (``_semantics``): path ids must be UUID version 4,
the body is optional (the spec's default turns insights off), ``insights.logstream.enabled`` must be a JSON boolean
and ``start_time`` an RFC 3339 date-time or null, all errors reported at once in pydantic's shape. A field the body
leaves out keeps its value. Settings start disabled with no start time.
"""

from __future__ import annotations

import json
import threading
import uuid
from typing import Any

from galileo_insights.testing._directory import Directory
from galileo_insights.testing._records import format_instant, from_micros
from galileo_insights.testing._semantics import ErrorDetail, ValidationFailure, parse_instant, parse_uuid4

_DEFAULT_BODY = {"insights": {"logstream": {"enabled": False}}}
_OBJECT = "Input should be a valid dictionary or object to extract fields from"


def _error(kind: str, loc: list[str | int], msg: str, value: Any) -> ErrorDetail:
    return {"type": kind, "loc": loc, "msg": msg, "input": value}


def parse_settings_update(body: bytes) -> dict[str, Any] | ValidationFailure:
    """The ``logstream`` fields a ``RunInsightsRequest`` body sets (``start_time`` as an RFC 3339 string or None)."""
    errors: list[ErrorDetail] = []
    try:
        payload: Any = json.loads(body) if body.strip() else _DEFAULT_BODY
    except (ValueError, UnicodeDecodeError) as exc:
        position = exc.pos if isinstance(exc, json.JSONDecodeError) else 0
        return ValidationFailure(({"type": "json_invalid", "loc": ["body", position], "msg": "JSON decode error"},))
    if not isinstance(payload, dict):
        return ValidationFailure((_error("model_attributes_type", ["body"], _OBJECT, payload),))
    insights = payload.get("insights", {})
    if not isinstance(insights, dict):
        return ValidationFailure((_error("model_attributes_type", ["body", "insights"], _OBJECT, insights),))
    logstream = insights.get("logstream", {})
    where: list[str | int] = ["body", "insights", "logstream"]
    if not isinstance(logstream, dict):
        return ValidationFailure((_error("model_attributes_type", where, _OBJECT, logstream),))
    fields: dict[str, Any] = {}
    if "enabled" in logstream:
        if isinstance(logstream["enabled"], bool):
            fields["enabled"] = logstream["enabled"]
        else:
            msg = "Input should be a valid boolean"
            errors.append(_error("bool_type", [*where, "enabled"], msg, logstream["enabled"]))
    if "start_time" in logstream:
        value = logstream["start_time"]
        micros = parse_instant(value) if isinstance(value, str) else None
        if value is None:
            fields["start_time"] = None
        elif micros is None:
            msg = "Input should be a valid datetime"
            errors.append(_error("datetime_type", [*where, "start_time"], msg, value))
        else:
            fields["start_time"] = format_instant(from_micros(micros))
    if errors:
        return ValidationFailure(tuple(errors))
    return fields


class InsightsSettings:
    """Every run's settings, keyed by (project id, run id); only runs the directory holds have any. Thread-safe."""

    def __init__(self, directory: Directory) -> None:
        self._directory = directory
        self._settings: dict[tuple[uuid.UUID, uuid.UUID], dict[str, Any]] = {}
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return f"InsightsSettings(runs={len(self._settings)})"

    def set(self, project_id: uuid.UUID, run_id: uuid.UUID, **fields: Any) -> None:
        """Seed or change a run's settings (``enabled=``, ``start_time=`` as an RFC 3339 string or None)."""
        with self._lock:
            current = self._settings.setdefault((project_id, run_id), {"enabled": False, "start_time": None})
            current.update(fields)

    def answer(self, project_id: str, run_id: str, update: bytes | None) -> tuple[int, dict[str, Any]]:
        """``(status, JSON)`` for a GET (``update`` None) or a PATCH with that body."""
        errors: list[ErrorDetail] = []
        project = parse_uuid4(project_id, ["path", "project_id"], errors)
        run = parse_uuid4(run_id, ["path", "run_id"], errors)
        fields = parse_settings_update(update) if update is not None else {}
        if isinstance(fields, ValidationFailure):
            errors.extend(fields.errors)
        if errors:
            return 422, {"detail": errors}
        streams = self._directory.log_streams(project)
        if streams is None or run not in {stream.id for stream in streams}:
            return 404, {"detail": f"Run {run} not found in project {project}"}
        assert isinstance(fields, dict)  # a ValidationFailure returned above
        self.set(project, run, **fields)
        with self._lock:
            logstream = dict(self._settings[(project, run)])
        return 200, {"insights": {"logstream": logstream}, "run_id": str(run)}
