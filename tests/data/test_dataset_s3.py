"""The organisation-wide dataset on object storage: a real S3-compatible server (moto's server mode) on loopback,
written through ``s3://`` URLs, with faults on, a kill mid-run (in process, and SIGKILL of the CLI) and a resume."""

from __future__ import annotations

import datetime
import logging
import os
import signal
import subprocess
import time
import uuid
from collections.abc import Iterator
from typing import Any

import pyarrow.dataset as ds
import pyarrow.fs as pafs
import pytest

from galileo_insights import GalileoInsights, GalileoInsightsError, RetryPolicy, export_dataset
from galileo_insights.resources.token_usage._data._dataset_files import ArrowFiles
from galileo_insights.testing import FakeGalileo, Organisation, RandomFaults
from tests.cli.test_script import command
from tests.data.test_dataset import server_rows

UTC = datetime.UTC
END = datetime.datetime(2026, 3, 1, tzinfo=UTC)
NOW = END + datetime.timedelta(hours=6)
ORGANISATION = Organisation(projects=3, log_streams=2, records=60, days=6, end=END, seed=4)
AWS = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",  # moto's, not a secret
    "AWS_DEFAULT_REGION": "us-east-1",
    "AWS_REGION": "us-east-1",
    "AWS_EC2_METADATA_DISABLED": "true",
}


class S3:
    """A bucket on the loopback server and the pyarrow filesystem that reads it back."""

    def __init__(self, endpoint: str) -> None:
        self.endpoint = endpoint
        self.filesystem = pafs.S3FileSystem(
            endpoint_override=endpoint,
            scheme="http",
            access_key=AWS["AWS_ACCESS_KEY_ID"],
            secret_key=AWS["AWS_SECRET_ACCESS_KEY"],
            region="us-east-1",
            allow_bucket_creation=True,
        )

    def new_dataset(self) -> tuple[str, str]:
        """A fresh bucket: the URL to export to and the path to read back."""
        bucket = f"usage-{uuid.uuid4().hex[:12]}"
        self.filesystem.create_dir(bucket)
        return f"s3://{bucket}/org?endpoint_override={self.endpoint}&scheme=http", f"{bucket}/org"

    def rows(self, path: str) -> list[dict[str, Any]]:
        table = ds.dataset(path, filesystem=self.filesystem, format="parquet", partitioning="hive").to_table()
        rows = table.to_pylist()
        for row in rows:
            assert str(row.pop("date")) == row["created_at"].date().isoformat()
        return sorted(rows, key=lambda row: (row["created_at"], row["id"]))

    def names(self, path: str) -> list[str]:
        selector = pafs.FileSelector(path, recursive=True, allow_not_found=True)
        return sorted(info.path.removeprefix(path + "/") for info in self.filesystem.get_file_info(selector))


@pytest.fixture(scope="module")
def s3() -> Iterator[S3]:
    from moto.server import ThreadedMotoServer

    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # one line per S3 request otherwise
    saved = {name: os.environ.get(name) for name in AWS}
    os.environ.update(AWS)
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    try:
        yield S3(f"{host}:{port}")
    finally:
        server.stop()
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


class Killed(BaseException):
    """Stands in for SIGKILL / Ctrl-C: not an Exception, so nothing on the way catches it."""


def test_faults_on_killed_mid_run_then_resumed_ends_exact_on_s3(s3: S3, monkeypatch: pytest.MonkeyPatch) -> None:
    fake = FakeGalileo(organisation=ORGANISATION)
    fake.faults.set_random(RandomFaults(seed=8, server_error=0.1, dropped=0.05, malformed=0.05))
    client = GalileoInsights(
        api_key=fake.api_key,
        transport=fake.transport(),
        retry_policy=RetryPolicy(max_retries=10, initial_delay=0, jitter=0),
    )
    url, path = s3.new_dataset()
    moves = {"count": 0}
    original = ArrowFiles.put_in_place

    def dies_after_ten(self: ArrowFiles, temporary: str, name: str) -> None:
        if moves["count"] == 10:
            raise Killed
        moves["count"] += 1
        original(self, temporary, name)

    monkeypatch.setattr(ArrowFiles, "put_in_place", dies_after_ten)
    with pytest.raises(Killed):
        export_dataset(client, url, all=True, now=NOW, concurrency=3, page_size=20)
    monkeypatch.undo()
    written_before_kill = [name for name in s3.names(path) if name.endswith("part-0.parquet")]

    with client:
        for _ in range(30):
            try:
                summary = export_dataset(client, url, all=True, now=NOW, concurrency=3, page_size=20)
                break
            except GalileoInsightsError:
                continue
        else:
            pytest.fail("the export never finished")
    fake.faults.clear()

    assert 0 < len(written_before_kill) < 6 * 6
    assert summary.directory == url.partition("?")[0]
    assert s3.rows(path) == server_rows(fake)
    names = s3.names(path)
    assert not [name for name in names if name.rpartition("/")[2].startswith(".")]
    assert len([name for name in names if name.endswith("/_export_state.json")]) == 6


def test_the_cli_killed_with_sigkill_on_s3_then_run_again_ends_exact(s3: S3) -> None:
    """``fake-server`` (slowed down) and the CLI in their own processes; the CLI writes to the loopback S3."""
    server = subprocess.Popen(
        [
            *command(),
            "fake-server",
            "--projects",
            "3",
            "--log-streams",
            "2",
            "--records",
            str(ORGANISATION.records),
            "--days",
            str(ORGANISATION.days),
            "--end",
            END.isoformat(),
            "--seed",
            str(ORGANISATION.seed),
            "--latency-ms",
            "30",
            "--print-env",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert server.stdout is not None
        lines = [server.stdout.readline().strip() for _ in range(4)]
        served = dict(line.removeprefix("export ").split("=", 1) for line in lines[:2])
        env = {**os.environ, **AWS, **served}
        url, path = s3.new_dataset()
        args = [*command(), "export", "--all", "--to", url, "--concurrency", "2"]
        # Small pages make the first run slow enough to be killed mid-export; the run that resumes may be quick.
        process = subprocess.Popen(
            [*args, "--page-size", "5"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
        )
        deadline = time.monotonic() + 60
        while not [name for name in s3.names(path) if name.endswith("part-0.parquet")]:
            assert time.monotonic() < deadline, "the export wrote nothing in a minute"
            time.sleep(0.05)
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=10)
        written_before_kill = [name for name in s3.names(path) if name.endswith("part-0.parquet")]

        finished = subprocess.run(args, env=env, capture_output=True, text=True, timeout=180, check=False)
    finally:
        server.terminate()
        server.wait(timeout=10)

    assert finished.returncode == 0, finished.stderr
    assert 0 < len(written_before_kill) < 6 * 6, "the kill should land mid-export"
    assert finished.stdout.startswith("wrote ")
    assert f"of 6 log streams to s3://{path}\n" in finished.stdout
    assert s3.rows(path) == server_rows(FakeGalileo(organisation=ORGANISATION))
    assert not [name for name in s3.names(path) if name.rpartition("/")[2].startswith(".")]
