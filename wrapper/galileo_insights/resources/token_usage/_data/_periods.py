"""Token usage per hour, day, week or month of a time zone's calendar, summed while the records stream by.

Periods are ``Period``s of the zone's wall clock (``resources/_calendar``). Records are placed by ``created_at``, a
naive one read as UTC. Memory grows with the number of periods, never with the number of records; a null or absent
count is counted as missing, never as zero.
"""

from __future__ import annotations

import datetime
import zoneinfo
from collections.abc import Iterable

import attrs

from galileo_insights_api.models.log_stream_insight_token_usage_db import LogStreamInsightTokenUsageDB

from ...._errors import GalileoInsightsError, InvalidRequestError
from ..._calendar import END_OF_TIME, Period, as_period
from .._record_fields import as_utc
from .._totals import TokenUsageTotals, TotalsAccumulator

_HOUR = datetime.timedelta(hours=1)
_MICROSECOND = datetime.timedelta(microseconds=1)
_SHORTEST = {"hour": _HOUR, "day": datetime.timedelta(hours=23), "week": datetime.timedelta(days=7)}
MAX_PERIODS = 100_000
"""Rows ``rows()`` will list at most (gaps included): one stray timestamp years away from the rest must be an
error, not millions of empty rows. 100,000 hours is over 11 years."""


def _local(moment: datetime.datetime, zone: datetime.tzinfo) -> datetime.datetime:
    """``moment`` in ``zone``, or in UTC at the very end of time, where a zone east of UTC has no date."""
    try:
        return moment.astimezone(zone)
    except OverflowError:
        return moment


def as_zone(tz: str | datetime.tzinfo) -> datetime.tzinfo:
    """An IANA zone name (``"Europe/Paris"``, ``"UTC"``) or a tzinfo, checked before anything is sent."""
    if isinstance(tz, datetime.tzinfo):
        return tz
    if isinstance(tz, str):
        try:
            return zoneinfo.ZoneInfo(tz)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            pass
    raise InvalidRequestError(f"tz must be an IANA time zone name such as 'Europe/Paris' or 'UTC', got {tz!r}")


@attrs.frozen
class PeriodUsage(TokenUsageTotals):
    """One period's totals (records, and per field total / counted / missing) with its start and end, aware
    datetimes in the zone asked for.

    Python compares and subtracts two datetimes of the same zone by wall clock, ignoring daylight saving (the
    two 02:00 of a night when clocks go back are "equal"): use ``duration``, or convert to UTC first.
    """

    start: datetime.datetime = attrs.field(kw_only=True)
    end: datetime.datetime = attrs.field(kw_only=True)

    @property
    def duration(self) -> datetime.timedelta:
        """The real length: 23 or 25 hours for a daylight-saving day."""
        return self.end.astimezone(datetime.UTC) - self.start.astimezone(datetime.UTC)

    @property
    def total_tokens(self) -> int:
        """The four known counts added: ``input + output + cache_read_input + cache_creation_input`` tokens.

        The spec gives no relation between the counts; this sum assumes they are disjoint (as Anthropic reports
        them). Where a provider counts cache reads inside ``input_tokens`` too, it counts them twice.
        """
        return sum(field.total for field in self.fields.values())

    @classmethod
    def of(cls, start: datetime.datetime, end: datetime.datetime, totals: TokenUsageTotals) -> PeriodUsage:
        """The row of ``[start, end)`` holding ``totals``."""
        return cls(start=start, end=end, **attrs.asdict(totals, recurse=False))


@attrs.define
class PeriodAccumulator:
    """Feed records with ``add`` in any order; ``rows()`` lists every period from the first to the last one
    that holds a record, oldest first, empty periods included so that gaps show."""

    period: Period = attrs.field(converter=as_period)
    zone: datetime.tzinfo = attrs.field(default=datetime.UTC, converter=as_zone)
    _totals: dict[datetime.datetime, TotalsAccumulator] = attrs.field(init=False, factory=dict)
    # Records arrive sorted, so most land in the period of the record before: its bounds are kept.
    _current: tuple[datetime.datetime, datetime.datetime, TotalsAccumulator] | None = attrs.field(
        init=False, default=None
    )

    def add(self, item: LogStreamInsightTokenUsageDB) -> datetime.datetime:
        """Count ``item`` in its period; returns that period's start (UTC), the key callers sum beside it by."""
        try:
            accumulator = self._period_of(item)
        except OverflowError:
            raise GalileoInsightsError(
                f"cannot group by {self.period.value} in {self.zone}: created_at {item.created_at.isoformat()} lies "
                "past the last date Python can represent (year 9999)"
            ) from None
        accumulator.add(item)
        assert self._current is not None  # set by _period_of
        return self._current[0]

    def _period_of(self, item: LogStreamInsightTokenUsageDB) -> TotalsAccumulator:
        moment = as_utc(item.created_at)
        current = self._current
        if current is None or not current[0] <= moment < current[1]:
            start = self.period.start_of(moment, self.zone)
            accumulator = self._totals.get(start)
            if accumulator is None:
                accumulator = self._totals[start] = TotalsAccumulator()
            current = self._current = (start, self.period.after(start, self.zone), accumulator)
        return current[2]

    def rows(self, since: datetime.datetime | None = None, until: datetime.datetime | None = None) -> list[PeriodUsage]:
        """Every period from the first to the last that holds a record; with aware ``since`` / ``until`` (the
        half-open range asked for), every period that range touches as well, so a month has all its days."""
        starts = list(self._totals)
        if since is not None:
            starts.append(self.period.start_of(as_utc(since), self.zone))
        if until is not None and (since is None or until > since):
            starts.append(self.period.start_of(as_utc(until) - _MICROSECOND, self.zone))
        if not starts:
            return []
        rows = []
        start, last = min(starts), max(starts)
        shortest = _SHORTEST.get(self.period.value, datetime.timedelta(days=28))
        if (last - start) // shortest >= MAX_PERIODS:
            raise GalileoInsightsError(
                f"records from {start.isoformat()} to {last.isoformat()} span more than {MAX_PERIODS:,} "
                f"{self.period.value}s; narrow the time range or group by a longer period"
            )
        while start <= last:
            end = self.period.after(start, self.zone)
            accumulator = self._totals.get(start) or TotalsAccumulator()
            rows.append(PeriodUsage.of(_local(start, self.zone), _local(end, self.zone), accumulator.result()))
            if end == END_OF_TIME:
                break
            start = end
        return rows


def usage_by_period(
    items: Iterable[LogStreamInsightTokenUsageDB],
    period: Period | str,
    tz: str | datetime.tzinfo = "UTC",
    *,
    since: datetime.datetime | None = None,
    until: datetime.datetime | None = None,
) -> list[PeriodUsage]:
    """``items`` grouped into ``period``s of ``tz``'s calendar (see ``PeriodAccumulator.rows``; ``since`` and
    ``until`` add the empty periods of that range)."""
    accumulator = PeriodAccumulator(period, tz)
    for item in items:
        accumulator.add(item)
    return accumulator.rows(since, until)
