"""An ASGI app over a ``FakeGalileo``, built on Starlette's request and response types (the ``server`` extra).

Routing, auth and semantics stay in ``FakeGalileo.handle``; the app only reads the request and writes the reply. A
dropped connection sends the headers with the full ``Content-Length`` and part of the body, then returns without
finishing, which makes the server close the connection.
"""

from __future__ import annotations

from urllib.parse import quote

import anyio
import httpx
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import Receive, Scope, Send

from galileo_insights.testing._reply import Reply, RequestHandler, read_timeout, timed_out

DROP_MESSAGE = "ASGI callable returned without completing response."


class _DroppedResponse(Response):
    def __init__(self, reply: Reply) -> None:
        super().__init__(reply.body, status_code=reply.status, headers=dict(reply.headers))
        self._reply = reply

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        reply = self._reply
        await send({"type": "http.response.start", "status": self.status_code, "headers": self.raw_headers})
        await send({"type": "http.response.body", "body": reply.body[: reply.drop_after], "more_body": True})


class FakeGalileoApp:
    """The ASGI app: every HTTP request, whatever its path or method, goes to ``fake.handle``.

    No router: the fake's own routing must see paths that Starlette's route patterns would not match (say, a
    percent-encoded newline in a path id, which the real service answers with a 422).
    """

    def __init__(self, fake: RequestHandler) -> None:
        self.fake = fake

    def __repr__(self) -> str:
        return f"FakeGalileoApp({self.fake!r})"

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            while (await receive())["type"] != "lifespan.shutdown":
                await send({"type": "lifespan.startup.complete"})
            await send({"type": "lifespan.shutdown.complete"})
            return
        if scope["type"] != "http":
            return
        request = Request(scope, receive)
        response = await self._respond(request)
        await response(scope, receive, send)

    async def _respond(self, request: Request) -> Response:
        body = await request.body()
        raw_path = request.scope.get("raw_path")
        path = raw_path.decode("latin-1") if raw_path else quote(request.scope["path"])
        query = request.scope.get("query_string", b"").decode("latin-1")
        reply = self.fake.handle(request.method, path, request.headers, body, query)
        if reply.delay:
            await anyio.sleep(reply.delay)
        if reply.drop_after is not None:
            return _DroppedResponse(reply)
        return Response(reply.body, status_code=reply.status, headers=dict(reply.headers))


def create_app(fake: RequestHandler) -> FakeGalileoApp:
    return FakeGalileoApp(fake)


class TimedASGITransport(httpx.ASGITransport):
    """``httpx.ASGITransport`` that honours the request's read timeout, as a socket would: an app silent for
    longer raises ``httpx.ReadTimeout`` (httpx's own ASGI transport waits for the app however long it takes)."""

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        limit = read_timeout(request)
        if limit is None:
            return await super().handle_async_request(request)
        with anyio.move_on_after(limit):
            return await super().handle_async_request(request)
        raise timed_out(request, limit)
