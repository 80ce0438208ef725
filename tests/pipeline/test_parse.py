"""Spec documents arrive as JSON or YAML; YAML is made JSON-shaped, and a document that is neither is one error."""

from __future__ import annotations

from typing import Any

import pytest

from spec_pipeline.errors import SpecPipelineError
from spec_pipeline.parse import parse_json_or_yaml


def parse(text: str) -> Any:
    return parse_json_or_yaml(text.encode(), "spec.yaml")


def test_json_and_yaml_give_the_same_document() -> None:
    as_json = parse('{"openapi": "3.1.0", "paths": {"/x": {"get": {"responses": {"200": {"description": "ok"}}}}}}')
    as_yaml = parse("openapi: 3.1.0\npaths:\n  /x:\n    get:\n      responses:\n        '200': {description: ok}\n")

    assert as_json == as_yaml


def test_yaml_scalars_become_what_json_would_hold() -> None:
    document = parse(
        "responses:\n  200: {description: ok}\n  default: {description: error}\n"
        "example: 2026-04-27\nstamp: 2026-04-27T10:00:00Z\nyes_is_a_string: yes\nversion: 1.961.4\n"
    )

    assert document == {
        "responses": {"200": {"description": "ok"}, "default": {"description": "error"}},  # unquoted status code
        "example": "2026-04-27",
        "stamp": "2026-04-27T10:00:00+00:00",
        "yes_is_a_string": "yes",  # YAML 1.2, as openapi-python-client reads it
        "version": "1.961.4",
    }


def test_a_byte_order_mark_is_accepted() -> None:
    assert parse_json_or_yaml(b'\xef\xbb\xbf{"openapi": "3.1.0"}', "spec.json") == {"openapi": "3.1.0"}


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (b'{"openapi": ', "spec.yaml is not a JSON document"),
        (b"openapi: [3.1\n", "spec.yaml is neither JSON nor YAML"),
        (b"\xff\xfe", "spec.yaml is not UTF-8 text"),
        (b"? [a, b]\n: c\n", "mapping key JSON cannot represent"),
        (b"true: 1\n", "mapping key JSON cannot represent: True"),
        (b"!!set {a, b}\n", "YAML value JSON cannot represent"),
    ],
)
def test_unusable_input_is_one_clear_error(raw: bytes, message: str) -> None:
    with pytest.raises(SpecPipelineError, match=message):
        parse_json_or_yaml(raw, "spec.yaml")
