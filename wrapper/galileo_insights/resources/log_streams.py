"""``client.log_streams``: ``GET /v2/projects/{project_id}/log_streams/paginated`` (read-only), to find one by name.

The paginated listing, not ``GET /v2/projects/{project_id}/log_streams``, which upstream marks deprecated.
``list()`` walks every page (``OffsetCursor`` holds the server to its offsets: no page skipped or repeated, no endless
walk) and returns all of a project's log streams, as the old listing did; ``page()`` is one request.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Generic, TypeVar, Unpack

import httpx

from .._base_client import AsyncAPIClient, PreparedCall, SyncAPIClient
from .._errors import ResponseValidationError
from .._options import CallOptions, RequestOptions
from .._page_cursors import OffsetCursor
from .._pagination import OffsetPage
from .._raw_response import RawResponseView, async_raw_response_of, raw_response_of
from ._ids import as_uuid

if TYPE_CHECKING:
    from galileo_insights_api.models.log_stream_response import LogStreamResponse

ClientT = TypeVar("ClientT", SyncAPIClient, AsyncAPIClient)


PAGE_SIZE = 100  # the server's default limit


class LogStreamsPage(OffsetPage["LogStreamResponse"]):
    """One page of a project's log streams: ``items``, the tokens, and ``http_response``."""


def _page_parser(starting_token: int, limit: int) -> Callable[[httpx.Response, object], LogStreamsPage]:
    def parse(response: httpx.Response, document: object) -> LogStreamsPage:
        # Imported here, like the projects lookup's models: loaded on the first lookup, not at import.
        from galileo_insights_api.models.list_log_stream_response import ListLogStreamResponse  # noqa: PLC0415

        if not isinstance(document, dict):
            raise ResponseValidationError(
                f"response body is a JSON {type(document).__name__}, expected an object", response=response
            )
        parsed = ListLogStreamResponse.from_dict(document)
        next_token = parsed.next_starting_token if isinstance(parsed.next_starting_token, int) else None
        return LogStreamsPage(
            parsed.log_streams,
            starting_token=starting_token,
            limit=limit,
            next_starting_token=next_token,
            http_response=response,
        )

    return parse


def _request_kwargs(project_id: uuid.UUID, starting_token: int, limit: int) -> dict[str, Any]:
    from galileo_insights_api.api.log_stream import list_log_streams  # noqa: PLC0415 - as above

    return list_log_streams.request_kwargs(project_id, starting_token=starting_token, limit=limit)


class _LogStreamsBase(Generic[ClientT]):
    def __init__(self, client: ClientT) -> None:
        self._client: ClientT = client

    def _page_call(self, project_id: uuid.UUID | str, page: tuple[int, int], options: CallOptions) -> PreparedCall:
        kwargs = _request_kwargs(as_uuid(project_id, "project_id"), *page)
        return self._client._prepare(kwargs, self._client._options.merged(RequestOptions(**options)))


class LogStreamsResource(_LogStreamsBase[SyncAPIClient]):
    """``client.log_streams``."""

    def list(self, project_id: uuid.UUID | str, **options: Unpack[CallOptions]) -> list[LogStreamResponse]:
        """Every log stream of a project, every page of the listing."""
        cursor = OffsetCursor(PAGE_SIZE)
        streams: list[LogStreamResponse] = []
        while (request := cursor.next_request()) is not None:
            page = self.page(project_id, request.starting_token, request.limit, **options)
            streams.extend(cursor.accept(page, request).items)
        return streams

    def page(
        self,
        project_id: uuid.UUID | str,
        starting_token: int = 0,
        limit: int = PAGE_SIZE,
        **options: Unpack[CallOptions],
    ) -> LogStreamsPage:
        """One page of the listing, ``limit`` log streams from ``starting_token``."""
        page = (starting_token, limit)
        return self._client._send(self._page_call(project_id, page, options), None, _page_parser(*page))


class AsyncLogStreamsResource(_LogStreamsBase[AsyncAPIClient]):
    """``client.log_streams`` on the async client."""

    async def list(self, project_id: uuid.UUID | str, **options: Unpack[CallOptions]) -> list[LogStreamResponse]:
        """Every log stream of a project, every page of the listing."""
        cursor = OffsetCursor(PAGE_SIZE)
        streams: list[LogStreamResponse] = []
        while (request := cursor.next_request()) is not None:
            page = await self.page(project_id, request.starting_token, request.limit, **options)
            streams.extend(cursor.accept(page, request).items)
        return streams

    async def page(
        self,
        project_id: uuid.UUID | str,
        starting_token: int = 0,
        limit: int = PAGE_SIZE,
        **options: Unpack[CallOptions],
    ) -> LogStreamsPage:
        """One page of the listing, ``limit`` log streams from ``starting_token``."""
        page = (starting_token, limit)
        return await self._client._send(self._page_call(project_id, page, options), None, _page_parser(*page))


class LogStreamsWithRawResponse(RawResponseView[LogStreamsResource]):
    """``client.with_raw_response.log_streams``: the same calls, answering ``APIResponse``."""

    @raw_response_of(LogStreamsResource.page)
    def page(self) -> None:
        """``page()``, answering ``APIResponse[LogStreamsPage]`` (``list()`` sends a request per page)."""


class AsyncLogStreamsWithRawResponse(RawResponseView[AsyncLogStreamsResource]):
    """The async twin of ``LogStreamsWithRawResponse``."""

    @async_raw_response_of(AsyncLogStreamsResource.page)
    def page(self) -> None:
        """``await page()``, answering ``APIResponse[LogStreamsPage]``."""
