"""One page request on the wire: build it from the generated operation, send it, map the outcome.

Shared by the sync and async clients; only ``send`` differs between them. Status codes are mapped by
``error_for_status`` and 2xx bodies are parsed with the generated model, so callers see either a
spec-exact page or a ``GalileoInsightsError`` subclass, never a bare KeyError from inside the model.
"""

from __future__ import annotations

import contextlib
import json
import logging
import time
from collections.abc import Iterator
from typing import Any

import httpx

from galileo_insights_api.api.logstream_insights import get_token_usage
from galileo_insights_api.models.logstream_insight_token_usage_response import LogstreamInsightTokenUsageResponse

from ._errors import APIConnectionError, APITimeoutError, ResponseValidationError, error_for_status
from ._query import TokenUsageQuery
from ._redaction import NO_SECRETS, Redactor

logger = logging.getLogger("galileo_insights")


def build_page_request(
    http: httpx.Client | httpx.AsyncClient, base_url: str, query: TokenUsageQuery, starting_token: int, limit: int
) -> httpx.Request:
    # _get_kwargs is the generated operation's own request builder: URL template, quoting and body
    # serialization stay spec-exact, while sending and parsing are ours (see module docstring).
    kwargs: dict[str, Any] = get_token_usage._get_kwargs(
        query.project_id, query.log_stream_id, body=query.request(starting_token, limit)
    )
    return http.build_request(
        kwargs["method"], base_url + kwargs["url"], json=kwargs["json"], headers=kwargs["headers"]
    )


@contextlib.contextmanager
def mapped_transport_errors(request: httpx.Request) -> Iterator[None]:
    """Re-raise httpx's transport failures as the SDK's connection errors (they are retryable)."""
    try:
        yield
    except httpx.TimeoutException as exc:
        raise APITimeoutError(f"{request.method} {request.url.path} timed out: {exc}", request=request) from exc
    except httpx.TransportError as exc:
        raise APIConnectionError(
            f"{request.method} {request.url.path} failed: {exc.__class__.__name__}: {exc}", request=request
        ) from exc


def log_response(response: httpx.Response, started: float) -> None:
    logger.debug(
        "%s %s -> %d in %.1f ms",
        response.request.method,
        response.request.url.path,
        response.status_code,
        (time.perf_counter() - started) * 1000,
    )


def parse_page(response: httpx.Response, redactor: Redactor = NO_SECRETS) -> LogstreamInsightTokenUsageResponse:
    """The page in a read response, or the typed error it stands for."""
    if not response.is_success:
        raise error_for_status(response, redactor)
    try:
        document = response.json()
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ResponseValidationError(f"response body is not JSON: {exc}", response=response) from None
    if not isinstance(document, dict):
        raise ResponseValidationError(
            f"response body is a JSON {type(document).__name__}, expected an object", response=response
        )
    _check_page_shape(document, response)
    try:
        page = LogstreamInsightTokenUsageResponse.from_dict(document)
    except KeyError as exc:
        raise ResponseValidationError(f"response is missing required field {exc}", response=response) from None
    except (TypeError, ValueError, AttributeError, OverflowError) as exc:
        raise ResponseValidationError(f"response does not match the spec: {exc}", response=response) from None
    return page


def _check_page_shape(document: dict[str, Any], response: httpx.Response) -> None:
    """The generated ``from_dict`` copies scalars and iterates lists without checking them; check what
    pagination relies on, so a malformed page (``"token_usages": {}``) is an error, not an empty page.

    Both fields are optional in the spec: an absent token means no further page, absent items an empty one.
    """
    token = document.get("next_starting_token")
    if token is not None and (isinstance(token, bool) or not isinstance(token, int)):
        raise ResponseValidationError(
            f"next_starting_token must be an integer or null, got {token!r}", response=response
        )
    items = document.get("token_usages", [])
    if not isinstance(items, list):
        raise ResponseValidationError(f"token_usages must be a list, got {type(items).__name__}", response=response)
