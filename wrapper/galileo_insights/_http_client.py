"""httpx clients with the SDK's defaults, for callers who pass ``http_client=`` to add proxies, certificates or
event hooks without losing the SDK's timeouts and connection limits (as openai-python's ``DefaultHttpxClient``)."""

from __future__ import annotations

from typing import Any

import httpx

from ._constants import (
    DEFAULT_CONNECT_TIMEOUT_SECONDS,
    DEFAULT_MAX_CONNECTIONS,
    DEFAULT_MAX_KEEPALIVE_CONNECTIONS,
    DEFAULT_TIMEOUT_SECONDS,
)

DEFAULT_TIMEOUT = httpx.Timeout(DEFAULT_TIMEOUT_SECONDS, connect=DEFAULT_CONNECT_TIMEOUT_SECONDS)
DEFAULT_LIMITS = httpx.Limits(
    max_connections=DEFAULT_MAX_CONNECTIONS, max_keepalive_connections=DEFAULT_MAX_KEEPALIVE_CONNECTIONS
)


def _with_defaults(kwargs: dict[str, Any]) -> dict[str, Any]:
    kwargs.setdefault("timeout", DEFAULT_TIMEOUT)
    kwargs.setdefault("limits", DEFAULT_LIMITS)
    kwargs.setdefault("follow_redirects", False)
    return kwargs


class DefaultHttpxClient(httpx.Client):
    """``httpx.Client`` with the SDK's timeout, limits and no redirects; any keyword overrides them."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**_with_defaults(kwargs))


class DefaultAsyncHttpxClient(httpx.AsyncClient):
    """``httpx.AsyncClient`` with the SDK's defaults, as ``DefaultHttpxClient``."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**_with_defaults(kwargs))
