"""Pagination for any listing: a page type, and sync/async pagers that walk pages through a cursor.

A listing paginated by ``starting_token``/``limit``/``next_starting_token`` plugs in by giving a page
class (how to read its items, next token and echo, see ``OffsetPage``) and a fetch function per segment
(``_paged_call`` builds those). The cursors (``_page_cursors``) do no I/O: they say what to ask for next and
judge each page. The pagers do the I/O: a page the cursor suspects (the server's echo does not match the
request, an empty page after a full one) is asked for once more on a fresh connection, and a second suspect
answer ends the walk with ``PaginationError``. Pagers hold one page at a time per segment (constant memory).
"""

from __future__ import annotations

import contextlib
import copy
import datetime
import functools
from collections.abc import AsyncGenerator, AsyncIterator, Awaitable, Callable, Generator, Iterator, Sequence
from typing import Any, Generic, Self, TypeVar

import attrs
import httpx

from ._concurrent import ordered_in_tasks, ordered_in_threads
from ._constants import PARALLEL_READ_AHEAD
from ._errors import PaginationError, request_id_of
from ._page_cursors import (
    MAX_EMPTY_PAGES,
    KeysetCursor,
    OffsetCursor,
    PageEcho,
    PageRequest,
    WalkKey,
    settle,
)

__all__ = ["MAX_EMPTY_PAGES", "AsyncPager", "OffsetPage", "PageEcho", "PageRequest", "Pager"]

ItemT = TypeVar("ItemT")


class OffsetPage(Generic[ItemT]):
    """One page of a listing as the server sent it: its items, where it started, where the next one starts.

    ``http_response`` is the HTTP response (headers, status; its body already read); subclasses add the
    endpoint's generated response model. ``echo`` is what the server said the page is (None: the listing
    echoes nothing).
    Nothing here mutates what the server sent: a page cut short by ``max_items`` is a new page object over a
    shorter item list.
    """

    def __init__(
        self,
        items: Sequence[ItemT],
        *,
        starting_token: int,
        limit: int,
        next_starting_token: int | None,
        http_response: httpx.Response,
        echo: PageEcho | None = None,
    ) -> None:
        self.items = items
        self.starting_token = starting_token
        self.limit = limit
        self.next_starting_token = next_starting_token
        self.http_response = http_response
        self.echo = echo
        self._request = PageRequest(starting_token, limit)
        self._fetch_next: FetchPage[Self] | None = None
        self._fetch_next_async: AsyncFetchPage[Self] | None = None

    @property
    def request_id(self) -> str | None:
        return request_id_of(self.http_response)

    def has_next_page(self) -> bool:
        return self.next_starting_token is not None

    def get_next_page(self) -> Self:
        """Fetch the page after this one (same query and limit); ``PaginationError`` if there is none."""
        if self._fetch_next is None:
            raise PaginationError(self._no_next("get_next_page"))
        page = self._fetch_next(self._next_request("get_next_page"))
        page._fetch_next = self._fetch_next
        return page

    async def aget_next_page(self) -> Self:
        """The async twin of ``get_next_page`` (pages of async pagers)."""
        if self._fetch_next_async is None:
            raise PaginationError(self._no_next("aget_next_page"))
        page = await self._fetch_next_async(self._next_request("aget_next_page"))
        page._fetch_next_async = self._fetch_next_async
        return page

    def _next_request(self, method: str) -> PageRequest:
        if self.next_starting_token is None:
            raise PaginationError(f"{method}(): this is the last page (next_starting_token is null)")
        return PageRequest(self.next_starting_token, self.limit, self._request.resume_from)

    def _no_next(self, method: str) -> str:
        kind = "an async" if self._fetch_next_async is not None else "a sync"
        return f"{method}() is not available on this page: it came from {kind} pager"

    def _discard_connection(self) -> None:
        """Close the connection this page came on, so asking again opens a fresh one (a connection that
        delivered a wrong page may hold a stray response for the next request)."""
        stream = self.http_response.extensions.get("network_stream")
        if stream is not None and hasattr(stream, "close"):
            with contextlib.suppress(Exception):
                stream.close()

    async def _adiscard_connection(self) -> None:
        stream = self.http_response.extensions.get("network_stream")
        if stream is not None and hasattr(stream, "aclose"):
            with contextlib.suppress(Exception):
                await stream.aclose()

    def trimmed(self, count: int) -> Self:
        """A copy of this page with only its first ``count`` items (what ``max_items`` lets through)."""
        page = copy.copy(self)
        page.items = self.items[:count]
        return page

    def walk_key_at(self, index: int) -> WalkKey:
        """The item at ``index``'s place in a keyset walk (``created_at``, id); a page type that supports keyset
        walks says how to read it."""
        raise TypeError(f"{type(self).__name__} has no walk key: walk it by offset")

    def kept(self, chosen: Sequence[int], low: int, high: int) -> Self:
        """A copy of this page holding the items at ``chosen``, then ``items[low:high]`` (what a keyset walk
        has not returned yet)."""
        page = copy.copy(self)
        items = self.items
        page.items = [*(items[index] for index in chosen), *items[low:high]]
        return page

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(items={len(self.items)}, starting_token={self.starting_token}, "
            f"next_starting_token={self.next_starting_token})"
        )


PageT = TypeVar("PageT", bound="OffsetPage[Any]")
FetchPage = Callable[[PageRequest], PageT]
AsyncFetchPage = Callable[[PageRequest], Awaitable[PageT]]
Cursor = OffsetCursor | KeysetCursor


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
    """How a pager walks, shared by the sync and async pagers.

    ``keyset`` (for a page type with ``walk_key_at``, when the walk starts at the beginning) walks by
    ``created_at``; ``pin`` sets the walk's upper bound to the moment each walk starts (a walk is a
    snapshot as of then), for walks whose query has no upper bound of its own.
    """

    page_size: int
    starting_token: int = 0
    max_items: int | None = None
    concurrency: int = 1
    verify_offsets: bool = True
    read_ahead: int = PARALLEL_READ_AHEAD
    ascending: bool = False
    keyset: bool = False
    pin: bool = False

    def cursor(self) -> Cursor:
        if not self.keyset:
            return OffsetCursor(self.page_size, self.starting_token, self.max_items, self.verify_offsets)
        before = datetime.datetime.now(datetime.UTC) if self.pin else None
        return KeysetCursor(self.page_size, self.ascending, self.max_items, before, self.verify_offsets)


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
            page = fetch(request)
            suspicion = cursor.suspect(page, request)
            if suspicion is not None:
                page._discard_connection()
                page = fetch(request)
                settle(suspicion, cursor.suspect(page, request))
            page._fetch_next = fetch
            page._request = request
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
            page = await fetch(request)
            suspicion = cursor.suspect(page, request)
            if suspicion is not None:
                await page._adiscard_connection()
                page = await fetch(request)
                settle(suspicion, cursor.suspect(page, request))
            page._fetch_next_async = fetch
            page._request = request
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
