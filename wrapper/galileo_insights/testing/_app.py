"""An ASGI app over a ``FakeGalileo``, built on Starlette's request and response types (the ``server`` extra).

Routing, auth and semantics stay in ``FakeGalileo.handle``; the app only reads the request and writes the reply. A
dropped connection sends the headers with the full ``Content-Length`` and part of the body, then returns without
finishing, which makes the server close the connection.
"""

from __future__ import annotations

from urllib.parse import quote

import anyio
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import Receive, Scope, Send

from galileo_insights.testing._reply import Reply, RequestHandler

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
