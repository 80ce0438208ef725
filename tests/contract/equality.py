"""What "the same document" means when a wire document goes through ``from_dict`` and back out of ``to_dict``.

Two JSON documents are equal when their canonical forms are, and the canonical form is taken with the spec's
schema for the document in hand:

* a string at a place the schema says ``format: date-time`` is compared as the moment it names together with
  its UTC offset: ``Z``, ``+00:00`` and ``-00:00`` are the same; ``.5``, ``.500`` and ``.500000`` are the same;
  a value without fractional seconds equals one with ``.000000``; but ``12:00+02:00`` differs from
  ``10:00Z`` (same instant, offset lost) and a naive (offset-less) value equals only a naive value with the
  same wall-clock time. Parsing uses ``datetime.fromisoformat``, not the models' ``dateutil`` parser, so the
  comparison does not share the code it checks;
* a string at a place the schema says ``format: uuid4`` is compared as a UUID, so letter case does not matter;
* everything else is exact, as JSON: same keys (order ignored, as JSON objects are unordered), same array
  order, same scalar types (``1``, ``1.0`` and ``true`` all differ) and values. Keys the schema does not
  describe (unknown extra fields) are compared exactly too, so dropping or changing one is a difference.
"""

from __future__ import annotations

import difflib
import json
import uuid
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from .spec import resolve


def _json_type_matches(value: object, schema: Mapping[str, Any]) -> bool:
    expected = schema.get("type")
    if expected is None:
        return True
    checks = {
        "null": value is None,
        "boolean": isinstance(value, bool),
        "integer": isinstance(value, int) and not isinstance(value, bool),
        "number": isinstance(value, int | float) and not isinstance(value, bool),
        "string": isinstance(value, str),
        "array": isinstance(value, list),
        "object": isinstance(value, dict),
    }
    return checks.get(str(expected), False)


def _canonical_datetime(text: str) -> str:
    moment = datetime.fromisoformat(text)
    offset = moment.utcoffset()
    wall_clock = moment.replace(tzinfo=None).isoformat(timespec="microseconds")
    return f"datetime {wall_clock} offset {'naive' if offset is None else int(offset.total_seconds())}"


def canonical(value: Any, schema: Mapping[str, Any]) -> Any:
    """``value`` with every ``date-time`` and ``uuid4`` string (per ``schema``) replaced by a normalized string.

    A wall-clock time plus an offset identifies an instant; comparing both (rather than converting to UTC)
    keeps years near 1 and 9999, which hypothesis generates, from overflowing.
    """
    schema = resolve(schema)
    for combinator in ("oneOf", "anyOf"):
        if combinator in schema:
            for branch in schema[combinator]:
                resolved = resolve(branch)
                if _json_type_matches(value, resolved):
                    return canonical(value, resolved)
            return value
    if isinstance(value, dict):
        properties: Mapping[str, Any] = schema.get("properties", {})
        return {key: canonical(item, properties.get(key, {})) for key, item in value.items()}
    if isinstance(value, list):
        items: Mapping[str, Any] = schema.get("items", {})
        return [canonical(item, items) for item in value]
    if isinstance(value, str) and schema.get("format") == "date-time":
        return _canonical_datetime(value)
    if isinstance(value, str) and schema.get("format") == "uuid4":
        return f"uuid {uuid.UUID(value)}"
    return value


def canonical_json(value: Any, schema: Mapping[str, Any]) -> str:
    """The canonical form as sorted, indented JSON text: comparing texts keeps ``1``/``1.0``/``true`` apart and
    lets pytest print a readable diff."""
    return json.dumps(canonical(value, schema), sort_keys=True, indent=2, ensure_ascii=False)


def assert_same_document(expected: Any, actual: Any, schema: Mapping[str, Any]) -> None:
    """Fail with a unified diff of the canonical forms (this helper module is not assertion-rewritten by pytest)."""
    expected_text, actual_text = canonical_json(expected, schema), canonical_json(actual, schema)
    if actual_text != expected_text:
        diff = difflib.unified_diff(
            expected_text.splitlines(), actual_text.splitlines(), "expected", "actual", lineterm=""
        )
        raise AssertionError("documents differ:\n" + "\n".join(diff))
