"""Loopback servers for the paging guarantee: one whose data changes between pages, one that lies about pages.

``ChangingData`` holds token-usage records and answers the token-usage operation as the real API does (created_at
filters, sort, ``starting_token`` as an offset into the result, ``starting_token``/``limit`` echoed,
``paginated: true``). Its ``between_pages`` hook runs before every page after the first, so a test can delete and
insert records while a walk is under way, as a retention job and live traffic do. ``lie`` replaces chosen answers
with what a confused server or a stray response on a kept-alive connection delivers.
"""

from __future__ import annotations

import datetime
import json
import socket
import threading
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import attrs

from tests.hostile.servers import RawRequest, RawServer, json_response

PROJECT_ID = "6f1c1a2e-7d3b-4c5e-9a8f-0b1c2d3e4f50"
LOG_STREAM_ID = "3d2b8c4a-5e6f-4a7b-8c9d-e0f1a2b3c4d5"
START = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)
_COMPARE: dict[str, Callable[[datetime.datetime, datetime.datetime], bool]] = {
    "eq": lambda a, b: a == b,
    "ne": lambda a, b: a != b,
    "gt": lambda a, b: a > b,
    "gte": lambda a, b: a >= b,
    "lt": lambda a, b: a < b,
    "lte": lambda a, b: a <= b,
}


def record(created_at: datetime.datetime, number: int) -> dict[str, Any]:
    return {
        "id": str(uuid.uuid4()),
        "created_at": created_at.isoformat(),
        "updated_at": created_at.isoformat(),
        "project_id": PROJECT_ID,
        "log_stream_id": LOG_STREAM_ID,
        "token_usage": {"input_tokens": number, "output_tokens": 1},
    }


def spread(
    count: int, *, every: datetime.timedelta = datetime.timedelta(seconds=7), ties: int = 0
) -> list[dict[str, Any]]:
    """``count`` records ``every`` apart from ``START``; the first ``ties`` of them share one instant."""
    return [record(START + every * max(0, number - max(ties - 1, 0)), number) for number in range(count)]


Lie = Callable[[dict[str, Any], list[dict[str, Any]]], bytes | None]
"""Given a request body and the honest page, the bytes to send instead (None: send the honest page)."""


@attrs.define
class ChangingData:
    records: list[dict[str, Any]]
    between_pages: Callable[[ChangingData], None] | None = None
    lie: Lie | None = None
    pages: int = 0
    deleted: set[str] = attrs.Factory(set)
    inserted: set[str] = attrs.Factory(set)
    _lock: threading.Lock = attrs.Factory(threading.Lock)

    def delete_oldest(self, count: int) -> None:
        self._delete(sorted(self.records, key=lambda r: r["created_at"])[:count])

    def delete_newest(self, count: int) -> None:
        self._delete(sorted(self.records, key=lambda r: r["created_at"])[-count:])

    def _delete(self, records: list[dict[str, Any]]) -> None:
        for item in records:
            self.records.remove(item)
            self.deleted.add(item["id"])

    def insert_now(self, count: int, at: datetime.datetime) -> None:
        for number in range(count):
            item = record(at, 10_000 + number)
            self.records.append(item)
            self.inserted.add(item["id"])

    def answer(self, body: dict[str, Any]) -> bytes:
        with self._lock:
            if self.pages and self.between_pages is not None:
                self.between_pages(self)
            self.pages += 1
            honest = self._page(body)
        if self.lie is not None and (told := self.lie(body, honest["token_usages"])) is not None:
            return told
        return json_response(200, honest)

    def _page(self, body: dict[str, Any]) -> dict[str, Any]:
        filters = [
            (f["name"], _COMPARE[f["operator"]], datetime.datetime.fromisoformat(f["value"]))
            for f in body.get("filters", [])
        ]
        matching = [
            r
            for r in self.records
            if all(compare(datetime.datetime.fromisoformat(r[name]), value) for name, compare, value in filters)
        ]
        ascending = (body.get("sort") or {}).get("ascending", True)
        matching.sort(key=lambda r: datetime.datetime.fromisoformat(r["created_at"]), reverse=not ascending)
        start, limit = body.get("starting_token", 0), body.get("limit", 100)
        chunk = matching[start : start + limit]
        more = start + limit < len(matching)
        return {
            "starting_token": start,
            "limit": limit,
            "paginated": True,
            "next_starting_token": start + limit if more else None,
            "token_usages": chunk,
        }

    def survivors(self) -> set[str]:
        """Ids that existed for the whole walk: there at the start and never deleted."""
        return {r["id"] for r in self.records} - self.inserted


@contextmanager
def serving(data: ChangingData) -> Iterator[RawServer]:
    def handle(request: RawRequest, connection: socket.socket) -> None:
        if "/projects" in request.path and request.path.endswith("/token_usage"):
            connection.sendall(data.answer(json.loads(request.body or b"{}")))
        else:
            connection.sendall(json_response(404, {"detail": "Not Found"}))

    with RawServer(handle) as server:
        yield server
