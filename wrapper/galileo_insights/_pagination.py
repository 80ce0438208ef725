"""Walking ``starting_token`` pages: one cursor decides, two thin pagers drive it (sync and async).

``PageCursor`` does no I/O: it says which token and limit to ask for next, and checks each page as it
arrives. Memory stays constant because pagers hold one page at a time.
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator

import attrs

from galileo_insights_api.models.log_stream_insight_token_usage_db import LogStreamInsightTokenUsageDB
from galileo_insights_api.models.logstream_insight_token_usage_response import LogstreamInsightTokenUsageResponse

from ._concurrent import ordered_in_tasks, ordered_in_threads
from ._data._pager_tables import AsyncTableMethods, TableMethods
from ._errors import PaginationError

FetchPage = Callable[[int, int], LogstreamInsightTokenUsageResponse]
AsyncFetchPage = Callable[[int, int], Awaitable[LogstreamInsightTokenUsageResponse]]


@attrs.define
class PageCursor:
    """Where the walk is: the next ``starting_token`` (None when done) and how many items may still come."""

    page_size: int
    next_token: int | None = 0
    remaining: int | None = None
    _last_requested: int | None = None

    def next_request(self) -> tuple[int, int] | None:
        """``(starting_token, limit)`` of the next page, or None when the walk is over.

        A ``next_starting_token`` that does not move forward would repeat pages forever (a spec mock such
        as Prism answers 0 every time). Following it is the error, so the page that carried it is still
        delivered and a walk that would stop anyway (``max_items`` reached) ends normally.
        """
        if self.next_token is None or self.remaining == 0:
            return None
        if self._last_requested is not None and self.next_token <= self._last_requested:
            raise PaginationError(
                f"server returned next_starting_token={self.next_token} for a page requested at "
                f"starting_token={self._last_requested}; stopping instead of repeating pages"
            )
        self._last_requested = self.next_token
        limit = self.page_size if self.remaining is None else min(self.page_size, self.remaining)
        return self.next_token, limit

    def accept(self, page: LogstreamInsightTokenUsageResponse) -> list[LogStreamInsightTokenUsageDB]:
        """Advance past ``page`` and return the items the caller should see from it."""
        items = list(page.token_usages) if isinstance(page.token_usages, list) else []
        if self.remaining is not None:
            items = items[: self.remaining]
            self.remaining -= len(items)
        self.next_token = page.next_starting_token if isinstance(page.next_starting_token, int) else None
        return items


Walked = tuple[LogstreamInsightTokenUsageResponse, list[LogStreamInsightTokenUsageDB]]


@attrs.define
class _ItemBudget:
    """``max_items`` over the whole walk, however many segments feed it: trims the page that crosses it.

    Each segment's cursor also caps its request ``limit`` by ``max_items``, but only this budget sees the
    segments together.
    """

    remaining: int | None

    def take(self, walked: Walked) -> Walked:
        page, items = walked
        if self.remaining is None:
            return walked
        items = items[: self.remaining]
        page.token_usages = items
        self.remaining -= len(items)
        return page, items

    @property
    def spent(self) -> bool:
        return self.remaining == 0


@attrs.define
class TokenUsagePager(TableMethods):
    """Every token-usage record of a query, fetched lazily one page at a time.

    Iterate it for items, or call ``pages()`` for the generated response objects. Each iteration
    starts a fresh walk. A pager has one segment per time window: one for a plain walk, several for a
    parallel export, whose windows are fetched ``concurrency`` at a time and read back in order.
    """

    _segments: tuple[FetchPage, ...]
    _page_size: int
    _starting_token: int = 0
    _max_items: int | None = None
    _concurrency: int = 1
    _buffer_pages: int = 64

    def _walk_segment(self, fetch: FetchPage) -> Iterator[Walked]:
        cursor = PageCursor(self._page_size, self._starting_token, self._max_items)
        while (request := cursor.next_request()) is not None:
            page = fetch(*request)
            items = cursor.accept(page)
            page.token_usages = items
            yield page, items

    def _walk(self) -> Iterator[Walked]:
        segments = [functools.partial(self._walk_segment, fetch) for fetch in self._segments]
        if self._concurrency > 1 and len(segments) > 1:
            walked = ordered_in_threads(segments, self._concurrency, self._buffer_pages)
        else:
            walked = itertools.chain.from_iterable(segment() for segment in segments)
        budget = _ItemBudget(self._max_items)
        for page_and_items in walked:
            yield budget.take(page_and_items)
            if budget.spent:
                return

    def pages(self) -> Iterator[LogstreamInsightTokenUsageResponse]:
        for page, _ in self._walk():
            yield page

    def __iter__(self) -> Iterator[LogStreamInsightTokenUsageDB]:
        for _, items in self._walk():
            yield from items


@attrs.define
class AsyncTokenUsagePager(AsyncTableMethods):
    """The async twin of ``TokenUsagePager``: ``async for`` items, or ``async for`` over ``pages()``."""

    _segments: tuple[AsyncFetchPage, ...]
    _page_size: int
    _starting_token: int = 0
    _max_items: int | None = None
    _concurrency: int = 1
    _buffer_pages: int = 64

    async def _walk_segment(self, fetch: AsyncFetchPage) -> AsyncIterator[Walked]:
        cursor = PageCursor(self._page_size, self._starting_token, self._max_items)
        while (request := cursor.next_request()) is not None:
            page = await fetch(*request)
            items = cursor.accept(page)
            page.token_usages = items
            yield page, items

    async def _sequential(self) -> AsyncIterator[Walked]:
        for fetch in self._segments:
            async for walked in self._walk_segment(fetch):
                yield walked

    async def _walk(self) -> AsyncIterator[Walked]:
        if self._concurrency > 1 and len(self._segments) > 1:
            segments = [functools.partial(self._walk_segment, fetch) for fetch in self._segments]
            walked = ordered_in_tasks(segments, self._concurrency, self._buffer_pages)
        else:
            walked = self._sequential()
        budget = _ItemBudget(self._max_items)
        async for page_and_items in walked:
            yield budget.take(page_and_items)
            if budget.spent:
                return

    async def pages(self) -> AsyncIterator[LogstreamInsightTokenUsageResponse]:
        async for page, _ in self._walk():
            yield page

    async def __aiter__(self) -> AsyncIterator[LogStreamInsightTokenUsageDB]:
        async for _, items in self._walk():
            for item in items:
                yield item
