"""``client.projects``: ``GET /projects`` (read-only), used to find a project by name."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Generic, TypeVar, Unpack

import httpx

from .._base_client import AsyncAPIClient, PreparedCall, SyncAPIClient
from .._options import CallOptions, RequestOptions
from .._raw_response import RawResponseView, async_raw_response_of, raw_response_of
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

    def _list_call(self, name: str | None, options: CallOptions) -> PreparedCall:
        return self._client._prepare(_request_kwargs(name), self._client._options.merged(RequestOptions(**options)))


class ProjectsResource(_ProjectsBase[SyncAPIClient]):
    """``client.projects``."""

    def list(self, *, name: str | None = None, **options: Unpack[CallOptions]) -> list[ProjectDB]:
        """The projects these credentials can see, only those named ``name`` if given (the server's filter)."""
        return self._client._send(self._list_call(name, options), None, _parse_projects)


class AsyncProjectsResource(_ProjectsBase[AsyncAPIClient]):
    """``client.projects`` on the async client."""

    async def list(self, *, name: str | None = None, **options: Unpack[CallOptions]) -> list[ProjectDB]:
        """The projects these credentials can see, only those named ``name`` if given (the server's filter)."""
        return await self._client._send(self._list_call(name, options), None, _parse_projects)


class ProjectsWithRawResponse(RawResponseView[ProjectsResource]):
    """``client.with_raw_response.projects``: the same calls, answering ``APIResponse``."""

    @raw_response_of(ProjectsResource.list)
    def list(self) -> None:
        """``list()``, answering ``APIResponse[list[ProjectDB]]``."""


class AsyncProjectsWithRawResponse(RawResponseView[AsyncProjectsResource]):
    """The async twin of ``ProjectsWithRawResponse``."""

    @async_raw_response_of(AsyncProjectsResource.list)
    def list(self) -> None:
        """``await list()``, answering ``APIResponse[list[ProjectDB]]``."""
