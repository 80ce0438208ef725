"""A usage report people look at: token usage (and cost) per period, stacked by log stream, as one offline
HTML page, a PNG or SVG picture, or an altair chart in a notebook. Needs the ``report`` extra.

>>> report = ReportDocument.from_rows(rows, selection={"log streams": "all"}, prices=None)
>>> report.write_html("usage.html")

``rows`` are usage rows, one per (project, log stream, period): mappings, a pyarrow Table, a pandas DataFrame
or any object with ``.to_arrow()``. ``period_rows`` makes them from ``client.token_usage.usage_by(...)``.
"""

from ._charts import Measure
from ._periods import period_rows
from ._report import ReportDocument, usage_chart
from ._rows import MISSING_COLUMNS, REPORT_COLUMNS
from ._summary import ChartPoint, FieldSummary, SeriesSummary, UsageSummary

__all__ = [
    "MISSING_COLUMNS",
    "REPORT_COLUMNS",
    "ChartPoint",
    "FieldSummary",
    "Measure",
    "ReportDocument",
    "SeriesSummary",
    "UsageSummary",
    "period_rows",
    "usage_chart",
]
