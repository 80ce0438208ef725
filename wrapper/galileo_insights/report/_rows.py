"""Usage rows as the report reads them: one row per (project, log stream, period), from whatever holds them.

The rows come from a usage call's result (read through its ``to_dicts()``), a sequence of mappings, a pyarrow
Table, a pandas or polars DataFrame, or any object with ``.to_arrow()``. Each row has the columns in
``REPORT_COLUMNS``; ``log_stream``/``log_stream_id`` are None when rows are grouped by project, and
``project``/``project_id`` too when they are not grouped at all. ``<field>_missing`` columns (records without
that count) are optional: without them the report says how many records were counted only where it knows.
"""

from __future__ import annotations

import datetime
import math
import zoneinfo
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any

import attrs

from .._errors import InvalidRequestError
from ..resources.token_usage._record_fields import TOKEN_FIELDS

REPORT_COLUMNS = (
    "project",
    "project_id",
    "log_stream",
    "log_stream_id",
    "period_start",
    "records",
    *TOKEN_FIELDS,
    "total_tokens",
    "cost_usd",
)
MISSING_COLUMNS = tuple(f"{name}_missing" for name in TOKEN_FIELDS)
_SOURCE = "report rows"


@attrs.frozen
class ReportRow:
    """One period of one log stream (or project, or of everything), checked."""

    project: str | None
    project_id: str | None
    log_stream: str | None
    log_stream_id: str | None
    period_start: datetime.datetime
    records: int
    tokens: tuple[int | None, ...]
    total_tokens: int | None
    cost_usd: float | None
    missing: tuple[int, ...] | None


def usage_rows(source: object) -> list[ReportRow]:
    """``source``'s rows, checked: a clear ``InvalidRequestError`` naming the row and column that is wrong."""
    return [_row(index, mapping) for index, mapping in enumerate(_mappings(source))]


def _mappings(source: object) -> Iterable[Mapping[str, Any]]:
    """Rows of a table-like ``source`` as mappings; a usage result, polars, Arrow and pandas by their own methods."""
    to_dicts = getattr(source, "to_dicts", None)  # a usage result or a polars DataFrame: no pyarrow needed
    if callable(to_dicts):
        dicts: list[Mapping[str, Any]] = to_dicts()
        return dicts
    to_arrow = getattr(source, "to_arrow", None)
    if callable(to_arrow):
        source = to_arrow()
    to_pylist = getattr(source, "to_pylist", None)  # a pyarrow Table
    if callable(to_pylist):
        rows: list[Mapping[str, Any]] = to_pylist()
        return rows
    if hasattr(source, "columns") and callable(getattr(source, "to_dict", None)):  # a pandas DataFrame
        records: list[Mapping[str, Any]] = source.to_dict("records")  # type: ignore[attr-defined]  # pandas, untyped
        return records
    if isinstance(source, Sequence) and not isinstance(source, str | bytes):
        return source
    raise InvalidRequestError(
        f"{_SOURCE}: expected a sequence of mappings, a pyarrow Table, a pandas DataFrame or an object with "
        f".to_arrow(), got {type(source).__name__}"
    )


def _in_zoneinfo(moment: datetime.datetime) -> datetime.datetime:
    """``moment`` in the ``zoneinfo`` zone of the same name when it carries a pytz zone (pyarrow before 17 and
    older pandas hand those out): pytz zones shift by their fixed offset, so a period's end computed from such a
    start would be an hour off across a daylight-saving change."""
    name = getattr(moment.tzinfo, "zone", None)
    if not isinstance(name, str):
        return moment
    try:
        return moment.astimezone(zoneinfo.ZoneInfo(name))
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return moment


def _row(index: int, row: object) -> ReportRow:
    if not isinstance(row, Mapping):
        raise InvalidRequestError(f"{_SOURCE}: row {index} is a {type(row).__name__}, not a mapping of columns")
    absent = [column for column in REPORT_COLUMNS if column not in row]
    if absent:
        raise InvalidRequestError(f"{_SOURCE}: row {index} has no {', '.join(map(repr, absent))} column")
    start = row["period_start"]
    if not isinstance(start, datetime.datetime) or start.utcoffset() is None:
        raise InvalidRequestError(f"{_SOURCE}: row {index}: period_start must be an aware datetime, got {start!r}")
    start = _in_zoneinfo(start)
    records = _count(index, row, "records")
    missing = None
    if all(column in row for column in MISSING_COLUMNS):
        missing = tuple(_count(index, row, column) or 0 for column in MISSING_COLUMNS)
    return ReportRow(
        project=_name(row, "project"),
        project_id=_name(row, "project_id"),
        log_stream=_name(row, "log_stream"),
        log_stream_id=_name(row, "log_stream_id"),
        period_start=start,
        records=records or 0,
        tokens=tuple(_count(index, row, field) for field in TOKEN_FIELDS),
        total_tokens=_count(index, row, "total_tokens"),
        cost_usd=_cost(index, row),
        missing=missing,
    )


def _absent(value: object) -> bool:
    """None, or the NaN that pandas puts in a numeric column where a value is missing."""
    return value is None or (isinstance(value, float) and math.isnan(value))


def _name(row: Mapping[str, Any], column: str) -> str | None:
    value = row[column]
    return None if _absent(value) else str(value)


def _count(index: int, row: Mapping[str, Any], column: str) -> int | None:
    value = row[column]
    if _absent(value):
        return None
    if isinstance(value, float) and value.is_integer():  # pandas turns an int column with a gap into floats
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise InvalidRequestError(f"{_SOURCE}: row {index}: {column} must be a count (an int >= 0), got {value!r}")
    return value


def _cost(index: int, row: Mapping[str, Any]) -> float | None:
    value = row["cost_usd"]
    if _absent(value):
        return None
    cost = None if isinstance(value, bool) or not isinstance(value, int | float | Decimal) else float(value)
    if cost is None or not math.isfinite(cost) or cost < 0:
        raise InvalidRequestError(f"{_SOURCE}: row {index}: cost_usd must be a number >= 0, got {value!r}")
    return cost
