"""How the SDK reads a record's fields, written once: its four token counts and its timestamps.

A count is ``None`` when it is null or when the record has no ``token_usage`` at all: unknown, never zero. The
generated models stay spec-exact (a count there is ``int``, ``None`` or ``UNSET``); ``TokenCounts.of(record)`` is
the plain view for typed code and JSON encoders, read by the same function that totals, tables and the CLI use.
A timestamp the server sent without an offset (the API's ``created_at`` is often naive) is read as UTC,
everywhere in the SDK (totals by period, Arrow tables, the export's partitions, the CLI), so a record lands
in the same day whatever the machine's local zone is.
"""

from __future__ import annotations

import datetime
from typing import NamedTuple

from galileo_insights_api.models.log_stream_insight_token_usage_db import LogStreamInsightTokenUsageDB
from galileo_insights_api.models.token_usage import TokenUsage

TOKEN_FIELDS = ("input_tokens", "output_tokens", "cache_read_input_tokens", "cache_creation_input_tokens")

Counts = tuple[int | None, int | None, int | None, int | None]
_NO_COUNTS: Counts = (None, None, None, None)


class TokenCounts(NamedTuple):
    """A record's four token counts as plain ``int | None``: ``None`` when the count is null or absent, or when the
    record has no ``token_usage`` (unknown, never zero). ``counts._asdict()`` is its JSON object."""

    input_tokens: int | None
    output_tokens: int | None
    cache_read_input_tokens: int | None
    cache_creation_input_tokens: int | None

    @classmethod
    def of(cls, record: LogStreamInsightTokenUsageDB) -> TokenCounts:
        """The counts of ``record`` (a token-usage item as ``list()`` yields it)."""
        return cls._make(token_counts(record))


def _count(value: object) -> int | None:
    return value if isinstance(value, int) else None


def token_counts(item: LogStreamInsightTokenUsageDB) -> Counts:
    """The four counts in ``TOKEN_FIELDS`` order; None where a count is null or ``token_usage`` is absent.

    A plain tuple: totals and tables read one per record (a ``TokenCounts`` costs about 0.5 µs more to build)."""
    usage = item.token_usage
    if not isinstance(usage, TokenUsage):
        return _NO_COUNTS
    return (
        _count(usage.input_tokens),
        _count(usage.output_tokens),
        _count(usage.cache_read_input_tokens),
        _count(usage.cache_creation_input_tokens),
    )


def as_utc(moment: datetime.datetime) -> datetime.datetime:
    """``moment`` as an aware UTC datetime; a naive one is taken to be UTC already (not the local zone)."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        return moment.replace(tzinfo=datetime.UTC)
    return moment.astimezone(datetime.UTC)
