"""``GalileoInsights`` / ``AsyncGalileoInsights``: the sending core plus the resources, composed here.

This is the one module of the core that knows the endpoints: it attaches each resource to the client. A resource's
module is imported on first use of its attribute (as openai-python's clients do), so ``import galileo_insights``
and building a client load no generated model (they cost start-up time). Names looked up and the
``GALILEO_PROJECT``-style defaults read at construction are shared with ``with_options`` copies.
"""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING, NamedTuple

from ._base_client import AsyncAPIClient, SyncAPIClient
from .resources._target_defaults import NameCache, TargetDefaults

if TYPE_CHECKING:
    from .resources.insights_settings import AsyncInsightsSettingsResource, InsightsSettingsResource
    from .resources.log_streams import (
        AsyncLogStreamsResource,
        AsyncLogStreamsWithRawResponse,
        LogStreamsResource,
        LogStreamsWithRawResponse,
    )
    from .resources.projects import (
        AsyncProjectsResource,
        AsyncProjectsWithRawResponse,
        ProjectsResource,
        ProjectsWithRawResponse,
    )
    from .resources.token_usage import AsyncTokenUsageResource, TokenUsageResource
    from .resources.usage import AsyncUsageResource, UsageResource

# Built on first access and cached in the instance; a ``with_options`` copy drops them to build its own.
_RESOURCES = ("projects", "log_streams", "token_usage", "usage", "insights_settings", "with_raw_response")


class _ResourceState:
    """What both clients keep for their resources: names looked up and ``GALILEO_*`` defaults, shared with
    ``with_options`` copies, and the resources built so far, which a copy drops to build its own."""

    _names: tuple[NameCache, TargetDefaults]

    def _bind_resources(self) -> None:
        self._names = self.__dict__.get("_names") or (NameCache(), TargetDefaults.from_environ())
        for name in _RESOURCES:
            self.__dict__.pop(name, None)


class WithRawResponse(NamedTuple):
    """``client.with_raw_response``: the single-request calls answering ``APIResponse`` (headers, request id).

    Token-usage pages carry their HTTP response already (``page.http_response``, ``page.request_id``).
    """

    projects: ProjectsWithRawResponse
    log_streams: LogStreamsWithRawResponse


class AsyncWithRawResponse(NamedTuple):
    """The async twin of ``WithRawResponse``."""

    projects: AsyncProjectsWithRawResponse
    log_streams: AsyncLogStreamsWithRawResponse


class GalileoInsights(_ResourceState, SyncAPIClient):
    """Synchronous client. Use as a context manager, or call ``close()``.

    Credentials and URL come from the arguments, else ``GALILEO_*`` environment variables; construction makes
    no network call. Pass ``http_client`` to reuse your own ``httpx.Client`` (it is not closed by us; see
    ``DefaultHttpxClient``), or ``transport`` to plug in below ours (e.g. ``galileo_insights.testing``'s fake).
    The SDK's timeout, retries and limits apply whatever client is given.
    """

    @cached_property
    def projects(self) -> ProjectsResource:
        from .resources.projects import ProjectsResource  # noqa: PLC0415 - on first use (module docstring)

        return ProjectsResource(self)

    @cached_property
    def log_streams(self) -> LogStreamsResource:
        from .resources.log_streams import LogStreamsResource  # noqa: PLC0415 - on first use (module docstring)

        return LogStreamsResource(self)

    @cached_property
    def token_usage(self) -> TokenUsageResource:
        from .resources._targets import TargetResolver  # noqa: PLC0415 - on first use (module docstring)
        from .resources.token_usage import TokenUsageResource  # noqa: PLC0415

        resolver = TargetResolver(self.projects, self.log_streams, self._names[0])
        return TokenUsageResource(self, resolver, self._names[1])

    @cached_property
    def usage(self) -> UsageResource:
        """Token usage across many log streams (names, ids or all), per period, with names and cost."""
        from .resources.usage import SelectionResolver, UsageResource  # noqa: PLC0415 - on first use

        return UsageResource(self.token_usage, SelectionResolver(self.projects, self.log_streams, self._names[1]))

    @cached_property
    def insights_settings(self) -> InsightsSettingsResource:
        """Whether Galileo generates Logstream Insights for a log stream, and since when (read and change)."""
        from .resources._targets import TargetResolver  # noqa: PLC0415 - on first use (module docstring)
        from .resources.insights_settings import InsightsSettingsResource  # noqa: PLC0415

        resolver = TargetResolver(self.projects, self.log_streams, self._names[0])
        return InsightsSettingsResource(self, resolver, self._names[1])

    @cached_property
    def with_raw_response(self) -> WithRawResponse:
        from .resources.log_streams import LogStreamsWithRawResponse  # noqa: PLC0415 - on first use (module docstring)
        from .resources.projects import ProjectsWithRawResponse  # noqa: PLC0415

        return WithRawResponse(ProjectsWithRawResponse(self.projects), LogStreamsWithRawResponse(self.log_streams))


class AsyncGalileoInsights(_ResourceState, AsyncAPIClient):
    """Asynchronous client; the same arguments as ``GalileoInsights`` with the async httpx types."""

    @cached_property
    def projects(self) -> AsyncProjectsResource:
        from .resources.projects import AsyncProjectsResource  # noqa: PLC0415 - on first use (module docstring)

        return AsyncProjectsResource(self)

    @cached_property
    def log_streams(self) -> AsyncLogStreamsResource:
        from .resources.log_streams import AsyncLogStreamsResource  # noqa: PLC0415 - on first use (module docstring)

        return AsyncLogStreamsResource(self)

    @cached_property
    def token_usage(self) -> AsyncTokenUsageResource:
        from .resources._targets import AsyncTargetResolver  # noqa: PLC0415 - on first use (module docstring)
        from .resources.token_usage import AsyncTokenUsageResource  # noqa: PLC0415

        resolver = AsyncTargetResolver(self.projects, self.log_streams, self._names[0])
        return AsyncTokenUsageResource(self, resolver, self._names[1])

    @cached_property
    def usage(self) -> AsyncUsageResource:
        """Token usage across many log streams (names, ids or all), per period, with names and cost."""
        from .resources.usage import AsyncSelectionResolver, AsyncUsageResource  # noqa: PLC0415 - on first use

        resolver = AsyncSelectionResolver(self.projects, self.log_streams, self._names[1])
        return AsyncUsageResource(self.token_usage, resolver)

    @cached_property
    def insights_settings(self) -> AsyncInsightsSettingsResource:
        """Whether Galileo generates Logstream Insights for a log stream, and since when (read and change)."""
        from .resources._targets import AsyncTargetResolver  # noqa: PLC0415 - on first use (module docstring)
        from .resources.insights_settings import AsyncInsightsSettingsResource  # noqa: PLC0415

        resolver = AsyncTargetResolver(self.projects, self.log_streams, self._names[0])
        return AsyncInsightsSettingsResource(self, resolver, self._names[1])

    @cached_property
    def with_raw_response(self) -> AsyncWithRawResponse:
        from .resources.log_streams import AsyncLogStreamsWithRawResponse  # noqa: PLC0415 - on first use
        from .resources.projects import AsyncProjectsWithRawResponse  # noqa: PLC0415

        return AsyncWithRawResponse(
            AsyncProjectsWithRawResponse(self.projects), AsyncLogStreamsWithRawResponse(self.log_streams)
        )
