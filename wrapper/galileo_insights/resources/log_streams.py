"""``client.log_streams``: ``GET /v2/projects/{project_id}/log_streams`` (read-only), to find one by name."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any, Generic, TypeVar, Unpack

import httpx

from .._base_client import AsyncAPIClient, PreparedCall, SyncAPIClient
from .._options import CallOptions, RequestOptions
from .._raw_response import RawResponseView, async_raw_response_of, raw_response_of
from ._ids import as_uuid
from ._listing import parse_array

if TYPE_CHECKING:
    from galileo_insights_api.models.log_stream_response import LogStreamResponse

ClientT = TypeVar("ClientT", SyncAPIClient, AsyncAPIClient)


def _parse_log_streams(response: httpx.Response, document: object) -> list[LogStreamResponse]:
    # Imported here, like the projects lookup's models: loaded on the first lookup, not at import.
    from galileo_insights_api.models.log_stream_response import LogStreamResponse  # noqa: PLC0415

    return parse_array(LogStreamResponse.from_dict)(response, document)


def _request_kwargs(project_id: uuid.UUID) -> dict[str, Any]:
    from galileo_insights_api.api.log_stream import list_log_streams  # noqa: PLC0415 - as above

    return list_log_streams.request_kwargs(project_id)


class _LogStreamsBase(Generic[ClientT]):
    def __init__(self, client: ClientT) -> None:
        self._client: ClientT = client

    def _list_call(self, project_id: uuid.UUID | str, options: CallOptions) -> PreparedCall:
        kwargs = _request_kwargs(as_uuid(project_id, "project_id"))
        return self._client._prepare(kwargs, self._client._options.merged(RequestOptions(**options)))


class LogStreamsResource(_LogStreamsBase[SyncAPIClient]):
    """``client.log_streams``."""

    def list(self, project_id: uuid.UUID | str, **options: Unpack[CallOptions]) -> list[LogStreamResponse]:
        """Every log stream of a project."""
        return self._client._send(self._list_call(project_id, options), None, _parse_log_streams)


class AsyncLogStreamsResource(_LogStreamsBase[AsyncAPIClient]):
    """``client.log_streams`` on the async client."""

    async def list(self, project_id: uuid.UUID | str, **options: Unpack[CallOptions]) -> list[LogStreamResponse]:
        """Every log stream of a project."""
        return await self._client._send(self._list_call(project_id, options), None, _parse_log_streams)


class LogStreamsWithRawResponse(RawResponseView[LogStreamsResource]):
    """``client.with_raw_response.log_streams``: the same calls, answering ``APIResponse``."""

    @raw_response_of(LogStreamsResource.list)
    def list(self) -> None:
        """``list()``, answering ``APIResponse[list[LogStreamResponse]]``."""


class AsyncLogStreamsWithRawResponse(RawResponseView[AsyncLogStreamsResource]):
    """The async twin of ``LogStreamsWithRawResponse``."""

    @async_raw_response_of(AsyncLogStreamsResource.list)
    def list(self) -> None:
        """``await list()``, answering ``APIResponse[list[LogStreamResponse]]``."""
