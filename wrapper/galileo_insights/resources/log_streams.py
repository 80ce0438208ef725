"""``client.log_streams``: ``GET /v2/projects/{project_id}/log_streams`` (read-only), to find one by name."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Generic, TypeVar

import httpx

from .._base_client import APIResponse, AsyncAPIClient, PreparedCall, SyncAPIClient, raw
from .._options import QueryValue, RequestOptions
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

    def _prepare(
        self,
        project_id: uuid.UUID | str,
        timeout: float | httpx.Timeout | None,
        max_retries: int | None,
        extra_headers: Mapping[str, str] | None,
        extra_query: Mapping[str, QueryValue] | None,
    ) -> PreparedCall:
        options = RequestOptions(timeout, max_retries, extra_headers, extra_query)
        kwargs = _request_kwargs(as_uuid(project_id, "project_id"))
        return self._client._prepare(kwargs, options)


class LogStreamsResource(_LogStreamsBase[SyncAPIClient]):
    """``client.log_streams``: the log streams of a project (``GET /v2/projects/{project_id}/log_streams``)."""

    def list(
        self,
        project_id: uuid.UUID | str,
        *,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, QueryValue] | None = None,
    ) -> list[LogStreamResponse]:
        """Every log stream of a project."""
        return self._client._send(
            self._prepare(project_id, timeout, max_retries, extra_headers, extra_query), None, _parse_log_streams
        )


class AsyncLogStreamsResource(_LogStreamsBase[AsyncAPIClient]):
    """``client.log_streams`` of the async client: ``LogStreamsResource`` with ``await``."""

    async def list(
        self,
        project_id: uuid.UUID | str,
        *,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, QueryValue] | None = None,
    ) -> list[LogStreamResponse]:
        """Every log stream of a project."""
        return await self._client._send(
            self._prepare(project_id, timeout, max_retries, extra_headers, extra_query), None, _parse_log_streams
        )


class LogStreamsWithRawResponse(_LogStreamsBase[SyncAPIClient]):
    """``client.with_raw_response.log_streams``: the same calls, answering ``APIResponse``."""

    def list(
        self,
        project_id: uuid.UUID | str,
        *,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, QueryValue] | None = None,
    ) -> APIResponse[list[LogStreamResponse]]:
        return self._client._send(
            self._prepare(project_id, timeout, max_retries, extra_headers, extra_query), None, raw(_parse_log_streams)
        )


class AsyncLogStreamsWithRawResponse(_LogStreamsBase[AsyncAPIClient]):
    async def list(
        self,
        project_id: uuid.UUID | str,
        *,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, QueryValue] | None = None,
    ) -> APIResponse[list[LogStreamResponse]]:
        return await self._client._send(
            self._prepare(project_id, timeout, max_retries, extra_headers, extra_query), None, raw(_parse_log_streams)
        )
