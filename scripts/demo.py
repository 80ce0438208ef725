"""``make demo``: the main job end to end, offline.

Starts the fake Galileo over real HTTP on a free loopback port with a seeded organisation (3 projects of 2 log
streams, records in the last 30 days), runs the CLI against it the way a user would (the org-wide question with
cost first, then what the credentials see, then one log stream's records and totals), and stops the server
whatever happens.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

BIN = Path(sys.executable).parent
CLI = str(BIN / "galileo-insights")
RECORDS = "800"  # per log stream
SEED = "7"
PROJECTS, LOG_STREAMS = "3", "2"
PRICE = "input=3,output=15,cache-read=0.30,cache-creation=3.75"
STARTUP_TIMEOUT_SECONDS = 30.0


def start_fake() -> tuple[subprocess.Popen[str], dict[str, str]]:
    organisation = ["--projects", PROJECTS, "--log-streams", LOG_STREAMS, "--days", "30"]
    server = subprocess.Popen(
        [CLI, "fake-server", "--port", "0", "--records", RECORDS, "--seed", SEED, *organisation],
        stdout=subprocess.PIPE,
        text=True,
    )
    if server.stdout is None:
        raise RuntimeError("fake server stdout is not captured")
    lines = [server.stdout.readline().strip() for _ in range(4)]
    if not lines[0].startswith("http://127.0.0.1:"):
        raise RuntimeError(f"fake server did not start (exit {server.poll()}): {lines!r}")
    facts = dict(line.split(": ", 1) for line in lines[1:])
    return server, {"url": lines[0], **facts}


def run(title: str, *args: str, env: dict[str, str]) -> None:
    print(f"\n$ galileo-insights {' '.join(args)}    # {title}", flush=True)
    started = time.perf_counter()
    subprocess.run([CLI, *args], env=env, check=True)
    print(f"({time.perf_counter() - started:.2f} s)", flush=True)


def main() -> int:
    server, facts = start_fake()
    try:
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
    except subprocess.CalledProcessError as exc:
        print(f"demo failed: {' '.join(exc.cmd)} exited {exc.returncode}", file=sys.stderr)
        return 1
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
    return 0


if __name__ == "__main__":
    sys.exit(main())
