"""Turn ``list()``/``totals()`` arguments into the generated request model, checking them first.

Everything here is pure: bad input raises ``InvalidRequestError`` naming the argument before any
request is sent, so a typo in an id or a naive datetime never costs a round trip or a confusing 422.

A time bound takes the forms the command line takes: an aware datetime or an ISO-8601 string with an offset; a
``datetime.date`` or a date-only string (``"2025-06-01"``: midnight in the call's zone, UTC unless it has a ``tz``;
a daylight-saving day starts when it really starts); and, for a lower bound, a ``datetime.timedelta`` or a
duration string (``"7d"``, ``"24h"``, ``"30m"``, ``"2w"``) counted back from now.
"""

from __future__ import annotations

import datetime
import itertools
import re
from collections.abc import Sequence
from typing import Any

import attrs

from galileo_insights_api.models.logstream_insight_token_usage_created_at_filter import (
    LogstreamInsightTokenUsageCreatedAtFilter,
)
from galileo_insights_api.models.logstream_insight_token_usage_created_at_sort import (
    LogstreamInsightTokenUsageCreatedAtSort,
)
from galileo_insights_api.models.logstream_insight_token_usage_request import LogstreamInsightTokenUsageRequest
from galileo_insights_api.models.logstream_insight_token_usage_updated_at_filter import (
    LogstreamInsightTokenUsageUpdatedAtFilter,
)

from ..._constants import MAX_CONCURRENCY, MAX_PAGE_SIZE, MAX_WINDOWS
from ..._errors import InvalidRequestError
from ..._page_cursors import PageRequest

TokenUsageFilter = LogstreamInsightTokenUsageCreatedAtFilter | LogstreamInsightTokenUsageUpdatedAtFilter
TimeBound = datetime.datetime | datetime.date | str
"""An upper bound: an aware datetime, an ISO-8601 string with an offset, a date or a date-only string."""
LowerBound = TimeBound | datetime.timedelta
"""A lower bound: a ``TimeBound``, or a ``timedelta`` / ``"7d"``-style duration back from now."""

_DURATION = re.compile(r"(\d+)([smhdw])")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_UNITS = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days", "w": "weeks"}
_FORMS = "an ISO-8601 date-time with an offset (2025-06-01T00:00Z), a date (2025-06-01)"


def default_windows(concurrency: int, page_size: int) -> int:
    """A parallel walk's windows when none are given: 2 to 8 per worker, more for larger pages.

    Two costs pull apart. Each window ends in a partial page, about half a request more per window, which small
    pages feel most (45k records in 100-record pages, 16 workers: 464 requests with 16 windows, 512 with 128). While
    the consumer reads one window, the others read ahead of it, about (workers - 1) windows' worth, and that must fit
    in the read-ahead bound, which large pages fill fastest (1M records in 1000-record pages, 16 workers: 64 windows
    need 234,000 records read ahead, 128 windows 117,000). Measured in benchmarks/bench_parallel.py.
    """
    per_worker = max(2, min(8, page_size // 125))
    return min(MAX_WINDOWS, per_worker * concurrency)


def _is_int_between(value: object, minimum: int, maximum: int) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and minimum <= value <= maximum


def parse_duration(text: str, name: str) -> datetime.timedelta:
    """``"30m"``, ``"24h"``, ``"7d"``, ``"2w"`` as a ``timedelta``."""
    match = _DURATION.fullmatch(text.strip())
    if match is None:
        raise InvalidRequestError(f"{text!r} is not a duration such as 30m, 24h, 7d or 2w", argument=name)
    try:
        return datetime.timedelta(**{_UNITS[match.group(2)]: int(match.group(1))})
    except OverflowError:
        raise _too_far_back(text, name) from None


def back_from(now: datetime.datetime | None, duration: datetime.timedelta | str, name: str) -> datetime.datetime:
    """``now`` (default: this moment) minus ``duration``; one that reaches back before year 1 is ``name``'s error,
    not an ``OverflowError``."""
    delta = parse_duration(duration, name) if isinstance(duration, str) else duration
    try:
        return (now or datetime.datetime.now(datetime.UTC)) - delta
    except OverflowError:
        raise _too_far_back(duration, name) from None


def _too_far_back(duration: object, name: str) -> InvalidRequestError:
    return InvalidRequestError(
        f"{duration!r} reaches back before year 1; give a shorter duration or a date", argument=name
    )


def as_aware_datetime(
    value: LowerBound,
    name: str,
    *,
    zone: datetime.tzinfo = datetime.UTC,
    now: datetime.datetime | None = None,
    durations: bool = False,
) -> datetime.datetime:
    """``value`` as an aware datetime (see the module docstring); a naive time is ambiguous, so it is refused.

    Dates are read in ``zone``; durations (only with ``durations=True``: lower bounds) count back from ``now``.
    """
    if isinstance(value, str):
        return _parse_text(value.strip(), name, zone, now, durations)
    if isinstance(value, datetime.timedelta):
        if not durations:
            raise InvalidRequestError("takes a duration only as a lower bound (the *_since arguments)", argument=name)
        return back_from(now, value, name)
    if isinstance(value, datetime.datetime):
        parsed = value
    elif isinstance(value, datetime.date):
        return _midnight(value, zone)
    else:
        raise InvalidRequestError(
            f"must be a datetime, a date, an ISO-8601 string{' or a timedelta' if durations else ''}, "
            f"got {type(value).__name__}",
            argument=name,
        )
    return _aware(parsed, value, name)


def _parse_text(
    text: str, name: str, zone: datetime.tzinfo, now: datetime.datetime | None, durations: bool
) -> datetime.datetime:
    if durations and _DURATION.fullmatch(text):
        return back_from(now, text, name)
    if _DATE.fullmatch(text):
        try:
            return _midnight(datetime.date.fromisoformat(text), zone)
        except ValueError as exc:
            raise InvalidRequestError(f"{text!r} is not a date ({exc})", argument=name) from None
    from dateutil.parser import isoparse  # noqa: PLC0415 - only string bounds need it; keeps import fast

    try:
        parsed = isoparse(text)
    except ValueError:
        duration = " or a duration back from now (7d, 24h)" if durations else ""
        raise InvalidRequestError(f"{text!r} is not {_FORMS}{duration}", argument=name) from None
    return _aware(parsed, text, name)


def _aware(parsed: datetime.datetime, given: object, name: str) -> datetime.datetime:
    if parsed.tzinfo is None or parsed.utcoffset() is None:
        raise InvalidRequestError(
            f"{given!r} has no timezone: pass an aware datetime (tzinfo=datetime.UTC), add Z or an offset "
            "(+02:00), or give a date alone",
            argument=name,
        )
    return parsed


def _midnight(day: datetime.date, zone: datetime.tzinfo) -> datetime.datetime:
    """The first instant of ``day`` in ``zone`` (normalized through UTC: a day that starts in a DST gap starts
    at the first wall time that exists)."""
    return datetime.datetime.combine(day, datetime.time(0), tzinfo=zone).astimezone(datetime.UTC).astimezone(zone)


@attrs.frozen
class TokenUsageQuery:
    """A validated query: filters and sort order. Which log stream is the ``Target``'s; paging is the pager's."""

    filters: tuple[TokenUsageFilter, ...]
    ascending: bool
    # the body at starting_token=0, serialized once: a page only swaps its token, limit and keyset bounds
    _base: dict[str, Any] = attrs.field(init=False, eq=False, repr=False)

    def __attrs_post_init__(self) -> None:
        object.__setattr__(self, "_base", self.request(0, 1).to_dict())

    @classmethod
    def build(
        cls,
        *,
        ascending: bool = False,
        filters: Sequence[TokenUsageFilter] = (),
        created_since: TimeBound | None = None,
        created_before: TimeBound | None = None,
        updated_since: TimeBound | None = None,
        updated_before: TimeBound | None = None,
    ) -> TokenUsageQuery:
        """Bounds are half-open: ``*_since`` is inclusive (``gte``), ``*_before`` exclusive (``lt``)."""
        if not isinstance(ascending, bool):
            raise InvalidRequestError(f"must be True or False, got {ascending!r}", argument="ascending")
        for index, given in enumerate(filters):
            if not isinstance(given, TokenUsageFilter):
                raise InvalidRequestError(
                    f"[{index}] must be a generated created_at/updated_at filter model, got {type(given).__name__}",
                    argument="filters",
                )
        built: list[TokenUsageFilter] = list(filters)
        bounds = (
            (LogstreamInsightTokenUsageCreatedAtFilter, "created_since", created_since, "gte"),
            (LogstreamInsightTokenUsageCreatedAtFilter, "created_before", created_before, "lt"),
            (LogstreamInsightTokenUsageUpdatedAtFilter, "updated_since", updated_since, "gte"),
            (LogstreamInsightTokenUsageUpdatedAtFilter, "updated_before", updated_before, "lt"),
        )
        checked: dict[str, datetime.datetime] = {}
        for model, name, bound, operator in bounds:
            if bound is not None:
                checked[name] = as_aware_datetime(bound, name)
                built.append(model(operator=operator, value=checked[name]))  # type: ignore[arg-type] # operator is a literal of both models
        for field in ("created", "updated"):
            _check_order(checked, f"{field}_since", f"{field}_before")
        return cls(tuple(built), ascending)

    def within(self, since: datetime.datetime, before: datetime.datetime) -> TokenUsageQuery:
        """This query narrowed to ``since <= created_at < before`` (one window of a parallel export)."""
        window = (
            LogstreamInsightTokenUsageCreatedAtFilter(operator="gte", value=since),
            LogstreamInsightTokenUsageCreatedAtFilter(operator="lt", value=before),
        )
        return attrs.evolve(self, filters=self.filters + window)

    def body(self, page: PageRequest) -> dict[str, Any]:
        """The JSON body of one page: this query at the page's token and limit, narrowed for a keyset walk to
        records at or past ``resume_from`` in the walk's order."""
        body = {**self._base, "starting_token": page.starting_token, "limit": page.limit}
        if page.resume_from is not None:
            # the generated filter's to_dict(), written out: a page is built for every request of a walk
            resume = {"name": "created_at", "operator": "gte" if self.ascending else "lte"}
            body["filters"] = [*self._base["filters"], {**resume, "value": page.resume_from.isoformat()}]
        return body

    def request(self, starting_token: int, limit: int) -> LogstreamInsightTokenUsageRequest:
        """The request body for one page. The sort is always explicit: the spec's two defaults disagree."""
        return LogstreamInsightTokenUsageRequest(
            starting_token=starting_token,
            limit=limit,
            filters=list(self.filters),
            sort=LogstreamInsightTokenUsageCreatedAtSort(name="created_at", ascending=self.ascending),
        )


def split_time_range(
    since: datetime.datetime, before: datetime.datetime, count: int
) -> list[tuple[datetime.datetime, datetime.datetime]]:
    """``count`` adjacent half-open windows covering ``[since, before)`` exactly, earliest first.

    Boundaries are whole microseconds (the wire precision), so no record can fall between two windows
    or into both; a range too short for ``count`` windows gets fewer. The range is cut in UTC: Python
    subtracts and adds datetimes sharing a tzinfo as wall-clock times, which across a DST change makes
    windows overlap or leave a gap.
    """
    since, before = since.astimezone(datetime.UTC), before.astimezone(datetime.UTC)
    span = before - since
    count = max(1, min(count, span // datetime.timedelta(microseconds=1)))
    bounds = [since + span * index / count for index in range(count)] + [before]
    return list(itertools.pairwise(bounds))


def _check_order(bounds: dict[str, datetime.datetime], since: str, before: str) -> None:
    """An empty or reversed range matches nothing: almost always swapped arguments, so say so."""
    if since in bounds and before in bounds and bounds[since] >= bounds[before]:
        raise InvalidRequestError(
            f"{bounds[since].isoformat()} must be earlier than {before} ({bounds[before].isoformat()})",
            argument=since,
        )


def check_paging(page_size: int, max_items: int | None, starting_token: int) -> None:
    if not _is_int_between(page_size, 1, MAX_PAGE_SIZE):
        raise InvalidRequestError(
            f"must be an integer between 1 and {MAX_PAGE_SIZE}, got {page_size!r}", argument="page_size"
        )
    if isinstance(starting_token, bool) or not isinstance(starting_token, int) or starting_token < 0:
        raise InvalidRequestError(f"must be an integer >= 0, got {starting_token!r}", argument="starting_token")
    if max_items is not None and (isinstance(max_items, bool) or not isinstance(max_items, int) or max_items < 0):
        raise InvalidRequestError(f"must be None or an integer >= 0, got {max_items!r}", argument="max_items")


def check_concurrency(concurrency: int) -> None:
    if not _is_int_between(concurrency, 1, MAX_CONCURRENCY):
        raise InvalidRequestError(
            f"must be an integer between 1 and {MAX_CONCURRENCY}, got {concurrency!r}", argument="concurrency"
        )


def parallel_range(
    concurrency: int, windows: int | None, starting_token: int, since: TimeBound | None, before: TimeBound | None
) -> tuple[datetime.datetime, datetime.datetime] | None:
    """The checked ``[since, before)`` range a parallel export splits, or None for a sequential walk."""
    check_concurrency(concurrency)
    if windows is not None and not _is_int_between(windows, 1, MAX_WINDOWS):
        raise InvalidRequestError(
            f"must be None or an integer between 1 and {MAX_WINDOWS}, got {windows!r}", argument="windows"
        )
    if concurrency == 1:
        return None
    if since is None or before is None:
        raise InvalidRequestError(
            "a parallel export (concurrency > 1) needs both created_since and created_before: "
            "a fixed upper bound keeps new records from shifting offsets between windows",
            argument="created_since" if since is None else "created_before",
        )
    if starting_token:
        raise InvalidRequestError("cannot be combined with concurrency > 1", argument="starting_token")
    return as_aware_datetime(since, "created_since"), as_aware_datetime(before, "created_before")
