"""Distinct token-usage pages, built once, and the smallest servers that answer with them.

Pages look like the server's: ``json.dumps`` with default separators (about 38 KB per 100 rows), a fresh uuid4 per
row, one project and one log-stream id shared by every row, RFC 3339 timestamps with microseconds ending in ``Z`` or
``+00:00``, token counts of which some are ``null``. ``Pages`` holds a walk's worth of them by ``starting_token``,
with tokens that follow the offset rule (``next_starting_token == starting_token + len(items)``, null at the end).

Two ways to serve them, both answering only from memory, so what is timed is the client:

* ``answer`` is an ``httpx.MockTransport`` handler (in process, no socket);
* ``python -m benchmarks._pages --records N`` is a keep-alive HTTP/1.1 server on 127.0.0.1 in its own process, a few
  dozen lines over asyncio streams, which ``served_pages`` starts and stops. Any ``POST`` is answered with the page
  for the body's ``starting_token``; the body is read, the path and headers are not looked at.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import random
import signal
import subprocess
import sys
import threading
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import attrs
import httpx

if __package__ in (None, ""):  # run as ``python benchmarks/_pages.py``: make ``benchmarks`` importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

_IDS = random.Random(20250621)  # noqa: S311 - test data, not secrets
PROJECT_ID = uuid.UUID(int=_IDS.getrandbits(128), version=4)
LOG_STREAM_ID = uuid.UUID(int=_IDS.getrandbits(128), version=4)
_START_TIMEOUT = 60.0


def build_rows(items: int, seed: int) -> list[dict[str, object]]:
    """``items`` rows; ids and times depend on ``seed``, the project and log-stream ids do not."""
    rng = random.Random(seed)  # noqa: S311 - test data, not secrets
    start = datetime(2025, 6, 21, 11, 27, 5, tzinfo=UTC)
    rows: list[dict[str, object]] = []
    for index in range(items):
        created = start - timedelta(seconds=rng.randrange(1, 3600) * (index + 1), microseconds=rng.randrange(10**6))
        updated = created + timedelta(seconds=rng.choice((0, 0, 14)), microseconds=rng.randrange(10**6))
        suffix = "Z" if index % 3 else "+00:00"
        rows.append(
            {
                "id": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
                "created_at": created.replace(tzinfo=None).isoformat(timespec="microseconds") + suffix,
                "updated_at": updated.replace(tzinfo=None).isoformat(timespec="microseconds") + suffix,
                "project_id": str(PROJECT_ID),
                "log_stream_id": str(LOG_STREAM_ID),
                "token_usage": {
                    "input_tokens": rng.randrange(50, 4000),
                    "output_tokens": rng.randrange(10, 800),
                    "cache_creation_input_tokens": None if index % 4 == 0 else rng.choice((0, 256)),
                    "cache_read_input_tokens": None if index % 5 == 0 else rng.choice((0, 1024)),
                },
            }
        )
    return rows


def build_page(items: int, seed: int, starting_token: int = 0, *, last: bool = False) -> bytes:
    """A page body of ``items`` rows (``build_rows``); the next token follows the offset rule, null if ``last``."""
    page = {
        "token_usages": build_rows(items, seed),
        "limit": items,
        "starting_token": starting_token,
        "next_starting_token": None if last else starting_token + items,
        "paginated": True,
    }
    return json.dumps(page).encode()


@attrs.frozen
class Pages:
    """Every page of a walk over ``records`` rows in pages of ``page_size``, by starting token; all rows distinct."""

    page_size: int
    bodies: dict[int, bytes]

    @classmethod
    def build(cls, records: int, page_size: int) -> Pages:
        bodies = {}
        for number, token in enumerate(range(0, records, page_size)):
            items = min(page_size, records - token)
            bodies[token] = build_page(items, seed=number, starting_token=token, last=token + items >= records)
        return cls(page_size, bodies)

    @property
    def records(self) -> int:
        return sum(body.count(b'"id": ') for body in self.bodies.values())

    def body_for(self, request_body: bytes) -> bytes | None:
        """The page a request body asks for (its ``starting_token``), or None for another token or page size."""
        query = json.loads(request_body or b"{}")
        if query.get("limit", 100) != self.page_size:
            return None
        return self.bodies.get(query.get("starting_token", 0))

    def answer(self, request: httpx.Request) -> httpx.Response:
        """An ``httpx.MockTransport`` handler serving these pages."""
        body = self.body_for(request.content)
        if body is None:
            return httpx.Response(404, json={"detail": "no such page"})
        return httpx.Response(200, content=body, headers={"content-type": "application/json"})


@attrs.frozen
class CyclingPages:
    """A walk over ``records`` rows served from a few distinct page bodies, round and round, with the tokens of each
    request's page: memory stays a few pages whatever ``records`` is (for walks of a million rows)."""

    records: int
    page_size: int
    row_blobs: tuple[bytes, ...]

    @classmethod
    def build(cls, records: int, page_size: int, distinct: int = 4) -> CyclingPages:
        if records % page_size:
            raise ValueError(f"records ({records}) must be a multiple of page_size ({page_size})")
        blobs = tuple(json.dumps(build_rows(page_size, seed)).encode() for seed in range(distinct))
        return cls(records, page_size, blobs)

    def answer(self, request: httpx.Request) -> httpx.Response:
        """An ``httpx.MockTransport`` handler: the page at the request's ``starting_token``."""
        query = json.loads(request.content or b"{}")
        token = query.get("starting_token", 0)
        if query.get("limit") != self.page_size or token % self.page_size or not 0 <= token < self.records:
            return httpx.Response(404, json={"detail": "no such page"})
        following = token + self.page_size
        body = b"".join(
            (
                b'{"token_usages": ',
                self.row_blobs[token // self.page_size % len(self.row_blobs)],
                b', "limit": %d, "starting_token": %d, "next_starting_token": %s, "paginated": true}'
                % (self.page_size, token, b"null" if following >= self.records else str(following).encode()),
            )
        )
        return httpx.Response(200, content=body, headers={"content-type": "application/json"})


# ---- the minimal keep-alive HTTP server, in its own process ----


async def _serve_connection(pages: Pages, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    try:
        while True:
            head = await reader.readuntil(b"\r\n\r\n")
            length = 0
            for line in head.split(b"\r\n")[1:]:
                name, _, value = line.partition(b":")
                if name.strip().lower() == b"content-length":
                    length = int(value)
            body = await reader.readexactly(length) if length else b""
            page = pages.body_for(body) if head.startswith(b"POST ") else None
            status, payload = (b"200 OK", page) if page is not None else (b"404 Not Found", b'{"detail":"no page"}')
            writer.write(
                b"HTTP/1.1 " + status + b"\r\ncontent-type: application/json\r\ncontent-length: "
                + str(len(payload)).encode() + b"\r\n\r\n" + payload
            )  # fmt: skip
            await writer.drain()
    except (asyncio.IncompleteReadError, ConnectionError):
        pass
    finally:
        writer.close()


async def _serve(pages: Pages) -> None:
    server = await asyncio.start_server(lambda r, w: _serve_connection(pages, r, w), "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    print(f"http://127.0.0.1:{port}", flush=True)
    stop = asyncio.Event()
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stop.set)
    async with server:
        await stop.wait()


@attrs.frozen
class ServedPages:
    url: str
    records: int
    page_size: int


@contextlib.contextmanager
def served_pages(records: int, page_size: int = 100) -> Iterator[ServedPages]:
    """The page server in a child process for the block (SIGTERM, then SIGKILL, when the block exits)."""
    command = [sys.executable, "-m", "benchmarks._pages", "--records", str(records), "--page-size", str(page_size)]
    child = subprocess.Popen(command, stdout=subprocess.PIPE, text=True, cwd=Path(__file__).resolve().parents[1])  # noqa: S603
    try:
        lines: list[str] = []
        reader = threading.Thread(target=lambda: lines.append((child.stdout or sys.stdin).readline().strip()))
        reader.start()
        reader.join(timeout=_START_TIMEOUT)
        if not lines or not lines[0].startswith("http://"):
            raise RuntimeError(f"the page server did not start (exit code {child.poll()}, got {lines!r})")
        yield ServedPages(lines[0], records, page_size)
    finally:
        child.send_signal(signal.SIGTERM)
        try:
            child.wait(timeout=10)
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait(timeout=10)
        if child.stdout is not None:
            child.stdout.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--records", type=int, required=True)
    parser.add_argument("--page-size", type=int, default=100)
    args = parser.parse_args()
    asyncio.run(_serve(Pages.build(args.records, args.page_size)))


if __name__ == "__main__":
    main()
