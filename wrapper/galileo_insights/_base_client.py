"""The sending core, for any endpoint: build, authenticate, send, read (capped), map errors, log, retry.

A resource hands over the generated operation's ``request_kwargs`` and a parse function; it gets back the
parsed value or a ``GalileoInsightsError``. What stays the same across a call's requests (URL, headers,
timeouts) is prepared once (``PreparedCall``), so a pager only serializes a body per page. The sync and async
clients differ only in the lines that do I/O; the retry loop is written out in each (a dozen lines, no
replayed attempts).
"""

from __future__ import annotations

import contextlib
import copy
import dataclasses
import json
import logging
import math
import os
import platform
import ssl
import time
import weakref
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any, Generic, NoReturn, Self, TypeVar

import httpx

from . import _json, _retry
from ._capped_body import ACCEPT_ENCODING, CAP_EXTENSION, CappedBody
from ._constants import DEFAULT_MAX_RESPONSE_BYTES
from ._errors import (
    APIConnectionError,
    APITimeoutError,
    ClientStateError,
    ConfigurationError,
    GalileoInsightsError,
    ResponseValidationError,
    error_for_status,
)
from ._http_client import DEFAULT_LIMITS, DEFAULT_TIMEOUT
from ._logging import setup_logging_from_environment
from ._options import (
    ClientOptions,
    EffectiveOptions,
    as_headers,
    as_timeout,
    merge_headers,
)
from ._raw_response import Parse, as_asked
from ._redaction import Redactor
from ._retry import RetryPolicy
from ._settings import Settings
from ._stopping import set_exchange_deadline
from ._version import __version__

if TYPE_CHECKING:
    import asyncio

logger = logging.getLogger("galileo_insights")

USER_AGENT = f"galileo-insights/{__version__} Python/{platform.python_version()} httpx/{httpx.__version__}"
# Yours (default_headers=, extra_headers=) replace these by name rather than being sent beside them.
_SDK_HEADERS = (("User-Agent", USER_AGENT), ("Accept-Encoding", ACCEPT_ENCODING))

T = TypeVar("T")
HttpT = TypeVar("HttpT", httpx.Client, httpx.AsyncClient)


_PARSE_FAILURES = (KeyError, TypeError, ValueError, AttributeError, OverflowError, RecursionError)


@dataclasses.dataclass(frozen=True, slots=True, eq=False, repr=False)  # no __eq__/__repr__: unused, import time
class PreparedCall:
    """What a call's requests share, built once: a pager reuses it for every page."""

    method: str
    url: httpx.URL
    headers: httpx.Headers
    extensions: dict[str, Any]
    options: EffectiveOptions


def join_url(base_url: str, path: str) -> str:
    """``base_url`` + ``path`` the way ``httpx.Client(base_url=...)`` merges them: a path prefix is kept.

    Joined as text and parsed once, by the request (parsing and re-parsing URLs was a tenth of a page's cost).
    """
    return base_url.rstrip("/") + "/" + path.lstrip("/")


class BaseClient(Generic[HttpT]):
    """What both clients share: one constructor, settings, options, the httpx client, every step without I/O."""

    _settings: Settings
    _redact: Redactor
    _options: ClientOptions
    _http: HttpT
    _owns_http: bool
    _sdk_pool: bool
    _forked: bool

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
        max_retries: int | None = None,
        retry_policy: RetryPolicy | None = None,
        default_headers: Mapping[str, str] | None = None,
        max_response_bytes: int = DEFAULT_MAX_RESPONSE_BYTES,
        attempt_timeout: float | None = None,
        http_client: HttpT | None = None,
        transport: httpx.BaseTransport | httpx.AsyncBaseTransport | None = None,
    ) -> None:
        setup_logging_from_environment()
        if retry_policy is not None and max_retries is not None:
            raise ConfigurationError(
                "pass either max_retries= or retry_policy= (whose max_retries then applies), not both",
                argument="retry_policy",
            )
        if http_client is not None and transport is not None:
            raise ConfigurationError(
                "pass either http_client= or transport= (configure the transport on your client)", argument="transport"
            )
        self._settings = Settings.resolve(
            api_key=api_key,
            jwt_token=jwt_token,
            username=username,
            password=password,
            auth=auth,
            base_url=base_url,
            api_key_header=api_key_header,
        )
        self._redact = self._settings.redactor  # asks the auth for its secrets when an error is built
        if retry_policy is None:
            retry_policy = RetryPolicy() if max_retries is None else RetryPolicy(max_retries=max_retries)
        self._options = ClientOptions(
            timeout=DEFAULT_TIMEOUT if timeout is None else as_timeout(timeout, "timeout", ConfigurationError),
            retry_policy=retry_policy,
            default_headers=merge_headers(
                self._settings.extra_headers, as_headers(default_headers, "default_headers", ConfigurationError)
            ),
            max_response_bytes=max_response_bytes,
            attempt_timeout=attempt_timeout,
        )
        self._owns_http = http_client is None
        self._sdk_pool = http_client is None and transport is None
        self._forked = False
        self._http = http_client if http_client is not None else self._new_http(transport)
        _LIVE_CLIENTS.add(self)
        self._bind_resources()

    def _new_http(self, transport: httpx.BaseTransport | httpx.AsyncBaseTransport | None) -> HttpT:
        raise NotImplementedError

    def _bind_resources(self) -> None:
        """Attach the resources (``self.token_usage``...); called again for each ``with_options`` copy."""

    def with_options(
        self,
        *,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
        default_headers: Mapping[str, str] | None = None,
        max_response_bytes: int | None = None,
        attempt_timeout: float | None = None,
    ) -> Self:
        """A copy with some options changed, sharing this client's connection pool (closing it does not).

        ``default_headers`` are added to (and override) the current ones.
        """
        changes: dict[str, Any] = {}
        if timeout is not None:
            changes["timeout"] = as_timeout(timeout, "timeout", ConfigurationError)
        if max_retries is not None:
            changes["retry_policy"] = self._options.retry_policy.with_max_retries(max_retries, ConfigurationError)
        if default_headers is not None:
            changes["default_headers"] = merge_headers(
                self._options.default_headers, as_headers(default_headers, "default_headers", ConfigurationError)
            )
        if max_response_bytes is not None:
            changes["max_response_bytes"] = max_response_bytes
        if attempt_timeout is not None:
            changes["attempt_timeout"] = attempt_timeout
        clone = copy.copy(self)
        clone._options = dataclasses.replace(self._options, **changes)
        clone._owns_http = False
        _LIVE_CLIENTS.add(clone)
        clone._bind_resources()
        return clone

    @property
    def base_url(self) -> str:
        """The API URL this client sends to (from ``base_url=``, else the ``GALILEO_*`` environment)."""
        return self._settings.base_url

    def _prepare(self, kwargs: Mapping[str, Any], options: EffectiveOptions) -> PreparedCall:
        """The generated operation's URL and headers with the call's options (``_options.merged``, once per call)."""
        template = self._http.build_request(
            kwargs["method"],
            join_url(self._settings.base_url, kwargs["url"]),
            params={**kwargs.get("params", {}), **dict(options.query)} or None,
            headers=merge_headers(_SDK_HEADERS, tuple(kwargs.get("headers", {}).items()), options.headers),
            timeout=options.timeout,
        )
        template.headers.pop("Content-Length", None)  # each page's body sets its own
        return PreparedCall(
            method=template.method,
            url=template.url,
            headers=template.headers,
            extensions={**template.extensions, CAP_EXTENSION: options.max_response_bytes},
            options=options,
        )

    def _build(self, call: PreparedCall, body: Mapping[str, object] | None) -> httpx.Request:
        content = None
        if body is not None:
            document = {**body, **call.options.extra_body} if call.options.extra_body else body
            content = json.dumps(document, separators=(",", ":"), ensure_ascii=False).encode()
        return httpx.Request(call.method, call.url, headers=call.headers, content=content, extensions=call.extensions)

    def _after_fork(self) -> None:
        """In a forked child: the parent's pooled connections are the parent's (a response read on one would be
        another process's page). A pool the SDK built is replaced by an empty one; yours cannot be, so the
        client refuses to send."""
        if self._sdk_pool:
            self._http = self._new_http(None)
            self._owns_http = True
        else:
            self._forked = True

    def _check_open(self) -> None:
        if self._forked:
            raise ClientStateError(
                f"this {type(self).__name__} was created before os.fork() with an http_client= or transport= of "
                "yours, whose connections the parent process still uses: create a new client in the child process"
            )
        if self._http.is_closed:
            raise ClientStateError(
                f"this {type(self).__name__} is closed; create a new client (or keep using it inside its `with` block)"
            )

    def __repr__(self) -> str:
        return f"{type(self).__name__}(base_url={self._settings.base_url!r})"


_LIVE_CLIENTS: weakref.WeakSet[BaseClient[Any]] = weakref.WeakSet()


def _renew_pools_after_fork() -> None:
    for client in list(_LIVE_CLIENTS):
        client._after_fork()


if hasattr(os, "register_at_fork"):  # POSIX; Windows has no fork
    os.register_at_fork(after_in_child=_renew_pools_after_fork)


def _deadline(options: EffectiveOptions) -> float | None:
    return None if options.attempt_timeout is None else time.monotonic() + options.attempt_timeout


class _BodyReader:
    """Collects a streamed body, stopping at the size cap (decompressed bytes) or the attempt's deadline.

    httpx's read timeout is per chunk, so a body trickling in a byte at a time would never trip it; the deadline
    is checked between chunks, which bounds an attempt by ``attempt_timeout`` plus at most one read timeout.
    """

    def __init__(self, response: httpx.Response, options: EffectiveOptions, deadline: float | None) -> None:
        self._response = response
        self._body = CappedBody(response, options.max_response_bytes)
        self._deadline = deadline
        self._options = options

    def check_deadline(self) -> None:
        if self._deadline is not None and time.monotonic() > self._deadline:
            request = self._response.request
            raise APITimeoutError(
                f"{request.method} {request.url.path} took longer than attempt_timeout="
                f"{self._options.attempt_timeout}s in all",
                request=request,
            )

    def read(self) -> None:
        for raw in self._body.raw_chunks():
            self._body.add_raw(raw)
            self.check_deadline()

    async def aread(self) -> None:
        async for raw in self._body.araw_chunks():
            self._body.add_raw(raw)
            self.check_deadline()

    def completed(self) -> httpx.Response:
        return self._body.completed()


@contextlib.contextmanager
def _mapped_transport_errors(request: httpx.Request, http: httpx.Client | httpx.AsyncClient) -> Iterator[None]:
    """httpx's transport failures as the SDK's connection errors; only those worth another try are retryable.

    A body that cannot be decoded as its ``Content-Encoding`` says is a connection error worth no retry, and a
    request that finds the pool closed under it (``close()`` while another thread walks) a ``ClientStateError``.
    """
    try:
        yield
    except httpx.DecodingError as exc:
        raise APIConnectionError(
            f"{request.method} {request.url.path}: the response body could not be decoded as its "
            f"Content-Encoding says ({exc})",
            request=request,
            retryable=False,
        ) from None
    except (RuntimeError, httpx.TransportError) as exc:
        if not http.is_closed:
            _raise_transport_error(request, exc)
        raise ClientStateError(
            f"{request.method} {request.url.path}: the client was closed while this request was under way "
            "(close() ends the walks of every thread using it)"
        ) from exc


def _raise_transport_error(request: httpx.Request, exc: Exception) -> NoReturn:
    if not isinstance(exc, httpx.TransportError):
        raise exc
    if isinstance(exc, httpx.TimeoutException):
        raise APITimeoutError(f"{request.method} {request.url.path} timed out: {exc}", request=request) from exc
    raise APIConnectionError(
        f"{request.method} {request.url.path} failed: {exc.__class__.__name__}: {exc}",
        request=request,
        retryable=_is_transient(exc),
    ) from exc


def _is_transient(exc: httpx.TransportError) -> bool:
    """Not a refused certificate, and not a request that could not even be written (nothing was sent)."""
    if isinstance(exc, httpx.LocalProtocolError | httpx.UnsupportedProtocol):
        return False
    cause: BaseException | None = exc
    seen: set[int] = set()
    while cause is not None and id(cause) not in seen:
        if isinstance(cause, ssl.SSLCertVerificationError):
            return False
        seen.add(id(cause))
        cause = cause.__cause__ or cause.__context__
    return True


def _log_response(response: httpx.Response, started: float) -> None:
    if logger.isEnabledFor(logging.DEBUG):
        request = response.request
        elapsed = (time.perf_counter() - started) * 1000
        logger.debug("%s %s -> %d in %.1f ms", request.method, request.url.path, response.status_code, elapsed)


def _parsed(response: httpx.Response, parse: Parse[T], redact: Redactor, decode: bool) -> T:
    """The value ``parse`` makes of a 2xx JSON body (the body's bytes undecoded when not ``decode``), or the typed
    error the response stands for (its message redacted: a body may echo the credentials)."""
    if not response.is_success:
        raise error_for_status(response, redact)
    try:
        document = _json.loads(response.content) if decode else response.content
    except (ValueError, RecursionError) as exc:
        raise ResponseValidationError(redact(f"response body is not JSON: {_short(exc)}"), response=response) from None
    try:
        return parse(response, document)
    except ResponseValidationError:
        raise
    except KeyError as exc:
        message = f"response is missing required field {exc}"
        raise ResponseValidationError(redact(message), response=response) from None
    except _PARSE_FAILURES as exc:
        message = f"response does not match the spec: {_short(exc)}"
        raise ResponseValidationError(redact(message), response=response) from None


def _short(exc: BaseException) -> str:
    text = f"{exc.__class__.__name__}: {exc}" if isinstance(exc, RecursionError) else str(exc)
    return text if len(text) <= 300 else text[:300] + "..."


class SyncAPIClient(BaseClient[httpx.Client]):
    """The synchronous sending core; ``GalileoInsights`` adds the resources."""

    def _new_http(self, transport: httpx.BaseTransport | httpx.AsyncBaseTransport | None) -> httpx.Client:
        if transport is not None and not isinstance(transport, httpx.BaseTransport):
            raise ConfigurationError(
                f"must be an httpx.BaseTransport, got {type(transport).__name__}", argument="transport"
            )
        if transport is None:
            from ._stoppable_network import StoppableClient  # noqa: PLC0415 - loads httpcore, as httpx does, late

            return StoppableClient(self._options.timeout)
        return httpx.Client(timeout=self._options.timeout, transport=transport, follow_redirects=False)

    def close(self) -> None:
        """Close the connection pool if this client created it (not a ``with_options`` copy's, nor yours)."""
        if self._owns_http:
            self._http.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def _send(self, call: PreparedCall, body: Mapping[str, object] | None, parse: Parse[T], decode: bool = True) -> T:
        """``parse`` of the response; with ``decode=False`` it gets the body's bytes (a reader of its own, such as
        the columnar tables) instead of the decoded JSON."""
        self._check_open()
        parse = as_asked(parse)
        request = self._build(call, body)
        policy = call.options.retry_policy
        retries = 0
        while True:
            try:
                return self._attempt(request, call.options, parse, decode)
            except GalileoInsightsError as error:
                if retries >= policy.max_retries or not policy.is_retryable(error):
                    raise
                retries += 1
                wait = policy.delay(retries, error)
                policy.log_retry(error, retries, wait)
            _retry.sleep(wait)

    def _attempt(self, request: httpx.Request, options: EffectiveOptions, parse: Parse[T], decode: bool) -> T:
        started = time.perf_counter()
        deadline = _deadline(options)
        set_exchange_deadline(deadline)
        try:
            with _mapped_transport_errors(request, self._http):
                response = self._http.send(request, auth=self._settings.auth, stream=True, follow_redirects=False)
                try:
                    reader = _BodyReader(response, options, deadline)
                    reader.read()
                    reader.check_deadline()
                finally:
                    response.close()
        finally:
            set_exchange_deadline(None)
        completed = reader.completed()
        _log_response(completed, started)
        return _parsed(completed, parse, self._redact, decode)


class AsyncAPIClient(BaseClient[httpx.AsyncClient]):
    """The asynchronous sending core; ``AsyncGalileoInsights`` adds the resources."""

    _loop: asyncio.AbstractEventLoop | None = None

    def _new_http(self, transport: httpx.BaseTransport | httpx.AsyncBaseTransport | None) -> httpx.AsyncClient:
        if transport is not None and not isinstance(transport, httpx.AsyncBaseTransport):
            raise ConfigurationError(
                f"must be an httpx.AsyncBaseTransport, got {type(transport).__name__}", argument="transport"
            )
        # No transport of ours: httpx then honours the proxy variables (and NO_PROXY) exactly as httpx.AsyncClient().
        return httpx.AsyncClient(
            timeout=self._options.timeout, limits=DEFAULT_LIMITS, transport=transport, follow_redirects=False
        )

    def _after_fork(self) -> None:
        super()._after_fork()
        self._loop = None  # the child runs its own event loops

    async def close(self) -> None:
        """Close the connection pool if this client created it (not a ``with_options`` copy's, nor yours).

        Awaitable, as in openai-python and anthropic-sdk-python: ``await client.close()``.
        """
        if self._owns_http:
            await self._http.aclose()

    async def aclose(self) -> None:
        """The same as ``close()`` (httpx's name for it)."""
        await self.close()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.close()

    async def _send(
        self, call: PreparedCall, body: Mapping[str, object] | None, parse: Parse[T], decode: bool = True
    ) -> T:
        self._check_open()
        self._check_loop()
        parse = as_asked(parse)
        request = self._build(call, body)
        policy = call.options.retry_policy
        retries = 0
        while True:
            try:
                return await self._attempt(request, call.options, parse, decode)
            except GalileoInsightsError as error:
                if retries >= policy.max_retries or not policy.is_retryable(error):
                    raise
                retries += 1
                wait = policy.delay(retries, error)
                policy.log_retry(error, retries, wait)
            await _retry.async_sleep(wait)

    def _check_loop(self) -> None:
        """httpx's connection pool belongs to the event loop it first ran on; a second loop would hang or fail oddly."""
        import asyncio  # noqa: PLC0415 - asyncio loads with the first async call, not at import

        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:  # not asyncio (trio): nothing to check
            return
        if self._loop is None:
            self._loop = loop
        elif self._loop is not loop:
            raise ClientStateError(
                f"this {type(self).__name__} was first used on another event loop; its connections belong to that "
                "loop: create one client per event loop (e.g. inside the coroutine you pass to asyncio.run)"
            )

    async def _attempt(self, request: httpx.Request, options: EffectiveOptions, parse: Parse[T], decode: bool) -> T:
        import anyio  # noqa: PLC0415 - loaded with the first async request, as httpx loads it

        started = time.perf_counter()
        deadline = _deadline(options)
        left = math.inf if deadline is None else deadline - time.monotonic()
        try:
            # the whole exchange (connect, 1xx, headers, body, a login on the way) under one deadline
            with anyio.fail_after(left), _mapped_transport_errors(request, self._http):
                reader = await self._exchange(request, options, deadline)
        except TimeoutError:
            raise APITimeoutError(
                f"{request.method} {request.url.path} took longer than attempt_timeout={options.attempt_timeout}s "
                "in all",
                request=request,
            ) from None
        completed = reader.completed()
        _log_response(completed, started)
        return _parsed(completed, parse, self._redact, decode)

    async def _exchange(self, request: httpx.Request, options: EffectiveOptions, deadline: float | None) -> _BodyReader:
        response = await self._http.send(request, auth=self._settings.auth, stream=True, follow_redirects=False)
        try:
            reader = _BodyReader(response, options, deadline)
            await reader.aread()
            reader.check_deadline()
        finally:
            await response.aclose()
        return reader
