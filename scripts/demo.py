"""``make demo``: the main job end to end, offline.

Starts the fake Galileo over real HTTP on a free loopback port with seeded data, runs the CLI against it
the way a user would (recent records, totals, usage per day), and stops the server whatever happens.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

BIN = Path(sys.executable).parent
CLI = str(BIN / "galileo-insights")
RECORDS = "5000"
SEED = "7"
STARTUP_TIMEOUT_SECONDS = 30.0


def start_fake() -> tuple[subprocess.Popen[str], dict[str, str]]:
    server = subprocess.Popen(
        [CLI, "fake-server", "--port", "0", "--records", RECORDS, "--seed", SEED],
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
        print(f"fake Galileo with {RECORDS} seeded records at {facts['url']}")
        env = {**os.environ, "GALILEO_API_URL": facts["url"], "GALILEO_API_KEY": facts["api-key"]}
        ids = (facts["project-id"], facts["log-stream-id"])
        run("the 10 most recent records", "token-usage", *ids, "--max-items", "10", env=env)
        run("totals over everything", "token-usage", *ids, "--totals", env=env)
        run("usage per day, with bars", "token-usage", *ids, "--by", "day", env=env)
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
