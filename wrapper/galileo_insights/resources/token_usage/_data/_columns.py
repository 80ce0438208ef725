"""A walk's records as Python columns: the one place that decides each column's name, order and meaning.

Arrow, pandas and polars are built from these lists, so the three agree by construction and each needs only
its own library. ``add`` only appends the parsed values (it runs once per record, so it stays cheap); the
sinks convert whole columns: ids to canonical UUID strings, timestamps to UTC (a naive server timestamp is
read as UTC, see ``_record_fields``), counts as they are (None for null or absent).
"""

from __future__ import annotations

import datetime
import uuid
from typing import Any

import attrs

from galileo_insights_api.models.log_stream_insight_token_usage_db import LogStreamInsightTokenUsageDB

from .._record_fields import TOKEN_FIELDS, token_counts

ID_COLUMNS = ("id", "project_id", "log_stream_id")
TIME_COLUMNS = ("created_at", "updated_at")
COLUMNS = ("id", "created_at", "updated_at", "project_id", "log_stream_id", *TOKEN_FIELDS)


def naive_utc(moment: datetime.datetime) -> datetime.datetime:
    """``moment`` in UTC without a tzinfo (a naive input is UTC already)."""
    offset = moment.utcoffset()
    if offset is None:
        return moment
    return moment.replace(tzinfo=None) - offset


def uuid_text(value: int) -> str:
    """The canonical string of the UUID whose 128-bit value is ``value``."""
    hexadecimal = f"{value:032x}"
    return f"{hexadecimal[:8]}-{hexadecimal[8:12]}-{hexadecimal[12:16]}-{hexadecimal[16:20]}-{hexadecimal[20:]}"


def uuid_strings(values: list[uuid.UUID]) -> list[str]:
    """Canonical strings; a walk repeats its project and log-stream ids, so each distinct id is formatted once."""
    formatted: dict[uuid.UUID, str] = {}
    strings = []
    for value in values:
        text = formatted.get(value)
        if text is None:
            text = formatted[value] = str(value)
        strings.append(text)
    return strings


@attrs.define
class RecordColumns:
    """Append records with ``add``; ``column(name)`` gives one column's parsed values."""

    # Record ids as 128-bit ints: unlike UUID objects, ints are not tracked by the garbage collector, which
    # otherwise rescans every id of a batch on each full collection.
    id: list[int] = attrs.Factory(list)
    created_at: list[datetime.datetime] = attrs.Factory(list)
    updated_at: list[datetime.datetime] = attrs.Factory(list)
    project_id: list[uuid.UUID] = attrs.Factory(list)
    log_stream_id: list[uuid.UUID] = attrs.Factory(list)
    input_tokens: list[int | None] = attrs.Factory(list)
    output_tokens: list[int | None] = attrs.Factory(list)
    cache_read_input_tokens: list[int | None] = attrs.Factory(list)
    cache_creation_input_tokens: list[int | None] = attrs.Factory(list)

    def __len__(self) -> int:
        return len(self.id)

    def add(self, item: LogStreamInsightTokenUsageDB) -> None:
        self.id.append(item.id.int)
        self.created_at.append(item.created_at)
        self.updated_at.append(item.updated_at)
        self.project_id.append(item.project_id)
        self.log_stream_id.append(item.log_stream_id)
        input_tokens, output_tokens, cache_read, cache_creation = token_counts(item)
        self.input_tokens.append(input_tokens)
        self.output_tokens.append(output_tokens)
        self.cache_read_input_tokens.append(cache_read)
        self.cache_creation_input_tokens.append(cache_creation)

    def column(self, name: str) -> list[Any]:
        """The parsed values of column ``name`` (one of ``COLUMNS``)."""
        values: list[Any] = getattr(self, name)
        return values

    def plain_column(self, name: str) -> list[Any]:
        """Column ``name`` as plain values: UUID strings, naive UTC datetimes, ints or None."""
        values = self.column(name)
        if name == "id":
            return [uuid_text(value) for value in values]
        if name in ID_COLUMNS:
            return uuid_strings(values)
        if name in TIME_COLUMNS:
            return [naive_utc(value) for value in values]
        return values
