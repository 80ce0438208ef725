"""The documentation site in a real browser: pages load without console errors or outside requests, and search
finds the API reference."""

from __future__ import annotations

import functools
import http.server
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.browser.chromium import inspect_page, require_browser

pytestmark = pytest.mark.slow  # a browser per test (and a site build): `make test-fast` leaves them out

ROOT = Path(__file__).resolve().parents[2]
PAGES = ("", "quickstart/", "report/", "reference/galileo_insights/", "reference/cli/", "reference/models/")
SEARCH_RESULTS = '[...document.querySelectorAll(".md-search-result__item a")].map((link) => link.getAttribute("href"))'


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The site built as ``make docs`` builds it, served on a loopback port; yields its URL."""
    require_browser()
    directory = tmp_path_factory.mktemp("site")
    build = [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "--site-dir", str(directory)]
    subprocess.run(build, cwd=ROOT, check=True, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"}, timeout=300)
    handler = functools.partial(_QuietHandler, directory=str(directory))
    with http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler) as server:
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        yield f"http://127.0.0.1:{server.server_address[1]}/"
        server.shutdown()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.mark.parametrize("page", PAGES)
def test_a_page_loads_without_errors_or_outside_requests(site: str, page: str) -> None:
    seen = inspect_page(site + page, probe="document.querySelector('article h1').textContent")
    assert seen["consoleErrors"] == []
    assert seen["pageErrors"] == []
    assert seen["externalRequests"] == []
    assert seen["failedRequests"] == []
    assert seen["probe"].strip()


def test_search_finds_usage_by_in_the_reference(site: str) -> None:
    seen = inspect_page(
        site,
        fill={"selector": "input.md-search__input", "text": "usage_by"},
        waitFor=".md-search-result__item",
        probe=SEARCH_RESULTS,
    )
    assert seen["consoleErrors"] == []
    assert any("reference/galileo_insights/" in href and "usage_by" in href for href in seen["probe"]), seen["probe"]
