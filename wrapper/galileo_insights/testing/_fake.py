"""``FakeGalileo``: the store, credentials and faults behind one request handler that every front end shares.

``handle()`` turns (method, path, headers, body) into a ``Reply``; the httpx transport and the ASGI app only carry it
over their own I/O (sleeping for the delay, cutting the body short for a dropped connection).
"""

from __future__ import annotations

import json
import re
import threading
import urllib.parse
import uuid
from collections.abc import Iterable, Mapping
from contextlib import AbstractContextManager
from typing import TYPE_CHECKING, Any

import attrs

from galileo_insights.testing._auth import API_KEY_HEADER, Credentials, login
from galileo_insights.testing._faults import (
    DroppedConnection,
    Fault,
    FaultPlan,
    MalformedJson,
    RateLimited,
    ServerError,
)
from galileo_insights.testing._records import DEFAULT_LOG_STREAM_ID, DEFAULT_PROJECT_ID, GeneratedRecords
from galileo_insights.testing._semantics import ValidationFailure, parse_token_usage_request, token_usage_page
from galileo_insights.testing._store import RecordStore

if TYPE_CHECKING:
    from galileo_insights.testing._app import FakeGalileoApp
    from galileo_insights.testing._transport import FakeTransport

TOKEN_USAGE_PATH = "/v2/projects/{project_id}/log_streams/{log_stream_id}/logstream_insights/token_usage"  # noqa: S105 - a path
LOGIN_PATH = "/login"

_TOKEN_USAGE_ROUTE = re.compile(r"/v2/projects/([^/]*)/log_streams/([^/]*)/logstream_insights/token_usage")
_SECRET_HEADERS = frozenset({API_KEY_HEADER, "authorization", "cookie"})
_REASONS = {429: "Too Many Requests", 500: "Internal Server Error", 502: "Bad Gateway", 503: "Service Unavailable"}


@attrs.frozen
class Reply:
    """An HTTP answer. ``drop_after`` bytes of ``body`` are sent before the connection drops, when set."""

    status: int
    headers: tuple[tuple[str, str], ...]
    body: bytes = attrs.field(repr=False)
    delay: float = 0.0
    drop_after: int | None = None


@attrs.frozen
class ReceivedRequest:
    """One request as the fake saw it: secret headers redacted, the JSON body of token-usage calls, the outcome."""

    method: str
    path: str
    headers: Mapping[str, str]
    json: Any
    status: int
    fault: Fault | None = None
    delay: float = 0.0


def _json_reply(status: int, payload: object, headers: Iterable[tuple[str, str]] = ()) -> Reply:
    body = json.dumps(payload, separators=(",", ":")).encode()
    return Reply(status, (("content-type", "application/json"), *headers), body)


class FakeGalileo:
    """An offline Galileo serving ``POST .../logstream_insights/token_usage`` and ``POST /login``.

    ``records`` generates that many seeded records into ``project_id`` / ``log_stream_id``; add more through
    ``store``. Every request is logged in ``requests``.
    """

    def __init__(
        self,
        *,
        records: int = 0,
        seed: int = 0,
        store: RecordStore | None = None,
        credentials: Credentials | None = None,
        faults: FaultPlan | None = None,
        project_id: uuid.UUID = DEFAULT_PROJECT_ID,
        log_stream_id: uuid.UUID = DEFAULT_LOG_STREAM_ID,
    ) -> None:
        self.store = store if store is not None else RecordStore()
        self.credentials = credentials if credentials is not None else Credentials()
        self.faults = faults if faults is not None else FaultPlan()
        self.project_id = project_id
        self.log_stream_id = log_stream_id
        if records:
            self.store.add_generated(
                GeneratedRecords(records, seed=seed, project_id=project_id, log_stream_id=log_stream_id)
            )
        self._requests: list[ReceivedRequest] = []
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return f"FakeGalileo(store={self.store!r}, credentials={self.credentials!r}, faults={self.faults!r})"

    @property
    def api_key(self) -> str:
        return self.credentials.api_key

    @property
    def requests(self) -> list[ReceivedRequest]:
        """A copy of the request log, oldest first."""
        with self._lock:
            return list(self._requests)

    def clear_requests(self) -> None:
        with self._lock:
            self._requests.clear()

    def token_usage_path(
        self, project_id: uuid.UUID | str | None = None, log_stream_id: uuid.UUID | str | None = None
    ) -> str:
        """The operation's path, for the default stream unless told otherwise."""
        return TOKEN_USAGE_PATH.format(
            project_id=project_id if project_id is not None else self.project_id,
            log_stream_id=log_stream_id if log_stream_id is not None else self.log_stream_id,
        )

    def transport(self) -> FakeTransport:
        """An in-process httpx transport (sync and async) over this fake."""
        from galileo_insights.testing._transport import FakeTransport  # noqa: PLC0415 - keeps the import graph acyclic

        return FakeTransport(self)

    def app(self) -> FakeGalileoApp:
        """An ASGI app over this fake (needs the ``server`` extra)."""
        from galileo_insights.testing._app import create_app  # noqa: PLC0415 - starlette is an optional extra

        return create_app(self)

    def serve(self, host: str = "127.0.0.1", port: int = 0) -> AbstractContextManager[str]:
        """Run the app with uvicorn in a background thread; the context yields the base URL (needs ``server``)."""
        from galileo_insights.testing._server import serve  # noqa: PLC0415 - uvicorn is an optional extra

        return serve(self, host=host, port=port)

    def handle(self, method: str, path: str, headers: Mapping[str, str], body: bytes) -> Reply:
        """Answer one request. ``path`` is as sent on the wire (percent-encoded); header names may be in any case."""
        lowered = {name.lower(): value for name, value in headers.items()}
        fault: Fault | None = None
        payload: Any = None
        match = _TOKEN_USAGE_ROUTE.fullmatch(path)
        if match and method == "POST":
            payload = _loggable_json(body)
            decision = self.faults.next_decision()
            fault = decision.failure
            reply = self._token_usage(match.group(1), match.group(2), lowered, body, decision.failure)
            reply = attrs.evolve(reply, delay=decision.delay)
        elif path == LOGIN_PATH and method == "POST":
            status, answer = login(self.credentials, body)
            reply = _json_reply(status, answer, [("www-authenticate", "Bearer")] if status == 401 else [])
        elif match or path == LOGIN_PATH:
            reply = _json_reply(405, {"detail": "Method Not Allowed"}, [("allow", "POST")])
        else:
            reply = _json_reply(404, {"detail": "Not Found"})
        received = ReceivedRequest(
            method=method,
            path=path,
            headers={name: "[redacted]" if name in _SECRET_HEADERS else value for name, value in lowered.items()},
            json=payload,
            status=reply.status,
            fault=fault,
            delay=reply.delay,
        )
        with self._lock:
            self._requests.append(received)
        return reply

    def _token_usage(
        self, project_id: str, log_stream_id: str, headers: Mapping[str, str], body: bytes, failure: Fault | None
    ) -> Reply:
        if isinstance(failure, RateLimited):
            return _json_reply(429, {"detail": _REASONS[429]}, [("retry-after", str(failure.retry_after))])
        if isinstance(failure, ServerError):
            extra = [("retry-after", str(failure.retry_after))] if failure.retry_after is not None else []
            return _json_reply(failure.status, {"detail": _REASONS.get(failure.status, "Server Error")}, extra)
        reply = self._answer(urllib.parse.unquote(project_id), urllib.parse.unquote(log_stream_id), headers, body)
        if isinstance(failure, DroppedConnection):
            return attrs.evolve(reply, drop_after=int(len(reply.body) * failure.fraction))
        if isinstance(failure, MalformedJson):
            return attrs.evolve(reply, status=200, body=reply.body[: max(1, len(reply.body) // 2)])
        return reply

    def _answer(self, project_id: str, log_stream_id: str, headers: Mapping[str, str], body: bytes) -> Reply:
        denied = self.credentials.check(headers)
        if denied is not None:
            return _json_reply(401, {"detail": denied.detail}, [("www-authenticate", denied.challenge)])
        query = parse_token_usage_request(project_id, log_stream_id, body, headers.get("content-type"))
        if isinstance(query, ValidationFailure):
            return _json_reply(422, query.to_json())
        return _json_reply(200, token_usage_page(self.store, query))


def _loggable_json(body: bytes) -> Any:
    try:
        return json.loads(body) if body.strip() else None
    except (ValueError, UnicodeDecodeError):
        return None
