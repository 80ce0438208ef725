"""The JSON decoder for response bodies: msgspec when the ``fast`` extra is installed, else the standard library.

``loads(data)`` returns what ``json.loads(data)`` returns, and raises what it raises, for every input. msgspec
decodes the pages servers send in about half the time; whatever it declines (invalid UTF-8, a lone surrogate,
NaN, a byte-order mark, a number outside the float range, an integer over 4,300 digits, nesting past its limit) is
decoded again by ``json.loads``, whose result or error is then the answer. orjson was measured as well and not
chosen: it reads integers outside the 64-bit range as floats (``18446744073709551616`` -> ``1.8446744073709552e19``).

msgspec is imported on the first decode, not with the package, so ``import galileo_insights`` does not pay for it.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, Literal

DecoderName = Literal["msgspec", "json"]

_decode: Callable[[bytes], Any] | None = None  # None: choose on the next call
_decoder_name: DecoderName = "json"


def loads(data: bytes) -> Any:
    """``json.loads(data)``, through msgspec when it is installed."""
    return (_decode or _choose(None))(data)


def decoder_name() -> DecoderName:
    """The decoder ``loads`` uses (choosing it now if no call has yet)."""
    if _decode is None:
        _choose(None)
    return _decoder_name


@contextmanager
def using(name: DecoderName) -> Iterator[None]:
    """Decode with ``name`` inside the block (for tests and benchmarks); ImportError if msgspec is missing."""
    global _decode, _decoder_name  # restored as it was, unchosen included
    saved = (_decode, _decoder_name)
    _choose(name)
    try:
        yield
    finally:
        _decode, _decoder_name = saved


def _choose(name: DecoderName | None) -> Callable[[bytes], Any]:
    """Bind ``name``'s decoder, or with None msgspec if importable and json otherwise; return it."""
    if name == "json":
        return _set(json.loads, "json")
    try:
        import msgspec  # noqa: PLC0415 - optional (the `fast` extra), and imported only when first needed
    except ImportError:
        if name == "msgspec":
            raise
        return _set(json.loads, "json")
    decode = msgspec.json.Decoder().decode
    declined = (msgspec.DecodeError, RecursionError)

    def msgspec_loads(data: bytes) -> Any:
        try:
            return decode(data)
        except declined:
            return json.loads(data)

    return _set(msgspec_loads, "msgspec")


def _set(decode: Callable[[bytes], Any], name: DecoderName) -> Callable[[bytes], Any]:
    global _decode, _decoder_name  # the module's one setting, chosen once
    _decode, _decoder_name = decode, name
    return decode
