"""Where a walk is and whether a page can be trusted, without I/O: the offset cursor and the keyset cursor.

A cursor says which page to ask for next (``PageRequest``), judges each page before it is used (``suspect``:
does the server's echo of ``starting_token``/``limit`` match what was asked, is an empty page after a full one
real) and advances past it (``accept``). The pagers do the I/O: a suspect page is asked for once more on a fresh
connection, and a second suspect answer ends the walk with ``PaginationError``.

The keyset cursor is what makes a walk stable while the data changes: after the first page it asks for records
at or past the last ``created_at`` it returned (``resume_from``, inclusive) and drops the ids it already returned
at that instant, so records deleted or inserted elsewhere in the range cannot shift what the next page holds, as
they shift offsets. Only a run of records sharing one instant longer than a page is walked by offset within it.
"""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Callable, Hashable
from typing import TYPE_CHECKING, Any, NamedTuple, TypeVar

from ._errors import PaginationError

if TYPE_CHECKING:
    from ._pagination import OffsetPage

PageT = TypeVar("PageT", bound="OffsetPage[Any]")
WalkKey = tuple[datetime.datetime, Hashable]
"""What orders a keyset walk: an item's ``created_at`` and an id unique among the items of that instant."""

MAX_EMPTY_PAGES = 3
"""Consecutive pages that bring nothing new yet promise more after which the walk stops with ``PaginationError``."""


@dataclasses.dataclass(frozen=True, slots=True)
class PageRequest:
    """One page to fetch. ``resume_from`` (keyset walks) narrows the query to records at or past that instant in
    the walk's order."""

    starting_token: int
    limit: int
    resume_from: datetime.datetime | None = None


@dataclasses.dataclass(frozen=True, slots=True)
class PageEcho:
    """What a page says it is: the server echoes the request's ``starting_token`` and ``limit`` (None if absent)."""

    starting_token: object
    limit: object
    paginated: object


class Suspicion(NamedTuple):
    """Why a page is not used as it is. ``confirmable``: the same answer twice is believed (an empty last page)."""

    message: str
    confirmable: bool


def _echo_problem(page: OffsetPage[Any], request: PageRequest, later: bool) -> str | None:
    echo = page.echo
    if echo is None:  # a page type without an echo to check
        return None
    asked = f"starting_token={request.starting_token}, limit={request.limit}"
    if not (_is_count(echo.starting_token, request.starting_token) and _is_count(echo.limit, request.limit)):
        said = f"starting_token={_shown(echo.starting_token)}, limit={_shown(echo.limit)}"
        return f"a request for the page at {asked} was answered with a page that says {said}"
    if later and echo.paginated is not True:
        return f"the page at {asked} says paginated={_shown(echo.paginated)} after earlier pages of the same walk"
    return None


def _is_count(echoed: object, asked: int) -> bool:
    return isinstance(echoed, int) and not isinstance(echoed, bool) and echoed == asked


def _shown(value: object) -> str:
    return "(missing)" if value is None else repr(value)


@dataclasses.dataclass(slots=True)
class _Trust:
    """What both cursors check before a page is used: the echo, and an empty page after a full one."""

    pages: int = 0
    last_full: bool = False

    def suspect(self, page: OffsetPage[Any], request: PageRequest) -> Suspicion | None:
        problem = _echo_problem(page, request, later=self.pages > 0)
        if problem is not None:
            return Suspicion(f"wrong page: {problem}", confirmable=False)
        if self.last_full and not page.items:
            return Suspicion(f"an empty page at starting_token={request.starting_token} after a full one", True)
        return None

    def accepted(self, page: OffsetPage[Any], request: PageRequest) -> None:
        self.pages += 1
        self.last_full = len(page.items) >= request.limit


def settle(first: Suspicion, second: Suspicion | None) -> None:
    """After a suspect page was asked for again on a fresh connection: use the second answer, or stop. The
    same confirmable answer twice (an empty last page) is believed; a wrong page twice is not."""
    if second is None or (first.confirmable and second.confirmable):
        return
    raise PaginationError(
        f"{second.message} (asked twice, the second time on a fresh connection; first: {first.message}); "
        "stopping rather than losing or repeating records"
    )


@dataclasses.dataclass(slots=True)
class OffsetCursor:
    """An offset walk (``starting_token`` += items): used to resume from a token, and for page types without keys.

    It holds the server to offset pagination's promise, ``next_starting_token == starting_token + len(items)``,
    so a page can be neither skipped nor repeated unnoticed; it cannot see records that move between pages.
    """

    page_size: int
    next_token: int | None = 0
    remaining: int | None = None
    verify_offsets: bool = True
    trust: _Trust = dataclasses.field(default_factory=_Trust)
    _last: tuple[int, int] | None = None  # (starting_token, items) of the last page accepted
    _empty_pages: int = 0

    def next_request(self) -> PageRequest | None:
        """The next page, or None when the walk is over.

        Following a token that breaks offset pagination is the error, so the page that carried it is still
        delivered and a walk that would stop anyway (``max_items`` reached) ends normally.
        """
        if self.next_token is None or self.remaining == 0:
            return None
        if self._last is not None:
            _check_token(self.next_token, *self._last, verify=self.verify_offsets)
            if self._empty_pages >= MAX_EMPTY_PAGES:
                raise PaginationError(
                    f"{self._empty_pages} empty pages in a row still carried a next_starting_token "
                    f"(last {self.next_token}); stopping"
                )
        limit = self.page_size if self.remaining is None else min(self.page_size, self.remaining)
        return PageRequest(self.next_token, limit)

    def suspect(self, page: OffsetPage[Any], request: PageRequest) -> Suspicion | None:
        return self.trust.suspect(page, request)

    def accept(self, page: PageT, request: PageRequest) -> PageT:
        """Advance past ``page`` and return what the caller should see of it."""
        _check_size(page, request)
        self.trust.accepted(page, request)
        self._empty_pages = 0 if page.items else self._empty_pages + 1
        self._last = (request.starting_token, len(page.items))
        self.next_token = page.next_starting_token
        if self.remaining is not None:
            if len(page.items) > self.remaining:
                page = page.trimmed(self.remaining)
            self.remaining -= len(page.items)
        return page


def _check_size(page: OffsetPage[Any], request: PageRequest) -> None:
    if len(page.items) > request.limit:
        raise PaginationError(
            f"server returned {len(page.items)} items for a page of limit={request.limit} at starting_token="
            f"{request.starting_token}; refusing a page that cannot be reconciled with its offsets"
        )


def _check_token(next_token: int, started: int, received: int, *, verify: bool) -> None:
    if next_token <= started:
        raise PaginationError(
            f"server returned next_starting_token={next_token} for a page requested at "
            f"starting_token={started}; stopping instead of repeating pages"
        )
    if verify and next_token != started + received:
        raise PaginationError(
            f"server returned next_starting_token={next_token} for a page of {received} items requested at "
            f"starting_token={started}; offset pagination promises {started + received}. Stopping instead of "
            "skipping or repeating records (pass verify_offsets=False for a server known to count otherwise)"
        )


@dataclasses.dataclass(slots=True)
class KeysetCursor:
    """A walk in ``created_at`` order that resumes from the last instant it returned (see the module docstring).

    Each page after the first asks for ``created_at >= last`` (``<=`` newest first) from offset 0, so it
    starts with the records of the last instant already returned, which are dropped by id; it asks for that many
    records more than ``page_size`` (usually one), so the walk makes as many requests as an offset walk. Only when
    one instant holds at least a page of records does the next page skip them by offset (``starting_token`` = how
    many of that instant were returned): a deletion inside such an instant during the walk can still shift that
    page.

    ``before`` pins the walk to the moment it started: records created at or after it are left out (an ascending
    walk ends at the first one), so live traffic neither lengthens a walk nor shows up in it.
    """

    page_size: int
    ascending: bool
    remaining: int | None = None
    before: datetime.datetime | None = None
    verify_offsets: bool = True
    trust: _Trust = dataclasses.field(default_factory=_Trust)
    _boundary: datetime.datetime | None = None
    _returned_at_boundary: set[Hashable] = dataclasses.field(default_factory=set)
    _done: bool = False
    _pending: PaginationError | None = None  # raised when the walk tries to go on, after its page was delivered
    _idle_pages: int = 0

    def next_request(self) -> PageRequest | None:
        if self._done or self.remaining == 0:
            return None
        if self._pending is not None:
            raise self._pending
        wanted = self.page_size if self.remaining is None else min(self.page_size, self.remaining)
        tied = len(self._returned_at_boundary)
        if tied < wanted:  # the page repeats these first: ask for that many more
            return PageRequest(0, wanted + tied, self._boundary)
        return PageRequest(tied, wanted, self._boundary)

    def suspect(self, page: OffsetPage[Any], request: PageRequest) -> Suspicion | None:
        return self.trust.suspect(page, request)

    def accept(self, page: PageT, request: PageRequest) -> PageT:
        _check_size(page, request)
        self.trust.accepted(page, request)
        received = len(page.items)
        page = self._fresh(page, request)
        if self._done or page.next_starting_token is None:
            self._done = True
        else:
            self._note_progress(page.next_starting_token, request, received, fresh=len(page.items))
        if self.remaining is not None:
            if len(page.items) > self.remaining:
                page = page.trimmed(self.remaining)
            self.remaining -= len(page.items)
        return page

    def _fresh(self, page: PageT, request: PageRequest) -> PageT:
        """The page narrowed to the items not returned yet, before the pin; the walk's position moves past them.

        Only the ends of a page are looked at (the server sorts it): the run at the last instant returned, which
        the page starts with, the pin, and the run at the page's last instant, which the next page starts with.
        Keys come from the page (``walk_key_at``), so a page that holds its records as columns is never parsed
        into objects for them.
        """
        count = len(page.items)
        if not count:
            return page
        key = page.walk_key_at
        low, high = self._before_pin(key, count)
        if low == high:
            return page.kept((), low, high)
        boundary, returned = self._boundary, self._returned_at_boundary
        self._check_order(key(low)[0], request)
        repeated: list[int] = []  # the page's run at the last instant returned: only the ids not returned yet
        while low < high and (current := key(low))[0] == boundary:
            if current[1] not in returned:
                repeated.append(low)
            low += 1
        if repeated or low or high < count:
            page = page.kept(repeated, low, high)  # this walk's own page; the server's response stays as sent
        if page.items:
            self._remember(page, request)
        return page

    def _before_pin(self, key: Callable[[int], WalkKey], count: int) -> tuple[int, int]:
        """The span of the page's items created before the walk began: records after it are a prefix newest
        first, a suffix oldest first (which also ends the walk)."""
        low, high = 0, count
        before = self.before
        if before is None:
            return low, high
        if self.ascending:
            while high > low and key(high - 1)[0] >= before:
                high -= 1
            self._done = high < count
        else:
            while low < high and key(low)[0] >= before:
                low += 1
        return low, high

    def _remember(self, page: OffsetPage[Any], request: PageRequest) -> None:
        """Move the walk to the last instant of ``page`` and the ids returned at it."""
        key = page.walk_key_at
        index = len(page.items) - 1
        moment, identity = key(index)
        self._check_order(moment, request)
        returned = self._returned_at_boundary
        if moment != self._boundary:
            self._boundary, returned = moment, set()
        returned.add(identity)
        index -= 1
        while index >= 0 and (current := key(index))[0] == moment:
            returned.add(current[1])
            index -= 1
        self._returned_at_boundary = returned

    def _check_order(self, moment: datetime.datetime, request: PageRequest) -> None:
        """A record on the wrong side of the last instant returned: the server ignored the order or the filter."""
        if self._boundary is not None and moment != self._boundary and (moment < self._boundary) == self.ascending:
            order = "oldest" if self.ascending else "newest"
            raise PaginationError(
                f"the page at starting_token={request.starting_token} holds a record created at {moment.isoformat()} "
                f"after one created at {self._boundary.isoformat()} in a walk {order} first: the server ignored "
                "the walk's order or its created_at filter; stopping rather than repeating records"
            )

    def _note_progress(self, next_token: int, request: PageRequest, received: int, *, fresh: int) -> None:
        if self.verify_offsets:
            try:
                _check_token(next_token, request.starting_token, received, verify=True)
            except PaginationError as error:
                self._pending = error
        self._idle_pages = 0 if fresh else self._idle_pages + 1
        if self._idle_pages >= MAX_EMPTY_PAGES and self._pending is None:
            self._pending = PaginationError(
                f"{self._idle_pages} pages in a row were empty or held only records already returned, yet still "
                f"carried a next_starting_token (last {next_token}); stopping"
            )
