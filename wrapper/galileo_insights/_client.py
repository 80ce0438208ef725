"""``GalileoInsights`` / ``AsyncGalileoInsights``: settings in, an httpx client owned, resources out.

Construction resolves settings and makes no network call. The clients differ only in how one page is
sent (``send`` vs ``await send``); request building, error mapping, parsing and the retry decisions are
shared (``_transport``, ``_retry``).
"""

from __future__ import annotations

import platform
import time
from types import TracebackType
from typing import Self

import httpx

from galileo_insights_api.models.logstream_insight_token_usage_response import LogstreamInsightTokenUsageResponse

from ._query import TokenUsageQuery
from ._retry import RetryPolicy
from ._settings import Settings
from ._transport import build_page_request, log_response, mapped_transport_errors, parse_page
from ._version import __version__
from .token_usage import AsyncTokenUsageResource, TokenUsageResource

USER_AGENT = f"galileo-insights/{__version__} Python/{platform.python_version()} httpx/{httpx.__version__}"


class _ClientBase:
    def __init__(
        self,
        *,
        api_key: str | None,
        jwt_token: str | None,
        username: str | None,
        password: str | None,
        auth: httpx.Auth | None,
        base_url: str | None,
        api_key_header: str | None,
        timeout: float | httpx.Timeout | None,
        max_retries: int,
        retry_policy: RetryPolicy | None,
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

    @property
    def base_url(self) -> str:
        return self._settings.base_url

    def _request(
        self, http: httpx.Client | httpx.AsyncClient, query: TokenUsageQuery, starting_token: int, limit: int
    ) -> httpx.Request:
        request = build_page_request(http, self._settings.base_url, query, starting_token, limit)
        request.headers["User-Agent"] = USER_AGENT
        return request

    def __repr__(self) -> str:
        return f"{type(self).__name__}(base_url={self._settings.base_url!r})"


class GalileoInsights(_ClientBase):
    """Synchronous client. Use as a context manager, or call ``close()``.

    Credentials and URL come from the arguments, else ``GALILEO_*`` environment variables. Pass
    ``http_client`` to reuse your own ``httpx.Client`` (it is not closed by us), or ``transport`` to plug
    in below ours (e.g. ``galileo_insights.testing``'s in-process fake).
    """

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
        http_client: httpx.Client | None = None,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        super().__init__(
            api_key=api_key,
            jwt_token=jwt_token,
            username=username,
            password=password,
            auth=auth,
            base_url=base_url,
            api_key_header=api_key_header,
            timeout=timeout,
            max_retries=max_retries,
            retry_policy=retry_policy,
        )
        self._owns_http = http_client is None
        self._http = http_client or httpx.Client(timeout=self._settings.timeout, transport=transport)
        self.token_usage = TokenUsageResource(self._fetch_page)

    def _fetch_page(
        self, query: TokenUsageQuery, starting_token: int, limit: int
    ) -> LogstreamInsightTokenUsageResponse:
        def attempt() -> LogstreamInsightTokenUsageResponse:
            request = self._request(self._http, query, starting_token, limit)
            started = time.perf_counter()
            with mapped_transport_errors(request):
                response = self._http.send(request, auth=self._settings.auth)
            log_response(response, started)
            return parse_page(response)

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


class AsyncGalileoInsights(_ClientBase):
    """Asynchronous client; the same arguments as ``GalileoInsights`` with async httpx types."""

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
        http_client: httpx.AsyncClient | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        super().__init__(
            api_key=api_key,
            jwt_token=jwt_token,
            username=username,
            password=password,
            auth=auth,
            base_url=base_url,
            api_key_header=api_key_header,
            timeout=timeout,
            max_retries=max_retries,
            retry_policy=retry_policy,
        )
        self._owns_http = http_client is None
        self._http = http_client or httpx.AsyncClient(timeout=self._settings.timeout, transport=transport)
        self.token_usage = AsyncTokenUsageResource(self._fetch_page)

    async def _fetch_page(
        self, query: TokenUsageQuery, starting_token: int, limit: int
    ) -> LogstreamInsightTokenUsageResponse:
        async def attempt() -> LogstreamInsightTokenUsageResponse:
            request = self._request(self._http, query, starting_token, limit)
            started = time.perf_counter()
            with mapped_transport_errors(request):
                response = await self._http.send(request, auth=self._settings.auth)
            log_response(response, started)
            return parse_page(response)

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
