"""The installed entry points: the console script's help, and ``fake-server`` serving a real CLI run."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.cli.harness import run_cli

SCRIPT = Path(sys.executable).with_name("galileo-insights")


def command() -> list[str]:
    return [str(SCRIPT)] if SCRIPT.exists() else [sys.executable, "-m", "galileo_insights.cli"]


def test_console_script_help_documents_examples_and_exit_codes() -> None:
    env = {**os.environ, "COLUMNS": "120"}
    result = subprocess.run(
        [*command(), "token-usage", "--help"], capture_output=True, text=True, timeout=30, env=env, check=False
    )

    assert result.returncode == 0, result.stderr
    for text in ("--since", "inclusive", "--until", "exclusive", "Examples", "Exit codes", "--api-key"):
        assert text in result.stdout
    assert "[default: None]" not in result.stdout


@pytest.fixture
def fake_server() -> Iterator[dict[str, str]]:
    process = subprocess.Popen(
        [*command(), "fake-server", "--port", "0", "--records", "120", "--seed", "4"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        url = process.stdout.readline().strip()
        details = dict(process.stdout.readline().strip().split(": ", 1) for _ in range(3))
        yield {"url": url, **details}
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_fake_server_serves_the_cli_over_http(fake_server: dict[str, str]) -> None:
    assert fake_server["url"].startswith("http://127.0.0.1:")
    args = ["token-usage", fake_server["project-id"], fake_server["log-stream-id"], "-f", "jsonl"]

    result = run_cli([*args, "--api-key", fake_server["api-key"], "--base-url", fake_server["url"]])

    assert result.exit_code == 0, result.stderr
    assert len([json.loads(line) for line in result.stdout.splitlines()]) == 120
