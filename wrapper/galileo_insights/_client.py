"""``GalileoInsights`` / ``AsyncGalileoInsights``: settings in, an httpx client owned, resources out.

Construction resolves settings and makes no network call. The clients differ only in how one page is
sent (``send`` vs ``await send``); request building, error mapping, parsing and the retry decisions are
shared (``_transport``, ``_retry``).
"""

from __future__ import annotations

import functools
import platform
import time
from types import TracebackType
from typing import Generic, Self, TypeVar

import httpx

from galileo_insights_api.models.logstream_insight_token_usage_response import LogstreamInsightTokenUsageResponse

from ._query import TokenUsageQuery
from ._retry import RetryPolicy
from ._settings import Settings
from ._transport import build_page_request, log_response, mapped_transport_errors, parse_page
from ._version import __version__
from .token_usage import AsyncTokenUsageResource, TokenUsageResource

USER_AGENT = f"galileo-insights/{__version__} Python/{platform.python_version()} httpx/{httpx.__version__}"


HttpT = TypeVar("HttpT", httpx.Client, httpx.AsyncClient)
TransportT = TypeVar("TransportT", httpx.BaseTransport, httpx.AsyncBaseTransport)


class _ClientBase(Generic[HttpT, TransportT]):
    """What both clients share: one constructor, settings, retry policy, the owned httpx client, request building."""

    def __init__(
        self,
        *,
        api_key: str | None = None,
        jwt_token: str | None = None,
        username: str | None = None,
        password: str | None = None,
        auth: httpx.Auth | None = None,
        base_url: str | None = None,
        api_key_header: str | None = None,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int = 2,
        retry_policy: RetryPolicy | None = None,
        http_client: HttpT | None = None,
        transport: TransportT | None = None,
    ) -> None:
        self._settings = Settings.resolve(
            api_key=api_key,
            jwt_token=jwt_token,
            username=username,
            password=password,
            auth=auth,
            base_url=base_url,
            api_key_header=api_key_header,
            timeout=timeout,
            max_retries=max_retries,
        )
        self._retry = retry_policy or RetryPolicy(max_retries=self._settings.max_retries)
        self._owns_http = http_client is None
        self._http: HttpT = http_client if http_client is not None else self._new_http(transport)

    def _new_http(self, transport: TransportT | None) -> HttpT:
        raise NotImplementedError

    @property
    def base_url(self) -> str:
        return self._settings.base_url

    def _request(self, query: TokenUsageQuery, starting_token: int, limit: int) -> httpx.Request:
        request = build_page_request(self._http, self._settings.base_url, query, starting_token, limit)
        request.headers["User-Agent"] = USER_AGENT
        return request

    def __repr__(self) -> str:
        return f"{type(self).__name__}(base_url={self._settings.base_url!r})"


class GalileoInsights(_ClientBase[httpx.Client, httpx.BaseTransport]):
    """Synchronous client. Use as a context manager, or call ``close()``.

    Credentials and URL come from the arguments, else ``GALILEO_*`` environment variables; construction makes
    no network call. Pass ``http_client`` to reuse your own ``httpx.Client`` (it is not closed by us), or
    ``transport`` to plug in below ours (e.g. ``galileo_insights.testing``'s in-process fake).
    """

    def _new_http(self, transport: httpx.BaseTransport | None) -> httpx.Client:
        return httpx.Client(timeout=self._settings.timeout, transport=transport)

    @functools.cached_property
    def token_usage(self) -> TokenUsageResource:
        return TokenUsageResource(self._fetch_page)

    def _fetch_page(
        self, query: TokenUsageQuery, starting_token: int, limit: int
    ) -> LogstreamInsightTokenUsageResponse:
        def attempt() -> LogstreamInsightTokenUsageResponse:
            request = self._request(query, starting_token, limit)
            started = time.perf_counter()
            with mapped_transport_errors(request):
                response = self._http.send(request, auth=self._settings.auth)
            log_response(response, started)
            return parse_page(response, self._settings.redactor)

        return self._retry.call(attempt)

    def close(self) -> None:
        if self._owns_http:
            self._http.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, traceback: TracebackType | None
    ) -> None:
        self.close()


class AsyncGalileoInsights(_ClientBase[httpx.AsyncClient, httpx.AsyncBaseTransport]):
    """Asynchronous client; the same arguments as ``GalileoInsights`` with the async httpx types."""

    def _new_http(self, transport: httpx.AsyncBaseTransport | None) -> httpx.AsyncClient:
        return httpx.AsyncClient(timeout=self._settings.timeout, transport=transport)

    @functools.cached_property
    def token_usage(self) -> AsyncTokenUsageResource:
        return AsyncTokenUsageResource(self._fetch_page)

    async def _fetch_page(
        self, query: TokenUsageQuery, starting_token: int, limit: int
    ) -> LogstreamInsightTokenUsageResponse:
        async def attempt() -> LogstreamInsightTokenUsageResponse:
            request = self._request(query, starting_token, limit)
            started = time.perf_counter()
            with mapped_transport_errors(request):
                response = await self._http.send(request, auth=self._settings.auth)
            log_response(response, started)
            return parse_page(response, self._settings.redactor)

        return await self._retry.acall(attempt)

    async def aclose(self) -> None:
        if self._owns_http:
            await self._http.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, traceback: TracebackType | None
    ) -> None:
        await self.aclose()
