"""The tests' window on a real browser: headless Chromium (Debian's package) driven by playwright-core.

``inspect_page`` opens one page and returns what the browser saw (see ``inspect_page.mjs``). Where Chromium,
node or the pinned playwright-core is absent the calling test is skipped, saying which and how to get it
(``make browser-setup``).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

HERE = Path(__file__).parent
INSPECT_TIMEOUT_SECONDS = 180
_SETUP = "run `make browser-setup` (apt-get install chromium; npm ci in tests/browser)"


def chromium_path() -> str | None:
    """CHROMIUM if set, else ``chromium`` on the PATH; None when that file does not exist."""
    candidate = os.environ.get("CHROMIUM") or shutil.which("chromium")
    return candidate if candidate and Path(candidate).is_file() else None


def require_browser() -> None:
    """Skip the calling test, with the reason, unless the browser and its driver are installed."""
    if chromium_path() is None:
        pytest.skip(f"headless Chromium is not installed: {_SETUP}")
    if shutil.which("node") is None:
        pytest.skip(f"node is not installed (it runs playwright-core): {_SETUP}")
    if not (HERE / "node_modules" / "playwright-core").is_dir():
        pytest.skip(f"playwright-core is not installed in tests/browser: {_SETUP}")


def inspect_page(url: str, **task: Any) -> dict[str, Any]:
    """Open ``url`` in headless Chromium; ``task`` may add ``probe``, ``fill``, ``waitFor``, ``screenshot``."""
    require_browser()
    env = {**os.environ, "CHROMIUM": chromium_path() or ""}
    completed = subprocess.run(
        ["node", str(HERE / "inspect_page.mjs"), json.dumps({"url": url, **task})],
        capture_output=True,
        text=True,
        timeout=INSPECT_TIMEOUT_SECONDS,
        env=env,
        check=False,
    )
    assert completed.returncode == 0, f"inspect_page.mjs failed:\n{completed.stderr}"
    seen: dict[str, Any] = json.loads(completed.stdout)
    return seen
