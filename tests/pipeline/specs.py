"""Where the test specs live and how to load a fresh, mutable copy of one."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from spec_pipeline.operations import SelectedOperation, Selection, WatchRule, load_selection

FIXTURES = Path(__file__).parent / "fixtures"
FULL_SPEC = FIXTURES / "full_spec.json"
FIXTURE_OPERATIONS = FIXTURES / "operations.yaml"
PINNED_SPEC = Path(__file__).resolve().parents[2] / "openapi" / "openapi.json"
TOKEN_USAGE = "/v2/projects/{project_id}/log_streams/{log_stream_id}/logstream_insights/token_usage"
SUMMARY = "/v2/projects/{project_id}/log_streams/{log_stream_id}/logstream_insights/summary"


def load(path: Path) -> dict[str, Any]:
    document: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return document


def fixture_selection() -> Selection:
    """The full fixture spec's token usage POST and summary GET, watching ``logstream-insights`` under /v2/."""
    return load_selection(FIXTURE_OPERATIONS)


def only(*operations: tuple[str, str, str]) -> Selection:
    """A selection of (method, path, operationId) triples under the fixture's watch rule."""
    return Selection(
        tuple(
            SelectedOperation(method, path, operation_id, f"op_{i}")
            for i, (method, path, operation_id) in enumerate(operations)
        ),
        WatchRule(frozenset({"logstream-insights"}), "/v2/"),
    )


def one_operation_spec() -> dict[str, Any]:
    """The smallest spec with a request schema ``Req`` and a response schema ``Resp``: fast for property tests."""
    return {
        "openapi": "3.1.0",
        "info": {"title": "t", "version": "1"},
        "paths": {
            "/v2/things": {
                "post": {
                    "operationId": "things",
                    "requestBody": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Req"}}}},
                    "responses": {
                        "200": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Resp"}}}}
                    },
                }
            }
        },
        "components": {
            "schemas": {"Req": {"type": "object", "properties": {}}, "Resp": {"type": "object", "properties": {}}}
        },
    }
