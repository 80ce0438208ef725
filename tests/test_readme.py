"""The README's Python examples run as written against the fake Galileo over real HTTP."""

from __future__ import annotations

import datetime
import zoneinfo

import pytest

from scripts.readme_examples import python_blocks, run_examples


@pytest.mark.slow
def test_readme_examples_run_against_the_fake(capsys: pytest.CaptureFixture[str]) -> None:
    assert len(python_blocks()) >= 3
    fake, namespace = run_examples()
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
        f"/v2/projects/{fake.project_id}/log_streams/paginated",
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
