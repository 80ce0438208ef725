"""A minimal paged endpoint for wrapper tests: offset tokens over a fixed record list, plus scripted faults.

Deliberately tiny and separate from ``galileo_insights.testing`` so the pager is tested against
semantics written down here, not against the fake it is later used with.
"""

from __future__ import annotations

import datetime
import json
import uuid
from collections.abc import Callable
from typing import Any

import attrs
import httpx

PROJECT_ID = uuid.UUID("6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b")
LOG_STREAM_ID = uuid.UUID("0a1b2c3d-4e5f-4a6b-9c8d-7e6f5a4b3c2d")
BASE_URL = "http://galileo.test"
API_KEY = "test-api-key-not-secret"

Fault = Callable[[httpx.Request], httpx.Response]


def make_records(count: int) -> list[dict[str, Any]]:
    start = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)
    return [
        {
            "id": str(uuid.UUID(int=index + 1, version=4)),
            "created_at": (start + datetime.timedelta(minutes=index)).isoformat(),
            "updated_at": (start + datetime.timedelta(minutes=index)).isoformat(),
            "project_id": str(PROJECT_ID),
            "log_stream_id": str(LOG_STREAM_ID),
            "token_usage": {
                "input_tokens": index,
                "output_tokens": 2 * index,
                "cache_read_input_tokens": None,
                "cache_creation_input_tokens": 0,
            },
        }
        for index in range(count)
    ]


@attrs.define
class PageServer:
    """Serves ``records`` (filtered on created_at, sorted per the request's sort) with ``starting_token`` as an
    offset, echoing ``starting_token``, ``limit`` and ``paginated: true`` as the real API does.

    ``faults`` maps a 0-based call number to a function producing that call's response instead.
    """

    records: list[dict[str, Any]]
    faults: dict[int, Fault] = attrs.field(factory=dict)
    bodies: list[dict[str, Any]] = attrs.field(factory=list)
    requests: list[httpx.Request] = attrs.field(factory=list)

    def __call__(self, request: httpx.Request) -> httpx.Response:
        call = len(self.requests)
        self.requests.append(request)
        body = json.loads(request.content)
        self.bodies.append(body)
        if call in self.faults:
            return self.faults[call](request)
        matching = [record for record in self.records if _matches(record, body.get("filters", []))]
        ordered = sorted(matching, key=lambda r: r["created_at"], reverse=not body["sort"]["ascending"])
        start, limit = body["starting_token"], body["limit"]
        chunk = ordered[start : start + limit]
        more = start + limit < len(ordered)
        return httpx.Response(
            200,
            json={
                "starting_token": start,
                "limit": limit,
                "paginated": True,
                "next_starting_token": start + limit if more else None,
                "token_usages": chunk,
            },
        )

    @property
    def starting_tokens(self) -> list[int]:
        return [body["starting_token"] for body in self.bodies]


def answer(request: httpx.Request, records: list[dict[str, Any]], next_token: int | None) -> httpx.Response:
    """A scripted page that echoes the request's ``starting_token`` and ``limit``, as every real page does."""
    body = json.loads(request.content)
    echo = {"starting_token": body["starting_token"], "limit": body["limit"], "paginated": True}
    return httpx.Response(200, json={**echo, "next_starting_token": next_token, "token_usages": records})


_OPERATORS: dict[str, Callable[[datetime.datetime, datetime.datetime], bool]] = {
    "eq": lambda a, b: a == b,
    "ne": lambda a, b: a != b,
    "gt": lambda a, b: a > b,
    "gte": lambda a, b: a >= b,
    "lt": lambda a, b: a < b,
    "lte": lambda a, b: a <= b,
}


def _matches(record: dict[str, Any], filters: list[dict[str, Any]]) -> bool:
    return all(
        _OPERATORS[item["operator"]](
            datetime.datetime.fromisoformat(record[item["name"]]), datetime.datetime.fromisoformat(item["value"])
        )
        for item in filters
    )
