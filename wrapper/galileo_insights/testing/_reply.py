"""What every front end of the fake shares: the ``Reply`` an answer is, and the one method a fake must have.

The httpx transport, the ASGI app and the server depend on this module only, never on ``FakeGalileo`` itself, so the
fake can build its front ends without an import cycle.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Protocol

import attrs
import httpx


@attrs.frozen
class Reply:
    """An HTTP answer. ``drop_after`` bytes of ``body`` are sent before the connection drops, when set."""

    status: int
    headers: tuple[tuple[str, str], ...]
    body: bytes = attrs.field(repr=False)
    delay: float = 0.0
    drop_after: int | None = None


class RequestHandler(Protocol):
    """Turns one request into a ``Reply``: ``FakeGalileo.handle``. ``path`` and ``query`` as sent (percent-encoded)."""

    def handle(self, method: str, path: str, headers: Mapping[str, str], body: bytes, query: str = "") -> Reply: ...


def read_timeout(request: httpx.Request) -> float | None:
    """The read timeout httpx sends ``request`` with (None: wait forever), as a front end must honour it."""
    timeout = request.extensions.get("timeout", {})
    read = timeout.get("read") if isinstance(timeout, Mapping) else None
    return read if isinstance(read, int | float) else None


def timed_out(request: httpx.Request, seconds: float) -> httpx.ReadTimeout:
    """What httpx raises when the server stays silent past the read timeout, for the in-process front ends."""
    return httpx.ReadTimeout(f"the fake took longer than the read timeout ({seconds} s)", request=request)


def json_reply(status: int, payload: object, headers: Iterable[tuple[str, str]] = ()) -> Reply:
    body = json.dumps(payload, separators=(",", ":")).encode()
    return Reply(status, (("content-type", "application/json"), *headers), body)
