"""``GalileoInsights`` / ``AsyncGalileoInsights``: the sending core plus the resources, composed here.

This is the one module of the core that knows the endpoints: it attaches each resource to the client.
"""

from __future__ import annotations

from ._base_client import AsyncAPIClient, SyncAPIClient
from .resources import AsyncTokenUsageResource, TokenUsageResource


class GalileoInsights(SyncAPIClient):
    """Synchronous client. Use as a context manager, or call ``close()``.

    Credentials and URL come from the arguments, else ``GALILEO_*`` environment variables; construction makes
    no network call. Pass ``http_client`` to reuse your own ``httpx.Client`` (it is not closed by us; see
    ``DefaultHttpxClient``), or ``transport`` to plug in below ours (e.g. ``galileo_insights.testing``'s fake).
    The SDK's timeout, retries and limits apply whatever client is given.
    """

    token_usage: TokenUsageResource

    def _bind_resources(self) -> None:
        self.token_usage = TokenUsageResource(self)


class AsyncGalileoInsights(AsyncAPIClient):
    """Asynchronous client; the same arguments as ``GalileoInsights`` with the async httpx types."""

    token_usage: AsyncTokenUsageResource

    def _bind_resources(self) -> None:
        self.token_usage = AsyncTokenUsageResource(self)
