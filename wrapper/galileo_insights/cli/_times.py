"""The command line's time options: ISO date-times, dates read in ``--tz``, and relative ``7d`` / ``24h``.

A date-time needs an offset (``2025-06-01T00:00Z``); a bare date is the first instant of that day in ``--tz``
(a daylight-saving day starts when it really starts); ``7d``, ``24h``, ``30m``, ``2w`` count back from now.
The forms are the library's (``resources/token_usage/_query``), parsed there; errors are ``InvalidRequestError``s
whose ``argument`` is the flag, so the one-line message (exit 2) reads as the user typed it.
"""

from __future__ import annotations

import datetime

import attrs

from galileo_insights import InvalidRequestError
from galileo_insights.resources.token_usage import as_aware_datetime, back_from


def parse_moment(text: str, flag: str, zone: datetime.tzinfo, now: datetime.datetime) -> datetime.datetime:
    """``text`` as an aware datetime, read as the library reads a bound, a duration accepted for every flag."""
    return as_aware_datetime(text, flag, zone=zone, now=now, durations=True)


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
        raise InvalidRequestError("cannot be combined with --since (--last 24h means --since 24h)", argument="--last")
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
                f"{low.isoformat()} is not before {high_flag} {high.isoformat()}; the range is empty", argument=low_flag
            )
    return bounds


def _moment(text: str | None, flag: str, zone: datetime.tzinfo, now: datetime.datetime) -> datetime.datetime | None:
    return None if text is None else parse_moment(text, flag, zone, now)
