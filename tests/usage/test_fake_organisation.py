"""``fake-server --projects N --log-streams M``: an organisation over real HTTP, records in the window asked for."""

from __future__ import annotations

import datetime
import json
import subprocess
from collections.abc import Iterator

import pytest

from galileo_insights.testing import FakeGalileo, Organisation
from galileo_insights.testing._cli import main as fake_main
from tests.cli.harness import run_cli
from tests.cli.test_script import command

END = "2026-01-01T00:00:00Z"


@pytest.fixture
def served() -> Iterator[dict[str, str]]:
    options = ["--projects", "2", "--log-streams", "3", "--records", "10", "--days", "5", "--end", END]
    process = subprocess.Popen([*command(), "fake-server", "--port", "0", *options], stdout=subprocess.PIPE, text=True)
    try:
        assert process.stdout is not None
        url = process.stdout.readline().strip()
        details = dict(process.stdout.readline().strip().split(": ", 1) for _ in range(5))
        yield {"url": url, **details}
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.mark.slow
def test_the_organisation_is_served_with_stable_names(served: dict[str, str]) -> None:
    connection = ["--api-key", served["api-key"], "--base-url", served["url"]]
    streams = run_cli(["log-streams", "-f", "json", *connection])
    usage = run_cli(["token-usage", "--all", "--by", "day", "--since", "2025-12-20", "--until", "2026-01-02",
                     "-f", "json", *connection])  # fmt: skip

    assert streams.exit_code == usage.exit_code == 0, streams.stderr + usage.stderr
    listed = json.loads(streams.stdout)
    assert [(row["project"], row["log_stream"]) for row in listed] == [
        (f"project-0{project}", f"log-stream-0{stream}") for project in (1, 2) for stream in (1, 2, 3)
    ]
    assert (served["project"], served["log-stream"]) == ("project-01", "log-stream-01")
    expected = FakeGalileo(organisation=Organisation(2, 3, 10, 5, datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)))
    assert [row["log_stream_id"] for row in listed] == [
        str(stream.id)
        for project in expected.directory.projects()
        for stream in expected.directory.log_streams(project.id) or []
    ]  # the same ids in another process: derived from the names
    rows = json.loads(usage.stdout)
    days = sorted({row["period_start"][:10] for row in rows if row["records"]})
    assert days[0] >= "2025-12-27"  # the 5 days before --end
    assert days[-1] == "2025-12-31"
    assert sum(row["records"] for row in rows) == 60


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--end", "2026-01-01T00:00:00"], "--end: '2026-01-01T00:00:00' has no offset"),
        (["--end", "soon"], "--end: 'soon' is not an ISO-8601 time"),
        (["--projects", "-1"], "--projects must be >= 0"),
        (["--projects", "2", "--log-streams", "0"], "--log-streams and --days >= 1"),
    ],
)
def test_bad_organisation_options_are_usage_errors(
    arguments: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exited:
        fake_main(["--port", "0", *arguments])
    assert exited.value.code == 2
    assert message in capsys.readouterr().err
