"""``galileo_insights.cli.main``: the console script's entry point returns the exit code instead of exiting."""

from __future__ import annotations

import pytest

from galileo_insights import __version__
from galileo_insights.cli import main


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--version"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == f"galileo-insights {__version__}"
    assert lines[1].startswith("spec: Galileo API Server 1.961.4 (sha256 ")
    assert lines[2].startswith("generator: openapi-python-client 0.29.1, templates sha256 ")
    assert lines[3] == "operations: 5 selected"


def test_an_expected_failure_returns_its_code(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["token-usage", "not-a-uuid", "also-not", "--api-key", "k", "--base-url", "http://127.0.0.1:9"])

    assert code == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith("error: PROJECT_ID: must be a UUID")


def test_unknown_option_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["token-usage", "--no-such-option"]) == 2
    assert "--no-such-option" in capsys.readouterr().err
