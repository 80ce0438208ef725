"""The README's Python examples run as written against the fake Galileo over real HTTP."""

from __future__ import annotations

import datetime
import re
import zoneinfo
from pathlib import Path
from typing import Any

import pytest

from galileo_insights.testing import FakeGalileo

README = Path(__file__).resolve().parents[1] / "README.md"
TARGET_VARIABLES = ("GALILEO_PROJECT_ID", "GALILEO_PROJECT", "GALILEO_LOG_STREAM_ID", "GALILEO_LOG_STREAM")
PYTHON_BLOCK = re.compile(r"```python\n(.*?)```", re.DOTALL)


@pytest.mark.slow
def test_readme_examples_run_against_the_fake(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    blocks = PYTHON_BLOCK.findall(README.read_text(encoding="utf-8"))
    assert len(blocks) >= 3
    fake = FakeGalileo(records=1_000, seed=7)
    for name in ("GALILEO_JWT_TOKEN", "GALILEO_USERNAME", "GALILEO_PASSWORD", "GALILEO_CONSOLE_URL", *TARGET_VARIABLES):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)  # the dlt example's DuckDB file
    monkeypatch.setenv("DLT_DATA_DIR", str(tmp_path / "dlt"))  # and its pipeline state
    monkeypatch.setenv("RUNTIME__DLTHUB_TELEMETRY", "false")
    with fake.serve() as url:
        monkeypatch.setenv("GALILEO_API_URL", url)
        monkeypatch.setenv("GALILEO_API_KEY", fake.api_key)
        namespace: dict[str, Any] = {}
        for block in blocks:
            exec(compile(block, str(README), "exec"), namespace)
    printed = capsys.readouterr().out
    assert not namespace["load_info"].has_failed_jobs  # the dlt example loaded every record, with names
    loaded = {(project, log_stream): tokens for project, log_stream, tokens in namespace["usage"]}
    stored_output = sum(
        record.token_usage.output_tokens or 0
        for record in fake.store.records(fake.project_id, fake.log_stream_id)
        if record.token_usage is not None
    )
    assert loaded[(fake.project_name, fake.log_stream_name)] == stored_output
    assert (namespace["project"], namespace["log_stream"]) == (fake.project_name, fake.log_stream_name)
    assert {request.path for request in fake.requests if request.method == "GET"} >= {
        "/projects",  # the quickstart's names were looked up, and the raw-response example listed the projects
        f"/v2/projects/{fake.project_id}/log_streams",
    }
    report = namespace["report"]  # the organisation-wide question: every log stream of the fake, every day
    assert len(report.targets) == len(fake.store.streams()) + 3  # the default stream, its empty twin, two twins
    assert len(report) == 31 * len(report.targets)
    paris = zoneinfo.ZoneInfo("Europe/Paris")
    january = (datetime.datetime(2025, 1, 1, tzinfo=paris), datetime.datetime(2025, 2, 1, tzinfo=paris))
    stored = fake.store.records(fake.project_id, fake.log_stream_id)
    assert sum(row.records for row in report) == sum(january[0] <= record.created_at < january[1] for record in stored)
    assert report.prices is not None
    assert "1000" in printed  # totals over all records, from both clients
    assert any(line.startswith("200 ") for line in printed.splitlines())  # the raw response's status code
