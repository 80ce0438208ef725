"""The HTML report in a real browser: it draws its charts offline, with no console error and no request out."""

from __future__ import annotations

from pathlib import Path

import pytest

from galileo_insights.report import ReportDocument
from tests.browser.chromium import inspect_page, require_browser
from tests.report.rows import org_rows

pytestmark = pytest.mark.slow  # a browser per test (and a site build): `make test-fast` leaves them out

# What the page drew: per chart, its legend's labels and how many bar segments it has.
DRAWN = """
Object.fromEntries([...document.querySelectorAll(".chart")].map((chart) => [chart.id, {
  svg: chart.querySelectorAll("svg").length,
  legend: [...chart.querySelectorAll(".role-legend-label text")].map((label) => label.textContent),
  bars: chart.querySelectorAll(".mark-rect path").length,
}]))
"""


def test_the_report_draws_every_series_offline(tmp_path: Path) -> None:
    require_browser()
    report = ReportDocument.from_rows(org_rows(projects=2, log_streams=3, days=5), top=3)
    path = report.write_html(tmp_path / "usage.html")

    seen = inspect_page(path.as_uri(), probe=DRAWN)

    assert seen["consoleErrors"] == []
    assert seen["consoleWarnings"] == []  # vega-embed warns, for one, when the spec's version is not the bundled one
    assert seen["pageErrors"] == []
    assert seen["externalRequests"] == []
    assert seen["failedRequests"] == []
    series = ["project-1 / stream-2", "project-1 / stream-1", "project-0 / stream-2", "3 others"]
    for chart in ("chart-tokens", "chart-cost"):
        assert seen["probe"][chart]["svg"] == 1
        assert seen["probe"][chart]["legend"] == series
        assert seen["probe"][chart]["bars"] == 5 * len(series)  # a segment per (day, series)
