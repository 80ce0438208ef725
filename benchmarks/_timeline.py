"""A token-usage server for parallel walks: any number of records, filtered by time, with latency, in O(1) memory.

Record ``i`` of ``N`` is made from its index (``timeline_row``): created ``i`` steps after ``START`` (steps spread
the records evenly over 30 days, distinct microseconds), a distinct id, the shared project and log-stream ids of
``_pages``, token counts with some nulls. So the server answers ``created_at`` filters (``gte``/``gt``/``lt``/
``lte``), either sort order, ``starting_token`` and ``limit`` by arithmetic, and builds each page by formatting
its rows: about 2 µs a row, far below the latency it waits before answering (``--latency-ms``), and no memory
that grows with ``N``. It runs in its own process (asyncio streams, keep-alive HTTP/1.1, 127.0.0.1), so the
client being measured has the interpreter to itself.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import datetime
import json
import signal
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import attrs

if __package__ in (None, ""):  # run as ``python benchmarks/_timeline.py``
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks._child_server import served_by_module
from benchmarks._pages import LOG_STREAM_ID, PROJECT_ID

START = datetime.datetime(2025, 1, 1, tzinfo=datetime.UTC)
SPAN = datetime.timedelta(days=30)
END = START + SPAN
_ROW = (
    '{"id": "%s", "created_at": "%sZ", "updated_at": "%sZ", "project_id": "' + str(PROJECT_ID) + '", '
    '"log_stream_id": "' + str(LOG_STREAM_ID) + '", "token_usage": {"input_tokens": %d, "output_tokens": %d, '
    '"cache_creation_input_tokens": %s, "cache_read_input_tokens": %s}}'
)


def step_us(records: int) -> int:
    return SPAN // datetime.timedelta(microseconds=1) // max(1, records)


def timeline_row(index: int, step: int) -> str:
    created = START + datetime.timedelta(microseconds=index * step)
    stamp = created.replace(tzinfo=None).isoformat(timespec="microseconds")
    identifier = uuid.UUID(int=(index * 0x9E3779B97F4A7C15F39CC0605CEDC835 + 1) % (1 << 128), version=4)
    return _ROW % (
        identifier,
        stamp,
        stamp,
        50 + index % 3950,
        10 + index % 790,
        "null" if index % 4 == 0 else (index % 2) * 256,
        "null" if index % 5 == 0 else (index % 2) * 1024,
    )


@attrs.frozen
class Timeline:
    records: int

    def index_range(self, filters: list[dict[str, object]]) -> tuple[int, int]:
        """``[low, high)``: the indices whose ``created_at`` passes every filter."""
        step = step_us(self.records)
        low, high = 0, self.records
        for given in filters:
            if given.get("name", "created_at") != "created_at":
                continue
            moment = datetime.datetime.fromisoformat(str(given["value"]))
            offset = (moment - START) // datetime.timedelta(microseconds=1)
            first_at_or_after = max(0, -(-offset // step))  # smallest i with i * step >= offset
            first_after = max(0, offset // step + 1)  # smallest i with i * step > offset
            match given["operator"]:
                case "gte":
                    low = max(low, first_at_or_after)
                case "gt":
                    low = max(low, first_after)
                case "lt":
                    high = min(high, first_at_or_after)
                case "lte":
                    high = min(high, first_after)
        return low, max(low, high)

    def page(self, request: dict[str, object]) -> bytes:
        filters = request.get("filters") or []
        assert isinstance(filters, list)
        low, high = self.index_range(filters)
        sort = request.get("sort") or {}
        ascending = bool(sort.get("ascending", False)) if isinstance(sort, dict) else False
        token, limit = int(request.get("starting_token", 0)), int(request.get("limit", 100))  # type: ignore[call-overload]
        count = high - low
        chosen = range(low + token, min(high, low + token + limit))
        if not ascending:
            chosen = range(high - 1 - token, max(low, high - token - limit) - 1, -1)
        step = step_us(self.records)
        rows = ", ".join(timeline_row(index, step) for index in chosen)
        following = token + len(chosen)
        next_token = "null" if following >= count else str(following)
        return (
            f'{{"token_usages": [{rows}], "limit": {limit}, "starting_token": {token}, '
            f'"next_starting_token": {next_token}, "paginated": true}}'
        ).encode()


async def _serve_connection(
    timeline: Timeline, latency: float, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
) -> None:
    try:
        while True:
            head = await reader.readuntil(b"\r\n\r\n")
            length = 0
            for line in head.split(b"\r\n")[1:]:
                name, _, value = line.partition(b":")
                if name.strip().lower() == b"content-length":
                    length = int(value)
            body = await reader.readexactly(length) if length else b""
            await asyncio.sleep(latency)
            payload = timeline.page(json.loads(body or b"{}"))
            writer.write(
                b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: "
                + str(len(payload)).encode() + b"\r\n\r\n" + payload
            )  # fmt: skip
            await writer.drain()
    except (asyncio.IncompleteReadError, ConnectionError):
        pass
    finally:
        writer.close()


async def _serve(timeline: Timeline, latency: float) -> None:
    server = await asyncio.start_server(
        lambda r, w: _serve_connection(timeline, latency, r, w), "127.0.0.1", 0, backlog=256
    )
    print(f"http://127.0.0.1:{server.sockets[0].getsockname()[1]}", flush=True)
    stop = asyncio.Event()
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stop.set)
    async with server:
        await stop.wait()


@contextlib.contextmanager
def served_timeline(records: int, latency_ms: float) -> Iterator[str]:
    """The server's URL for the block; the child gets SIGTERM, then SIGKILL, when the block exits."""
    arguments = ["--records", str(records), "--latency-ms", str(latency_ms)]
    with served_by_module("benchmarks._timeline", arguments, "timeline server") as (url,):
        yield url


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--records", type=int, required=True)
    parser.add_argument("--latency-ms", type=float, default=50.0)
    args = parser.parse_args()
    asyncio.run(_serve(Timeline(args.records), args.latency_ms / 1000))


if __name__ == "__main__":
    main()
