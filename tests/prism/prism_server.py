"""Stoplight Prism, run from ``tests/prism/node_modules``, as a mock Galileo on 127.0.0.1.

Prism implements the spec independently of everything in this repo: it validates requests against the
schemas (422 with the spec's example body, the reasons in an ``sl-violations`` header; 401 when no
security requirement is met) and answers valid ones with a response built from the schemas.
"""

from __future__ import annotations

import socket
import subprocess
import time
from pathlib import Path
from typing import Any, Self

import httpx

from spec_pipeline.jsonfile import dumps

PRISM_DIR = Path(__file__).resolve().parent
PRISM_BIN = PRISM_DIR / "node_modules" / ".bin" / "prism"
SETUP_HINT = "Prism is not installed: run `cd tests/prism && npm ci --no-audit --no-fund` (make prism-setup)"
STARTUP_TIMEOUT = 30.0
STOP_TIMEOUT = 10.0


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


class PrismServer:
    """``prism mock --errors`` serving ``document`` from ``workdir``; a context manager that starts and stops it.

    Answers are Prism's static example built from the schemas; a request that sends ``Prefer:
    dynamic=true`` gets a fresh random schema-valid answer instead (json-schema-faker). ``--dynamic
    --seed`` is no substitute: Prism 5 reseeds per request, so every answer is the same random one.
    Starting takes seconds (loading node and Prism), so ``launch`` and ``wait_until_answering`` are
    separate: start several servers at once, then wait for each.
    """

    def __init__(self, document: Any, workdir: Path) -> None:
        self._spec_path = workdir / "openapi.json"
        self._log_path = workdir / "prism.log"
        self._spec_path.write_text(dumps(document), encoding="utf-8")
        self._process: subprocess.Popen[bytes] | None = None
        self.base_url = ""

    def command(self, port: int) -> list[str]:
        return [str(PRISM_BIN), "mock", str(self._spec_path), "-h", "127.0.0.1", "-p", str(port), "--errors"]

    def log(self) -> str:
        return self._log_path.read_text(encoding="utf-8", errors="replace") if self._log_path.exists() else ""

    def start(self) -> None:
        self.launch()
        self.wait_until_answering()

    def launch(self) -> None:
        port = _free_port()
        with self._log_path.open("wb") as log:
            self._process = subprocess.Popen(
                self.command(port), cwd=PRISM_DIR, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT
            )
        self.base_url = f"http://127.0.0.1:{port}"

    def wait_until_answering(self) -> None:
        if self._process is None:
            raise RuntimeError("launch() the server first")
        deadline = time.monotonic() + STARTUP_TIMEOUT
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                raise RuntimeError(f"prism exited with {self._process.returncode} while starting:\n{self.log()}")
            try:
                httpx.get(self.base_url + "/", timeout=1.0)  # any HTTP answer (Prism says 404) means it is up
            except httpx.TransportError:
                time.sleep(0.1)
                continue
            return
        self.stop()
        raise RuntimeError(f"prism did not answer within {STARTUP_TIMEOUT:.0f}s:\n{self.log()}")

    def stop(self) -> None:
        process, self._process = self._process, None
        if process is None or process.poll() is not None:
            return
        process.terminate()
        try:
            process.wait(timeout=STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()

    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()
