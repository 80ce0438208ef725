"""Tables from a walk against pyarrow's own JSON reader on the same pages, and the memory a big table takes.

Pages are 1,000 records each (``_timeline`` rows: distinct ids, naive-free RFC 3339 times, some null counts),
answered in process by an ``httpx.MockTransport`` from bodies made once per distinct request (the walk goes by
``created_at``, so its pages after the first ask 1,001 records from the last instant returned), so the client's
whole path is timed (request, page read, table) and no server is. Times are CPU (``time.process_time``), GC on, the
cases of a round back to back, median of per-round ratios:

* ``pyarrow.json`` reads each page body with ``pyarrow.json.read_json`` and flattens its records: the bar the
  SDK's ``to_arrow()`` (which also checks every value and builds the declared schema) is held to;
* ``to_arrow()``, ``to_pandas()``, ``to_polars()`` on a fresh walk each.

The memory row runs ``to_arrow()`` over ``--memory-records`` records (1M by default: 5M takes minutes on a
shared 2-core machine) in a fresh interpreter and compares its peak RSS growth (``VmHWM`` minus RSS before the
walk) with the table's own size (``Table.nbytes``).
"""

from __future__ import annotations

import argparse
import io
import json
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import httpx

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks._pages import LOG_STREAM_ID, PROJECT_ID
from benchmarks._table import Row, interleaved_rounds, median, process_status_kib, ratio_of_medians_per_round, render
from benchmarks._timeline import Timeline
from galileo_insights import GalileoInsights, TokenUsagePager

RECORDS = 100_000
PAGE_SIZE = 1_000
TARGET_ARROW = 0.7  # to_arrow() records/s at least this share of pyarrow.json's
TARGET_FRAMES = 1.3  # to_pandas()/to_polars() at most this many times to_arrow()'s time
TARGET_MEMORY = 1.3  # peak growth at most this many times the final table
MEMORY_RECORDS = 1_000_000
_CHILD_TIMEOUT = 900


def page_bodies(records: int, page_size: int) -> dict[int, bytes]:
    """Each page's body by ``starting_token`` (ascending, every record once)."""
    timeline = Timeline(records)
    return {
        start: timeline.page({"starting_token": start, "limit": page_size, "sort": {"ascending": True}})
        for start in range(0, records, page_size)
    }


class TimelinePages:
    """Answers every page a walk asks for (offsets, or a keyset walk's resume filter) from a ``Timeline``; with
    ``remember``, each distinct request's body is made once, so the timed rounds after the first make no pages
    (a walk's requests are the same every time)."""

    def __init__(self, records: int, *, remember: bool = True) -> None:
        self.timeline = Timeline(records)
        self.bodies: dict[bytes, bytes] | None = {} if remember else None

    def answer(self, request: httpx.Request) -> httpx.Response:
        body = None if self.bodies is None else self.bodies.get(request.content)
        if body is None:
            body = self.timeline.page(json.loads(request.content))
            if self.bodies is not None:
                self.bodies[request.content] = body
        return httpx.Response(200, content=body, headers={"content-type": "application/json"})


def client_over(pages: TimelinePages) -> GalileoInsights:
    return GalileoInsights(api_key="bench-key", base_url="http://b.test", transport=httpx.MockTransport(pages.answer))


def pager_of(client: GalileoInsights, page_size: int) -> TokenUsagePager:
    return client.token_usage.list(PROJECT_ID, LOG_STREAM_ID, page_size=page_size, ascending=True)


def cpu(action: Callable[[], int], expected: int) -> Callable[[], float]:
    def timed() -> float:
        started = time.process_time()
        rows = action()
        seconds = time.process_time() - started
        if rows != expected:
            raise RuntimeError(f"read {rows} records, expected {expected}")
        return seconds

    return timed


def pyarrow_json(bodies: dict[int, bytes]) -> int:
    import pyarrow as pa  # noqa: PLC0415 - the data extra
    import pyarrow.json as pa_json  # noqa: PLC0415

    tables = []
    for body in bodies.values():
        page = pa_json.read_json(io.BytesIO(body), read_options=pa_json.ReadOptions(block_size=len(body) + 1))
        tables.append(pa.Table.from_struct_array(page.column("token_usages").combine_chunks().flatten()))
    return sum(table.num_rows for table in tables)


def decoded(bodies: dict[int, bytes]) -> int:
    from galileo_insights.resources.token_usage._data._columnar import decode_page  # noqa: PLC0415

    return sum(page[0].num_rows for page in map(decode_page, bodies.values()) if page is not None)


def measure(rounds: int = 5, memory_records: int = MEMORY_RECORDS) -> list[Row]:
    bodies = page_bodies(RECORDS, PAGE_SIZE)
    with client_over(TimelinePages(RECORDS)) as client:
        cases = [
            cpu(lambda: pyarrow_json(bodies), RECORDS),
            cpu(lambda: decoded(bodies), RECORDS),
            cpu(lambda: pager_of(client, PAGE_SIZE).to_arrow().num_rows, RECORDS),
            cpu(lambda: len(pager_of(client, PAGE_SIZE).to_pandas()), RECORDS),
            cpu(lambda: len(pager_of(client, PAGE_SIZE).to_polars()), RECORDS),
        ]
        for case in cases:  # imports and first-use caches out of the timed rounds
            case()
        reference, decode, arrow, pandas, polars = interleaved_rounds(cases, rounds)
    arrow_share = ratio_of_medians_per_round(reference, arrow)
    rows = [
        Row(f"pyarrow.json.read_json, {RECORDS // 1000}k records in 1000-record pages", RECORDS / median(reference),
            "records/s (CPU)", "each page body read and its records flattened"),
        Row("the SDK's page reader alone (bytes to checked batch)", RECORDS / median(decode), "records/s (CPU)",
            f"{ratio_of_medians_per_round(reference, decode):.2f}x pyarrow.json's records/s; no request, no walk"),
        Row("to_arrow() on the same pages (in-process walk)", RECORDS / median(arrow), "records/s (CPU)",
            f"{arrow_share:.2f}x pyarrow.json's records/s", f">= {TARGET_ARROW}x pyarrow.json",
            arrow_share >= TARGET_ARROW),
    ]  # fmt: skip
    for name, times in (("to_pandas()", pandas), ("to_polars()", polars)):
        ratio = ratio_of_medians_per_round(times, arrow)
        rows.append(
            Row(f"{name} on the same pages", RECORDS / median(times), "records/s (CPU)",
                f"{ratio:.2f}x the time of to_arrow()", f"<= {TARGET_FRAMES}x to_arrow()", ratio <= TARGET_FRAMES)
        )  # fmt: skip
    return [*rows, memory_row(memory_records)]


def memory_row(records: int) -> Row:
    done = subprocess.run(  # noqa: S603 - our own interpreter and module
        [sys.executable, "-m", "benchmarks.bench_tables", "--child", str(records)],
        capture_output=True,
        text=True,
        timeout=_CHILD_TIMEOUT,
        check=True,
        cwd=Path(__file__).resolve().parents[1],
    )
    report = json.loads(done.stdout.splitlines()[-1])
    ratio = report["growth"] / report["table"]
    return Row(
        f"to_arrow() peak memory, {records / 1e6:g}M records",
        report["growth"] / 2**20,
        "MB peak growth",
        f"{ratio:.2f}x the table ({report['table'] / 2**20:.0f} MB); peak RSS {report['peak'] / 2**20:.0f} MB",
        f"<= {TARGET_MEMORY}x the table",
        ratio <= TARGET_MEMORY,
    )


def _rss(field: str) -> int:
    kib = process_status_kib(field)
    if kib is None:
        raise RuntimeError(f"no {field} in /proc/self/status: the memory row needs Linux")
    return kib * 1024


def child(records: int) -> None:
    import pyarrow  # noqa: PLC0415, F401 - loaded before the baseline, as a user's process has it

    with client_over(TimelinePages(PAGE_SIZE)) as client:
        pager_of(client, PAGE_SIZE).to_arrow()  # imports and first-use caches, one page
    # Pages made per request and not kept: the server side's memory stays one page whatever ``records`` is.
    client = client_over(TimelinePages(records, remember=False))
    before = _rss("VmRSS")
    table = pager_of(client, PAGE_SIZE).to_arrow()
    peak = _rss("VmHWM")
    print(json.dumps({"growth": peak - before, "table": table.nbytes, "peak": peak, "rows": table.num_rows}))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--memory-records", type=int, default=MEMORY_RECORDS)
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child)
        return
    print(render(measure(args.rounds, args.memory_records)))


if __name__ == "__main__":
    main()
