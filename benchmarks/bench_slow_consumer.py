"""Peak memory of a parallel walk whose consumer is slower than its producers.

A fresh interpreter walks 2M records (``_timeline`` rows, answered in process by an ``httpx.MockTransport`` that
honours each window's time filter) with ``concurrency=16`` and 2,000-record pages, and sleeps 0.1 s after every
2,000 records it takes, for ``--seconds`` seconds: the 16 workers could fetch far faster than that, so whatever
they are allowed to read ahead, they do. Peak RSS is the child's ``VmHWM``. Before the read-ahead was bounded in
total, each window buffered up to 64 pages of its own and the same walk passed 1.5 GB.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks._table import REPO, Row, process_status_kib, render

RECORDS = 2_000_000
PAGE_SIZE = 2_000
CONCURRENCY = 16
TARGET_MB = 300
_CHILD_TIMEOUT = 300


def child(seconds: float) -> dict[str, float]:
    import httpx  # noqa: PLC0415 - measured in the child only

    from benchmarks._pages import LOG_STREAM_ID, PROJECT_ID  # noqa: PLC0415
    from benchmarks._timeline import END, START, Timeline  # noqa: PLC0415
    from galileo_insights import GalileoInsights  # noqa: PLC0415

    timeline = Timeline(RECORDS)

    def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=timeline.page(json.loads(request.content)))

    taken = 0
    started = time.monotonic()
    with GalileoInsights(api_key="k", base_url="http://b.test", transport=httpx.MockTransport(answer)) as client:
        pager = client.token_usage.list(
            PROJECT_ID,
            LOG_STREAM_ID,
            page_size=PAGE_SIZE,
            ascending=True,
            created_since=START,
            created_before=END,
            concurrency=CONCURRENCY,
        )
        for page in pager.pages():
            taken += len(page.items)
            time.sleep(0.1)
            if time.monotonic() - started > seconds:
                break
    peak = process_status_kib("VmHWM")
    if peak is None:
        raise RuntimeError("no VmHWM in /proc/self/status: this benchmark needs Linux")
    return {"taken": taken, "peak_kib": peak}


def measure(seconds: float = 20.0) -> list[Row]:
    done = subprocess.run(  # noqa: S603 - our own interpreter and module
        [sys.executable, "-m", "benchmarks.bench_slow_consumer", "--child", str(seconds)],
        capture_output=True,
        text=True,
        timeout=_CHILD_TIMEOUT,
        check=True,
        cwd=REPO,
    )
    report = json.loads(done.stdout.splitlines()[-1])
    peak_mb = report["peak_kib"] / 1024
    return [
        Row(
            f"parallel walk, sleeping consumer: concurrency={CONCURRENCY}, {PAGE_SIZE}-record pages",
            peak_mb,
            "MB peak RSS",
            f"{report['taken']:,} records taken in {seconds:.0f} s, 0.1 s asleep per page",
            f"< {TARGET_MB} MB",
            peak_mb < TARGET_MB,
        )
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--child", type=float, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child is not None:
        print(json.dumps(child(args.child)))
        return
    print(render(measure(args.seconds)))


if __name__ == "__main__":
    main()
