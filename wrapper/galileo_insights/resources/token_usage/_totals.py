"""Summing token counts over a walk without holding it: one accumulator, fed page by page.

A null count is unknown, not zero: each field reports how many records had a number (``counted``) and
how many did not (``missing``, which includes records with no ``token_usage`` at all), so a total built
on partial data says so.
"""

from __future__ import annotations

from collections.abc import Iterable

import attrs

from galileo_insights_api.models.log_stream_insight_token_usage_db import LogStreamInsightTokenUsageDB

from ._record_fields import TOKEN_FIELDS, token_counts


@attrs.frozen
class FieldTotal:
    """The sum of one token count over the records that had it."""

    total: int = 0
    counted: int = 0
    missing: int = 0


@attrs.frozen
class TokenUsageTotals:
    """How many records were read and, per token field, the sum with how many records had the count or missed it."""

    records: int
    input_tokens: FieldTotal
    output_tokens: FieldTotal
    cache_read_input_tokens: FieldTotal
    cache_creation_input_tokens: FieldTotal

    @property
    def fields(self) -> dict[str, FieldTotal]:
        """The four ``FieldTotal`` by field name, in ``TOKEN_FIELDS`` order."""
        return {name: getattr(self, name) for name in TOKEN_FIELDS}


@attrs.define
class TotalsAccumulator:
    """Feed it items with ``add``; ``result()`` gives the totals so far. For callers that walk a pager themselves."""

    records: int = 0
    _sums: list[int] = attrs.field(factory=lambda: [0] * len(TOKEN_FIELDS))
    _counted: list[int] = attrs.field(factory=lambda: [0] * len(TOKEN_FIELDS))

    def add(self, item: LogStreamInsightTokenUsageDB) -> None:
        """Count one record and add its known counts (a null or absent count is counted as missing)."""
        self.records += 1
        for index, value in enumerate(token_counts(item)):
            if value is not None:
                self._sums[index] += value
                self._counted[index] += 1

    def add_all(self, items: Iterable[LogStreamInsightTokenUsageDB]) -> None:
        """``add`` each of ``items`` (a page's, say)."""
        for item in items:
            self.add(item)

    def result(self) -> TokenUsageTotals:
        """The totals so far; feeding may go on afterwards."""
        fields = {
            name: FieldTotal(self._sums[index], self._counted[index], self.records - self._counted[index])
            for index, name in enumerate(TOKEN_FIELDS)
        }
        return TokenUsageTotals(records=self.records, **fields)
