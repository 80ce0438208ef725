"""``--by day`` at the end of time: one error line, or the last representable day, never a traceback.

``created_at = 9999-12-31T23:59:59.999999-23:59`` is valid RFC 3339, but its UTC instant lies past year 9999, so
``astimezone(UTC)`` raises ``OverflowError``; a record on 9999-12-31 UTC has no next day to step to.
"""

from __future__ import annotations

import socket
import uuid
from datetime import datetime

import pytest

from galileo_insights.testing import LogStream, Project, TokenUsageRecord
from tests.cli.harness import one_line_error, run_cli
from tests.hostile.servers import RawRequest, RawServer, json_response, page_answer

PROJECT_ID = "6f1c1a2e-7d3b-4c5e-9a8f-0b1c2d3e4f50"
LOG_STREAM_ID = "3d2b8c4a-5e6f-4a7b-8c9d-e0f1a2b3c4d5"
KEY = "end-of-time-key"  # a test credential
END_OF_TIME = "9999-12-31T23:59:59.999999-23:59"
# ``--by`` rows carry the project's and log stream's names, so the CLI looks them up even when given ids.
LOOKUPS = {
    "/projects": [Project(uuid.UUID(PROJECT_ID), "end-of-time").to_json()],
    f"/v2/projects/{PROJECT_ID}/log_streams/paginated": {
        "log_streams": [LogStream(uuid.UUID(LOG_STREAM_ID), "last-day", uuid.UUID(PROJECT_ID)).to_json()],
        "starting_token": 0,
        "limit": 100,
        "paginated": True,
        "next_starting_token": None,
    },
}


def answer(request: RawRequest, record: dict[str, object]) -> bytes:
    """The lookups' listings, else a token-usage page holding ``record``."""
    listing = LOOKUPS.get(request.path.partition("?")[0])
    return page_answer(request, [record]) if listing is None else json_response(200, listing)


# A walk without an end reads what was created before it began; future-stamped records need an explicit --until.
LAST_INSTANT = "9999-12-31T23:59:59.999999Z"


def test_by_day_at_the_end_of_time_is_one_error_line(monkeypatch: pytest.MonkeyPatch) -> None:
    record = TokenUsageRecord(created_at=datetime(2026, 1, 1)).to_json()
    record["created_at"] = END_OF_TIME  # a valid RFC 3339 time whose UTC instant is past year 9999

    def handle(request: RawRequest, connection: socket.socket) -> None:
        connection.sendall(answer(request, record))

    with RawServer(handle) as server:
        monkeypatch.setenv("GALILEO_API_KEY", KEY)
        monkeypatch.setenv("GALILEO_API_URL", server.url)
        result = run_cli(["token-usage", PROJECT_ID, LOG_STREAM_ID, "--by", "day", "--until", LAST_INSTANT])
    assert result.exit_code != 0
    assert one_line_error(result)


@pytest.mark.parametrize("period", ["day", "hour"])
def test_the_last_representable_day_is_a_row(monkeypatch: pytest.MonkeyPatch, period: str) -> None:
    record = TokenUsageRecord(created_at=datetime(2026, 1, 1)).to_json()
    record["created_at"] = "9999-12-31T23:30:00Z"

    def handle(request: RawRequest, connection: socket.socket) -> None:
        connection.sendall(answer(request, record))

    with RawServer(handle) as server:
        monkeypatch.setenv("GALILEO_API_KEY", KEY)
        monkeypatch.setenv("GALILEO_API_URL", server.url)
        result = run_cli(
            ["token-usage", PROJECT_ID, LOG_STREAM_ID, "--by", period, "--format", "csv", "--until", LAST_INSTANT]
        )
    assert result.exit_code == 0, result.stderr
    assert "9999-12-31" in result.stdout
