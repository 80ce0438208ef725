"""The httpx transport methods vcrpy patches, held to their originals between tests.

vcrpy undoes a cassette's patches only after saving it; when saving raises (our secret-scanning persister refuses a
cassette that way) the patches stay until the cassette's generator is garbage-collected, possibly in the middle of
a later test (vcrpy issue #1051). A later cassette then restores the leaked patch for good, and tests that never
use a cassette run through vcrpy's stub on ``httpx.MockTransport``, which reads whole bodies and breaks
``attempt_timeout``.
"""

from __future__ import annotations

import gc

import httpx

_PATCHED_BY_VCR = (
    (httpx.HTTPTransport, "handle_request"),
    (httpx.AsyncHTTPTransport, "handle_async_request"),
    (httpx.WSGITransport, "handle_request"),
    (httpx.ASGITransport, "handle_async_request"),
    (httpx.MockTransport, "handle_request"),
    (httpx.MockTransport, "handle_async_request"),
)


class TransportMethods:
    """Remembers the transport methods as first seen, and puts them back."""

    def __init__(self) -> None:
        self._originals = {(owner, name): vars(owner)[name] for owner, name in _PATCHED_BY_VCR}

    def changed(self) -> list[str]:
        """``Class.method`` for each method that is not its original now."""
        return [
            f"httpx.{owner.__name__}.{name}"
            for (owner, name), original in self._originals.items()
            if vars(owner).get(name) is not original
        ]

    def restore(self) -> list[str]:
        """Undo what is still patched; return what no finalizer undid (a patch that leaked without vcrpy)."""
        if not self.changed():
            return []
        gc.collect()  # finalizes a leaked cassette's generator, which undoes its own patches in order
        leaked = self.changed()
        for (owner, name), original in self._originals.items():
            setattr(owner, name, original)
        return leaked
