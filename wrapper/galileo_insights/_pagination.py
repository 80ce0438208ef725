"""Offset pagination for any listing: a page type, a cursor that checks the server, and sync/async pagers.

A listing paginated by ``starting_token``/``limit``/``next_starting_token`` plugs in by giving a page
class (how to read its items and next token, see ``OffsetPage``) and a fetch function per segment. The
``PageCursor`` does no I/O: it says what to ask for next and holds the server to offset pagination's
promise, ``next_starting_token == starting_token + len(items)``, so a page can be neither skipped nor
repeated unnoticed. Pagers hold one page at a time per segment (constant memory).
"""

from __future__ import annotations

import contextlib
import copy
import functools
from collections.abc import AsyncGenerator, AsyncIterator, Awaitable, Callable, Generator, Iterator, Sequence
from typing import Any, Generic, Self, TypeVar

import attrs
import httpx

from ._concurrent import ordered_in_tasks, ordered_in_threads
from ._constants import PARALLEL_READ_AHEAD
from ._errors import PaginationError, request_id_of

ItemT = TypeVar("ItemT")

MAX_EMPTY_PAGES = 3
"""Consecutive empty pages that still carry a next token after which the walk stops with ``PaginationError``
(reachable with ``verify_offsets=False``; with it, an empty page whose token moves is already an error)."""


class OffsetPage(Generic[ItemT]):
    """One page of a listing as the server sent it: its items, where it started, where the next one starts.

    ``http_response`` is the HTTP response (headers, status; its body already read); subclasses add the
    endpoint's generated response model. Nothing here mutates what the server sent: a page cut short by
    ``max_items`` is a new page object over a shorter item list.
    """

    def __init__(
        self,
        items: Sequence[ItemT],
        *,
        starting_token: int,
        limit: int,
        next_starting_token: int | None,
        http_response: httpx.Response,
    ) -> None:
        self.items = items
        self.starting_token = starting_token
        self.limit = limit
        self.next_starting_token = next_starting_token
        self.http_response = http_response
        self._fetch_next: Callable[[int, int], Self] | None = None
        self._fetch_next_async: Callable[[int, int], Awaitable[Self]] | None = None

    @property
    def request_id(self) -> str | None:
        return request_id_of(self.http_response)

    def has_next_page(self) -> bool:
        return self.next_starting_token is not None

    def get_next_page(self) -> Self:
        """Fetch the page after this one (same query and limit); ``PaginationError`` if there is none."""
        if self._fetch_next is None:
            raise PaginationError(self._no_next("get_next_page"))
        page = self._fetch_next(self._next_token("get_next_page"), self.limit)
        page._fetch_next = self._fetch_next
        return page

    async def aget_next_page(self) -> Self:
        """The async twin of ``get_next_page`` (pages of async pagers)."""
        if self._fetch_next_async is None:
            raise PaginationError(self._no_next("aget_next_page"))
        page = await self._fetch_next_async(self._next_token("aget_next_page"), self.limit)
        page._fetch_next_async = self._fetch_next_async
        return page

    def _next_token(self, method: str) -> int:
        if self.next_starting_token is None:
            raise PaginationError(f"{method}(): this is the last page (next_starting_token is null)")
        return self.next_starting_token

    def _no_next(self, method: str) -> str:
        kind = "an async" if self._fetch_next_async is not None else "a sync"
        return f"{method}() is not available on this page: it came from {kind} pager"

    def trimmed(self, count: int) -> Self:
        """A copy of this page with only its first ``count`` items (what ``max_items`` lets through)."""
        page = copy.copy(self)
        page.items = self.items[:count]
        return page

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(items={len(self.items)}, starting_token={self.starting_token}, "
            f"next_starting_token={self.next_starting_token})"
        )


PageT = TypeVar("PageT", bound="OffsetPage[Any]")
FetchPage = Callable[[int, int], PageT]
AsyncFetchPage = Callable[[int, int], Awaitable[PageT]]


@attrs.define
class PageCursor:
    """Where one walk is: the next ``starting_token`` (None when done) and how many items may still come."""

    page_size: int
    next_token: int | None = 0
    remaining: int | None = None
    verify_offsets: bool = True
    _last: tuple[int, int] | None = None  # (starting_token, items) of the last page accepted
    _empty_pages: int = 0

    def next_request(self) -> tuple[int, int] | None:
        """``(starting_token, limit)`` of the next page, or None when the walk is over.

        Following a token that breaks offset pagination is the error, so the page that carried it is still
        delivered and a walk that would stop anyway (``max_items`` reached) ends normally.
        """
        if self.next_token is None or self.remaining == 0:
            return None
        if self._last is not None:
            self._check_token(*self._last)
        limit = self.page_size if self.remaining is None else min(self.page_size, self.remaining)
        return self.next_token, limit

    def _check_token(self, started: int, received: int) -> None:
        assert self.next_token is not None  # next_request returns before checking a finished walk
        if self.next_token <= started:
            raise PaginationError(
                f"server returned next_starting_token={self.next_token} for a page requested at "
                f"starting_token={started}; stopping instead of repeating pages"
            )
        if self.verify_offsets and self.next_token != started + received:
            raise PaginationError(
                f"server returned next_starting_token={self.next_token} for a page of {received} items requested at "
                f"starting_token={started}; offset pagination promises {started + received}. Stopping instead of "
                "skipping or repeating records (pass verify_offsets=False for a server known to count otherwise)"
            )
        if self._empty_pages >= MAX_EMPTY_PAGES:
            raise PaginationError(
                f"{self._empty_pages} empty pages in a row still carried a next_starting_token "
                f"(last {self.next_token}); stopping"
            )

    def accept(self, page: PageT, requested: tuple[int, int]) -> PageT:
        """Advance past ``page`` and return what the caller should see of it."""
        starting_token, limit = requested
        if len(page.items) > limit:
            raise PaginationError(
                f"server returned {len(page.items)} items for a page of limit={limit} at starting_token="
                f"{starting_token}; refusing a page that cannot be reconciled with its offsets"
            )
        self._empty_pages = 0 if page.items else self._empty_pages + 1
        self._last = (starting_token, len(page.items))
        self.next_token = page.next_starting_token
        if self.remaining is not None:
            if len(page.items) > self.remaining:
                page = page.trimmed(self.remaining)
            self.remaining -= len(page.items)
        return page


@attrs.define
class _ItemBudget:
    """``max_items`` over the whole walk, however many segments feed it: trims the page that crosses it."""

    remaining: int | None

    def take(self, page: PageT) -> PageT:
        if self.remaining is None:
            return page
        if len(page.items) > self.remaining:
            page = page.trimmed(self.remaining)
        self.remaining -= len(page.items)
        return page

    @property
    def spent(self) -> bool:
        return self.remaining == 0


@attrs.define
class _Walk:
    """How a pager walks, shared by the sync and async pagers."""

    page_size: int
    starting_token: int = 0
    max_items: int | None = None
    concurrency: int = 1
    verify_offsets: bool = True
    read_ahead: int = PARALLEL_READ_AHEAD

    def cursor(self) -> PageCursor:
        return PageCursor(self.page_size, self.starting_token, self.max_items, self.verify_offsets)


def _records(page: OffsetPage[Any]) -> int:
    """What a page weighs in a parallel walk's read-ahead: its records (an empty page still counts one)."""
    return max(1, len(page.items))


class Pager(Generic[PageT, ItemT]):
    """Every item of a listing, fetched lazily one page at a time; iterate it, or call ``pages()``.

    Each iteration starts a fresh walk. A pager has one segment per time window: one for a plain walk,
    several for a parallel export, whose windows are fetched ``concurrency`` at a time and read back in order.
    """

    def __init__(self, segments: Sequence[FetchPage[PageT]], walk: _Walk) -> None:
        self._segments = tuple(segments)
        self._walk_options = walk

    def _walk_segment(self, fetch: FetchPage[PageT]) -> Iterator[PageT]:
        cursor = self._walk_options.cursor()
        while (request := cursor.next_request()) is not None:
            page = fetch(*request)
            page._fetch_next = fetch
            yield cursor.accept(page, request)

    def _walk(self) -> Generator[PageT, None, None]:
        walk = self._walk_options
        segments = [functools.partial(self._walk_segment, fetch) for fetch in self._segments]
        pages: Generator[PageT, None, None]
        if walk.concurrency > 1 and len(segments) > 1:
            pages = ordered_in_threads(segments, walk.concurrency, walk.read_ahead, _records)
        else:
            pages = (page for segment in segments for page in segment())
        budget = _ItemBudget(walk.max_items)
        # closed explicitly, not left to the garbage collector: closing the threads' walk is what stops them
        with contextlib.closing(pages):
            for page in pages:
                yield budget.take(page)
                if budget.spent:
                    return

    def pages(self) -> Iterator[PageT]:
        yield from self._walk()

    def __iter__(self) -> Iterator[ItemT]:
        with contextlib.closing(self._walk()) as pages:
            for page in pages:
                yield from page.items


class AsyncPager(Generic[PageT, ItemT]):
    """The async twin of ``Pager``: ``async for`` items, or ``async for`` over ``pages()``."""

    def __init__(self, segments: Sequence[AsyncFetchPage[PageT]], walk: _Walk) -> None:
        self._segments = tuple(segments)
        self._walk_options = walk

    async def _walk_segment(self, fetch: AsyncFetchPage[PageT]) -> AsyncIterator[PageT]:
        cursor = self._walk_options.cursor()
        while (request := cursor.next_request()) is not None:
            page = await fetch(*request)
            page._fetch_next_async = fetch
            yield cursor.accept(page, request)

    async def _sequential(self) -> AsyncGenerator[PageT, None]:
        for fetch in self._segments:
            async for page in self._walk_segment(fetch):
                yield page

    async def _walk(self) -> AsyncGenerator[PageT, None]:
        walk = self._walk_options
        pages: AsyncGenerator[PageT, None]
        if walk.concurrency > 1 and len(self._segments) > 1:
            segments = [functools.partial(self._walk_segment, fetch) for fetch in self._segments]
            pages = ordered_in_tasks(segments, walk.concurrency, walk.read_ahead, _records)
        else:
            pages = self._sequential()
        budget = _ItemBudget(walk.max_items)
        async with contextlib.aclosing(pages):  # as the sync walk: stopping the tasks must not wait for a collector
            async for page in pages:
                yield budget.take(page)
                if budget.spent:
                    return

    async def pages(self) -> AsyncIterator[PageT]:
        async for page in self._walk():
            yield page

    async def __aiter__(self) -> AsyncIterator[ItemT]:
        async with contextlib.aclosing(self._walk()) as pages:
            async for page in pages:
                for item in page.items:
                    yield item
