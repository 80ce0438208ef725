"""What the command line prints and leaves behind when the server, the disk or the operator is hostile:
server text without control sequences, flag errors instead of tracebacks, SIGTERM handled as Ctrl-C, a full
disk as one line with no temporary file left."""

from __future__ import annotations

import os
import resource
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.cli.harness import run_cli
from tests.hostile.paging_servers import LOG_STREAM_ID, PROJECT_ID, ChangingData, serving, spread
from tests.hostile.servers import RawRequest, RawServer, json_response

KEY = "cli-clean-failures-key"  # a test credential
HOSTILE_DETAIL = "bad\x1b[2J\x1b]0;owned\x07 request\u202e"


def test_server_text_with_control_sequences_is_escaped(monkeypatch: pytest.MonkeyPatch) -> None:
    def handle(request: RawRequest, connection: socket.socket) -> None:
        connection.sendall(json_response(400, {"detail": HOSTILE_DETAIL}))

    with RawServer(handle) as server:
        monkeypatch.setenv("GALILEO_API_KEY", KEY)
        monkeypatch.setenv("GALILEO_API_URL", server.url)
        result = run_cli(["token-usage", PROJECT_ID, LOG_STREAM_ID, "--max-retries", "0", "--verbose"])
    assert result.exit_code == 4
    for raw in ("\x1b", "\x07", "\u202e"):
        assert raw not in result.stderr
    assert "\\x1b[2J" in result.stderr.splitlines()[-1]


@pytest.mark.parametrize(
    ("flags", "named"),
    [
        (["--last", "99999999d"], "--last"),
        (["--since", "99999999999d"], "--since"),
        (["--timeout", "1e308"], "--timeout"),
    ],
)
def test_absurd_flag_values_are_flag_errors(flags: list[str], named: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GALILEO_API_KEY", KEY)
    monkeypatch.setenv("GALILEO_API_URL", "http://127.0.0.1:9")
    result = run_cli(["token-usage", PROJECT_ID, LOG_STREAM_ID, *flags])
    assert result.exit_code == 2, result.stderr
    assert named in result.stderr
    assert "Traceback" not in result.stderr


def cli_process(url: str, *args: str, preexec: Callable[[], object] | None = None) -> subprocess.Popen[bytes]:
    env = {**os.environ, "GALILEO_API_KEY": KEY, "GALILEO_API_URL": url}
    return subprocess.Popen(
        [sys.executable, "-m", "galileo_insights.cli", "token-usage", PROJECT_ID, LOG_STREAM_ID, *args],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        preexec_fn=preexec,  # noqa: PLW1509 - sets a limit only, before the exec
    )


def written_part_way(directory: Path) -> bool:
    return any(path.stat().st_size > 0 for path in directory.glob(".usage.jsonl.*.tmp"))


def test_sigterm_during_output_keeps_the_partial_file_like_ctrl_c(tmp_path: Path) -> None:
    data = ChangingData(spread(3000), between_pages=lambda d: time.sleep(0.05))
    target = tmp_path / "usage.jsonl"
    with serving(data) as server:
        process = cli_process(server.url, "-f", "jsonl", "-o", str(target), "--page-size", "50", "--ascending")
        deadline = time.monotonic() + 30
        while not written_part_way(tmp_path) and process.poll() is None and time.monotonic() < deadline:
            time.sleep(0.02)
        process.send_signal(signal.SIGTERM)
        _, stderr = process.communicate(timeout=30)
    assert process.returncode == 130, stderr
    assert b"interrupted: stopped after" in stderr
    assert (tmp_path / "usage.jsonl.partial").exists()
    assert sorted(path.name for path in tmp_path.iterdir()) == ["usage.jsonl.partial"]  # no hidden temporary file


def small_file_limit() -> None:
    """A disk that fills after 20 kB: writes past it fail (EFBIG) instead of killing the process."""
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (20_000, 20_000))


def test_a_full_disk_under_output_is_one_line_and_leaves_no_temporary_file(tmp_path: Path) -> None:
    data = ChangingData(spread(3000))
    target = tmp_path / "usage.jsonl"
    with serving(data) as server:
        process = cli_process(server.url, "-f", "jsonl", "-o", str(target), preexec=small_file_limit)
        _, stderr = process.communicate(timeout=60)
    assert process.returncode == 1, stderr
    assert stderr.decode().startswith("error: cannot write the output: ")
    assert b"Traceback" not in stderr
    assert list(tmp_path.iterdir()) == []
