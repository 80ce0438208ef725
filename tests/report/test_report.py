"""The usage report's figures, its page and its pictures, from rows in every form a usage call hands them over."""

from __future__ import annotations

import datetime
import io
import json
import re
from typing import Any

import attrs
import pytest
from PIL import Image

from galileo_insights import InvalidRequestError
from galileo_insights.report import REPORT_COLUMNS, ReportDocument, usage_chart
from tests.report.rows import PARIS, org_rows


def page_charts(report: ReportDocument) -> dict[str, Any]:
    """What the page hands to the browser: ``values`` (one copy of the data) and the charts' ``specs``."""
    script = re.search(r'<script type="application/json" id="report-charts">(.*?)</script>', report.html(), re.S)
    assert script is not None
    charts: dict[str, Any] = json.loads(script.group(1))
    return charts


def chart_values(report: ReportDocument) -> list[dict[str, Any]]:
    """The page's data, each value with its series' name."""
    return [{**value, "series": report.summary.series[value["s"]]} for value in page_charts(report)["values"]]


def test_totals_count_and_missing_are_the_rows_sums() -> None:
    rows = org_rows()
    summary = ReportDocument.from_rows(rows).summary
    fields = {field.name: field for field in summary.fields}
    assert summary.records == 4 * len(rows)
    assert fields["input_tokens"].total == sum(row["input_tokens"] for row in rows)
    assert (fields["input_tokens"].counted, fields["input_tokens"].missing) == (3 * len(rows), len(rows))
    assert fields["cache_read_input_tokens"].counted == 0
    assert summary.total_tokens == sum(row["total_tokens"] for row in rows)
    assert summary.cost_usd == pytest.approx(sum(row["cost_usd"] for row in rows))


def test_log_streams_are_ranked_by_tokens_and_named_with_their_project() -> None:
    ranked = ReportDocument.from_rows(org_rows()).summary.ranked
    assert [series.label for series in ranked[:2]] == ["project-1 / stream-2", "project-1 / stream-1"]
    assert ranked[0].total_tokens == 5 * (6000 + 100)
    assert [series.total_tokens for series in ranked] == sorted((s.total_tokens for s in ranked), reverse=True)


def test_beyond_top_the_smaller_log_streams_are_one_series_and_no_token_is_lost() -> None:
    rows = org_rows(projects=2, log_streams=3)
    report = ReportDocument.from_rows(rows, top=2)
    assert report.summary.series == ("project-1 / stream-2", "project-1 / stream-1", "4 others")
    values = chart_values(report)
    assert {value["series"] for value in values} == set(report.summary.series)
    assert sum(value["tokens"] for value in values) == sum(row["total_tokens"] for row in rows)
    per_day = {value["start"] for value in values}
    assert len(values) == 3 * len(per_day)  # one point per (period, series): aggregated, not one per row


def test_one_series_left_over_keeps_its_name() -> None:
    report = ReportDocument.from_rows(org_rows(projects=1, log_streams=3), top=2)
    assert "others" not in " ".join(report.summary.series)
    assert len(report.summary.series) == 3


def test_rows_grouped_by_project_or_not_at_all_are_charted_at_that_level() -> None:
    by_project = [{**row, "log_stream": None, "log_stream_id": None} for row in org_rows(log_streams=1)]
    assert ReportDocument.from_rows(by_project).summary.series == ("project-1", "project-0")
    overall = [{**row, "project": None, "project_id": None} for row in by_project[:5]]
    summary = ReportDocument.from_rows(overall).summary
    assert (summary.level, summary.series) == ("everything", ("all",))


def test_arrow_pandas_and_to_arrow_sources_give_the_same_report() -> None:
    pyarrow = pytest.importorskip("pyarrow")
    pandas = pytest.importorskip("pandas")
    rows = org_rows()
    table = pyarrow.Table.from_pylist(rows)

    class Result:
        def to_arrow(self) -> Any:
            return table

    expected = ReportDocument.from_rows(rows).summary
    for source in (table, pandas.DataFrame(rows), Result()):
        assert ReportDocument.from_rows(source).summary == expected


def test_a_pandas_gap_in_a_count_column_is_a_missing_count_not_an_error() -> None:
    pandas = pytest.importorskip("pandas")
    rows = org_rows(projects=1, log_streams=1, days=2)
    rows[0]["output_tokens"] = None
    summary = ReportDocument.from_rows(pandas.DataFrame(rows)).summary
    assert {field.name: field.total for field in summary.fields}["output_tokens"] == 100


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"period_start": None}, "row 1: period_start must be an aware datetime"),
        ({"period_start": datetime.datetime(2025, 1, 1)}, "row 1: period_start must be an aware datetime"),
        ({"records": -1}, "row 1: records must be a count"),
        ({"input_tokens": "12"}, "row 1: input_tokens must be a count"),
        ({"cost_usd": float("inf")}, "row 1: cost_usd must be a number >= 0"),
    ],
)
def test_a_bad_value_is_named_by_row_and_column(change: dict[str, Any], message: str) -> None:
    rows = org_rows(projects=1, log_streams=1, days=2)
    rows[1].update(change)
    with pytest.raises(InvalidRequestError, match=re.escape(message)):
        ReportDocument.from_rows(rows)


def test_a_missing_column_or_a_foreign_source_is_named() -> None:
    rows = org_rows(projects=1, log_streams=1, days=1)
    del rows[0]["total_tokens"]
    with pytest.raises(InvalidRequestError, match="row 0 has no 'total_tokens' column"):
        ReportDocument.from_rows(rows)
    with pytest.raises(InvalidRequestError, match="got int"):
        ReportDocument.from_rows(3)
    assert set(REPORT_COLUMNS) <= set(org_rows(1, 1, 1)[0])


def test_a_daylight_saving_day_is_drawn_from_midnight_to_midnight_of_its_zone() -> None:
    report = ReportDocument.from_rows(org_rows(projects=1, log_streams=1, days=3, first=datetime.date(2025, 3, 29)))
    spring_forward = report.summary.points[1]
    utc = [moment.astimezone(datetime.UTC) for moment in (spring_forward.start, spring_forward.end)]
    assert utc[1] - utc[0] == datetime.timedelta(hours=23)
    assert spring_forward.start.tzinfo is PARIS
    assert [value["start"] for value in chart_values(report)] == [f"2025-03-{day}T00:00Z" for day in (29, 30, 31)]
    # The chart ends a day at the next date's midnight on its wall-clock (UTC) scale, 24 h on the axis.
    transforms = page_charts(report)["specs"]["tokens"]["transform"]
    assert {"calculate": "utcOffset('date', toDate(datum.start), 1)", "as": "end"} in transforms


def test_the_page_is_self_contained_and_shows_selection_prices_and_when_it_was_made() -> None:
    made = datetime.datetime(2026, 1, 2, 3, 4, tzinfo=datetime.UTC)
    report = ReportDocument.from_rows(
        org_rows(),
        selection={"log streams": ["all"], "tz": "Europe/Paris"},
        prices={"input": "$3 / M", "output": "$15 / M"},
    )
    page = attrs.evolve(report, made_at=made).html()
    markup = re.sub(r"(<script[^>]*>).*?</script>", r"\1", page, flags=re.S)  # the elements, not the JS inside
    assert markup.count("<script") == 3
    assert not re.search(r"<(script|link|img|iframe)[^>]+(src|href)=", markup)
    assert "Made 2026-01-02 03:04 UTC" in page
    assert "<dt>tz</dt><dd>Europe/Paris</dd>" in page
    assert "<dt>output</dt><dd>$15 / M</dd>" in page
    assert 'id="chart-tokens"' in page
    assert 'id="chart-cost"' in page


def test_without_prices_there_is_no_cost_chart_and_the_page_says_so() -> None:
    report = ReportDocument.from_rows(org_rows(priced=False))
    assert 'id="chart-cost"' not in report.html()
    assert "none given: no cost is shown" in report.html()
    with pytest.raises(InvalidRequestError, match="'cost' needs rows with cost_usd"):
        report.chart("cost")


def test_names_cannot_inject_markup_into_the_page() -> None:
    rows = org_rows(projects=1, log_streams=1, days=1)
    rows[0]["log_stream"] = "</script><script>alert(1)</script>"
    page = ReportDocument.from_rows(rows, selection="<b>bold</b>").html()
    assert "<script>alert(1)" not in page
    assert "&lt;b&gt;bold&lt;/b&gt;" in page


def test_the_png_is_a_drawn_chart_of_a_sensible_size() -> None:
    image = Image.open(io.BytesIO(ReportDocument.from_rows(org_rows()).png()))
    width, height = image.size
    assert 1200 <= width <= 4000
    assert 800 <= height <= 3000
    counted = image.convert("RGB").getcolors(maxcolors=width * height)
    assert counted is not None
    colours = {colour: count for count, colour in counted}
    assert 1 - colours.get((255, 255, 255), 0) / (width * height) > 0.05  # not blank: over 5% of it is drawn
    assert (0x4C, 0x78, 0xA8) in colours  # the largest log stream's colour


def test_the_svg_draws_every_series_in_its_legend() -> None:
    svg = ReportDocument.from_rows(org_rows(), top=2).svg()
    assert svg.startswith("<svg")
    for label in ("project-1 / stream-2", "project-1 / stream-1", "4 others"):
        assert label in svg


def test_write_html_puts_the_file_in_place(tmp_path: Any) -> None:
    path = ReportDocument.from_rows(org_rows()).write_html(tmp_path / "usage.html")
    assert path.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert [item.name for item in tmp_path.iterdir()] == ["usage.html"]
    with pytest.raises(InvalidRequestError, match="cannot write"):
        ReportDocument.from_rows(org_rows()).write_html(tmp_path / "missing-dir" / "usage.html")


def test_usage_chart_is_an_altair_chart_of_the_same_specification() -> None:
    altair = pytest.importorskip("altair")
    chart = usage_chart(org_rows(), "cost")
    assert isinstance(chart, altair.Chart)
    spec = chart.to_dict()
    assert spec["title"].startswith("Cost (USD) per day, by log stream")
    (values,) = spec["datasets"].values()  # altair moves inline data to a named dataset
    assert sum(value["cost_usd"] for value in values) == pytest.approx(sum(row["cost_usd"] for row in org_rows()))


def test_rows_in_a_pytz_zone_end_their_daylight_saving_day_at_local_midnight() -> None:
    """pyarrow before 17 and older pandas hand out pytz zones, whose arithmetic keeps a fixed offset: the day the
    clocks go forward (2025-03-30 in Paris, 23 hours) must still end at the next local midnight."""
    pytz = pytest.importorskip("pytz")
    paris = pytz.timezone("Europe/Paris")
    rows = org_rows(projects=1, log_streams=1, days=3)
    for row in rows:
        row["period_start"] = paris.localize(row["period_start"].replace(tzinfo=None))
    ends = {point.start.date(): point.end for point in ReportDocument.from_rows(rows).summary.points}
    assert ends[datetime.date(2025, 3, 30)] == datetime.datetime(2025, 3, 31, tzinfo=PARIS)
    day = ends[datetime.date(2025, 3, 30)].astimezone(datetime.UTC) - datetime.datetime(2025, 3, 30, tzinfo=PARIS)
    assert day == datetime.timedelta(hours=23)
