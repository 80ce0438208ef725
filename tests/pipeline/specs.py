"""Where the test specs live and how to load a fresh, mutable copy of one."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

FULL_SPEC = Path(__file__).parent / "fixtures" / "full_spec.json"
PINNED_SPEC = Path(__file__).resolve().parents[2] / "openapi" / "openapi.json"
TOKEN_USAGE = "/v2/projects/{project_id}/log_streams/{log_stream_id}/logstream_insights/token_usage"
SUMMARY = "/v2/projects/{project_id}/log_streams/{log_stream_id}/logstream_insights/summary"


def load(path: Path) -> dict[str, Any]:
    document: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return document
