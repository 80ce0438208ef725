"""``make report-demo``: the usage report of a fake organisation, written as HTML and PNG into a directory.

Starts the fake Galileo over real HTTP on a free loopback port with 3 projects of 4 log streams (90 days of
records each), runs ``galileo-insights report --all`` with prices against it the way a user would, and stops
the server whatever happens. Open DIR/usage.html in a browser: it needs no network.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

BIN = Path(sys.executable).parent
CLI = str(BIN / "galileo-insights")
ORGANISATION = ("--projects", "3", "--log-streams", "4", "--days", "90", "--records", "2000", "--seed", "7")
PRICES = "input=3,output=15,cache-read=0.30,cache-creation=3.75"


def main(directory: Path) -> int:
    directory.mkdir(parents=True, exist_ok=True)
    server = subprocess.Popen([CLI, "fake-server", "--port", "0", *ORGANISATION], stdout=subprocess.PIPE, text=True)
    try:
        if server.stdout is None:
            raise RuntimeError("fake server stdout is not captured")
        url, api_key = (server.stdout.readline().strip() for _ in range(2))
        if not url.startswith("http://127.0.0.1:"):
            print(f"fake server did not start (exit {server.poll()}): {url!r}", file=sys.stderr)
            return 1
        env = {**os.environ, "GALILEO_API_URL": url, "GALILEO_API_KEY": api_key.split(": ", 1)[1]}
        args = ["report", "--all", "--by", "day", "--tz", "Europe/Paris", "--price", PRICES]
        args += ["--html", str(directory / "usage.html"), "--png", str(directory / "usage.png")]
        print(f"$ galileo-insights {' '.join(args)}", flush=True)
        started = time.perf_counter()
        subprocess.run([CLI, *args], env=env, check=True)
        print(f"({time.perf_counter() - started:.2f} s) open {directory / 'usage.html'} in a browser", flush=True)
    except subprocess.CalledProcessError as exc:
        print(f"report demo failed: galileo-insights exited {exc.returncode}", file=sys.stderr)
        return 1
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1] if len(sys.argv) > 1 else "demo-report")))
