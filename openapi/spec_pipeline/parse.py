"""Parse a spec-like document from bytes: JSON, or YAML (Galileo's SDK repository keeps its copy as YAML).

YAML is read with ruamel.yaml's safe loader (YAML 1.2, the parser openapi-python-client itself uses), then
made JSON-shaped, because everything downstream writes and compares JSON: keys become strings (an unquoted
``200:`` status is an integer in YAML) and dates become ISO strings (an unquoted ``2026-04-27`` example).
"""

from __future__ import annotations

import datetime
import json
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError

from .errors import SpecPipelineError


def parse_json_or_yaml(raw: bytes, source: str) -> Any:
    """JSON when the text starts like JSON, YAML otherwise; a document that is neither is one clear error."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise SpecPipelineError(f"{source} is not UTF-8 text: {exc}") from None
    if text.lstrip()[:1] in ("{", "["):
        try:
            return json.loads(text)
        except json.JSONDecodeError as exc:
            raise SpecPipelineError(f"{source} is not a JSON document: {exc}") from None
    try:
        loaded = YAML(typ="safe", pure=True).load(text)
    except YAMLError as exc:
        problem = " ".join(str(exc).split())
        raise SpecPipelineError(f"{source} is neither JSON nor YAML: {problem}") from None
    return _json_shaped(loaded, source)


def _json_shaped(node: Any, source: str) -> Any:
    if isinstance(node, dict):
        return {_key(key, source): _json_shaped(value, source) for key, value in node.items()}
    if isinstance(node, list):
        return [_json_shaped(value, source) for value in node]
    if isinstance(node, datetime.date):  # datetime is a date subclass
        return node.isoformat()
    if node is None or isinstance(node, str | int | float | bool):
        return node
    raise SpecPipelineError(f"{source} holds a YAML value JSON cannot represent: {type(node).__name__}")


def _key(key: Any, source: str) -> str:
    if isinstance(key, bool) or key is None or not isinstance(key, str | int | float | datetime.date):
        raise SpecPipelineError(f"{source} has a mapping key JSON cannot represent: {key!r}")
    return key.isoformat() if isinstance(key, datetime.date) else str(key)
