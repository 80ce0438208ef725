"""Reading a streamed body under the size cap, for any request the SDK makes (API calls and the login alike).

The cap counts decompressed bytes, so a small gzip answer that inflates to gigabytes stops at the cap. The body
is inflated here rather than by httpx, because httpx inflates each network read whole: one 64 KiB read of a
gzip bomb becomes 64 MiB before any cap could look at it. Here no step inflates more than ``PIECE_BYTES``, so
memory stays within the cap plus a few pieces whatever the server sends. The SDK asks for only the encodings it
inflates this way (``ACCEPT_ENCODING``); a body in any other is a decoding error, never bytes passed on as JSON.

The cap travels with a request as an extension (``CAP_EXTENSION``), so an auth flow reads its login answer under
the same cap as the call it logs in for.
"""

from __future__ import annotations

import zlib
from collections.abc import AsyncIterator, Iterator, Sequence
from typing import NoReturn

import httpx

from ._errors import ResponseTooLargeError

CAP_EXTENSION = "galileo_insights.max_response_bytes"
ACCEPT_ENCODING = "gzip, deflate"
PIECE_BYTES = 64 * 1024
_DECODED_AWAY = frozenset({"content-encoding", "content-length", "transfer-encoding"})
_GZIP_WINDOW = zlib.MAX_WBITS | 16


def _too_large(response: httpx.Response, limit: int, what: str = "") -> ResponseTooLargeError:
    request = response.request
    return ResponseTooLargeError(
        f"{what}{request.method} {request.url.path}: response body exceeds max_response_bytes={limit} "
        "(counted after decompression); reading stopped",
        response=response,
        limit=limit,
    )


class CappedBody:
    """A response's body from its raw (still encoded) chunks: inflated a piece at a time, counted, and kept.

    ``ResponseTooLargeError`` as soon as the inflated size passes ``limit``; ``httpx.DecodingError`` (which the
    clients report as a connection error) for a body that is not what its ``Content-Encoding`` says.
    """

    def __init__(self, response: httpx.Response, limit: int, what: str = "") -> None:
        self._response = response
        self._limit = limit
        self._what = what
        # A response a transport built with its body given (httpx.MockTransport's, say) arrives read and decoded.
        self._read = response.is_stream_consumed
        self._stages = [] if self._read else _stages_for(response)
        self._chunks: list[bytes] = []
        self._size = 0

    def raw_chunks(self) -> Iterator[bytes]:
        """The body's bytes as they arrive, for ``add_raw``."""
        return iter((self._response.content,)) if self._read else self._response.iter_raw()

    async def araw_chunks(self) -> AsyncIterator[bytes]:
        """``raw_chunks`` for an async response."""
        if self._read:
            yield self._response.content
            return
        async for raw in self._response.aiter_raw():
            yield raw

    def add_raw(self, raw: bytes) -> None:
        if not self._stages:  # the common case, without a generator per chunk
            self._add(raw)
            return
        for piece in _through(self._stages, raw):
            self._add(piece)

    def completed(self) -> httpx.Response:
        """The response with its decoded body read, so ``.content``/``.json()`` work on what callers keep."""
        for index, stage in enumerate(self._stages):
            for piece in _through(self._stages[index + 1 :], stage.rest()):
                self._add(piece)
        headers = [
            (key, value) for key, value in self._response.headers.multi_items() if key.lower() not in _DECODED_AWAY
        ]
        return httpx.Response(
            self._response.status_code,
            headers=headers,
            content=b"".join(self._chunks),
            request=self._response.request,
            extensions=self._response.extensions,
        )

    def _add(self, piece: bytes) -> None:
        self._size += len(piece)
        if self._size > self._limit:
            raise _too_large(self._response, self._limit, self._what)
        self._chunks.append(piece)


class _Inflater:
    """One ``gzip`` or ``deflate`` layer, giving at most ``PIECE_BYTES`` per step (zlib's ``max_length``)."""

    def __init__(self, encoding: str) -> None:
        self._encoding = encoding
        self._zlib = zlib.decompressobj(_GZIP_WINDOW) if encoding == "gzip" else None
        self._head = b""  # deflate's first two bytes, held until they say which deflate it is

    def inflate(self, data: bytes) -> Iterator[bytes]:
        inflater = self._zlib or self._deflate_for(data)
        if inflater is None:
            return
        if inflater is not self._zlib:
            self._zlib, data, self._head = inflater, self._head + data, b""
        piece = self._step(inflater, data)
        while True:
            if piece:
                yield piece
            if not inflater.unconsumed_tail and len(piece) < PIECE_BYTES:
                return
            piece = self._step(inflater, inflater.unconsumed_tail)

    def rest(self) -> bytes:
        if self._zlib is None:  # a deflate body shorter than its header
            return b"" if not self._head else self._fail("the body ends inside the deflate header")
        try:
            return self._zlib.flush()  # empty: inflate() drains all it is given
        except zlib.error as exc:
            return self._fail(str(exc))

    def _deflate_for(self, data: bytes) -> zlib._Decompress | None:
        """Some servers send ``deflate`` without its zlib header (raw deflate); httpx accepts both, and so do we.
        The first two bytes tell them apart: a zlib header is a multiple of 31 naming method 8."""
        head = self._head + data
        if len(head) < 2:
            self._head = head
            return None
        zlib_header = head[0] & 0x0F == 8 and (head[0] << 8 | head[1]) % 31 == 0
        return zlib.decompressobj(zlib.MAX_WBITS if zlib_header else -zlib.MAX_WBITS)

    def _step(self, inflater: zlib._Decompress, data: bytes) -> bytes:
        try:
            return inflater.decompress(data, PIECE_BYTES)
        except zlib.error as exc:
            return self._fail(str(exc))

    def _fail(self, reason: str) -> NoReturn:
        raise httpx.DecodingError(f"{self._encoding}: {reason}")


def _stages_for(response: httpx.Response) -> list[_Inflater]:
    """The layers to undo, last applied first; httpx's reading of the header (comma-separated, any case)."""
    stages: list[_Inflater] = []
    for value in response.headers.get_list("content-encoding", split_commas=True):
        encoding = value.strip().lower()
        if encoding in {"gzip", "x-gzip"}:
            stages.append(_Inflater("gzip"))
        elif encoding == "deflate":
            stages.append(_Inflater("deflate"))
        elif encoding not in {"", "identity"}:
            raise httpx.DecodingError(
                f"{value.strip()!r} is not an encoding the SDK inflates under the size cap "
                f"(it asks for {ACCEPT_ENCODING})"
            )
    stages.reverse()
    return stages


def _through(stages: Sequence[_Inflater], data: bytes) -> Iterator[bytes]:
    if not stages:
        if data:
            yield data
        return
    for piece in stages[0].inflate(data):
        yield from _through(stages[1:], piece)
