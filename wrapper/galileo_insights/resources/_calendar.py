"""The periods usage is summed over: an hour, day, week (from Monday) or month of a time zone's calendar.

Periods follow the zone's wall clock: a day is midnight to midnight there, so a daylight-saving day lasts 23
or 25 hours, and a repeated hour (clocks going back) is two periods. A module of its own, beside no model and no
HTTP code: ``Period`` is a choice of the command line's options, which load for ``--help`` without the rest of the SDK.
"""

from __future__ import annotations

import datetime
import enum

from .._errors import InvalidRequestError

_HOUR = datetime.timedelta(hours=1)


class Period(enum.StrEnum):
    """A period usage is summed over: an hour, day, week (from Monday) or month of a time zone's calendar."""

    HOUR = "hour"
    DAY = "day"
    WEEK = "week"
    MONTH = "month"

    def start_of(self, moment: datetime.datetime, zone: datetime.tzinfo) -> datetime.datetime:
        """The first instant (in UTC) of the period of ``zone``'s calendar that holds the aware ``moment``."""
        local = moment.astimezone(zone)
        if self is Period.HOUR:
            # ``replace`` keeps ``fold``, so the two runs of a repeated wall-clock hour stay two periods.
            return local.replace(minute=0, second=0, microsecond=0).astimezone(datetime.UTC)
        day = local.date()
        if self is Period.WEEK:
            day -= datetime.timedelta(days=day.weekday())
        elif self is Period.MONTH:
            day = day.replace(day=1)
        return _first_instant(day, zone)

    def after(self, start: datetime.datetime, zone: datetime.tzinfo) -> datetime.datetime:
        """The start (UTC) of the period that follows the one starting at ``start``; the last representable
        instant when that lies past year 9999 (a record on 9999-12-31 still gets its row)."""
        try:
            return self._after(start, zone)
        except OverflowError:
            return END_OF_TIME

    def _after(self, start: datetime.datetime, zone: datetime.tzinfo) -> datetime.datetime:
        if self is Period.HOUR:
            return self.start_of(start + _HOUR, zone)
        day = start.astimezone(zone).date()
        if self is Period.DAY:
            day += datetime.timedelta(days=1)
        elif self is Period.WEEK:
            day += datetime.timedelta(days=7)
        else:
            day = (day.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
        return _first_instant(day, zone)

    def label(self, start: datetime.datetime) -> str:
        """How a table names the period starting at ``start`` (a local time)."""
        match self:
            case Period.HOUR:
                return start.strftime("%Y-%m-%d %H:%M %z")
            case Period.DAY:
                return start.strftime("%Y-%m-%d")
            case Period.WEEK:
                return start.strftime("%G-W%V (%Y-%m-%d)")
            case Period.MONTH:
                return start.strftime("%Y-%m")


END_OF_TIME = datetime.datetime.max.replace(tzinfo=datetime.UTC)
"""What ``Period.after`` returns for a period that ends past year 9999: the last instant Python can represent."""


def _first_instant(day: datetime.date, zone: datetime.tzinfo) -> datetime.datetime:
    """The first instant of ``day`` in ``zone``, in UTC.

    Local midnight with ``fold=0`` is the first of two midnights when clocks go back, and when midnight is
    skipped (clocks go forward at 00:00) it is read with the offset before the jump, which is the instant
    the day really starts.
    """
    return datetime.datetime.combine(day, datetime.time(0), tzinfo=zone).astimezone(datetime.UTC)


def as_period(period: Period | str) -> Period:
    try:
        return Period(period)
    except ValueError:
        choices = ", ".join(repr(member.value) for member in Period)
        raise InvalidRequestError(f"period must be one of {choices}, got {period!r}") from None
