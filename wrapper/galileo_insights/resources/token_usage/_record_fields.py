"""How the SDK reads a record's fields, written once: its four token counts and its timestamps.

A count is ``None`` when it is null or when the record has no ``token_usage`` at all: unknown, never zero.
A timestamp the server sent without an offset (the API's ``created_at`` is often naive) is read as UTC,
everywhere in the SDK (totals by period, Arrow tables, the export's partitions, the CLI), so a record lands
in the same day whatever the machine's local zone is.
"""

from __future__ import annotations

import datetime

from galileo_insights_api.models.log_stream_insight_token_usage_db import LogStreamInsightTokenUsageDB
from galileo_insights_api.models.token_usage import TokenUsage

TOKEN_FIELDS = ("input_tokens", "output_tokens", "cache_read_input_tokens", "cache_creation_input_tokens")
"""The four counts of a record's ``token_usage``, in the order every table and total of the SDK uses."""

TokenCounts = tuple[int | None, int | None, int | None, int | None]
_NO_COUNTS: TokenCounts = (None, None, None, None)


def _count(value: object) -> int | None:
    return value if isinstance(value, int) else None


def token_counts(item: LogStreamInsightTokenUsageDB) -> TokenCounts:
    """The four counts in ``TOKEN_FIELDS`` order; None where a count is null or ``token_usage`` is absent."""
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
