"""Token usage per UTC day or hour, summed while the records stream by, and the bars that chart it.

Memory grows with the number of periods, never with the number of records. Null or absent counts are
left out of the sums (unknown is not zero) and counted in ``incomplete`` so a table can say so.
"""

from __future__ import annotations

import datetime
import enum

import attrs

from galileo_insights import GalileoInsightsError
from galileo_insights_api.models.log_stream_insight_token_usage_db import LogStreamInsightTokenUsageDB
from galileo_insights_api.models.token_usage import TokenUsage

_BLOCKS = " ▏▎▍▌▋▊▉█"
_EIGHTHS = len(_BLOCKS) - 1


class Period(enum.StrEnum):
    DAY = "day"
    HOUR = "hour"

    def start_of(self, moment: datetime.datetime) -> datetime.datetime:
        """The UTC start of the period holding ``moment``; a time whose UTC instant is past year 9999 (valid
        RFC 3339, such as ``9999-12-31T23:59:59-23:59``) cannot be placed and is a ``GalileoInsightsError``."""
        try:
            utc = moment.astimezone(datetime.UTC)
        except OverflowError:
            raise GalileoInsightsError(
                f"cannot group by {self.value}: created_at {moment.isoformat()} lies past the last UTC date Python "
                "can represent (year 9999)"
            ) from None
        if self is Period.DAY:
            return utc.replace(hour=0, minute=0, second=0, microsecond=0)
        return utc.replace(minute=0, second=0, microsecond=0)

    @property
    def length(self) -> datetime.timedelta:
        return datetime.timedelta(days=1) if self is Period.DAY else datetime.timedelta(hours=1)

    def label(self, start: datetime.datetime) -> str:
        return start.strftime("%Y-%m-%d" if self is Period.DAY else "%Y-%m-%d %H:00")


@attrs.frozen
class PeriodUsage:
    """One period's row: its UTC start, the records in it and their summed known token counts."""

    start: datetime.datetime
    records: int
    input_tokens: int
    output_tokens: int
    incomplete: int

    @property
    def total_tokens(self) -> int:
        """Input plus output tokens (cache reads and writes are not added on top)."""
        return self.input_tokens + self.output_tokens


@attrs.define
class _Sums:
    records: int = 0
    input_tokens: int = 0
    output_tokens: int = 0
    incomplete: int = 0


@attrs.define
class PeriodAggregator:
    """Feed records with ``add`` in any order; ``rows()`` lists every period from the first to the last one
    seen, oldest first, empty periods included so gaps show in the chart."""

    period: Period
    _sums: dict[datetime.datetime, _Sums] = attrs.field(factory=dict)

    def add(self, item: LogStreamInsightTokenUsageDB) -> None:
        start = self.period.start_of(item.created_at)
        sums = self._sums.get(start)
        if sums is None:
            sums = self._sums[start] = _Sums()
        sums.records += 1
        usage = item.token_usage
        input_tokens = usage.input_tokens if isinstance(usage, TokenUsage) else None
        output_tokens = usage.output_tokens if isinstance(usage, TokenUsage) else None
        if isinstance(input_tokens, int):
            sums.input_tokens += input_tokens
        if isinstance(output_tokens, int):
            sums.output_tokens += output_tokens
        if not (isinstance(input_tokens, int) and isinstance(output_tokens, int)):
            sums.incomplete += 1

    def rows(self) -> list[PeriodUsage]:
        if not self._sums:
            return []
        rows = []
        start, last = min(self._sums), max(self._sums)
        while True:
            sums = self._sums.get(start, _Sums())
            rows.append(PeriodUsage(start, sums.records, sums.input_tokens, sums.output_tokens, sums.incomplete))
            if start >= last:
                return rows  # checked before adding: the period after 9999-12-31 cannot be represented
            start += self.period.length


def bar(value: int, maximum: int, width: int) -> str:
    """``value`` as a run of unicode blocks, ``width`` characters for ``maximum``, in eighths of a character."""
    if maximum <= 0 or value <= 0:
        return ""
    eighths = max(1, round(value * width * _EIGHTHS / maximum))
    full, rest = divmod(eighths, _EIGHTHS)
    return _BLOCKS[-1] * full + (_BLOCKS[rest] if rest else "")
