"""The report's charts as Vega-Lite specifications: usage per period, stacked by log stream (or project).

Plain dicts, so the HTML page, the PNG/SVG images and the altair chart a notebook shows are one description.
A period is drawn from its start to its end as wall-clock times of the zone the rows were grouped in, written
as UTC and read on a UTC scale: the axis shows that zone's dates wherever the page is opened or the image drawn.
"""

from __future__ import annotations

import datetime
import json
from typing import Any, Literal, assert_never

from ..resources._calendar import Period
from ._summary import UsageSummary

Measure = Literal["tokens", "cost"]
# The Vega-Lite version vl-convert bundles and altair 6 writes (vega-embed warns when a spec names another).
VEGA_LITE_SCHEMA = "https://vega.github.io/schema/vega-lite/v6.json"
WIDTH = 860
HEIGHT = 300
_LEGEND_LIMIT = 320
# Tableau 10 (Vega's default scheme) without its grey, which marks the folded series.
_PALETTE = ("#4c78a8", "#f58518", "#e45756", "#72b7b2", "#54a24b", "#eeca3b", "#b279a2", "#ff9da6", "#9d755d")
_OTHERS_COLOUR = "#bab0ac"
# Vega's name of the calendar unit one period spans, for the period's end: ``utcOffset(unit, start, 1)``.
_OFFSET_UNIT = {Period.HOUR: "hours", Period.DAY: "date", Period.WEEK: "week", Period.MONTH: "month"}
_AXIS_FORMAT = {
    Period.HOUR: "%Y-%m-%d %H:%M",
    Period.DAY: "%Y-%m-%d",
    Period.WEEK: "%Y-%m-%d",
    Period.MONTH: "%Y-%m",
}


def chart_values(summary: UsageSummary) -> list[dict[str, object]]:
    """The charts' data, shared by the tokens and cost charts: one value per drawn segment, small enough to embed.

    ``start`` is the period's start (wall clock written as UTC), ``s`` the series' index in ``summary.series``
    (the name is looked up in the chart, not repeated in every value); the period's end is computed in the chart.
    """
    index = {name: rank for rank, name in enumerate(summary.series)}
    return [
        {
            "start": _wall_clock(point.start),
            "s": index[point.series],
            "tokens": point.total_tokens,
            "cost_usd": None if point.cost_usd is None else round(point.cost_usd, 6),
        }
        for point in summary.points
        if point.total_tokens or point.cost_usd
    ]


def chart_spec(summary: UsageSummary, measure: Measure = "tokens", *, with_data: bool = True) -> dict[str, Any]:
    """One stacked bar chart: ``measure`` (total tokens, or cost in USD) per period, a colour per series.

    Without ``with_data`` the specification has no ``data``: the page gives both charts ``chart_values`` once.
    """
    match measure:
        case "tokens":
            field, title, number = "tokens", "total tokens", ",d"
        case "cost":
            field, title, number = "cost_usd", "cost (USD)", "$,.2f"
        case _:
            assert_never(measure)
    per = summary.period.value
    by = "" if summary.level == "everything" else f", by {summary.level}"
    shown = len(summary.series) - (1 if len(summary.series) < len(summary.ranked) else 0)
    of = f" (top {shown} of {len(summary.ranked)})" if shown < len(summary.ranked) else ""
    time_format = _AXIS_FORMAT[summary.period]
    spec: dict[str, Any] = {
        "$schema": VEGA_LITE_SCHEMA,
        "title": f"{title[0].upper()}{title[1:]} per {per}{by}{of}",
        "width": WIDTH,
        "height": HEIGHT,
        "transform": [
            {"filter": f"datum.{field} > 0"},  # a zero-height segment draws nothing
            {"calculate": f"{json.dumps(list(summary.series))}[datum.s]", "as": "series"},
            {"calculate": f"utcOffset('{_OFFSET_UNIT[summary.period]}', toDate(datum.start), 1)", "as": "end"},
            # Stacked by hand, largest series at the bottom: a bar drawn from x to x2 would be read as a
            # horizontal bar by Vega-Lite.
            {"stack": field, "groupby": ["start"], "sort": [{"field": "s", "order": "descending"}], "as": ["y0", "y1"]},
        ],
        "mark": {"type": "rect"},
        "encoding": {
            "x": {
                "field": "start",
                "type": "temporal",
                "scale": {"type": "utc"},
                "axis": {"title": None, "format": time_format, "labelOverlap": True},
            },
            "x2": {"field": "end"},
            "y": {"field": "y0", "type": "quantitative", "title": title},
            "y2": {"field": "y1"},
            "color": {
                "field": "series",
                "type": "nominal",
                "scale": _colours(summary),
                "sort": list(summary.series),
                "legend": {"title": summary.level, "labelLimit": _LEGEND_LIMIT},
            },
            "tooltip": [
                {"field": "series", "type": "nominal", "title": summary.level},
                {"field": "start", "type": "temporal", "format": time_format, "formatType": "utc", "title": per},
                {"field": field, "type": "quantitative", "format": number, "title": title},
            ],
        },
    }
    if with_data:
        spec["data"] = {"values": chart_values(summary)}
    return spec


def image_spec(summary: UsageSummary) -> dict[str, Any]:
    """The charts of a report stacked into one picture: tokens, then cost when the rows were priced."""
    charts = [chart_spec(summary, "tokens"), *([chart_spec(summary, "cost")] if summary.priced else [])]
    for chart in charts:
        del chart["$schema"]
    return {"$schema": VEGA_LITE_SCHEMA, "vconcat": charts, "background": "white", "padding": 12}


def _colours(summary: UsageSummary) -> dict[str, object]:
    """A colour per series, and grey for the folded "others" so that it never looks like one log stream."""
    shown = summary.series[:-1] if len(summary.series) < len(summary.ranked) else summary.series
    if len(shown) > len(_PALETTE):
        return {"domain": list(summary.series), "scheme": "tableau20"}
    grey = [_OTHERS_COLOUR] if len(shown) < len(summary.series) else []
    return {"domain": list(summary.series), "range": [*_PALETTE[: len(shown)], *grey]}


def _wall_clock(moment: datetime.datetime) -> str:
    """The local date and time of ``moment`` written as if it were UTC (see the module docstring)."""
    return moment.replace(tzinfo=None).isoformat(timespec="minutes") + "Z"
