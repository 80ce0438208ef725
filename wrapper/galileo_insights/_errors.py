"""The SDK's exceptions and the one place that maps an HTTP response to one of them.

Every error a caller can see derives from ``GalileoInsightsError``. Everything that came from an HTTP exchange
derives from ``APIError``, which carries the ``request`` (set in its constructor only); status errors add the
response, the status, the parsed body and Galileo's request id, so a log line or a bug report has what it needs.
Input errors (``ConfigurationError``, ``InvalidRequestError``) name the ``argument`` they are about, so a front end
such as the CLI can say it in its own terms (a flag) without reading the message.

Messages never include credentials: they are built from the status and body only, and both pass through the
``Redactor`` of the auth in use (``_redaction``), because a server may echo what it was sent.
``error.response`` keeps the raw response.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from ._redaction import NO_SECRETS, Redactor

if TYPE_CHECKING:  # httpx only in annotations: catching these errors (and the CLI's --help) does not load it
    import httpx

    from galileo_insights_api.models.validation_error import ValidationError

_REQUEST_ID_HEADERS = ("x-request-id", "x-galileo-request-id", "request-id")


def request_id_of(response: httpx.Response) -> str | None:
    """Galileo's id for one request, as its responses carry it (for logs and bug reports)."""
    return next((response.headers[name] for name in _REQUEST_ID_HEADERS if name in response.headers), None)


_MAX_BODY_IN_MESSAGE = 300


class GalileoInsightsError(Exception):
    """Base of every error raised by this SDK."""


class InputError(GalileoInsightsError, ValueError):
    """Base of the errors about what the caller gave, raised before anything is sent.

    ``argument`` is the parameter (``"page_size"``) or environment variable (``"GALILEO_API_URL"``) at fault, or
    None when the error is about a combination; ``reason`` is the message without it. ``str(error)`` is
    ``"argument: reason"``.
    """

    argument: str | None
    reason: str

    def __init__(self, reason: str, *, argument: str | None = None) -> None:
        super().__init__(reason if argument is None else f"{argument}: {reason}")
        self.argument = argument
        self.reason = reason


class ConfigurationError(InputError):
    """Arguments or ``GALILEO_*`` environment variables are missing, incomplete or invalid."""


class InvalidRequestError(InputError):
    """An argument was rejected before any request was sent (bad id, naive datetime, page size < 1...)."""


class PaginationError(GalileoInsightsError):
    """The server's pagination tokens cannot be followed without losing or repeating items."""


class APIError(GalileoInsightsError):
    """Base of every error that came from an HTTP exchange: ``request`` is the request that was sent."""

    request: httpx.Request

    def __init__(self, message: str, *, request: httpx.Request) -> None:
        super().__init__(message)
        self.request = request


class APIConnectionError(APIError):
    """The request never produced a complete response (DNS, refused connection, dropped connection).

    ``retryable`` is False when trying again cannot help: the request could not be written at all (an
    invalid header value) or the server's TLS certificate was refused.
    """

    retryable: bool

    def __init__(self, message: str, *, request: httpx.Request, retryable: bool = True) -> None:
        super().__init__(message, request=request)
        self.retryable = retryable


class APITimeoutError(APIConnectionError):
    """The request timed out (connect, read, write or pool)."""


class APIStatusError(APIError):
    """The server answered with a non-2xx status.

    Undocumented statuses (e.g. Cloudflare's 520) are raised as this class itself.
    """

    response: httpx.Response
    status_code: int
    body: object
    request_id: str | None

    def __init__(self, message: str, *, response: httpx.Response, body: object) -> None:
        super().__init__(message, request=response.request)
        self.response = response
        self.status_code = response.status_code
        self.body = body
        self.request_id = request_id_of(response)


class BadRequestError(APIStatusError):
    """400."""


class AuthenticationError(APIStatusError):
    """401: the credentials are missing, wrong or expired."""


class PermissionDeniedError(APIStatusError):
    """403: the credentials are valid but may not read this project or log stream."""


class NotFoundError(APIStatusError):
    """404."""


class ConflictError(APIStatusError):
    """409."""


class UnprocessableEntityError(APIStatusError):
    """422: the server rejected the request body or path.

    ``errors`` holds the parsed ``HTTPValidationError.detail`` items; Galileo also sends a plain-string
    ``detail``, kept verbatim in ``detail_text`` (and then ``errors`` is empty).
    """

    errors: list[ValidationError]
    detail_text: str | None

    def __init__(
        self,
        message: str,
        *,
        response: httpx.Response,
        body: object,
        errors: list[ValidationError],
        detail_text: str | None,
    ) -> None:
        super().__init__(message, response=response, body=body)
        self.errors = errors
        self.detail_text = detail_text


class RateLimitError(APIStatusError):
    """429."""


class InternalServerError(APIStatusError):
    """5xx."""


class ResponseValidationError(APIError):
    """A 2xx response whose body is not what the spec promises (not JSON, missing or mistyped fields)."""

    response: httpx.Response
    raw_body: bytes

    def __init__(self, message: str, *, response: httpx.Response) -> None:
        super().__init__(message, request=response.request)
        self.response = response
        self.raw_body = self._body_of(response)

    @staticmethod
    def _body_of(response: httpx.Response) -> bytes:
        return response.content


class ResponseTooLargeError(ResponseValidationError):
    """The body grew past ``max_response_bytes`` (counted after decompression), so reading stopped there."""

    limit: int

    def __init__(self, message: str, *, response: httpx.Response, limit: int) -> None:
        super().__init__(message, response=response)
        self.limit = limit

    @staticmethod
    def _body_of(response: httpx.Response) -> bytes:
        return b""  # the body was not read to its end: there is no whole body to keep


class NameResolutionError(GalileoInsightsError, LookupError):
    """A project or log stream name matched nothing, or more than one; the message names what was found."""

    kind: str
    name: str
    found: list[tuple[str, str]]

    def __init__(self, message: str, *, kind: str, name: str, found: list[tuple[str, str]]) -> None:
        super().__init__(message)
        self.kind = kind
        self.name = name
        self.found = found


class ClientStateError(GalileoInsightsError):
    """The client cannot send now: it was closed, or an async client is used from a second event loop."""


_STATUS_ERRORS: dict[int, type[APIStatusError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    409: ConflictError,
    429: RateLimitError,
}


def _decode_body(response: httpx.Response) -> object:
    """The JSON body, else the text: an error body that does not parse (or nests too deep, or holds an integer
    too long for ``int``) is still an error to report, not a new failure."""
    try:
        return response.json()
    except (ValueError, RecursionError):  # JSONDecodeError and UnicodeDecodeError are ValueErrors
        return response.text


def _parse_validation_errors(detail: object) -> list[ValidationError]:
    if not isinstance(detail, list):
        return []
    # loaded with the first 422, not with the package: the generated package and attrs cost import time
    from galileo_insights_api.models.validation_error import ValidationError  # noqa: PLC0415

    parsed = []
    for item in detail:
        try:
            parsed.append(ValidationError.from_dict(item))
        except (KeyError, TypeError, ValueError, AttributeError):
            continue
    return parsed


def _summary(body: object) -> str:
    if isinstance(body, dict) and "detail" in body:
        body = body["detail"]
    text = body if isinstance(body, str) else json.dumps(body, default=str)
    return text if len(text) <= _MAX_BODY_IN_MESSAGE else text[:_MAX_BODY_IN_MESSAGE] + "..."


def error_for_status(response: httpx.Response, redactor: Redactor = NO_SECRETS) -> APIStatusError:
    """Build (not raise) the exception for a non-2xx ``response``; its body must already be read.

    Pass the ``Redactor`` of the auth that sent the request (``Settings.redactor``): the message, ``body``
    and ``detail_text`` are redacted with it, ``response`` is not.
    """
    body = redactor.body(_decode_body(response))
    request = response.request
    message = redactor(f"{request.method} {request.url.path} returned {response.status_code}: {_summary(body)}")
    if response.status_code == 422:
        detail = body.get("detail") if isinstance(body, dict) else body
        return UnprocessableEntityError(
            message,
            response=response,
            body=body,
            errors=_parse_validation_errors(detail),
            detail_text=detail if isinstance(detail, str) else None,
        )
    error_class = _STATUS_ERRORS.get(response.status_code)
    if error_class is None and response.status_code >= 500:
        error_class = InternalServerError
    return (error_class or APIStatusError)(message, response=response, body=body)
