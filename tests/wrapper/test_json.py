"""``galileo_insights._json.loads`` is ``json.loads``, whichever decoder it uses: same result, same error."""

from __future__ import annotations

import json
import math
import sys
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from galileo_insights import _json

Outcome = tuple[str, Any]


def outcome(decode: Any, data: bytes) -> Outcome:
    """What a caller sees: the value (NaN made comparable), or the error's type and message."""
    try:
        value = decode(data)
    except (ValueError, RecursionError) as error:
        return ("error", (type(error), str(error)))
    return ("value", json.dumps(value, sort_keys=False) if _has_nan(value) else value)


def _has_nan(value: Any) -> bool:
    if isinstance(value, float):
        return math.isnan(value)
    if isinstance(value, list):
        return any(_has_nan(item) for item in value)
    if isinstance(value, dict):
        return any(_has_nan(item) for item in value.values())
    return False


def loads_with(name: _json.DecoderName, data: bytes) -> Outcome:
    with _json.using(name):
        assert _json.decoder_name() == name
        return outcome(_json.loads, data)


EDGES = [
    b'{"a": 1, "b": [true, false, null], "c": "\\u00e9\\ud83d\\ude00"}',
    b"18446744073709551616",
    b"-9223372036854775809",
    b"[123456789012345678901234567890]",
    b"1" * 5000,
    b"1e400",
    b"-1e400",
    b"NaN",
    b"[Infinity, -Infinity]",
    b'"\\ud800"',
    b'"\xff"',
    b"\xef\xbb\xbf{}",
    b'{"a": 1, "a": 2}',
    b"[" * 100_000 + b"]" * 100_000,
    b"[" * 200 + b"]" * 200,
    b"",
    b"{",
    b"[1,]",
    b'{"a" 1}',
    b"  [1.0, -0.0, 1e-7, 5e-324, 1.7976931348623157e308]  ",
    '["caf\u00e9"]'.encode("utf-16"),
]


@pytest.mark.parametrize("data", EDGES, ids=lambda data: repr(data[:24]))
@pytest.mark.parametrize("name", ["json", "msgspec"])
def test_edges_decode_exactly_like_json(name: _json.DecoderName, data: bytes) -> None:
    assert loads_with(name, data) == outcome(json.loads, data)


json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**80), max_value=2**80)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(),
    lambda children: st.lists(children, max_size=5) | st.dictionaries(st.text(max_size=5), children, max_size=5),
    max_leaves=30,
)


@settings(max_examples=150, deadline=None)
@given(json_values, st.booleans())
def test_any_document_decodes_exactly_like_json(value: Any, ascii_only: bool) -> None:
    data = json.dumps(value, ensure_ascii=ascii_only).encode("utf-8", "surrogatepass")
    expected = outcome(json.loads, data)
    assert loads_with("msgspec", data) == expected
    assert loads_with("json", data) == expected


def test_default_prefers_msgspec_when_installed() -> None:
    with _json.using("json"):
        assert _json.decoder_name() == "json"
    pytest.importorskip("msgspec")
    saved = _json._decode, _json._decoder_name
    try:
        _json._decode = None
        assert _json.loads(b"[1]") == [1]
        assert _json.decoder_name() == "msgspec"
    finally:
        _json._decode, _json._decoder_name = saved


def test_without_msgspec_default_is_json(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "msgspec", None)  # import msgspec now raises ImportError
    saved = _json._decode, _json._decoder_name
    try:
        _json._decode = None
        assert _json.loads(b'{"a": 2}') == {"a": 2}
        assert _json.decoder_name() == "json"
        with pytest.raises(ImportError), _json.using("msgspec"):
            pass
    finally:
        _json._decode, _json._decoder_name = saved
