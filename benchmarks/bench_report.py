"""The usage report over 50 log streams x 365 days (18,250 priced rows): how long it takes and how big the page is.

Each round runs in a fresh interpreter, so it pays what a ``galileo-insights report`` run pays: importing the
report, building the Vega bundle once (vl-convert bundles it with an embedded JavaScript engine), the page and a
PNG. Reported per stage: wall time and CPU time (all threads of the process; on a shared machine the CPU time is
the steadier figure). Targets from the issue: the whole report under 5 s, the HTML under 5 MB.
"""

from __future__ import annotations

import dataclasses
import json
import subprocess
import sys
from pathlib import Path

if __package__ in (None, ""):  # run as ``python benchmarks/bench_report.py``
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks._table import Row, median, print_rounds_table

LOG_STREAMS = (5, 10)  # projects x log streams each: 50
DAYS = 365
TARGET_SECONDS = 5.0
TARGET_MB = 5.0
_CHILD_TIMEOUT = 300
_CHILD = f"""
import datetime, json, time, zoneinfo
zone = zoneinfo.ZoneInfo("Europe/Paris")
rows = []
for p in range({LOG_STREAMS[0]}):
    for s in range({LOG_STREAMS[1]}):
        for d in range({DAYS}):
            tokens = (1 + (p * 7 + s * 13 + d * 31) % 97) * 1000
            rows.append({{"project": f"project-{{p}}", "project_id": f"p{{p}}", "log_stream": f"stream-{{s}}",
                "log_stream_id": f"p{{p}}s{{s}}",
                "period_start": datetime.datetime.combine(datetime.date(2025, 1, 1) + datetime.timedelta(d),
                    datetime.time(0), zone),
                "records": 10, "input_tokens": tokens, "output_tokens": tokens // 5, "cache_read_input_tokens": 0,
                "cache_creation_input_tokens": 0, "total_tokens": tokens + tokens // 5,
                "cost_usd": tokens * 6e-6}})
marks = [(time.perf_counter(), time.process_time())]
from galileo_insights.report import ReportDocument
document = ReportDocument.from_rows(rows, selection="every log stream", prices="input=3,output=15")
marks.append((time.perf_counter(), time.process_time()))
page = document.html()
marks.append((time.perf_counter(), time.process_time()))
picture = document.png()
marks.append((time.perf_counter(), time.process_time()))
print(json.dumps({{"marks": marks, "html_bytes": len(page.encode()), "png_bytes": len(picture)}}))
"""
_STAGES = ("import + figures", "HTML page", "PNG")


@dataclasses.dataclass(frozen=True)
class _Round:
    marks: list[tuple[float, float]]
    """(wall, CPU) clock readings before and after each stage."""
    html_bytes: int
    png_bytes: int

    def spent(self, first: int, last: int, clock: int) -> float:
        return self.marks[last][clock] - self.marks[first][clock]


def _round() -> _Round:
    child = subprocess.run(  # noqa: S603 - our own interpreter, fixed code
        [sys.executable, "-c", _CHILD], check=True, timeout=_CHILD_TIMEOUT, capture_output=True, text=True
    )
    result = json.loads(child.stdout)
    return _Round([tuple(mark) for mark in result["marks"]], result["html_bytes"], result["png_bytes"])


def rows(rounds: int = 3) -> list[Row]:
    results = [_round() for _ in range(rounds)]
    table = []
    for index, stage in enumerate(_STAGES):
        wall = median([r.spent(index, index + 1, 0) for r in results])
        cpu = median([r.spent(index, index + 1, 1) for r in results])
        table.append(Row(f"report 50x365: {stage}", wall, "s wall", f"{cpu:.2f} s CPU"))
    total_wall = median([r.spent(0, len(_STAGES), 0) for r in results])
    total_cpu = median([r.spent(0, len(_STAGES), 1) for r in results])
    table.append(
        Row("report 50x365: all", total_wall, "s wall", f"{total_cpu:.2f} s CPU", f"< {TARGET_SECONDS:g} s",
            total_wall < TARGET_SECONDS)
    )  # fmt: skip
    html_mb = median([r.html_bytes / 1e6 for r in results])
    png_mb = median([r.png_bytes / 1e6 for r in results])
    table.append(Row("report 50x365: HTML size", html_mb, "MB", f"PNG {png_mb:.2f} MB", f"< {TARGET_MB:g} MB",
                     html_mb < TARGET_MB))  # fmt: skip
    return table


def main() -> None:
    print_rounds_table(__doc__, rows)


if __name__ == "__main__":
    main()
