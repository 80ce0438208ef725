"""A usage call's result goes straight into the report: ``result.plot()`` and ``ReportDocument.from_rows(result)``."""

from __future__ import annotations

import pytest

from galileo_insights import GalileoInsights
from galileo_insights.report import ReportDocument, period_rows
from galileo_insights.testing import DEFAULT_LOG_STREAM_NAME, DEFAULT_PROJECT_NAME, FakeGalileo

PRICES = {"input": 3, "output": 15, "cache_read": 0.3, "cache_creation": 3.75}


@pytest.fixture
def client() -> GalileoInsights:
    fake = FakeGalileo(records=300, seed=5)
    return GalileoInsights(api_key=fake.api_key, base_url="http://galileo.test", transport=fake.transport())


def test_plot_charts_the_results_tokens_per_period(client: GalileoInsights) -> None:
    pytest.importorskip("altair")
    usage = client.usage.by_period("week", DEFAULT_PROJECT_NAME, DEFAULT_LOG_STREAM_NAME)
    spec = usage.plot().to_dict()
    (values,) = spec["datasets"].values()
    assert sum(value["tokens"] for value in values) == sum(row.total_tokens for row in usage)
    assert spec["title"] == "Total tokens per week, by log stream"


def test_a_priced_result_makes_the_cost_chart_and_the_same_totals_as_the_call(client: GalileoInsights) -> None:
    usage = client.usage.by_period("day", DEFAULT_PROJECT_NAME, DEFAULT_LOG_STREAM_NAME, prices=PRICES)
    summary = ReportDocument.from_rows(usage).summary
    assert summary.records == sum(row.records for row in usage) == 300
    assert summary.cost_usd == pytest.approx(sum(row.cost_usd or 0 for row in usage))
    missing = {field.name: field.missing for field in summary.fields}
    assert missing["input_tokens"] == sum(row.input_tokens_missing for row in usage)


def test_usage_by_rows_of_one_log_stream_make_the_same_report(client: GalileoInsights) -> None:
    usage = client.usage.by_period("day", DEFAULT_PROJECT_NAME, DEFAULT_LOG_STREAM_NAME)
    periods = client.token_usage.usage_by("day", project=DEFAULT_PROJECT_NAME, log_stream=DEFAULT_LOG_STREAM_NAME)
    rows = period_rows(periods, project=DEFAULT_PROJECT_NAME, log_stream=DEFAULT_LOG_STREAM_NAME)
    assert ReportDocument.from_rows(rows).summary.fields == ReportDocument.from_rows(usage).summary.fields
