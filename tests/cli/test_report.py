"""``galileo-insights report``: the usage report of a selection written as HTML, PNG and SVG, against the fake."""

from __future__ import annotations

import io
import json
import re
import sys
from pathlib import Path

import pytest
from PIL import Image

from galileo_insights.testing import FakeGalileo
from tests.cli.harness import Invoke, stored_records


def charts_of(page: str) -> dict[str, dict[str, object]]:
    found = re.search(r'<script type="application/json" id="report-charts">(.*?)</script>', page, re.S)
    assert found is not None
    charts: dict[str, dict[str, object]] = json.loads(found.group(1))["specs"]
    return charts


def test_report_writes_the_page_and_pictures_of_the_named_log_stream(
    cli: Invoke, fake: FakeGalileo, tmp_path: Path
) -> None:
    html, png, svg = tmp_path / "usage.html", tmp_path / "usage.png", tmp_path / "usage.svg"
    result = cli(
        "report", "--project", "fake-project", "--log-stream", "fake-log-stream", "--by", "week",
        "--html", str(html), "--png", str(png), "--svg", str(svg),
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    written = [line.split(" (")[0] for line in result.stdout.splitlines()]
    assert written == [f"wrote {path}" for path in (html, png, svg)]
    page = html.read_text(encoding="utf-8")
    assert f"{len(stored_records(fake)):,} records." in page
    assert "fake-project / fake-log-stream" in page
    assert "<dt>asked for</dt><dd>projects fake-project; log streams fake-log-stream</dd>" in page
    assert set(charts_of(page)) == {"tokens"}  # no prices, no cost chart
    assert Image.open(io.BytesIO(png.read_bytes())).size[0] > 1000
    assert svg.read_text(encoding="utf-8").startswith("<svg")


def test_report_with_prices_charts_the_cost_and_says_which_prices(cli: Invoke, tmp_path: Path) -> None:
    html = tmp_path / "usage.html"
    result = cli(
        "report", "--project", "fake-project", "--log-stream", "fake-log-stream",
        "--price", "input=3,output=15,cache-read=0.3,cache-creation=3.75", "--html", str(html),
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    page = html.read_text(encoding="utf-8")
    assert set(charts_of(page)) == {"tokens", "cost"}
    assert "none given" not in page.split("<h2>Prices</h2>")[1]


def test_report_without_an_output_is_a_usage_error(cli: Invoke) -> None:
    result = cli("report", "--project", "fake-project", "--log-stream", "fake-log-stream")
    assert result.exit_code == 2
    assert "give at least one of --html FILE, --png FILE, --svg FILE" in result.stderr


def test_report_without_the_extra_says_how_to_install_it_before_reading(
    cli: Invoke, fake: FakeGalileo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "vl_convert", None)  # importing it now fails as if it were not installed
    target = ("--project", "fake-project", "--log-stream", "fake-log-stream")
    result = cli("report", *target, "--html", str(tmp_path / "x"))
    assert result.exit_code == 2
    assert "pip install 'galileo-insights[report]'" in result.stderr
    assert fake.requests == []


def test_report_over_every_log_stream_stacks_them_by_project(cli: Invoke, tmp_path: Path) -> None:
    html = tmp_path / "usage.html"
    result = cli("report", "--all", "--group-by", "project", "--tz", "Europe/Paris", "--html", str(html))
    assert result.exit_code == 0, result.stderr
    page = html.read_text(encoding="utf-8")
    assert "<dt>asked for</dt><dd>every log stream of every project</dd>" in page
    assert "<dt>periods</dt><dd>days of Europe/Paris</dd>" in page
    chart = charts_of(page)["tokens"]
    assert chart["title"] == "Total tokens per day, by project"
