"""The README's Python examples run as written against the fake Galileo over real HTTP."""

from __future__ import annotations

import pytest

from scripts.readme_examples import python_blocks, run_examples


@pytest.mark.slow
def test_readme_examples_run_against_the_fake(capsys: pytest.CaptureFixture[str]) -> None:
    assert len(python_blocks()) >= 3
    fake, namespace = run_examples()
    printed = capsys.readouterr().out
    assert (namespace["project"], namespace["log_stream"]) == (fake.project_name, fake.log_stream_name)
    assert {request.path for request in fake.requests if request.method == "GET"} == {
        "/projects",  # the quickstart's names were looked up, and the raw-response example listed the projects
        f"/v2/projects/{fake.project_id}/log_streams",
    }
    assert "1000" in printed  # totals over all records, from both clients
    assert any(line.startswith("200 ") for line in printed.splitlines())  # the raw response's status code
