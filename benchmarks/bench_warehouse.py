"""Where the data goes next: the organisation-wide export against its latency floor, and dlt beside the export.

Both run against ``fake-server`` in its own process (uvicorn on 127.0.0.1).

* Export: ``export_dataset(all=True, concurrency=8)`` of 50 log streams (``--projects 10 --log-streams 5``, 1,000
  records each over 10 days, ``page_size=100``), every token-usage answer delayed 50 ms. The floor is what latency
  alone costs with 8 requests in flight: token-usage requests / 8 x 50 ms, counting every request the export made
  (an httpx event hook counts them): each log stream's probe for its first day, its closed days' pages and one read
  of the open day. The name lookups are not delayed by the fake and are part of the time. The dataset goes to
  tmpfs (``/dev/shm`` where there is one): the row measures the export, not the disk of a shared machine (each day
  file and state write is fsynced; on this machine's disk that alone added several seconds).
* Throughput: the same records (6 log streams x 20,000, no delay) loaded by a real dlt pipeline into DuckDB
  (``galileo_source(all=True)``: extract, normalize, load) and written by ``export_dataset`` to Parquet, in the
  same run, each into a fresh destination. Records per second of wall time; CPU seconds of this process beside.
"""

from __future__ import annotations

import datetime
import os
import tempfile
import threading
import time
from pathlib import Path

import httpx

from benchmarks._fake_server import ServedFake, served_fake
from benchmarks._table import Row, median, print_rounds_table
from galileo_insights import DefaultHttpxClient, GalileoInsights, export_dataset

LATENCY_MS = 50.0
CONCURRENCY = 8
TARGET = 1.3
END = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)
NOW = END + datetime.timedelta(hours=2)  # every record's day is closed: read once, as a first export reads them
DAYS = 10
ORG = {"projects": 10, "log_streams": 5, "records": 1000, "page_size": 100}
TMPFS = "/dev/shm" if os.path.isdir("/dev/shm") else None  # noqa: S108 - a scratch directory, removed after use
BULK = {"projects": 3, "log_streams": 2, "records": 20_000, "page_size": 1000}


def _options(projects: int, log_streams: int) -> list[str]:
    return [
        "--projects",
        str(projects),
        "--log-streams",
        str(log_streams),
        "--days",
        str(DAYS),
        "--end",
        END.isoformat(),
    ]


class _TokenUsageRequests:
    """An httpx request hook counting the token-usage requests (from several threads: ``+=`` under a lock)."""

    def __init__(self) -> None:
        self.count = 0
        self._lock = threading.Lock()

    def __call__(self, request: httpx.Request) -> None:
        if request.url.path.endswith("/token_usage"):
            with self._lock:
                self.count += 1


def measure_export(rounds: int = 3) -> Row:
    """The org-wide export of 50 log streams at 50 ms/page against pages / concurrency x latency."""
    seconds, cpu, floors = [], [], []
    with served_fake(
        ORG["records"], latency_ms=LATENCY_MS, options=_options(ORG["projects"], ORG["log_streams"])
    ) as served:
        for _ in range(rounds):
            counter = _TokenUsageRequests()
            http = DefaultHttpxClient(event_hooks={"request": [counter]})
            with (
                tempfile.TemporaryDirectory(dir=TMPFS) as folder,
                GalileoInsights(api_key=served.api_key, base_url=served.url, http_client=http) as client,
            ):
                started, started_cpu = time.perf_counter(), time.process_time()
                summary = export_dataset(
                    client, folder, all=True, concurrency=CONCURRENCY, page_size=ORG["page_size"], now=NOW
                )
                seconds.append(time.perf_counter() - started)
                cpu.append(time.process_time() - started_cpu)
            http.close()
            _check(summary.records, ORG)
            floors.append(counter.count / CONCURRENCY * LATENCY_MS / 1000)
    streams = ORG["projects"] * ORG["log_streams"]
    floor = median(floors)
    ratio = median(seconds) / floor
    return Row(
        f"org-wide export: {streams} log streams x {ORG['records']} records, pages of {ORG['page_size']}, "
        f"{LATENCY_MS:.0f} ms/page, concurrency={CONCURRENCY}, dataset on {TMPFS or 'disk'}",
        median(seconds),
        "s",
        f"{ratio:.2f}x the latency floor ({floor * 1000 / LATENCY_MS * CONCURRENCY:.0f} requests / {CONCURRENCY} x "
        f"{LATENCY_MS:.0f} ms = {floor:.2f} s); client CPU {median(cpu):.2f} s, load average {os.getloadavg()[0]:.1f}",
        f"<= {TARGET}x floor",
        ratio <= TARGET,
    )


def measure_throughput(rounds: int = 3) -> list[Row]:
    """dlt into DuckDB and the Parquet export over the same records, alternating, each into a fresh destination."""
    times: dict[str, list[float]] = {"dlt": [], "export": []}
    cpu: dict[str, list[float]] = {"dlt": [], "export": []}
    total = BULK["projects"] * BULK["log_streams"] * BULK["records"]
    with served_fake(BULK["records"], options=_options(BULK["projects"], BULK["log_streams"])) as served:
        for _ in range(rounds):
            for name, load in (("dlt", _load_with_dlt), ("export", _export)):
                with tempfile.TemporaryDirectory(dir=TMPFS) as folder:
                    started, started_cpu = time.perf_counter(), time.process_time()
                    loaded = load(served, Path(folder))
                    times[name].append(time.perf_counter() - started)
                    cpu[name].append(time.process_time() - started_cpu)
                _check(loaded, BULK)
    dlt_rate, export_rate = total / median(times["dlt"]), total / median(times["export"])
    what = f"{BULK['projects'] * BULK['log_streams']} log streams x {BULK['records']:,} records, no delay"
    return [
        Row(
            f"dlt pipeline into DuckDB: {what}",
            dlt_rate,
            "records/s",
            f"{median(times['dlt']):.2f} s (extract, normalize, load); client CPU {median(cpu['dlt']):.2f} s; "
            f"{dlt_rate / export_rate:.2f}x the export's rate, measured alternately in this run",
        ),
        Row(
            f"org-wide Parquet export: {what}",
            export_rate,
            "records/s",
            f"{median(times['export']):.2f} s; client CPU {median(cpu['export']):.2f} s",
        ),
    ]


def _load_with_dlt(served: ServedFake, folder: Path) -> int:
    import dlt  # noqa: PLC0415 - the dlt extra, only for this row

    from galileo_insights.dlt import galileo_source  # noqa: PLC0415

    os.environ["RUNTIME__DLTHUB_TELEMETRY"] = "false"
    pipeline = dlt.pipeline(
        pipeline_name="bench",
        destination=dlt.destinations.duckdb(str(folder / "bench.duckdb")),
        dataset_name="galileo",
        pipelines_dir=str(folder / "pipelines"),
    )
    source = galileo_source(all=True, api_key=served.api_key, base_url=served.url, page_size=BULK["page_size"])
    pipeline.run(source)
    with pipeline.sql_client() as client:
        found = client.execute_sql("SELECT count(*) FROM token_usage") or [(0,)]
    return int(found[0][0])


def _export(served: ServedFake, folder: Path) -> int:
    with GalileoInsights(api_key=served.api_key, base_url=served.url) as client:
        summary = export_dataset(client, folder, all=True, concurrency=4, page_size=BULK["page_size"], now=NOW)
    return summary.records


def _check(records: int, shape: dict[str, int]) -> None:
    expected = shape["projects"] * shape["log_streams"] * shape["records"]
    if records != expected:
        raise RuntimeError(f"wrote {records} records, expected {expected}")


def measure(rounds: int = 3) -> list[Row]:
    return [measure_export(rounds), *measure_throughput(rounds)]


def main() -> None:
    print_rounds_table(__doc__, measure)


if __name__ == "__main__":
    main()
