"""The report as one HTML file that works offline: the Vega JavaScript, the charts' data and the tables inline.

Nothing is fetched when the page opens (no CDN, no fonts, no images). The JavaScript comes from vl-convert,
which ships Vega, Vega-Lite and vega-embed bundled; it is the same for every report, so it is built once per
process. Every text from the rows or the selection is HTML-escaped, and the JSON placed inside ``<script>``
cannot close the element.
"""

from __future__ import annotations

import datetime
import functools
import html
import json
import re
from collections.abc import Iterable, Mapping

from .._optional import require
from .._version import __version__
from ._charts import chart_spec, chart_values
from ._summary import UsageSummary

_FEATURE = "the HTML report"
_FIELD_HEADINGS = {
    "input_tokens": "input",
    "output_tokens": "output",
    "cache_read_input_tokens": "cache read",
    "cache_creation_input_tokens": "cache creation",
}
_TOP_ROWS = 10
_STYLE = """
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:2rem auto;max-width:62rem;
padding:0 1rem;color:#1b1f24}
h1{font-size:1.5rem;margin-bottom:.2rem}h2{font-size:1.1rem;margin-top:2rem}
.made{color:#57606a;margin-top:0}
table{border-collapse:collapse;margin:.5rem 0}th,td{padding:.25rem .75rem;border-bottom:1px solid #d0d7de}
th{text-align:left}td.n{text-align:right;font-variant-numeric:tabular-nums}
dl{display:grid;grid-template-columns:max-content auto;gap:.2rem 1rem}dt{font-weight:600}dd{margin:0}
.chart{margin:1rem 0}.note{color:#57606a;font-size:.9rem}
"""
_EMBED = """
const charts = JSON.parse(document.getElementById("report-charts").textContent);
for (const [name, spec] of Object.entries(charts.specs)) {
  spec.data = {values: charts.values};  // one copy of the data for every chart
  vegaEmbed("#chart-" + name, spec, {renderer: "svg", actions: false})
    .catch((error) => console.error("chart " + name + " did not draw: " + error));
}
"""


@functools.cache
def vega_bundle() -> str:
    """Vega, Vega-Lite and vega-embed as one script that sets ``window.vegaEmbed`` (about 0.9 MB)."""
    vl_convert = require("vl_convert", _FEATURE)
    bundle: str = vl_convert.javascript_bundle()
    # Only these two sequences change how an HTML parser reads a script; both appear in strings if at all.
    return re.sub("</(script)|<!--", lambda match: f"<\\/{match[1]}" if match[1] else "<\\!--", bundle, flags=re.I)


def render_html(
    summary: UsageSummary,
    *,
    selection: Mapping[str, object] | str | None,
    prices: Mapping[str, object] | str | None,
    made_at: datetime.datetime,
) -> str:
    """The whole page: charts, totals, top log streams, the selection and prices used, and when it was made."""
    charts = {"tokens": chart_spec(summary, "tokens", with_data=False)}
    if summary.priced:
        charts["cost"] = chart_spec(summary, "cost", with_data=False)
    page_data = {"values": chart_values(summary), "specs": charts}
    chart_divs = "".join(f'<div class="chart" id="chart-{name}"></div>' for name in charts)
    made = made_at.astimezone(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")
    sections = [
        f"<h1>Token usage{_span(summary)}</h1>",
        f'<p class="made">Made {_e(made)} by galileo-insights {_e(__version__)}.</p>',
        chart_divs,
        "<h2>Totals</h2>",
        _totals_table(summary),
        f"<h2>Top {_e(summary.level)}s</h2>" if summary.level != "everything" else "",
        _top_table(summary) if summary.level != "everything" else "",
        "<h2>Selection</h2>",
        _description(selection, "the rows as given"),
        "<h2>Prices</h2>",
        _description(prices, "none given: no cost is shown"),
    ]
    return "\n".join(
        [
            "<!DOCTYPE html>",
            '<html lang="en"><head><meta charset="utf-8">',
            '<meta name="viewport" content="width=device-width, initial-scale=1">',
            f"<title>Token usage{_span(summary)}</title>",
            f"<style>{_STYLE}</style>",
            "</head><body>",
            *filter(None, sections),
            f'<script type="application/json" id="report-charts">{_json_in_html(page_data)}</script>',
            f"<script>{vega_bundle()}</script>",
            f"<script>{_EMBED}</script>",
            "</body></html>",
            "",
        ]
    )


def _span(summary: UsageSummary) -> str:
    if summary.first is None or summary.last is None:
        return ""
    first, last = (summary.period.label(moment) for moment in (summary.first, summary.last))
    return _e(f", {first}" if first == last else f", {first} to {last}")


def _totals_table(summary: UsageSummary) -> str:
    rows = [
        _tr(_FIELD_HEADINGS[field.name], _n(field.total), _n(field.counted), _n(field.missing))
        for field in summary.fields
    ]
    rows.append(_tr("total tokens", _n(summary.total_tokens), "", ""))
    if summary.cost_usd is not None:
        rows.append(_tr("cost (USD)", _e(f"${summary.cost_usd:,.2f}"), "", ""))
    heading = _tr("", "tokens", "records counted", "records missing", cell="th")
    note = (
        f'<p class="note">{summary.records:,} records. Counted: records that had the count; missing: records '
        "where it was null or absent (not added as zero).</p>"
    )
    if any(field.missing is None for field in summary.fields):
        note = (
            f'<p class="note">{summary.records:,} records. The rows did not say how many records missed each '
            "count (—).</p>"
        )
    return f"<table>{heading}{''.join(rows)}</table>{note}"


def _top_table(summary: UsageSummary) -> str:
    priced = summary.priced
    headings = ["#", summary.level, "records", "total tokens", "share", *(["cost (USD)"] if priced else [])]
    heading = _tr(*headings, cell="th")
    rows = []
    for rank, series in enumerate(summary.ranked[:_TOP_ROWS], start=1):
        share = series.total_tokens / summary.total_tokens if summary.total_tokens else 0.0
        cost = [] if not priced else [_e("—" if series.cost_usd is None else f"${series.cost_usd:,.2f}")]
        figures = (_n(series.records), _n(series.total_tokens), f"{share:.1%}", *cost)
        rows.append(_tr(str(rank), _e(series.label), *figures))
    more = len(summary.ranked) - _TOP_ROWS
    note = f'<p class="note">and {more:,} more.</p>' if more > 0 else ""
    return f"<table>{heading}{''.join(rows)}</table>{note}"


def _description(value: Mapping[str, object] | str | None, absent: str) -> str:
    if value is None or not value:
        return f"<p>{_e(absent)}</p>"
    if isinstance(value, str):
        return f"<p>{_e(value)}</p>"
    items = "".join(f"<dt>{_e(str(key))}</dt><dd>{_e(_shown(item))}</dd>" for key, item in value.items())
    return f"<dl>{items}</dl>"


def _shown(value: object) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, Iterable) and not isinstance(value, Mapping):
        return ", ".join(map(str, value))
    return str(value)


def _tr(*cells: str, cell: str = "td") -> str:
    """One table row; numbers (already formatted) are right-aligned by their ``n`` class."""
    return "<tr>" + "".join(_cell(text, cell) for text in cells) + "</tr>"


def _cell(text: str, cell: str) -> str:
    numeric = cell == "td" and (text[:1].isdigit() or text.startswith("$"))
    return f'<{cell} class="n">{text}</{cell}>' if numeric else f"<{cell}>{text}</{cell}>"


def _n(value: int | None) -> str:
    return "—" if value is None else f"{value:,}"


def _e(text: str) -> str:
    return html.escape(text, quote=True)


def _json_in_html(value: object) -> str:
    """JSON that cannot end the ``<script>`` element it sits in: every ``<`` is written ``\\u003c``."""
    return json.dumps(value).replace("<", "\\u003c")
