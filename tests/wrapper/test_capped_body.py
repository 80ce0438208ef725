"""A body is inflated a bounded piece at a time and counted as it grows, so no answer a server sends, however
small on the wire, can take more memory than the size cap plus one piece before the SDK stops reading it."""

from __future__ import annotations

import gzip
import tracemalloc
import zlib
from collections.abc import Callable, Iterator

import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from galileo_insights import ResponseTooLargeError
from galileo_insights._capped_body import PIECE_BYTES, CappedBody


class Unread(httpx.SyncByteStream):
    """A body still on the wire: the tests hand its bytes to ``add_raw`` themselves."""

    def __iter__(self) -> Iterator[bytes]:
        return iter(())


def response(encoding: str | None) -> httpx.Response:
    headers = {"Content-Encoding": encoding} if encoding is not None else {}
    request = httpx.Request("POST", "http://127.0.0.1/token_usage")
    return httpx.Response(200, headers=headers, stream=Unread(), request=request)


def raw_deflate(data: bytes) -> bytes:
    compressor = zlib.compressobj(wbits=-zlib.MAX_WBITS)
    return compressor.compress(data) + compressor.flush()


ENCODERS: dict[str | None, Callable[[bytes], bytes]] = {
    None: lambda data: data,
    "identity": lambda data: data,
    "gzip": gzip.compress,
    "x-gzip": gzip.compress,
    "deflate": zlib.compress,
    "Deflate": raw_deflate,  # deflate without its zlib header, which httpx also accepts
    "gzip, deflate": lambda data: zlib.compress(gzip.compress(data)),  # applied in order, undone last first
}


def read(encoding: str | None, wire: bytes, cuts: list[int], limit: int = 2**30) -> CappedBody:
    body = CappedBody(response(encoding), limit)
    start = 0
    for cut in [*sorted(cuts), len(wire)]:
        body.add_raw(wire[start:cut])
        start = cut
    return body


@settings(max_examples=60, deadline=None)
@given(
    encoding=st.sampled_from(sorted(ENCODERS, key=str)),
    data=st.binary(max_size=3000) | st.just(bytes(range(256)) * 700),
    cut_points=st.lists(st.floats(0, 1), max_size=6),
)
def test_the_decoded_body_is_the_original_however_the_wire_splits_it(
    encoding: str | None, data: bytes, cut_points: list[float]
) -> None:
    wire = ENCODERS[encoding](data)
    body = read(encoding, wire, [int(point * len(wire)) for point in cut_points])
    completed = body.completed()
    assert completed.content == data
    assert "content-encoding" not in completed.headers


def test_one_network_read_of_a_bomb_is_inflated_a_piece_at_a_time_and_stops_at_the_cap() -> None:
    bomb = gzip.compress(b" " * (64 * 2**20), compresslevel=9)  # about 64 KiB: one read of httpcore's
    assert len(bomb) < 2**17
    limit = 4 * 2**20
    body = CappedBody(response("gzip"), limit)
    tracemalloc.start()
    try:
        with pytest.raises(ResponseTooLargeError, match="max_response_bytes=4194304"):
            body.add_raw(bomb)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < limit + 8 * PIECE_BYTES  # httpx's own decoder holds all 64 MiB at once here


def test_a_body_exactly_at_the_cap_is_read_and_one_byte_more_is_not() -> None:
    data = b"x" * 1000
    assert read("gzip", gzip.compress(data), [], limit=1000).completed().content == data
    with pytest.raises(ResponseTooLargeError):
        read("gzip", gzip.compress(data + b"x"), [], limit=1000)


@pytest.mark.parametrize(("encoding", "wire"), [("gzip", b"not gzip"), ("deflate", b"\xff" * 20), ("br", b"{}")])
def test_a_body_that_is_not_what_its_encoding_says_is_a_decoding_error(encoding: str, wire: bytes) -> None:
    with pytest.raises(httpx.DecodingError):
        read(encoding, wire, []).completed()
