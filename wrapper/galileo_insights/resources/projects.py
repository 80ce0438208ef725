"""``client.projects``: ``GET /projects`` (read-only), used to find a project by name."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Generic, TypeVar

import httpx

from .._base_client import APIResponse, AsyncAPIClient, PreparedCall, SyncAPIClient, raw
from .._options import QueryValue, RequestOptions
from ._listing import parse_array

if TYPE_CHECKING:
    from galileo_insights_api.models.project_db import ProjectDB

ClientT = TypeVar("ClientT", SyncAPIClient, AsyncAPIClient)


def _parse_projects(response: httpx.Response, document: object) -> list[ProjectDB]:
    # Imported here: ProjectDB brings 22 models, loaded on the first lookup rather than at `import galileo_insights`.
    from galileo_insights_api.models.project_db import ProjectDB  # noqa: PLC0415

    return parse_array(ProjectDB.from_dict)(response, document)


def _request_kwargs(name: str | None) -> dict[str, Any]:
    from galileo_insights_api.api.projects import list_projects  # noqa: PLC0415 - as above

    return list_projects.request_kwargs(project_name=name)


class _ProjectsBase(Generic[ClientT]):
    def __init__(self, client: ClientT) -> None:
        self._client: ClientT = client

    def _prepare(
        self,
        name: str | None,
        timeout: float | httpx.Timeout | None,
        max_retries: int | None,
        extra_headers: Mapping[str, str] | None,
        extra_query: Mapping[str, QueryValue] | None,
    ) -> PreparedCall:
        options = RequestOptions(timeout, max_retries, extra_headers, extra_query)
        return self._client._prepare(_request_kwargs(name), options)


class ProjectsResource(_ProjectsBase[SyncAPIClient]):
    """``client.projects``: the projects these credentials can see (``GET /projects``)."""

    def list(
        self,
        *,
        name: str | None = None,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, QueryValue] | None = None,
    ) -> list[ProjectDB]:
        """The projects these credentials can see, only those named ``name`` if given (the server's filter)."""
        return self._client._send(
            self._prepare(name, timeout, max_retries, extra_headers, extra_query), None, _parse_projects
        )


class AsyncProjectsResource(_ProjectsBase[AsyncAPIClient]):
    """``client.projects`` of the async client: ``ProjectsResource`` with ``await``."""

    async def list(
        self,
        *,
        name: str | None = None,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, QueryValue] | None = None,
    ) -> list[ProjectDB]:
        """The projects these credentials can see, only those named ``name`` if given (the server's filter)."""
        return await self._client._send(
            self._prepare(name, timeout, max_retries, extra_headers, extra_query), None, _parse_projects
        )


class ProjectsWithRawResponse(_ProjectsBase[SyncAPIClient]):
    """``client.with_raw_response.projects``: the same calls, answering ``APIResponse``."""

    def list(
        self,
        *,
        name: str | None = None,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, QueryValue] | None = None,
    ) -> APIResponse[list[ProjectDB]]:
        return self._client._send(
            self._prepare(name, timeout, max_retries, extra_headers, extra_query), None, raw(_parse_projects)
        )


class AsyncProjectsWithRawResponse(_ProjectsBase[AsyncAPIClient]):
    async def list(
        self,
        *,
        name: str | None = None,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, QueryValue] | None = None,
    ) -> APIResponse[list[ProjectDB]]:
        return await self._client._send(
            self._prepare(name, timeout, max_retries, extra_headers, extra_query), None, raw(_parse_projects)
        )
