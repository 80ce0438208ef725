"""An in-process httpx transport over a ``FakeGalileo`` (any ``RequestHandler``): no sockets, both sync and async.

Latency sleeps (``time.sleep`` or ``anyio.sleep``), bounded by the request's read timeout: latency longer than that
ends in ``httpx.ReadTimeout`` when the timeout runs out, as it would over HTTP (and so in the SDK's
``APITimeoutError``); a dropped connection hands back the status and headers, then
raises ``httpx.RemoteProtocolError`` while the body is read, as httpx does when a server hangs up mid-body.
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Iterator

import anyio
import httpx

from galileo_insights.testing._reply import Reply, RequestHandler, read_timeout, timed_out


class _ReplyStream(httpx.SyncByteStream, httpx.AsyncByteStream):
    def __init__(self, reply: Reply, request: httpx.Request) -> None:
        self._reply = reply
        self._request = request

    def _chunks(self) -> Iterator[bytes]:
        reply = self._reply
        if reply.drop_after is None:
            yield reply.body
            return
        if reply.drop_after:
            yield reply.body[: reply.drop_after]
        raise httpx.RemoteProtocolError(
            "peer closed connection without sending complete message body: "
            f"received {reply.drop_after} bytes, expected {len(reply.body)}",
            request=self._request,
        )

    def __iter__(self) -> Iterator[bytes]:
        return self._chunks()

    async def __aiter__(self) -> AsyncIterator[bytes]:
        for chunk in self._chunks():
            yield chunk


class FakeTransport(httpx.BaseTransport, httpx.AsyncBaseTransport):
    """Serve httpx requests from a ``FakeGalileo``; use with ``httpx.Client`` or ``httpx.AsyncClient``."""

    def __init__(self, fake: RequestHandler) -> None:
        self.fake = fake

    def __repr__(self) -> str:
        return f"FakeTransport({self.fake!r})"

    def _reply(self, request: httpx.Request, body: bytes) -> Reply:
        path, _, query = request.url.raw_path.decode("ascii").partition("?")
        return self.fake.handle(request.method, path, dict(request.headers), body, query)

    def _response(self, request: httpx.Request, reply: Reply) -> httpx.Response:
        headers = [*reply.headers, ("content-length", str(len(reply.body)))]
        return httpx.Response(reply.status, headers=headers, stream=_ReplyStream(reply, request), request=request)

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        reply = self._reply(request, request.read())
        if reply.delay:
            limit = read_timeout(request)
            if limit is not None and reply.delay > limit:
                time.sleep(limit)
                raise timed_out(request, limit)
            time.sleep(reply.delay)
        return self._response(request, reply)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        reply = self._reply(request, await request.aread())
        if reply.delay:
            limit = read_timeout(request)
            if limit is not None and reply.delay > limit:
                await anyio.sleep(limit)
                raise timed_out(request, limit)
            await anyio.sleep(reply.delay)
        return self._response(request, reply)
