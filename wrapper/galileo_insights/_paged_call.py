"""The adapter between a paginated operation and the pagers, for any endpoint: plan, segments, page fetches.

A paginated endpoint gives a query (``PagedQuery``: the JSON body of one page), the generated operation's
``request_kwargs`` and a parse function that turns a 2xx body into its page class; ``sync_fetches`` and
``async_fetches`` turn a ``PagedPlan`` into the fetch callables a ``Pager`` walks. A fetch prepares its call once
per segment (URL, headers, on first use, after the target's names are resolved) and then sends one body per page
through the client's sending core.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from typing import Any, Generic, Protocol, TypeVar

import attrs
import httpx

from ._base_client import AsyncAPIClient, BaseClient, PreparedCall, SyncAPIClient
from ._errors import ConfigurationError
from ._options import EffectiveOptions
from ._page_cursors import PageRequest
from ._pagination import OffsetPage, _Walk

PageT = TypeVar("PageT", bound=OffsetPage[Any])
PAGING_KEYS = ("starting_token", "limit")


class PagedQuery(Protocol):
    """A validated query of a paginated operation: the JSON body of one page."""

    def body(self, request: PageRequest) -> dict[str, Any]: ...


RequestKwargs = Callable[..., dict[str, Any]]
"""The generated operation's ``request_kwargs(*path_args)``: method, URL and headers of one request."""
ParsePage = Callable[[httpx.Response, object, PageRequest], PageT]


@attrs.frozen
class PagedPlan(Generic[PageT]):
    """A ``list()`` call resolved into what to fetch: one query per segment, how to walk, request options."""

    queries: tuple[PagedQuery, ...]
    walk: _Walk
    options: EffectiveOptions
    request_kwargs: RequestKwargs
    parse: ParsePage[PageT]
    parse_undecoded: ParsePage[Any] | None = None
    """Optional: the page from its undecoded bytes (the token-usage tables read them straight into Arrow)."""


def refuse_paging_keys(extra_body: Mapping[str, object] | None, query: PagedQuery) -> None:
    """``extra_body`` must not replace what the SDK sets on a paginated call: a window's filters, the sort or the
    paging fields, silently overridden, would walk other records than the ones asked for."""
    if not extra_body or not isinstance(extra_body, Mapping):
        return
    owned = set(query.body(PageRequest(0, 1))) | set(PAGING_KEYS)
    clashes = sorted(str(key) for key in extra_body if key in owned)
    if clashes:
        raise ConfigurationError(
            f"extra_body sets {', '.join(clashes)}, which the SDK sets itself on every page of a paginated call "
            "(use the method's own arguments: filters=, created_since=/created_before=, ascending=, page_size=)"
        )


class _Segment:
    """One query's page fetches: the call is prepared on first use, then each page only swaps its body."""

    def __init__(self, client: BaseClient[Any], plan: PagedPlan[Any], query: PagedQuery) -> None:
        self._client = client
        self._plan = plan
        self.query = query
        self.call: PreparedCall | None = None

    def prepare(self, path_args: tuple[Any, ...]) -> PreparedCall:
        self.call = self._client._prepare(self._plan.request_kwargs(*path_args), self._plan.options)
        return self.call

    def parse_undecoded(self) -> ParsePage[Any]:
        if self._plan.parse_undecoded is None:
            raise TypeError("this paginated call has no undecoded page parser")
        return self._plan.parse_undecoded


class SyncFetch(Generic[PageT]):
    """Fetches one segment's pages with a sync client; ``path_args`` resolves the target once, on first use."""

    def __init__(
        self, client: SyncAPIClient, path_args: Callable[[], tuple[Any, ...]], segment: _Segment, plan: PagedPlan[PageT]
    ) -> None:
        self._client = client
        self._path_args = path_args
        self._segment = segment
        self._parse = plan.parse

    def __call__(self, request: PageRequest) -> PageT:
        call = self._segment.call or self._segment.prepare(self._path_args())
        parse = self._parse
        return self._client._send(
            call, self._segment.query.body(request), lambda response, document: parse(response, document, request)
        )

    def undecoded(self, request: PageRequest) -> Any:
        """The same page parsed from its undecoded body by the plan's ``parse_undecoded``."""
        call = self._segment.call or self._segment.prepare(self._path_args())
        parse = self._segment.parse_undecoded()
        body = self._segment.query.body(request)
        return self._client._send(call, body, lambda response, content: parse(response, content, request), decode=False)


class AsyncFetch(Generic[PageT]):
    """The async twin of ``SyncFetch``."""

    def __init__(
        self,
        client: AsyncAPIClient,
        path_args: Callable[[], Awaitable[tuple[Any, ...]]],
        segment: _Segment,
        plan: PagedPlan[PageT],
    ) -> None:
        self._client = client
        self._path_args = path_args
        self._segment = segment
        self._parse = plan.parse

    async def __call__(self, request: PageRequest) -> PageT:
        call = self._segment.call or self._segment.prepare(await self._path_args())
        parse = self._parse
        return await self._client._send(
            call, self._segment.query.body(request), lambda response, document: parse(response, document, request)
        )

    async def undecoded(self, request: PageRequest) -> Any:
        call = self._segment.call or self._segment.prepare(await self._path_args())
        parse = self._segment.parse_undecoded()
        body = self._segment.query.body(request)
        return await self._client._send(
            call, body, lambda response, content: parse(response, content, request), decode=False
        )


def sync_fetches(
    client: SyncAPIClient, path_args: Callable[[], tuple[Any, ...]], plan: PagedPlan[PageT]
) -> list[SyncFetch[PageT]]:
    return [SyncFetch(client, path_args, _Segment(client, plan, query), plan) for query in plan.queries]


def async_fetches(
    client: AsyncAPIClient, path_args: Callable[[], Awaitable[tuple[Any, ...]]], plan: PagedPlan[PageT]
) -> list[AsyncFetch[PageT]]:
    return [AsyncFetch(client, path_args, _Segment(client, plan, query), plan) for query in plan.queries]
