"""Reading a streamed body under the size cap, for any request the SDK makes (API calls and the login alike).

The cap counts decompressed bytes, so a small gzip answer that inflates to gigabytes stops at the cap. The
cap travels with a request as an extension (``CAP_EXTENSION``), so an auth flow reads its login answer under
the same cap as the call it logs in for.
"""

from __future__ import annotations

from collections.abc import Iterable

import httpx

from ._errors import ResponseTooLargeError

CAP_EXTENSION = "galileo_insights.max_response_bytes"
_DECODED_AWAY = frozenset({"content-encoding", "content-length", "transfer-encoding"})


def too_large(response: httpx.Response, limit: int, what: str = "") -> ResponseTooLargeError:
    request = response.request
    return ResponseTooLargeError(
        f"{what}{request.method} {request.url.path}: response body exceeds max_response_bytes={limit} "
        "(counted after decompression); reading stopped",
        response=response,
        limit=limit,
    )


def with_body(response: httpx.Response, chunks: Iterable[bytes]) -> httpx.Response:
    """``response`` with its (decoded) body read, so ``.content``/``.json()`` work on what callers keep."""
    headers = [(key, value) for key, value in response.headers.multi_items() if key.lower() not in _DECODED_AWAY]
    return httpx.Response(
        response.status_code,
        headers=headers,
        content=b"".join(chunks),
        request=response.request,
        extensions=response.extensions,
    )
