"""Turn ``list()``/``totals()`` arguments into the generated request model, checking them first.

Everything here is pure: bad input raises ``InvalidRequestError`` naming the argument before any
request is sent, so a typo in an id or a naive datetime never costs a round trip or a confusing 422.
"""

from __future__ import annotations

import datetime
import itertools
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

from ..._errors import InvalidRequestError

TokenUsageFilter = LogstreamInsightTokenUsageCreatedAtFilter | LogstreamInsightTokenUsageUpdatedAtFilter
TimeBound = datetime.datetime | str

# Ceilings on what one call may ask for: beyond them an argument is a mistake, not a request (README, "Limits").
MAX_PAGE_SIZE = 10_000
MAX_CONCURRENCY = 64
MAX_WINDOWS = 1_000


def _is_int_between(value: object, minimum: int, maximum: int) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and minimum <= value <= maximum


def as_aware_datetime(value: TimeBound, name: str) -> datetime.datetime:
    """Accept aware datetimes and ISO-8601 strings with an offset; a naive time is ambiguous, so refuse it."""
    if isinstance(value, str):
        from dateutil.parser import isoparse  # noqa: PLC0415 - only string bounds need it; keeps import fast

        try:
            parsed = isoparse(value)
        except ValueError as exc:
            raise InvalidRequestError(f"{name}: {value!r} is not an ISO-8601 date-time ({exc})") from None
    elif isinstance(value, datetime.datetime):
        parsed = value
    else:
        raise InvalidRequestError(f"{name} must be a datetime or ISO-8601 string, got {type(value).__name__}")
    if parsed.tzinfo is None or parsed.utcoffset() is None:
        raise InvalidRequestError(
            f"{name}: {value!r} has no timezone; pass an aware datetime (e.g. tzinfo=datetime.UTC) or 'Z'/'+00:00'"
        )
    return parsed


@attrs.frozen
class TokenUsageQuery:
    """A validated query: filters and sort order. Which log stream is the ``Target``'s; paging is the pager's."""

    filters: tuple[TokenUsageFilter, ...]
    ascending: bool

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
            raise InvalidRequestError(f"ascending must be True or False, got {ascending!r}")
        for index, given in enumerate(filters):
            if not isinstance(given, TokenUsageFilter):
                raise InvalidRequestError(
                    f"filters[{index}] must be a generated created_at/updated_at filter model, "
                    f"got {type(given).__name__}"
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

    def body(self) -> dict[str, Any]:
        """The JSON request body at ``starting_token=0``; a pager swaps in each page's token and limit."""
        return self.request(0, 1).to_dict()

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
            f"{since} ({bounds[since].isoformat()}) must be earlier than {before} ({bounds[before].isoformat()})"
        )


def check_paging(page_size: int, max_items: int | None, starting_token: int) -> None:
    if not _is_int_between(page_size, 1, MAX_PAGE_SIZE):
        raise InvalidRequestError(f"page_size must be an integer between 1 and {MAX_PAGE_SIZE}, got {page_size!r}")
    if isinstance(starting_token, bool) or not isinstance(starting_token, int) or starting_token < 0:
        raise InvalidRequestError(f"starting_token must be an integer >= 0, got {starting_token!r}")
    if max_items is not None and (isinstance(max_items, bool) or not isinstance(max_items, int) or max_items < 0):
        raise InvalidRequestError(f"max_items must be None or an integer >= 0, got {max_items!r}")


def check_concurrency(concurrency: int) -> None:
    if not _is_int_between(concurrency, 1, MAX_CONCURRENCY):
        raise InvalidRequestError(
            f"concurrency must be an integer between 1 and {MAX_CONCURRENCY}, got {concurrency!r}"
        )


def parallel_range(
    concurrency: int, windows: int | None, starting_token: int, since: TimeBound | None, before: TimeBound | None
) -> tuple[datetime.datetime, datetime.datetime] | None:
    """The checked ``[since, before)`` range a parallel export splits, or None for a sequential walk."""
    check_concurrency(concurrency)
    if windows is not None and not _is_int_between(windows, 1, MAX_WINDOWS):
        raise InvalidRequestError(f"windows must be None or an integer between 1 and {MAX_WINDOWS}, got {windows!r}")
    if concurrency == 1:
        return None
    if since is None or before is None:
        raise InvalidRequestError(
            "a parallel export (concurrency > 1) needs both created_since and created_before: "
            "a fixed upper bound keeps new records from shifting offsets between windows"
        )
    if starting_token:
        raise InvalidRequestError("starting_token cannot be combined with concurrency > 1")
    return as_aware_datetime(since, "created_since"), as_aware_datetime(before, "created_before")
