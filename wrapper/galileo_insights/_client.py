"""``GalileoInsights`` / ``AsyncGalileoInsights``: the sending core plus the resources, composed here.

This is the one module of the core that knows the endpoints: it attaches each resource to the client. Names
looked up and the ``GALILEO_PROJECT``-style defaults read at construction are shared with ``with_options`` copies.
"""

from __future__ import annotations

import attrs

from ._base_client import AsyncAPIClient, SyncAPIClient
from .resources import (
    AsyncLogStreamsResource,
    AsyncLogStreamsWithRawResponse,
    AsyncProjectsResource,
    AsyncProjectsWithRawResponse,
    AsyncTargetResolver,
    AsyncTokenUsageResource,
    LogStreamsResource,
    LogStreamsWithRawResponse,
    NameCache,
    ProjectsResource,
    ProjectsWithRawResponse,
    TargetDefaults,
    TargetResolver,
    TokenUsageResource,
)


@attrs.frozen
class WithRawResponse:
    """``client.with_raw_response``: the single-request calls answering ``APIResponse`` (headers, request id).

    Token-usage pages carry their HTTP response already (``page.http_response``, ``page.request_id``).
    """

    projects: ProjectsWithRawResponse
    log_streams: LogStreamsWithRawResponse


@attrs.frozen
class AsyncWithRawResponse:
    """The async twin of ``WithRawResponse``."""

    projects: AsyncProjectsWithRawResponse
    log_streams: AsyncLogStreamsWithRawResponse


class GalileoInsights(SyncAPIClient):
    """Synchronous client. Use as a context manager, or call ``close()``.

    Credentials and URL come from the arguments, else ``GALILEO_*`` environment variables; construction makes
    no network call. Pass ``http_client`` to reuse your own ``httpx.Client`` (it is not closed by us; see
    ``DefaultHttpxClient``), or ``transport`` to plug in below ours (e.g. ``galileo_insights.testing``'s fake).
    The SDK's timeout, retries and limits apply whatever client is given.
    """

    token_usage: TokenUsageResource
    projects: ProjectsResource
    log_streams: LogStreamsResource
    with_raw_response: WithRawResponse

    def _bind_resources(self) -> None:
        self._names = self.__dict__.get("_names") or (NameCache(), TargetDefaults.from_environ())
        self.projects = ProjectsResource(self)
        self.log_streams = LogStreamsResource(self)
        resolver = TargetResolver(self.projects, self.log_streams, self._names[0])
        self.token_usage = TokenUsageResource(self, resolver, self._names[1])
        self.with_raw_response = WithRawResponse(ProjectsWithRawResponse(self), LogStreamsWithRawResponse(self))


class AsyncGalileoInsights(AsyncAPIClient):
    """Asynchronous client; the same arguments as ``GalileoInsights`` with the async httpx types."""

    token_usage: AsyncTokenUsageResource
    projects: AsyncProjectsResource
    log_streams: AsyncLogStreamsResource
    with_raw_response: AsyncWithRawResponse

    def _bind_resources(self) -> None:
        self._names = self.__dict__.get("_names") or (NameCache(), TargetDefaults.from_environ())
        self.projects = AsyncProjectsResource(self)
        self.log_streams = AsyncLogStreamsResource(self)
        resolver = AsyncTargetResolver(self.projects, self.log_streams, self._names[0])
        self.token_usage = AsyncTokenUsageResource(self, resolver, self._names[1])
        self.with_raw_response = AsyncWithRawResponse(
            AsyncProjectsWithRawResponse(self), AsyncLogStreamsWithRawResponse(self)
        )
