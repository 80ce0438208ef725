"""``client.token_usage``: the resource users call; one argument surface for sync and async.

The argument handling lives once in ``_TokenUsageResourceBase``; the two subclasses only say which pager
drives the walk, so ``client.token_usage.list(...)`` takes exactly the same arguments in both clients.
"""

from __future__ import annotations

import datetime
import functools
import uuid
from collections.abc import Awaitable, Callable, Coroutine, Sequence
from typing import Any, Generic, TypeVar

from galileo_insights_api.models.logstream_insight_token_usage_response import LogstreamInsightTokenUsageResponse

from ._data._periods import Period, PeriodAccumulator, PeriodUsage
from ._pagination import AsyncTokenUsagePager, TokenUsagePager
from ._query import (
    TimeBound,
    TokenUsageFilter,
    TokenUsageQuery,
    check_paging,
    parallel_range,
    split_time_range,
)
from ._totals import TokenUsageTotals, TotalsAccumulator

PagerT = TypeVar("PagerT", TokenUsagePager, AsyncTokenUsagePager)
TotalsT = TypeVar("TotalsT", TokenUsageTotals, Coroutine[Any, Any, TokenUsageTotals])
UsageT = TypeVar("UsageT", list[PeriodUsage], Coroutine[Any, Any, list[PeriodUsage]])
TOTALS_PAGE_SIZE = 1000
FetchQueryPage = Callable[[TokenUsageQuery, int, int], LogstreamInsightTokenUsageResponse]
AsyncFetchQueryPage = Callable[[TokenUsageQuery, int, int], Awaitable[LogstreamInsightTokenUsageResponse]]


class _TokenUsageResourceBase(Generic[PagerT, TotalsT, UsageT]):
    def list(
        self,
        project_id: uuid.UUID | str,
        log_stream_id: uuid.UUID | str,
        *,
        page_size: int = 100,
        max_items: int | None = None,
        starting_token: int = 0,
        ascending: bool = False,
        filters: Sequence[TokenUsageFilter] = (),
        created_since: TimeBound | None = None,
        created_before: TimeBound | None = None,
        updated_since: TimeBound | None = None,
        updated_before: TimeBound | None = None,
        concurrency: int = 1,
        windows: int | None = None,
    ) -> PagerT:
        """Token-usage records of one log stream, newest first unless ``ascending=True``.

        Nothing is sent until the pager is iterated. Time bounds take aware datetimes or ISO-8601 strings
        and are half-open: ``created_since <= created_at < created_before`` (same for ``updated_*``).
        ``filters`` takes the generated filter models as they are and is combined with the bounds.
        ``starting_token`` resumes a walk from a ``next_starting_token`` seen earlier; ``max_items``
        stops after that many records.

        ``concurrency > 1`` makes it a parallel export: ``[created_since, created_before)`` is split into
        ``windows`` (default: ``concurrency``) equal time windows fetched concurrently and yielded in the
        requested order, the same records as a sequential walk. Both bounds are required: a fixed upper
        bound is what keeps records created during the export from shifting offsets, so it is only
        safe for ranges that no longer change.
        """
        check_paging(page_size, max_items, starting_token)
        time_range = parallel_range(concurrency, windows, starting_token, created_since, created_before)
        query = TokenUsageQuery.build(
            project_id,
            log_stream_id,
            ascending=ascending,
            filters=filters,
            created_since=created_since,
            created_before=created_before,
            updated_since=updated_since,
            updated_before=updated_before,
        )
        if time_range is None:
            return self._pager((query,), page_size, starting_token, max_items, 1)
        ranges = split_time_range(*time_range, windows or concurrency)
        queries = tuple(query.within(start, end) for start, end in (ranges if ascending else reversed(ranges)))
        return self._pager(queries, page_size, 0, max_items, concurrency)

    def totals(
        self,
        project_id: uuid.UUID | str,
        log_stream_id: uuid.UUID | str,
        *,
        filters: Sequence[TokenUsageFilter] = (),
        created_since: TimeBound | None = None,
        created_before: TimeBound | None = None,
        updated_since: TimeBound | None = None,
        updated_before: TimeBound | None = None,
        page_size: int = TOTALS_PAGE_SIZE,
    ) -> TotalsT:
        """Counts and sums of every token field over the matching records (await it on the async client).

        Streams page by page in constant memory; nulls are counted as missing, never as zero.
        """
        pager = self.list(
            project_id,
            log_stream_id,
            page_size=page_size,
            ascending=True,
            filters=filters,
            created_since=created_since,
            created_before=created_before,
            updated_since=updated_since,
            updated_before=updated_before,
        )
        return self._sum(pager)

    def usage_by(
        self,
        period: Period | str,
        project_id: uuid.UUID | str,
        log_stream_id: uuid.UUID | str,
        *,
        tz: str | datetime.tzinfo = "UTC",
        filters: Sequence[TokenUsageFilter] = (),
        created_since: TimeBound | None = None,
        created_before: TimeBound | None = None,
        updated_since: TimeBound | None = None,
        updated_before: TimeBound | None = None,
        page_size: int = TOTALS_PAGE_SIZE,
    ) -> UsageT:
        """Records and token totals per ``"hour"``, ``"day"``, ``"week"`` or ``"month"`` of ``tz``'s calendar.

        One ``PeriodUsage`` row per period from the first to the last record's (gaps included), oldest first,
        with aware starts in ``tz``; a daylight-saving day has 23 or 25 hours. Await it on the async client.
        ``period`` and ``tz`` are checked before anything is sent.
        """
        grouping = PeriodAccumulator(period, tz)
        pager = self.list(
            project_id,
            log_stream_id,
            page_size=page_size,
            ascending=True,
            filters=filters,
            created_since=created_since,
            created_before=created_before,
            updated_since=updated_since,
            updated_before=updated_before,
        )
        return self._group(pager, grouping)

    def _pager(
        self,
        queries: tuple[TokenUsageQuery, ...],
        page_size: int,
        starting_token: int,
        max_items: int | None,
        concurrency: int,
    ) -> PagerT:
        raise NotImplementedError

    def _sum(self, pager: PagerT) -> TotalsT:
        raise NotImplementedError

    def _group(self, pager: PagerT, grouping: PeriodAccumulator) -> UsageT:
        raise NotImplementedError


class TokenUsageResource(_TokenUsageResourceBase[TokenUsagePager, TokenUsageTotals, list[PeriodUsage]]):
    def __init__(self, fetch_page: FetchQueryPage) -> None:
        self._fetch_page = fetch_page

    def _pager(
        self,
        queries: tuple[TokenUsageQuery, ...],
        page_size: int,
        starting_token: int,
        max_items: int | None,
        concurrency: int,
    ) -> TokenUsagePager:
        segments = tuple(functools.partial(self._fetch_page, query) for query in queries)
        return TokenUsagePager(segments, page_size, starting_token, max_items, concurrency)

    def _sum(self, pager: TokenUsagePager) -> TokenUsageTotals:
        accumulator = TotalsAccumulator()
        for item in pager:
            accumulator.add(item)
        return accumulator.result()

    def _group(self, pager: TokenUsagePager, grouping: PeriodAccumulator) -> list[PeriodUsage]:
        for item in pager:
            grouping.add(item)
        return grouping.rows()


class AsyncTokenUsageResource(
    _TokenUsageResourceBase[
        AsyncTokenUsagePager, Coroutine[Any, Any, TokenUsageTotals], Coroutine[Any, Any, list[PeriodUsage]]
    ]
):
    def __init__(self, fetch_page: AsyncFetchQueryPage) -> None:
        self._fetch_page = fetch_page

    def _pager(
        self,
        queries: tuple[TokenUsageQuery, ...],
        page_size: int,
        starting_token: int,
        max_items: int | None,
        concurrency: int,
    ) -> AsyncTokenUsagePager:
        segments = tuple(functools.partial(self._fetch_page, query) for query in queries)
        return AsyncTokenUsagePager(segments, page_size, starting_token, max_items, concurrency)

    async def _sum(self, pager: AsyncTokenUsagePager) -> TokenUsageTotals:
        accumulator = TotalsAccumulator()
        async for item in pager:
            accumulator.add(item)
        return accumulator.result()

    async def _group(self, pager: AsyncTokenUsagePager, grouping: PeriodAccumulator) -> list[PeriodUsage]:
        async for item in pager:
            grouping.add(item)
        return grouping.rows()
