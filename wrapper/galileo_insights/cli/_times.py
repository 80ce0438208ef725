"""The command line's time options: ISO date-times, dates read in ``--tz``, and relative ``7d`` / ``24h``.

A date-time needs an offset (``2025-06-01T00:00Z``); a bare date is the first instant of that day in ``--tz``
(a daylight-saving day starts when it really starts); ``7d``, ``24h``, ``30m``, ``2w`` count back from now.
Errors are ``InvalidRequestError``s that start with the flag, so the one-line message (exit 2) reads as the
user typed it.
"""

from __future__ import annotations

import datetime
import re

import attrs
from dateutil.parser import isoparse

from galileo_insights import InvalidRequestError

_RELATIVE = re.compile(r"(\d+)([smhdw])")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_UNITS = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days", "w": "weeks"}


def parse_duration(text: str, flag: str) -> datetime.timedelta:
    match = _RELATIVE.fullmatch(text.strip())
    if match is None:
        raise InvalidRequestError(f"{flag}: {text!r} is not a duration such as 30m, 24h, 7d or 2w")
    try:
        return datetime.timedelta(**{_UNITS[match.group(2)]: int(match.group(1))})
    except OverflowError:
        raise _too_far_back(text, flag) from None


def back_from(now: datetime.datetime, text: str, flag: str) -> datetime.datetime:
    """``now`` minus the duration ``text``; a duration reaching before year 1 is the flag's error."""
    try:
        return now - parse_duration(text, flag)
    except OverflowError:
        raise _too_far_back(text, flag) from None


def _too_far_back(text: str, flag: str) -> InvalidRequestError:
    return InvalidRequestError(f"{flag}: {text!r} reaches back before year 1; give a shorter duration or a date")


def parse_moment(text: str, flag: str, zone: datetime.tzinfo, now: datetime.datetime) -> datetime.datetime:
    """``text`` as an aware datetime (see the module docstring)."""
    text = text.strip()
    if _RELATIVE.fullmatch(text):
        return back_from(now, text, flag)
    if _DATE.fullmatch(text):
        try:
            day = datetime.date.fromisoformat(text)
        except ValueError as exc:
            raise InvalidRequestError(f"{flag}: {text!r} is not a date ({exc})") from None
        return datetime.datetime.combine(day, datetime.time(0), tzinfo=zone).astimezone(datetime.UTC).astimezone(zone)
    try:
        moment = isoparse(text)
    except ValueError:
        raise InvalidRequestError(
            f"{flag}: {text!r} is not an ISO-8601 date-time (2025-06-01T00:00Z), a date (2025-06-01, midnight in "
            "--tz) or a duration back from now (7d, 24h)"
        ) from None
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise InvalidRequestError(
            f"{flag}: {text!r} has no timezone: add Z or an offset (+02:00), or give a date alone (read in --tz)"
        )
    return moment


@attrs.frozen
class TimeRange:
    """The checked bounds of one command: ``since <= created_at < until``, and the same for ``updated_at``."""

    since: datetime.datetime | None = None
    until: datetime.datetime | None = None
    updated_since: datetime.datetime | None = None
    updated_before: datetime.datetime | None = None


def time_range(
    *,
    since: str | None,
    until: str | None,
    last: str | None,
    updated_since: str | None,
    updated_before: str | None,
    zone: datetime.tzinfo,
    now: datetime.datetime,
) -> TimeRange:
    if last is not None and since is not None:
        raise InvalidRequestError("--last: cannot be combined with --since (--last 24h means --since 24h)")
    bounds = TimeRange(
        since=back_from(now, last, "--last") if last is not None else _moment(since, "--since", zone, now),
        until=_moment(until, "--until", zone, now),
        updated_since=_moment(updated_since, "--updated-since", zone, now),
        updated_before=_moment(updated_before, "--updated-before", zone, now),
    )
    for low, high, low_flag, high_flag in (
        (bounds.since, bounds.until, "--since" if last is None else "--last", "--until"),
        (bounds.updated_since, bounds.updated_before, "--updated-since", "--updated-before"),
    ):
        if low is not None and high is not None and low >= high:
            raise InvalidRequestError(
                f"{low_flag}: {low.isoformat()} is not before {high_flag} {high.isoformat()}; the range is empty"
            )
    return bounds


def _moment(text: str | None, flag: str, zone: datetime.tzinfo, now: datetime.datetime) -> datetime.datetime | None:
    return None if text is None else parse_moment(text, flag, zone, now)
