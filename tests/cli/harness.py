"""Helpers for the CLI tests: a ``build_client`` over any transport, running the app, expected records."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import httpx
from typer.testing import CliRunner, Result

from galileo_insights import GalileoInsights, RetryPolicy
from galileo_insights.cli import _app
from galileo_insights.testing import FakeGalileo
from galileo_insights_api.models.log_stream_insight_token_usage_db import LogStreamInsightTokenUsageDB

RECORDS = 450
SEED = 11
GALILEO_VARIABLES = (
    "GALILEO_API_KEY",
    "GALILEO_JWT_TOKEN",
    "GALILEO_USERNAME",
    "GALILEO_PASSWORD",
    "GALILEO_API_URL",
    "GALILEO_CONSOLE_URL",
    "GALILEO_API_KEY_HEADER",
    "GALILEO_PROJECT_ID",
    "GALILEO_PROJECT",
    "GALILEO_LOG_STREAM_ID",
    "GALILEO_LOG_STREAM",
)

Invoke = Callable[..., Result]


def fake_client_factory(transport: httpx.BaseTransport) -> Callable[[_app.Connection], GalileoInsights]:
    """``build_client`` with ``transport`` below it and retries that do not sleep."""

    def build(connection: _app.Connection) -> GalileoInsights:
        return GalileoInsights(
            api_key=connection.api_key,
            base_url=connection.base_url,
            timeout=connection.timeout,
            transport=transport,
            retry_policy=RetryPolicy(max_retries=connection.max_retries, initial_delay=0, jitter=0),
        )

    return build


def run_cli(args: Sequence[str]) -> Result:
    return CliRunner().invoke(_app.app, list(args), prog_name=_app.PROG_NAME)


def stored_records(fake: FakeGalileo) -> list[LogStreamInsightTokenUsageDB]:
    """Every record the fake holds, oldest first, as the generated model parses it."""
    return [
        LogStreamInsightTokenUsageDB.from_dict(record.to_json())
        for record in fake.store.records(fake.project_id, fake.log_stream_id)
    ]


def one_line_error(result: Result) -> str:
    """The single stderr line of a failed run (and proof that there is no traceback)."""
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert lines[0].startswith("error: ")
    return lines[0]
