"""Raw-response views: a single-request method answering ``APIResponse`` (headers, status, request id) with its value.

A view wraps the plain method instead of re-declaring it (as openai-python's ``to_raw_response_wrapper``): the
wrapper sets a flag around the call, and the sending core, seeing it, keeps the response beside the parsed value.
A resource's view class lists its methods with ``raw_response_of`` / ``async_raw_response_of``, one line each.
"""

from __future__ import annotations

import contextvars
import functools
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any, Concatenate, Generic, ParamSpec, TypeVar, cast, overload

import httpx

from ._errors import request_id_of

T = TypeVar("T")
P = ParamSpec("P")
ResourceT = TypeVar("ResourceT")

Parse = Callable[[httpx.Response, object], T]
"""Turns a 2xx response and its decoded JSON body into the caller's value; may raise ``ResponseValidationError``."""


class APIResponse(Generic[T]):
    """A successful response with its parsed value: ``client.with_raw_response...`` returns these.

    For headers, the status and Galileo's request id beside the value a method normally returns.
    """

    http_response: httpx.Response

    def __init__(self, http_response: httpx.Response, parsed: T) -> None:
        self.http_response = http_response
        self._parsed = parsed

    @property
    def headers(self) -> httpx.Headers:
        return self.http_response.headers

    @property
    def status_code(self) -> int:
        return self.http_response.status_code

    @property
    def request_id(self) -> str | None:
        return request_id_of(self.http_response)

    def parse(self) -> T:
        return self._parsed

    def __repr__(self) -> str:
        return f"APIResponse(status_code={self.status_code}, request_id={self.request_id!r})"


def raw(parse: Parse[T]) -> Parse[APIResponse[T]]:
    """``parse``, keeping the HTTP response beside its value."""
    return lambda response, document: APIResponse(response, parse(response, document))


_RAW_RESPONSE = contextvars.ContextVar("galileo_insights_raw_response", default=False)
"""Set by a raw-response view around one call: that call's request answers an ``APIResponse``."""


def as_asked(parse: Parse[T]) -> Parse[T]:
    """``parse``, or (inside a raw-response view) ``raw(parse)``: the view's one request keeps its response."""
    if not _RAW_RESPONSE.get():
        return parse
    _RAW_RESPONSE.set(False)  # one request per view call; the view restores the flag when the call returns
    return cast(Parse[T], raw(parse))


def to_raw_response_wrapper(method: Callable[P, T]) -> Callable[P, APIResponse[T]]:
    """``method`` (a single-request call) answering ``APIResponse`` with its value: one signature, two views."""

    @functools.wraps(method)
    def wrapped(*args: P.args, **kwargs: P.kwargs) -> APIResponse[T]:
        token = _RAW_RESPONSE.set(True)
        try:
            return cast(APIResponse[T], method(*args, **kwargs))
        finally:
            _RAW_RESPONSE.reset(token)

    return wrapped


def async_to_raw_response_wrapper(method: Callable[P, Awaitable[T]]) -> Callable[P, Awaitable[APIResponse[T]]]:
    """The async twin of ``to_raw_response_wrapper``."""

    @functools.wraps(method)
    async def wrapped(*args: P.args, **kwargs: P.kwargs) -> APIResponse[T]:
        token = _RAW_RESPONSE.set(True)
        try:
            return cast(APIResponse[T], await method(*args, **kwargs))
        finally:
            _RAW_RESPONSE.reset(token)

    return wrapped


class RawResponseView(Generic[ResourceT]):
    """``client.with_raw_response.<resource>``: the resource's single-request methods, answering ``APIResponse``."""

    def __init__(self, resource: ResourceT) -> None:
        self._resource = resource


class RawResponseMethod(Generic[ResourceT, P, T]):
    """A view's method: the resource's method of the same name, through ``to_raw_response_wrapper``."""

    def __init__(self, method: Callable[Concatenate[ResourceT, P], T]) -> None:
        self._name = method.__name__

    @overload
    def __get__(self, view: None, owner: type[Any]) -> RawResponseMethod[ResourceT, P, T]: ...
    @overload
    def __get__(self, view: RawResponseView[ResourceT], owner: type[Any]) -> Callable[P, APIResponse[T]]: ...
    def __get__(self, view: RawResponseView[ResourceT] | None, owner: type[Any]) -> Any:
        if view is None:
            return self
        return to_raw_response_wrapper(getattr(view._resource, self._name))


class AsyncRawResponseMethod(Generic[ResourceT, P, T]):
    """The async twin of ``RawResponseMethod``."""

    def __init__(self, method: Callable[Concatenate[ResourceT, P], Coroutine[Any, Any, T]]) -> None:
        self._name = method.__name__

    @overload
    def __get__(self, view: None, owner: type[Any]) -> AsyncRawResponseMethod[ResourceT, P, T]: ...
    @overload
    def __get__(self, view: RawResponseView[ResourceT], owner: type[Any]) -> Callable[P, Awaitable[APIResponse[T]]]: ...
    def __get__(self, view: RawResponseView[ResourceT] | None, owner: type[Any]) -> Any:
        if view is None:
            return self
        return async_to_raw_response_wrapper(getattr(view._resource, self._name))


def raw_response_of(
    method: Callable[Concatenate[ResourceT, P], T],
) -> Callable[[Callable[..., object]], RawResponseMethod[ResourceT, P, T]]:
    """Declares a view method as ``method`` answering ``APIResponse``; the decorated stub only carries the name and
    docstring (a decorated ``def`` keeps the real parameters visible to type checkers and IDEs)."""
    return lambda _stub: RawResponseMethod(method)


def async_raw_response_of(
    method: Callable[Concatenate[ResourceT, P], Coroutine[Any, Any, T]],
) -> Callable[[Callable[..., object]], AsyncRawResponseMethod[ResourceT, P, T]]:
    """The async twin of ``raw_response_of``."""
    return lambda _stub: AsyncRawResponseMethod(method)
