"""Summing token counts over a walk without holding it: one accumulator, fed page by page.

A null count is unknown, not zero: each field reports how many records had a number (``counted``) and
how many did not (``missing``, which includes records with no ``token_usage`` at all), so a total built
on partial data says so.
"""

from __future__ import annotations

from collections.abc import Iterable

import attrs

from galileo_insights_api.models.log_stream_insight_token_usage_db import LogStreamInsightTokenUsageDB
from galileo_insights_api.models.token_usage import TokenUsage

TOKEN_FIELDS = ("input_tokens", "output_tokens", "cache_read_input_tokens", "cache_creation_input_tokens")


@attrs.frozen
class FieldTotal:
    """The sum of one token count over the records that had it."""

    total: int = 0
    counted: int = 0
    missing: int = 0


@attrs.frozen
class TokenUsageTotals:
    records: int
    input_tokens: FieldTotal
    output_tokens: FieldTotal
    cache_read_input_tokens: FieldTotal
    cache_creation_input_tokens: FieldTotal

    @property
    def fields(self) -> dict[str, FieldTotal]:
        return {name: getattr(self, name) for name in TOKEN_FIELDS}


@attrs.define
class TotalsAccumulator:
    """Feed it items with ``add``; ``result()`` gives the totals so far. For callers that walk a pager themselves."""

    records: int = 0
    _sums: list[int] = attrs.field(factory=lambda: [0] * len(TOKEN_FIELDS))
    _counted: list[int] = attrs.field(factory=lambda: [0] * len(TOKEN_FIELDS))

    def add(self, item: LogStreamInsightTokenUsageDB) -> None:
        self.records += 1
        usage = item.token_usage
        if not isinstance(usage, TokenUsage):
            return
        for index, name in enumerate(TOKEN_FIELDS):
            value = getattr(usage, name)
            if isinstance(value, int):
                self._sums[index] += value
                self._counted[index] += 1

    def add_all(self, items: Iterable[LogStreamInsightTokenUsageDB]) -> None:
        for item in items:
            self.add(item)

    def result(self) -> TokenUsageTotals:
        fields = {
            name: FieldTotal(self._sums[index], self._counted[index], self.records - self._counted[index])
            for index, name in enumerate(TOKEN_FIELDS)
        }
        return TokenUsageTotals(records=self.records, **fields)
