"""The CLI in pipelines: ``export`` to a dataset (killed with SIGKILL and resumed), ``| head``, ``--print-env``."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyarrow.dataset as ds
import pytest

from galileo_insights.testing import FakeGalileo
from tests.cli.harness import Invoke, run_cli, stored_records
from tests.cli.test_script import command
from tests.data.records import expected_row

SERVED_RECORDS = 600
SERVED_SEED = 9


def dataset_rows(directory: Path) -> list[dict[str, Any]]:
    """The records of the dataset, without what the export adds: the date partition and the name columns."""
    table = ds.dataset(directory, format="parquet", partitioning="hive").to_table()
    added = ("date", "project", "log_stream")
    rows = [{key: value for key, value in row.items() if key not in added} for row in table.to_pylist()]
    return sorted(rows, key=lambda row: (row["created_at"], row["id"]))


def server_rows(fake: FakeGalileo) -> list[dict[str, Any]]:
    return sorted((expected_row(r) for r in stored_records(fake)), key=lambda row: (row["created_at"], row["id"]))


def test_export_writes_the_dataset_and_a_second_run_adds_nothing(
    cli: Invoke, ids: tuple[str, str], fake: FakeGalileo, tmp_path: Path
) -> None:
    first = cli("export", *ids, "--to", str(tmp_path), "--page-size", "100")
    second = cli("export", *ids, "--to", str(tmp_path))

    assert first.exit_code == 0, first.stderr
    assert first.stdout.startswith(f"wrote {len(stored_records(fake))} records in ")
    assert second.stdout.startswith("wrote 0 records in 0 day files")
    assert dataset_rows(tmp_path) == server_rows(fake)
    names = ds.dataset(tmp_path, format="parquet", partitioning="hive").to_table(columns=["project", "log_stream"])
    assert set(zip(*names.to_pydict().values(), strict=True)) == {(fake.project_name, fake.log_stream_name)}


def test_export_names_the_flag_of_a_bad_lag(cli: Invoke, ids: tuple[str, str], tmp_path: Path) -> None:
    result = cli("export", *ids, "--to", str(tmp_path), "--lag", "soon")

    assert result.exit_code == 2
    assert result.stderr.startswith("error: --lag: 'soon' is not a duration")


def test_export_to_a_file_is_a_usage_error(cli: Invoke, ids: tuple[str, str], tmp_path: Path) -> None:
    (tmp_path / "file").write_text("")
    result = cli("export", *ids, "--to", str(tmp_path / "file" / "dataset"))

    assert result.exit_code == 2
    assert result.stderr.startswith("error: --to: cannot use ")


@pytest.fixture
def served(tmp_path: Path) -> Iterator[dict[str, str]]:
    """``fake-server --print-env`` in its own process, slowed down so that a walk can be killed mid-way."""
    process = subprocess.Popen(
        [
            *command(),
            "fake-server",
            "--records",
            str(SERVED_RECORDS),
            "--seed",
            str(SERVED_SEED),
            "--end",  # the window FakeGalileo(records=...) uses, so that the two hold the same records
            "2025-01-31T00:00:00Z",
            "--days",
            "30",
            "--latency-ms",
            "20",
            "--print-env",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        lines = [process.stdout.readline().strip() for _ in range(4)]
        assert all(line.startswith("export GALILEO_") for line in lines), lines
        yield dict(line.removeprefix("export ").split("=", 1) for line in lines)
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_print_env_lines_are_enough_to_run_the_cli(served: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in served.items():
        monkeypatch.setenv(name, value)

    result = run_cli(["token-usage", "--totals", "-f", "json"])

    assert result.exit_code == 0, result.stderr
    assert f'"records": {SERVED_RECORDS}' in result.stdout


@pytest.mark.slow
def test_export_killed_with_sigkill_then_run_again_ends_exact(served: dict[str, str], tmp_path: Path) -> None:
    env = {**os.environ, **served}
    args = [*command(), "export", "--to", str(tmp_path), "--page-size", "25", "--concurrency", "2"]
    process = subprocess.Popen(args, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while not list(tmp_path.glob("*/*/date=*/part-0.parquet")) and time.monotonic() < deadline:
        time.sleep(0.05)
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=10)
    written_before_kill = len(list(tmp_path.glob("*/*/date=*/part-0.parquet")))

    finished = subprocess.run(args, env=env, capture_output=True, text=True, timeout=120, check=False)

    assert finished.returncode == 0, finished.stderr
    assert 0 < written_before_kill < 31, "the kill should land mid-export"
    assert dataset_rows(tmp_path) == server_rows(FakeGalileo(records=SERVED_RECORDS, seed=SERVED_SEED))
    # No temporary file is left; the (empty) lock file stays, as documented.
    assert not [path for path in tmp_path.rglob("*") if path.name.startswith(".") and path.name != ".export.lock"]


def test_a_closed_pipe_exits_141_quietly(served: dict[str, str]) -> None:
    env = {**os.environ, **served}
    process = subprocess.Popen(
        [*command(), "token-usage", "-f", "jsonl", "--page-size", "500"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert process.stdout is not None
    assert process.stderr is not None
    first = process.stdout.readline()
    process.stdout.close()
    code = process.wait(timeout=60)

    assert first.startswith(b"{")
    assert code == 141
    assert process.stderr.read() == b""
