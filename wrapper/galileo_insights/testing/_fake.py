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
from collections.abc import Mapping
from contextlib import AbstractContextManager
from typing import TYPE_CHECKING, Any

import attrs
import httpx

from galileo_insights._optional import require
from galileo_insights.testing._auth import API_KEY_HEADER, Credentials, login
from galileo_insights.testing._directory import (
    DEFAULT_LOG_STREAM_NAME,
    DEFAULT_PROJECT_NAME,
    Directory,
    as_json,
)
from galileo_insights.testing._faults import Fault, FaultPlan
from galileo_insights.testing._insights import InsightsSettings
from galileo_insights.testing._organisation import Organisation
from galileo_insights.testing._records import DEFAULT_LOG_STREAM_ID, DEFAULT_PROJECT_ID, GeneratedRecords
from galileo_insights.testing._reply import Reply, json_reply
from galileo_insights.testing._semantics import (
    PROJECT_TYPES,
    ValidationFailure,
    parse_bool,
    parse_choice,
    parse_query_int,
    parse_token_usage_request,
    parse_uuid4,
    token_usage_page,
)
from galileo_insights.testing._server import serve
from galileo_insights.testing._store import RecordStore
from galileo_insights.testing._transport import FakeTransport

if TYPE_CHECKING:
    from galileo_insights.testing._app import FakeGalileoApp

TOKEN_USAGE_PATH = "/v2/projects/{project_id}/log_streams/{log_stream_id}/logstream_insights/token_usage"  # noqa: S105 - a path
LOGIN_PATH = "/login"

PROJECTS_PATH = "/projects"
LOG_STREAMS_PATH = "/v2/projects/{project_id}/log_streams"

_TOKEN_USAGE_ROUTE = re.compile(r"/v2/projects/([^/]*)/log_streams/([^/]*)/logstream_insights/token_usage")
_LOG_STREAMS_ROUTE = re.compile(r"/v2/projects/([^/]*)/log_streams(/paginated)?")
_INSIGHTS_SETTINGS_ROUTE = re.compile(r"/v2/projects/([^/]*)/runs/([^/]*)/insights-settings")
INSIGHTS_SETTINGS_PATH = "/v2/projects/{project_id}/runs/{run_id}/insights-settings"
_SECRET_HEADERS = frozenset({API_KEY_HEADER, "authorization", "cookie"})


@attrs.frozen
class ReceivedRequest:
    """One request as the fake saw it: secret headers redacted, the JSON body of token-usage calls and settings
    updates, the outcome."""

    method: str
    path: str
    headers: Mapping[str, str]
    json: Any
    status: int
    fault: Fault | None = None
    delay: float = 0.0
    request_id: str = ""


class FakeGalileo:
    """An offline Galileo serving ``POST .../logstream_insights/token_usage``, ``POST /login`` and the two lookups
    by name, ``GET /projects?project_name=`` and ``GET /v2/projects/{project_id}/log_streams[/paginated]``, and a log
    stream's insights settings (``GET``/``PATCH .../runs/{run_id}/insights-settings``, held in ``insights_settings``).

    ``records`` generates that many seeded records into ``project_id`` / ``log_stream_id``; add more through
    ``store``. ``organisation`` seeds several projects and log streams instead of the default names (see
    ``Organisation``); ``project_id`` / ``log_stream_id`` then name its first log stream. ``directory`` holds
    the names (``fake-project`` / ``fake-log-stream`` for the default stream, two projects named
    ``twin-project``; see ``_directory``); add more with ``directory.add_project`` / ``add_log_stream``. Every
    request is logged in ``requests``.
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
        organisation: Organisation | None = None,
    ) -> None:
        self.store: RecordStore = store if store is not None else RecordStore()
        self.credentials: Credentials = credentials if credentials is not None else Credentials()
        self.faults: FaultPlan = faults if faults is not None else FaultPlan()
        self.project_id: uuid.UUID = project_id
        self.log_stream_id: uuid.UUID = log_stream_id
        self.project_name: str = DEFAULT_PROJECT_NAME
        self.log_stream_name: str = DEFAULT_LOG_STREAM_NAME
        self.directory: Directory = Directory(project_id, log_stream_id, seeded=organisation is None)
        self.insights_settings: InsightsSettings = InsightsSettings(self.directory)
        if organisation is not None:
            if records:
                raise ValueError("records= seeds the default log stream; an organisation has its own (records=)")
            first = organisation.seed_into(self.directory, self.store, self.insights_settings)[0]
            self.project_id, self.log_stream_id = first.project_id, first.id
            self.project_name, self.log_stream_name = organisation.project_name(1), first.name
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
        return FakeTransport(self)

    def app(self) -> FakeGalileoApp:
        """An ASGI app over this fake (needs the ``server`` extra)."""
        require("starlette", "FakeGalileo.app()")
        from galileo_insights.testing._app import create_app  # noqa: PLC0415 - starlette is an optional extra

        return create_app(self)

    def asgi_transport(self) -> httpx.AsyncBaseTransport:
        """An async httpx transport over ``app()`` that honours read timeouts as HTTP does (``server`` extra)."""
        from galileo_insights.testing._app import TimedASGITransport, create_app  # noqa: PLC0415 - as above

        return TimedASGITransport(app=create_app(self))

    def serve(self, host: str = "127.0.0.1", port: int = 0) -> AbstractContextManager[str]:
        """Run the app with uvicorn in a background thread; the context yields the base URL (needs ``server``)."""
        return serve(self, host=host, port=port)

    def handle(self, method: str, path: str, headers: Mapping[str, str], body: bytes, query: str = "") -> Reply:
        """Answer one request. ``path`` and ``query`` are as sent on the wire (percent-encoded); header names may be
        in any case."""
        lowered = {name.lower(): value for name, value in headers.items()}
        fault: Fault | None = None
        payload: Any = None
        match = _TOKEN_USAGE_ROUTE.fullmatch(path)
        streams = _LOG_STREAMS_ROUTE.fullmatch(path)
        settings = _INSIGHTS_SETTINGS_ROUTE.fullmatch(path)
        if match and method == "POST":
            payload = _loggable_json(body)
            decision = self.faults.next_decision()
            fault = decision.failure
            project_id, log_stream_id = (urllib.parse.unquote(part) for part in match.group(1, 2))
            reply = decision.apply(lambda: self._answer(project_id, log_stream_id, lowered, body))
        elif path == LOGIN_PATH and method == "POST":
            status, answer = login(self.credentials, body)
            reply = json_reply(status, answer, [("www-authenticate", "Bearer")] if status == 401 else [])
        elif path == PROJECTS_PATH and method == "GET":
            reply = self._authorized(lowered) or self._projects(query)
        elif streams and method == "GET":
            reply = self._authorized(lowered) or self._log_streams(
                urllib.parse.unquote(streams.group(1)), query, paginated=bool(streams.group(2))
            )
        elif settings and method in ("GET", "PATCH"):
            project_id, run_id = (urllib.parse.unquote(part) for part in settings.group(1, 2))
            update = body if method == "PATCH" else None
            payload = _loggable_json(body) if update is not None else None
            reply = self._authorized(lowered) or json_reply(*self.insights_settings.answer(project_id, run_id, update))
        elif settings:
            reply = json_reply(405, {"detail": "Method Not Allowed"}, [("allow", "GET, PATCH")])
        elif match or path == LOGIN_PATH:
            reply = json_reply(405, {"detail": "Method Not Allowed"}, [("allow", "POST")])
        elif path == PROJECTS_PATH or streams:
            reply = json_reply(405, {"detail": "Method Not Allowed"}, [("allow", "GET")])
        else:
            reply = json_reply(404, {"detail": "Not Found"})
        request_id = f"req_{uuid.uuid4().hex}"
        reply = attrs.evolve(reply, headers=(*reply.headers, ("x-request-id", request_id)))
        received = ReceivedRequest(
            method=method,
            path=path,
            headers={name: "[redacted]" if name in _SECRET_HEADERS else value for name, value in lowered.items()},
            json=payload,
            status=reply.status,
            fault=fault,
            delay=reply.delay,
            request_id=request_id,
        )
        with self._lock:
            self._requests.append(received)
        return reply

    def _authorized(self, headers: Mapping[str, str]) -> Reply | None:
        denied = self.credentials.check(headers)
        if denied is None:
            return None
        return json_reply(401, {"detail": denied.detail}, [("www-authenticate", denied.challenge)])

    def _projects(self, query: str) -> Reply:
        parameters = urllib.parse.parse_qs(query, keep_blank_values=True)
        names, types = parameters.get("project_name"), parameters.get("type")
        errors: list[dict[str, Any]] = []
        project_type = parse_choice(types[-1], PROJECT_TYPES, ["query", "type"], errors) if types else None
        if errors:
            return json_reply(422, {"detail": errors})
        return json_reply(200, as_json(self.directory.projects(names[-1] if names else None, project_type)))

    def _log_streams(self, project_id: str, query: str, *, paginated: bool) -> Reply:
        """The deprecated array, or (``/paginated``) one page of ``limit`` from ``starting_token``."""
        errors: list[dict[str, Any]] = []
        parsed = parse_uuid4(project_id, ["path", "project_id"], errors)
        fields = urllib.parse.parse_qs(query, keep_blank_values=True)
        if counts := fields.get("include_counts"):  # validated as FastAPI does; the fake has no counts to include
            parse_bool(counts[-1], ["query", "include_counts"], errors)
        start = parse_query_int(fields.get("starting_token", ["0"])[-1], ["query", "starting_token"], errors)
        limit = parse_query_int(fields.get("limit", ["100"])[-1], ["query", "limit"], errors)
        if errors:
            return json_reply(422, {"detail": errors})
        streams = self.directory.log_streams(parsed)
        if streams is None:
            return json_reply(404, {"detail": f"Project {parsed} not found"})
        if not paginated:
            return json_reply(200, as_json(streams))
        page = streams[start : start + limit] if start >= 0 and limit > 0 else []
        more = start >= 0 and start + len(page) < len(streams)
        return json_reply(
            200,
            {
                "starting_token": start,
                "limit": limit,
                "paginated": True,
                "next_starting_token": start + len(page) if more else None,
                "log_streams": as_json(page),
            },
        )

    def _answer(self, project_id: str, log_stream_id: str, headers: Mapping[str, str], body: bytes) -> Reply:
        denied = self._authorized(headers)
        if denied is not None:
            return denied
        query = parse_token_usage_request(project_id, log_stream_id, body, headers.get("content-type"))
        if isinstance(query, ValidationFailure):
            return json_reply(422, query.to_json())
        return json_reply(200, token_usage_page(self.store, query))


def _loggable_json(body: bytes) -> Any:
    try:
        return json.loads(body) if body.strip() else None
    except (ValueError, UnicodeDecodeError):
        return None
