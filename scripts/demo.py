"""``make demo``: the main job end to end, offline.

Starts the fake Galileo over real HTTP on a free loopback port with a seeded organisation (3 projects of 2 log
streams, records in the last 30 days), runs the CLI against it the way a user would (the org-wide question with
cost first, then what the credentials see, then one log stream's records and totals), and stops the server
whatever happens: a fake
that prints nothing, prints something else, or dies is an error within ``STARTUP_TIMEOUT_SECONDS``, and a CLI
run that hangs is stopped after ``RUN_TIMEOUT_SECONDS``; the server is stopped on every path out.
"""

from __future__ import annotations

import os
import queue
import subprocess
import sys
import threading
import time
from collections.abc import Sequence
from pathlib import Path

BIN = Path(sys.executable).parent
CLI = str(BIN / "galileo-insights")
RECORDS = "800"  # per log stream
SEED = "7"
PROJECTS, LOG_STREAMS = "3", "2"
PRICE = "input=3,output=15,cache-read=0.30,cache-creation=3.75"
STARTUP_TIMEOUT_SECONDS = 30.0
RUN_TIMEOUT_SECONDS = 120.0
STOP_TIMEOUT_SECONDS = 10.0
ORGANISATION = ("--projects", PROJECTS, "--log-streams", LOG_STREAMS, "--days", "30")
FAKE_COMMAND = (CLI, "fake-server", "--port", "0", "--records", RECORDS, "--seed", SEED, *ORGANISATION)


class DemoError(RuntimeError):
    """The demo cannot go on; the message says why."""


def read_lines(process: subprocess.Popen[str], count: int, timeout: float) -> list[str]:
    """The first ``count`` lines ``process`` prints, or ``DemoError`` once ``timeout`` seconds pass without them.

    A daemon thread reads (a blocked ``readline`` cannot be given a timeout); the caller waits on its queue.
    """
    stdout = process.stdout
    assert stdout is not None  # started with stdout=PIPE
    lines: queue.Queue[str] = queue.Queue()

    def reader() -> None:
        for _ in range(count):
            lines.put(stdout.readline())

    threading.Thread(target=reader, daemon=True).start()
    deadline = time.monotonic() + timeout
    read: list[str] = []
    while len(read) < count:
        try:
            line = lines.get(timeout=max(0.0, deadline - time.monotonic()))
        except queue.Empty:
            raise DemoError(f"the fake server printed {len(read)} of {count} lines within {timeout:.0f} s") from None
        if not line:
            raise DemoError(f"the fake server exited ({process.poll()}) after printing {read!r}")
        read.append(line.strip())
    return read


def start_fake(process: subprocess.Popen[str], timeout: float = STARTUP_TIMEOUT_SECONDS) -> dict[str, str]:
    """The URL, key and ids the started fake prints."""
    lines = read_lines(process, 4, timeout)
    if not lines[0].startswith("http://127.0.0.1:"):
        raise DemoError(f"the fake server did not start: {lines!r}")
    facts = dict(line.split(": ", 1) for line in lines[1:])
    return {"url": lines[0], **facts}


def stop(process: subprocess.Popen[str]) -> None:
    """Terminate ``process``, kill it if it does not end within ``STOP_TIMEOUT_SECONDS``, and reap it."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=STOP_TIMEOUT_SECONDS)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    if process.stdout is not None:
        process.stdout.close()


def run(title: str, *args: str, env: dict[str, str]) -> None:
    print(f"\n$ galileo-insights {' '.join(args)}    # {title}", flush=True)
    started = time.perf_counter()
    subprocess.run([CLI, *args], env=env, check=True, timeout=RUN_TIMEOUT_SECONDS)
    print(f"({time.perf_counter() - started:.2f} s)", flush=True)


def main(fake_command: Sequence[str] = FAKE_COMMAND, startup_timeout: float = STARTUP_TIMEOUT_SECONDS) -> int:
    server = subprocess.Popen(list(fake_command), stdout=subprocess.PIPE, text=True)
    try:
        facts = start_fake(server, startup_timeout)
        print(
            f"fake Galileo: {PROJECTS} projects x {LOG_STREAMS} log streams, {RECORDS} records each over the last "
            f"30 days, at {facts['url']}"
        )
        env = {**os.environ, "GALILEO_API_URL": facts["url"], "GALILEO_API_KEY": facts["api-key"]}
        ids = (facts["project-id"], facts["log-stream-id"])
        run(
            "what did Logstream Insights cost us, per log stream and week?",
            *("token-usage", "--all", "--by", "week", "--last", "30d", "--tz", "Europe/Paris", "--price", PRICE),
            env=env,
        )
        run("the same per project and day, as CSV", "token-usage", "--all", "--by", "day", "--last", "3d",
            "--group-by", "project", "--price", PRICE, "-f", "csv", env=env)  # fmt: skip
        run("what these credentials see, and whether insights are on", "log-streams", env=env)
        run("the 5 most recent records of one log stream", "token-usage", *ids, "--max-items", "5", env=env)
        run("its totals", "token-usage", *ids, "--totals", env=env)
    except DemoError as exc:
        print(f"demo failed: {exc}", file=sys.stderr)
        return 1
    except subprocess.CalledProcessError as exc:
        print(f"demo failed: {' '.join(exc.cmd)} exited {exc.returncode}", file=sys.stderr)
        return 1
    except subprocess.TimeoutExpired as exc:
        print(f"demo failed: {' '.join(map(str, exc.cmd))} ran longer than {exc.timeout:.0f} s", file=sys.stderr)
        return 1
    finally:
        stop(server)
    return 0


if __name__ == "__main__":
    sys.exit(main())
