"""What the token-usage operation means, without I/O: request body -> query or FastAPI-shaped 422, query -> page.

Validation follows the pinned spec and pydantic's error shapes (``{"detail": [{"type", "loc", "msg", "input"}]}``),
all errors at once, with three deliberate strictnesses: JSON types are not coerced (``"5"`` is not an integer, ``1``
is not a boolean), ``starting_token`` must be >= 0 and ``limit`` >= 1. A filter value without a UTC offset is taken to
be UTC. An empty body means every default (the spec marks the body optional). A well-formed request for a stream the
store does not know gets an empty page, as the real API answers for a stream without data.
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Mapping
from typing import Any, cast, get_args

import attrs

from galileo_insights.testing._store import Operator, RecordStore, TimeField, TimeFilter

Json = Any
ErrorDetail = dict[str, Json]

_OPERATORS: tuple[str, ...] = get_args(Operator)
_FIELDS: tuple[str, ...] = get_args(TimeField)
_RFC3339 = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(?:([Zz])|([+-])(\d{2}):(\d{2}))?",
    re.ASCII,
)


@attrs.frozen
class TokenUsageQuery:
    """A validated request. ``ascending`` is None when the body asked for ``"sort": null`` (served oldest first)."""

    project_id: uuid.UUID
    log_stream_id: uuid.UUID
    starting_token: int = 0
    limit: int = 100
    filters: tuple[TimeFilter, ...] = ()
    ascending: bool | None = False


@attrs.frozen
class ValidationFailure:
    """The 422 answer: pydantic-style error entries."""

    errors: tuple[ErrorDetail, ...]

    def to_json(self) -> dict[str, Json]:
        return {"detail": list(self.errors)}


def _error(kind: str, loc: list[str | int], msg: str, value: Json) -> ErrorDetail:
    return {"type": kind, "loc": loc, "msg": msg, "input": value}


def parse_instant(text: str) -> int | None:
    """An RFC 3339 date-time as µs since the epoch (no offset = UTC); None when it is not one."""
    match = _RFC3339.fullmatch(text)
    if match is None:
        return None
    year, month, day, hour, minute, second = (int(part) for part in match.group(1, 2, 3, 4, 5, 6))
    leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
    month_days = (31, 29 if leap else 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)
    if not (1 <= month <= 12 and 1 <= day <= month_days[month - 1] and hour < 24 and minute < 60 and second < 60):
        return None
    offset_minutes = 0
    if match.group(9):
        offset_hours, offset_mins = int(match.group(10)), int(match.group(11))
        if offset_hours > 23 or offset_mins > 59:
            return None
        offset_minutes = (offset_hours * 60 + offset_mins) * (-1 if match.group(9) == "-" else 1)
    fraction = int((match.group(7) or "0")[:6].ljust(6, "0"))
    seconds = ((_days_from_civil(year, month, day) * 24 + hour) * 60 + minute - offset_minutes) * 60 + second
    return seconds * 1_000_000 + fraction


def _days_from_civil(year: int, month: int, day: int) -> int:
    """Days since 1970-01-01 in the proleptic Gregorian calendar, for any year (Howard Hinnant's algorithm)."""
    year -= month <= 2
    era = year // 400
    year_of_era = year - era * 400
    day_of_year = (153 * (month + (-3 if month > 2 else 9)) + 2) // 5 + day - 1
    day_of_era = year_of_era * 365 + year_of_era // 4 - year_of_era // 100 + day_of_year
    return era * 146097 + day_of_era - 719468


def parse_uuid4(value: str, loc: list[str | int], errors: list[ErrorDetail]) -> uuid.UUID:
    try:
        parsed = uuid.UUID(value)
    except ValueError:
        errors.append(
            _error("uuid_parsing", loc, "Input should be a valid UUID, unable to parse string as a UUID", value)
        )
        return uuid.UUID(int=0)
    if parsed.version != 4:
        errors.append(_error("uuid_version", loc, "UUID version 4 expected", value))
    return parsed


PROJECT_TYPES = ("prompt_evaluation", "llm_monitor", "protect", "gen_ai")  # the spec's ProjectType
_TRUE = frozenset({"1", "on", "t", "true", "y", "yes"})  # what pydantic (so FastAPI) reads as a boolean
_FALSE = frozenset({"0", "off", "f", "false", "n", "no"})


def parse_choice(value: str, allowed: tuple[str, ...], loc: list[str | int], errors: list[ErrorDetail]) -> str:
    """``value`` if it is one of ``allowed`` (an enum), else a FastAPI ``enum`` error."""
    if value not in allowed:
        expected = ", ".join(repr(choice) for choice in allowed[:-1]) + f" or {allowed[-1]!r}"
        errors.append({**_error("enum", loc, f"Input should be {expected}", value), "ctx": {"expected": expected}})
    return value


def parse_bool(value: str, loc: list[str | int], errors: list[ErrorDetail]) -> bool:
    """A query-string boolean as FastAPI reads it (``true``, ``0``, ``yes``, ...), else a ``bool_parsing`` error."""
    if value.lower() in _TRUE | _FALSE:
        return value.lower() in _TRUE
    errors.append(_error("bool_parsing", loc, "Input should be a valid boolean, unable to interpret input", value))
    return False


def parse_query_int(value: str, loc: list[str | int], errors: list[ErrorDetail]) -> int:
    """A query-string integer as FastAPI reads it, else an ``int_parsing`` error."""
    try:
        return int(value.strip())
    except ValueError:
        message = "Input should be a valid integer, unable to parse string as an integer"
        errors.append(_error("int_parsing", loc, message, value))
        return 0


def _is_integer(value: Json) -> bool:
    return (isinstance(value, int) and not isinstance(value, bool)) or (isinstance(value, float) and value.is_integer())


def _parse_count(body: Mapping[str, Json], name: str, default: int, minimum: int, errors: list[ErrorDetail]) -> int:
    value = body.get(name, default)
    loc: list[str | int] = ["body", name]
    if isinstance(value, float) and not value.is_integer():
        errors.append(
            _error("int_from_float", loc, "Input should be a valid integer, got a number with a fractional part", value)
        )
        return default
    if not _is_integer(value):
        errors.append(_error("int_type", loc, "Input should be a valid integer", value))
        return default
    number = int(value)
    if number < minimum:
        errors.append(_error("greater_than_equal", loc, f"Input should be greater than or equal to {minimum}", value))
    return number


def _parse_filter(item: Json, index: int, errors: list[ErrorDetail]) -> TimeFilter | None:
    loc: list[str | int] = ["body", "filters", index]
    if not isinstance(item, dict):
        errors.append(
            _error(
                "model_attributes_type",
                loc,
                "Input should be a valid dictionary or object to extract fields from",
                item,
            )
        )
        return None
    name = item.get("name")
    if "name" not in item:
        errors.append(_error("union_tag_not_found", loc, "Unable to extract tag using discriminator 'name'", item))
        return None
    if name not in _FIELDS:
        expected = ", ".join(repr(field) for field in _FIELDS)
        msg = f"Input tag {name!r} found using 'name' does not match any of the expected tags: {expected}"
        errors.append(_error("union_tag_invalid", loc, msg, item))
        return None
    loc = [*loc, name]
    ok = True
    operator = item.get("operator")
    if "operator" not in item:
        errors.append(_error("missing", [*loc, "operator"], "Field required", item))
        ok = False
    elif operator not in _OPERATORS:
        choices = ", ".join(repr(op) for op in _OPERATORS[:-1]) + f" or {_OPERATORS[-1]!r}"
        errors.append(_error("enum", [*loc, "operator"], f"Input should be {choices}", operator))
        ok = False
    value = item.get("value")
    instant: int | None = None
    if "value" not in item:
        errors.append(_error("missing", [*loc, "value"], "Field required", item))
    elif not isinstance(value, str):
        errors.append(_error("datetime_type", [*loc, "value"], "Input should be a valid datetime", value))
    else:
        instant = parse_instant(value)
        if instant is None:
            msg = "Input should be a valid datetime, expected an RFC 3339 date-time"
            errors.append(_error("datetime_parsing", [*loc, "value"], msg, value))
    if not ok or instant is None:
        return None
    return TimeFilter(cast(TimeField, name), cast(Operator, operator), instant)


def _parse_sort(value: Json, errors: list[ErrorDetail]) -> bool | None:
    loc: list[str | int] = ["body", "sort"]
    if value is None:
        return None
    if not isinstance(value, dict):
        errors.append(
            _error(
                "model_attributes_type",
                loc,
                "Input should be a valid dictionary or object to extract fields from",
                value,
            )
        )
        return None
    for field, constant in (("name", "created_at"), ("sort_type", "column")):
        if field in value and value[field] != constant:
            errors.append(_error("literal_error", [*loc, field], f"Input should be {constant!r}", value[field]))
    ascending = value.get("ascending", True)
    if not isinstance(ascending, bool):
        errors.append(_error("bool_type", [*loc, "ascending"], "Input should be a valid boolean", ascending))
        return None
    return ascending


def parse_token_usage_request(
    project_id: str, log_stream_id: str, body: bytes, content_type: str | None = "application/json"
) -> TokenUsageQuery | ValidationFailure:
    """Validate path ids and body the way the real (FastAPI) service does, collecting every error."""
    errors: list[ErrorDetail] = []
    project = parse_uuid4(project_id, ["path", "project_id"], errors)
    stream = parse_uuid4(log_stream_id, ["path", "log_stream_id"], errors)
    payload: Json = {}
    if body.strip():
        media_type = (content_type or "application/json").split(";")[0].strip().lower()
        if not (media_type.startswith("application/") and media_type.endswith("json")):
            msg = "Input should be a valid dictionary or object to extract fields from"
            errors.append(_error("model_attributes_type", ["body"], msg, body.decode("utf-8", "replace")))
            return ValidationFailure(tuple(errors))
        try:
            payload = json.loads(body)
        except (ValueError, UnicodeDecodeError) as exc:
            position = exc.pos if isinstance(exc, json.JSONDecodeError) else 0
            errors.append({"type": "json_invalid", "loc": ["body", position], "msg": "JSON decode error", "input": {}})
            return ValidationFailure(tuple(errors))
    if not isinstance(payload, dict):
        msg = "Input should be a valid dictionary or object to extract fields from"
        errors.append(_error("model_attributes_type", ["body"], msg, payload))
        return ValidationFailure(tuple(errors))
    starting_token = _parse_count(payload, "starting_token", 0, 0, errors)
    limit = _parse_count(payload, "limit", 100, 1, errors)
    filters: list[TimeFilter] = []
    raw_filters = payload.get("filters", [])
    if not isinstance(raw_filters, list):
        errors.append(_error("list_type", ["body", "filters"], "Input should be a valid list", raw_filters))
    else:
        for index, item in enumerate(raw_filters):
            parsed = _parse_filter(item, index, errors)
            if parsed is not None:
                filters.append(parsed)
    ascending = _parse_sort(payload.get("sort", {"ascending": False}), errors)
    if errors:
        return ValidationFailure(tuple(errors))
    return TokenUsageQuery(project, stream, starting_token, limit, tuple(filters), ascending)


def token_usage_page(store: RecordStore, query: TokenUsageQuery) -> dict[str, Json]:
    """One ``LogstreamInsightTokenUsageResponse``: ``starting_token`` is an offset into the filtered, sorted records;
    ``next_starting_token`` is null on the last page; descending order is exactly the ascending one reversed.
    ``paginated`` is true on every page, the last and an empty one included, as the recorded API answers."""
    selection = store.select(query.project_id, query.log_stream_id, query.filters)
    total = len(selection)
    start = min(query.starting_token, total)
    stop = min(start + query.limit, total)
    if query.ascending is False:
        page = [selection[total - 1 - offset] for offset in range(start, stop)]
    else:
        page = [selection[offset] for offset in range(start, stop)]
    more = stop < total
    return {
        "starting_token": query.starting_token,
        "limit": query.limit,
        "paginated": True,
        "next_starting_token": stop if more else None,
        "token_usages": [record.to_json() for record in page],
    }
