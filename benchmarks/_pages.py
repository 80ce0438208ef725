"""Distinct token-usage pages, built once, and the smallest servers that answer with them.

Pages look like the server's: ``json.dumps`` with default separators (about 38 KB per 100 rows), a fresh uuid4 per
row, one project and one log-stream id shared by every row, RFC 3339 timestamps with microseconds ending in ``Z`` or
``+00:00``, token counts of which some are ``null``. ``Pages`` holds a walk's worth of rows, newest first, and
answers a page at any ``starting_token`` or, as the SDK walks, from the ``created_at`` a keyset walk resumes at;
tokens follow the offset rule (``next_starting_token == starting_token + len(items)``, null at the end) and each
page echoes its request's ``starting_token`` and ``limit``.

Two ways to serve them, both answering only from memory, so what is timed is the client:

* ``answer`` is an ``httpx.MockTransport`` handler (in process, no socket);
* ``python -m benchmarks._pages --records N`` is a keep-alive HTTP/1.1 server on 127.0.0.1 in its own process, a few
  dozen lines over asyncio streams, which ``served_pages`` starts and stops. Any ``POST`` is answered with the page
  its body asks for; the path and headers are not looked at.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import random
import signal
import sys
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import attrs
import httpx

if __package__ in (None, ""):  # run as ``python benchmarks/_pages.py``: make ``benchmarks`` importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks._child_server import served_by_module

_IDS = random.Random(20250621)  # noqa: S311 - test data, not secrets
PROJECT_ID = uuid.UUID(int=_IDS.getrandbits(128), version=4)
LOG_STREAM_ID = uuid.UUID(int=_IDS.getrandbits(128), version=4)


_NEWEST = datetime(2025, 6, 21, 11, 27, 5, tzinfo=UTC)


def walk_time(index: int) -> datetime:
    """``created_at`` of a walk's ``index``-th row, newest first: 2 s apart plus a sub-second part, so strictly
    decreasing (a keyset walk resumes from these instants)."""
    return _NEWEST - timedelta(seconds=2 * index + 1, microseconds=(index * 7919) % 10**6)


def walk_index(moment: datetime) -> int:
    """The row whose ``created_at`` is ``moment`` (``walk_time`` inverted)."""
    return int(((_NEWEST - moment).total_seconds() - 1) // 2)


def build_rows(items: int, seed: int, first: int | None = None) -> list[dict[str, object]]:
    """``items`` rows; ids and times depend on ``seed``, the project and log-stream ids do not. With ``first``, the
    rows are rows ``first``, ``first + 1``... of one walk, newest first (``walk_time``)."""
    rng = random.Random(seed)  # noqa: S311 - test data, not secrets
    rows: list[dict[str, object]] = []
    for index in range(items):
        created = _NEWEST - timedelta(seconds=rng.randrange(1, 3600) * (index + 1), microseconds=rng.randrange(10**6))
        if first is not None:
            created = walk_time(first + index)
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


def _requested(request_body: bytes, records: int) -> tuple[int, int, int] | None:
    """``(first row, limit, starting_token)`` a newest-first page request asks for: its ``starting_token`` counted
    from the walk's first row, or (a keyset walk) from the row its ``created_at <=`` filter resumes at."""
    query = json.loads(request_body or b"{}")
    token, limit = query.get("starting_token", 0), query.get("limit", 100)
    first = token
    for bound in query.get("filters") or ():
        if bound.get("name") != "created_at" or bound.get("operator") != "lte":
            return None
        first = walk_index(datetime.fromisoformat(bound["value"])) + token
    if not 0 <= first <= records:
        return None
    return first, limit, token


def _page_body(rows: bytes, limit: int, token: int, last: bool) -> bytes:
    following = b"null" if last else str(token + limit).encode()
    tail = b', "limit": %d, "starting_token": %d, "next_starting_token": %s, "paginated": true}'
    return b'{"token_usages": [' + rows + b"]" + tail % (limit, token, following)


@attrs.frozen
class Pages:
    """Every row of a walk over ``records`` rows, newest first and all distinct, served at any offset or by keyset."""

    page_size: int
    rows: tuple[bytes, ...]

    @classmethod
    def build(cls, records: int, page_size: int) -> Pages:
        rows: list[bytes] = []
        for number, first in enumerate(range(0, records, page_size)):
            rows.extend(json.dumps(row).encode() for row in build_rows(min(page_size, records - first), number, first))
        return cls(page_size, tuple(rows))

    @property
    def records(self) -> int:
        return len(self.rows)

    def body_for(self, request_body: bytes) -> bytes | None:
        """The page a request body asks for (``_requested``), or None for one these pages cannot answer."""
        asked = _requested(request_body, self.records)
        if asked is None:
            return None
        first, limit, token = asked
        stop = min(first + limit, self.records)
        return _page_body(b", ".join(self.rows[first:stop]), limit, token, last=stop >= self.records)

    def answer(self, request: httpx.Request) -> httpx.Response:
        """An ``httpx.MockTransport`` handler serving these pages."""
        body = self.body_for(request.content)
        if body is None:
            return httpx.Response(404, json={"detail": "no such page"})
        return httpx.Response(200, content=body, headers={"content-type": "application/json"})


@attrs.frozen
class CyclingPages:
    """A walk over ``records`` rows made from a few distinct rows, round and round, each with its own id and
    ``created_at`` (``walk_time``): memory stays a few pages whatever ``records`` is (for walks of a million rows)."""

    records: int
    page_size: int
    row_tails: tuple[bytes, ...]  # each distinct row without its id and created_at

    @classmethod
    def build(cls, records: int, page_size: int, distinct: int = 4) -> CyclingPages:
        tails = []
        for seed in range(distinct):
            for row in build_rows(page_size, seed):
                rest = {key: value for key, value in row.items() if key not in ("id", "created_at")}
                tails.append(json.dumps(rest).encode()[1:])
        return cls(records, page_size, tuple(tails))

    def _row(self, index: int) -> bytes:
        created = walk_time(index).replace(tzinfo=None).isoformat(timespec="microseconds")
        head = b'{"id": "%s", "created_at": "%sZ", ' % (
            str(uuid.UUID(int=index + 1, version=4)).encode(),
            created.encode(),
        )
        return head + self.row_tails[index % len(self.row_tails)]

    def answer(self, request: httpx.Request) -> httpx.Response:
        """An ``httpx.MockTransport`` handler: the page a request asks for (``_requested``)."""
        asked = _requested(request.content, self.records)
        if asked is None:
            return httpx.Response(404, json={"detail": "no such page"})
        first, limit, token = asked
        stop = min(first + limit, self.records)
        body = _page_body(
            b", ".join(self._row(index) for index in range(first, stop)), limit, token, stop >= self.records
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
    arguments = ["--records", str(records), "--page-size", str(page_size)]
    with served_by_module("benchmarks._pages", arguments, "page server") as (url,):
        yield ServedPages(url, records, page_size)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--records", type=int, required=True)
    parser.add_argument("--page-size", type=int, default=100)
    args = parser.parse_args()
    asyncio.run(_serve(Pages.build(args.records, args.page_size)))


if __name__ == "__main__":
    main()
