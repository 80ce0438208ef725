"""Request options: what a client applies to every request, and what one call may override.

``ClientOptions`` is fixed when a client is built and copied with changes by ``with_options()``;
``RequestOptions`` carries one call's overrides (``timeout=``, ``max_retries=``, ``extra_headers=``, ...), which
methods take as keywords typed by ``CallOptions``. Each setting has one holder per level: the client's
``ClientOptions`` and the call's ``RequestOptions``; defaults come from ``_constants``.
``ClientOptions.merged`` folds the two into what a request is actually sent with, once per call (a pager
merges once for all of its pages). Dataclasses rather than attrs, as every class the client needs at import:
importing attrs would cost more than the rest of the package.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import TypedDict

import httpx

from ._constants import ATTEMPT_TIMEOUT_READS, DEFAULT_MAX_RESPONSE_BYTES, MAX_TIMEOUT_SECONDS
from ._errors import ConfigurationError, InputError, InvalidRequestError
from ._retry import RetryPolicy

Headers = tuple[tuple[str, str], ...]
QueryValue = str | int | float | bool


class CallOptions(TypedDict, total=False):
    """The per-call options every method takes as keywords (``**options: Unpack[CallOptions]``)."""

    timeout: float | httpx.Timeout | None
    """Seconds or an ``httpx.Timeout`` for this call's requests, instead of the client's."""
    max_retries: int | None
    """Retries for this call's requests, instead of the client's."""
    extra_headers: Mapping[str, str] | None
    """Headers added to (and overriding) the client's for this call."""
    extra_query: Mapping[str, QueryValue] | None
    """Query parameters added to this call's URL."""


def as_timeout(
    value: float | httpx.Timeout, name: str = "timeout", error: type[InputError] = InvalidRequestError
) -> httpx.Timeout:
    """A positive number of seconds or an ``httpx.Timeout``; anything else is ``error`` naming the argument
    (``InvalidRequestError`` for a call's option, ``ConfigurationError`` for a client's)."""
    if isinstance(value, httpx.Timeout):
        return value
    if not _is_seconds(value):
        raise error(
            f"must be a positive number of seconds (at most {MAX_TIMEOUT_SECONDS:g}) or an httpx.Timeout, "
            f"got {value!r}",
            argument=name,
        )
    return httpx.Timeout(float(value))


def _is_seconds(value: object) -> bool:
    """A positive number up to ``MAX_TIMEOUT_SECONDS`` (not a bool): what a timeout or a deadline may be."""
    return not isinstance(value, bool) and isinstance(value, int | float) and 0 < value <= MAX_TIMEOUT_SECONDS


def merge_headers(*layers: Headers) -> Headers:
    """Header layers, later ones overriding earlier ones by name (case-insensitively), in first-seen order."""
    merged: dict[str, tuple[str, str]] = {}
    for layer in layers:
        for name, value in layer:
            merged[name.lower()] = (name, value)
    return tuple(merged.values())


def as_headers(value: Mapping[str, str] | None, name: str, error: type[InputError] = InvalidRequestError) -> Headers:
    if value is None:
        return ()
    if not isinstance(value, Mapping):
        raise error(f"must be a mapping of header names to values, got {type(value).__name__}", argument=name)
    for key, item in value.items():
        if not isinstance(key, str) or not isinstance(item, str):
            raise error(f"must map str to str, got {key!r}: {type(item).__name__}", argument=name)
    return tuple(value.items())


@dataclasses.dataclass(frozen=True, slots=True, eq=False, repr=False)  # no __eq__/__repr__: unused, import time
class RequestOptions:
    """One call's overrides; ``None`` / empty means "as the client says"."""

    timeout: float | httpx.Timeout | None = None
    max_retries: int | None = None
    extra_headers: Mapping[str, str] | None = None
    extra_query: Mapping[str, QueryValue] | None = None
    extra_body: Mapping[str, object] | None = None


@dataclasses.dataclass(frozen=True, slots=True, eq=False, repr=False)  # no __eq__/__repr__: unused, import time
class EffectiveOptions:
    """What one call's requests are sent with: the client's options with the call's overrides applied."""

    timeout: httpx.Timeout
    retry_policy: RetryPolicy
    headers: Headers
    query: tuple[tuple[str, QueryValue], ...]
    extra_body: Mapping[str, object]
    max_response_bytes: int
    attempt_timeout: float | None


@dataclasses.dataclass(frozen=True, slots=True, eq=False, repr=False)  # no __eq__/__repr__: unused, import time
class ClientOptions:
    """What every request of one client shares beyond its URL and credentials."""

    timeout: httpx.Timeout
    retry_policy: RetryPolicy
    default_headers: Headers = ()
    max_response_bytes: int = DEFAULT_MAX_RESPONSE_BYTES
    attempt_timeout: float | None = None

    def __post_init__(self) -> None:
        size = self.max_response_bytes
        if isinstance(size, bool) or not isinstance(size, int) or size < 1:
            raise ConfigurationError(f"must be an integer >= 1, got {size!r}", argument="max_response_bytes")
        if self.attempt_timeout is not None and not _is_seconds(self.attempt_timeout):
            raise ConfigurationError(
                f"must be None or a positive number of seconds (at most {MAX_TIMEOUT_SECONDS:g}), "
                f"got {self.attempt_timeout!r}",
                argument="attempt_timeout",
            )

    def merged(self, call: RequestOptions) -> EffectiveOptions:
        timeout = self.timeout if call.timeout is None else as_timeout(call.timeout)
        policy = self.retry_policy
        if call.max_retries is not None:
            policy = policy.with_max_retries(call.max_retries, InvalidRequestError)
        if call.extra_body is not None and not isinstance(call.extra_body, Mapping):
            raise InvalidRequestError(f"must be a mapping, got {type(call.extra_body).__name__}", argument="extra_body")
        if call.extra_query is not None and not isinstance(call.extra_query, Mapping):
            raise InvalidRequestError(
                f"must be a mapping, got {type(call.extra_query).__name__}", argument="extra_query"
            )
        return EffectiveOptions(
            timeout=timeout,
            retry_policy=policy,
            headers=merge_headers(self.default_headers, as_headers(call.extra_headers, "extra_headers")),
            query=tuple((call.extra_query or {}).items()),
            extra_body=call.extra_body or {},
            max_response_bytes=self.max_response_bytes,
            attempt_timeout=self.attempt_timeout if self.attempt_timeout is not None else _default_deadline(timeout),
        )


def _default_deadline(timeout: httpx.Timeout) -> float | None:
    return None if timeout.read is None else ATTEMPT_TIMEOUT_READS * timeout.read
