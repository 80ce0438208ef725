"""The package logs as libraries should: silent unless asked (a ``NullHandler``), retries at INFO, requests at
DEBUG; ``GALILEO_LOG`` and Galileo's ``GALILEO_LOG_LEVEL`` turn the lines on, ``GALILEO_LOG`` winning."""

from __future__ import annotations

import logging
import os
import subprocess
import sys

import httpx
import pytest

from galileo_insights import ConfigurationError, GalileoInsights, _logging
from galileo_insights.testing import FakeGalileo, ServerError

LOGGER = logging.getLogger("galileo_insights")


def test_the_package_logger_has_a_null_handler() -> None:
    assert any(isinstance(handler, logging.NullHandler) for handler in LOGGER.handlers)


RETRYING_SCRIPT = """
import galileo_insights._retry as retry
from galileo_insights import GalileoInsights
from galileo_insights.testing import FakeGalileo, ServerError

retry.sleep = lambda seconds: None
fake = FakeGalileo(records=3)
fake.faults.script(ServerError(503))
with GalileoInsights(api_key=fake.api_key, base_url="http://galileo.test", transport=fake.transport()) as client:
    print(len(list(client.token_usage.list(fake.project_id, fake.log_stream_id))))
"""


def run_script(**environment: str) -> subprocess.CompletedProcess[str]:
    clean = {name: value for name, value in os.environ.items() if not name.startswith("GALILEO_")}
    return subprocess.run(
        [sys.executable, "-c", RETRYING_SCRIPT],
        env={**clean, **environment},
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )


def test_an_app_without_logging_configured_sees_no_retry_line() -> None:
    result = run_script()

    assert result.stdout.strip() == "3"
    assert result.stderr == ""  # Python's last-resort handler would print a WARNING here


@pytest.fixture
def captured(caplog: pytest.LogCaptureFixture) -> pytest.LogCaptureFixture:
    caplog.set_level(logging.DEBUG, logger="galileo_insights")
    return caplog


def test_retries_log_at_info_and_requests_at_debug(
    captured: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("galileo_insights._retry.sleep", lambda seconds: None)
    fake = FakeGalileo(records=3)
    fake.faults.script(ServerError(503))
    with GalileoInsights(api_key=fake.api_key, base_url="http://galileo.test", transport=fake.transport()) as client:
        list(client.token_usage.list(fake.project_id, fake.log_stream_id))

    levels = {record.getMessage().split(" ")[0]: record.levelno for record in captured.records}
    assert levels["retrying"] == logging.INFO
    assert levels["POST"] == logging.DEBUG


@pytest.mark.parametrize(
    ("environment", "line"),
    [
        ({"GALILEO_LOG_LEVEL": "debug"}, "-> 200 in"),
        ({"GALILEO_LOG_LEVEL": "INFO"}, "retrying after HTTP 503"),
        ({"GALILEO_LOG": "info", "GALILEO_LOG_LEVEL": "DEBUG"}, "retrying after HTTP 503"),
    ],
    ids=["galileo-debug", "galileo-info", "galileo-log-wins"],
)
def test_the_environment_turns_the_lines_on(environment: dict[str, str], line: str) -> None:
    stderr = run_script(**environment).stderr

    assert line in stderr
    if environment.get("GALILEO_LOG") == "info":
        assert "-> 200 in" not in stderr  # GALILEO_LOG=info beats GALILEO_LOG_LEVEL=DEBUG


def test_a_bad_galileo_log_level_names_the_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_logging, "_configured", False)
    monkeypatch.delenv("GALILEO_LOG", raising=False)
    monkeypatch.setenv("GALILEO_LOG_LEVEL", "loud")

    with pytest.raises(ConfigurationError) as caught:
        GalileoInsights(
            api_key="k",
            base_url="http://galileo.test",
            transport=httpx.MockTransport(lambda request: httpx.Response(200)),
        )
    assert caught.value.argument == "GALILEO_LOG_LEVEL"
