"""A page of token-usage records, and the pagers over them.

The page is the generic ``OffsetPage`` plus the generated ``LogstreamInsightTokenUsageResponse`` it came
from; ``parse_page`` is the one place that reads that response's items and next token.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Iterator
from typing import TYPE_CHECKING, Any, cast

import httpx

from galileo_insights_api.models.log_stream_insight_token_usage_db import LogStreamInsightTokenUsageDB
from galileo_insights_api.models.logstream_insight_token_usage_response import LogstreamInsightTokenUsageResponse

from ..._errors import ResponseValidationError
from ..._page_cursors import PageEcho, PageRequest, WalkKey
from ..._pagination import AsyncPager, OffsetPage, Pager
from ._data._pager_tables import AsyncTableMethods, TableMethods
from ._record_fields import as_utc


def walk_key(item: LogStreamInsightTokenUsageDB) -> WalkKey:
    """A naive ``created_at`` is UTC (what the API means by it), so it orders and filters with aware ones."""
    moment = item.created_at
    return (moment if moment.tzinfo is not None else as_utc(moment)), item.id


if TYPE_CHECKING:
    import pyarrow as pa

    from ._data._columnar import AsyncColumnarFetch, ColumnarFetch, ColumnarPage


class TokenUsagePage(OffsetPage[LogStreamInsightTokenUsageDB]):
    """One page of ``token_usage.list()``: ``items``, tokens, ``response`` (generated) and ``http_response``."""

    def __init__(
        self,
        response: LogstreamInsightTokenUsageResponse,
        *,
        starting_token: int,
        limit: int,
        http_response: httpx.Response,
        echo: PageEcho | None = None,
    ) -> None:
        items = response.token_usages if isinstance(response.token_usages, list) else []
        next_token = response.next_starting_token if isinstance(response.next_starting_token, int) else None
        super().__init__(
            items,
            starting_token=starting_token,
            limit=limit,
            next_starting_token=next_token,
            http_response=http_response,
            echo=echo,
        )
        self.response = response

    def walk_key_at(self, index: int) -> WalkKey:
        return walk_key(self.items[index])


def parse_page(http_response: httpx.Response, document: object, request: PageRequest) -> TokenUsagePage:
    """The page in a 2xx body; a malformed page shape is an error, never an empty or endless page. What the
    server echoes of the request is kept for the pager to check (absent fields stay None, never a default)."""
    if not isinstance(document, dict):
        raise ResponseValidationError(
            f"response body is a JSON {type(document).__name__}, expected an object", response=http_response
        )
    _check_page_shape(document, http_response)
    response = LogstreamInsightTokenUsageResponse.from_dict(document)
    echo = PageEcho(document.get("starting_token"), document.get("limit"), document.get("paginated"))
    return TokenUsagePage(
        response,
        starting_token=request.starting_token,
        limit=request.limit,
        http_response=http_response,
        echo=echo,
    )


def _check_page_shape(document: dict[str, Any], response: httpx.Response) -> None:
    """What pagination relies on. Both fields are optional in the spec: an absent token means no further
    page, absent items an empty one."""
    token = document.get("next_starting_token")
    if token is not None and (isinstance(token, bool) or not isinstance(token, int)):
        raise ResponseValidationError(
            f"next_starting_token must be an integer or null, got {token!r}", response=response
        )
    items = document.get("token_usages", [])
    if not isinstance(items, list):
        raise ResponseValidationError(f"token_usages must be a list, got {type(items).__name__}", response=response)


class TokenUsagePager(Pager[TokenUsagePage, LogStreamInsightTokenUsageDB], TableMethods):
    """Every token-usage record of a query: iterate for ``LogStreamInsightTokenUsageDB`` items, or ``pages()``;
    ``to_arrow()``, ``iter_batches()``, ``to_pandas()``, ``to_polars()`` for tables."""

    def arrow_pages(self) -> Iterator[pa.RecordBatch]:
        """The same walk, each page read from its bytes into Arrow (see ``_data._columnar``)."""
        fetches = [cast("ColumnarFetch", fetch).undecoded for fetch in self._segments]
        return _batches(Pager(fetches, self._walk_options).pages())


class AsyncTokenUsagePager(AsyncPager[TokenUsagePage, LogStreamInsightTokenUsageDB], AsyncTableMethods):
    """The async twin of ``TokenUsagePager`` (its table methods are awaitable)."""

    def arrow_pages(self) -> AsyncIterator[pa.RecordBatch]:
        fetches = [cast("AsyncColumnarFetch", fetch).undecoded for fetch in self._segments]
        return _abatches(AsyncPager(fetches, self._walk_options).pages())


def _batches(pages: Iterator[ColumnarPage]) -> Iterator[pa.RecordBatch]:
    with contextlib.closing(pages):  # type: ignore[type-var] # a generator: closing it stops a parallel walk's workers
        for page in pages:
            yield page.batch


async def _abatches(pages: AsyncIterator[ColumnarPage]) -> AsyncIterator[pa.RecordBatch]:
    async with contextlib.aclosing(pages):  # type: ignore[type-var]
        async for page in pages:
            yield page.batch
