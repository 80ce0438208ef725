"""What a report shows, computed once from the rows: the chart's points, the totals and the top log streams.

Aggregated before charting: the chart gets one point per (period, series), and only the ``top`` largest
series by tokens get their own colour; the rest are summed into one "others" series. So a year of days over
many log streams stays a few thousand points, whatever the number of records behind them.
"""

from __future__ import annotations

import datetime
import itertools
from collections import defaultdict
from collections.abc import Sequence
from typing import Literal

import attrs

from .._errors import InvalidRequestError
from ..resources._calendar import Period, as_period
from ..resources.token_usage._record_fields import TOKEN_FIELDS
from ._rows import ReportRow

Level = Literal["log stream", "project", "everything"]
DEFAULT_TOP = 9
_HOUR = datetime.timedelta(hours=1)


@attrs.frozen
class FieldSummary:
    """One token field over all rows: its sum, and how many records were counted or missing (None: not known)."""

    name: str
    total: int
    counted: int | None
    missing: int | None


@attrs.frozen
class SeriesSummary:
    """One log stream (or project) over all periods."""

    label: str
    project: str | None
    log_stream: str | None
    records: int
    total_tokens: int
    cost_usd: float | None


@attrs.frozen
class ChartPoint:
    """One bar segment: a series' usage in one period, with the period's wall-clock bounds in its zone."""

    start: datetime.datetime
    end: datetime.datetime
    series: str
    total_tokens: int
    cost_usd: float | None


@attrs.frozen
class UsageSummary:
    """The report's figures, computed once by ``summarize``: the chart's points and series, the ranking, the totals."""

    level: Level
    period: Period
    points: tuple[ChartPoint, ...]
    series: tuple[str, ...]
    """Chart series, largest first; the last is the folded "others" when there were more than ``top``."""
    ranked: tuple[SeriesSummary, ...]
    """Every log stream (or project), largest first by tokens."""
    records: int
    fields: tuple[FieldSummary, ...]
    total_tokens: int
    cost_usd: float | None
    """None when no row carried a cost (no prices were given)."""
    first: datetime.datetime | None
    last: datetime.datetime | None
    """The first and last period starts."""

    @property
    def priced(self) -> bool:
        """Whether any row carried a cost (the usage was computed with prices)."""
        return self.cost_usd is not None


def summarize(rows: Sequence[ReportRow], period: Period | str | None = None, top: int = DEFAULT_TOP) -> UsageSummary:
    """The report's figures from checked ``rows``; ``period`` is inferred from the starts when not given."""
    if top < 1:
        raise InvalidRequestError(f"top must be at least 1, got {top}")
    level = _level(rows)
    label_of = _Labeller(level)
    ranked = _ranked(rows, label_of)
    # Folding a single series into "1 others" would hide a name to save nothing.
    shown = [series.label for series in (ranked[:top] if len(ranked) > top + 1 else ranked)]
    others = f"{len(ranked) - len(shown)} others" if len(shown) < len(ranked) else None
    kept = set(shown)
    starts = sorted({row.period_start for row in rows})
    grouping = as_period(period) if period is not None else _inferred_period(starts)
    tokens: dict[tuple[datetime.datetime, str], int] = defaultdict(int)
    point_costs: dict[tuple[datetime.datetime, str], float] = {}
    for row in rows:
        label = label_of(row)
        key = (row.period_start, label if others is None or label in kept else others)
        tokens[key] += row.total_tokens or 0
        if row.cost_usd is not None:
            point_costs[key] = point_costs.get(key, 0.0) + row.cost_usd
    costs = [row.cost_usd for row in rows if row.cost_usd is not None]
    return UsageSummary(
        level=level,
        period=grouping,
        points=tuple(
            ChartPoint(start, _end(grouping, start), series, total, point_costs.get((start, series)))
            for (start, series), total in sorted(tokens.items(), key=lambda item: item[0][0])
        ),
        series=(*shown, *([others] if others else [])),
        ranked=tuple(ranked),
        records=sum(row.records for row in rows),
        fields=_fields(rows),
        total_tokens=sum(row.total_tokens or 0 for row in rows),
        cost_usd=sum(costs) if costs else None,
        first=starts[0] if starts else None,
        last=starts[-1] if starts else None,
    )


def _level(rows: Sequence[ReportRow]) -> Level:
    if any(row.log_stream is not None or row.log_stream_id is not None for row in rows):
        return "log stream"
    if any(row.project is not None or row.project_id is not None for row in rows):
        return "project"
    return "everything"


@attrs.frozen
class _Labeller:
    """How a row's series is named: ``project / log stream`` (names repeat across projects), the project, or all."""

    level: Level

    def __call__(self, row: ReportRow) -> str:
        project = row.project or row.project_id or "?"
        if self.level == "log stream":
            return f"{project} / {row.log_stream or row.log_stream_id}"
        return project if self.level == "project" else "all"


def _ranked(rows: Sequence[ReportRow], label_of: _Labeller) -> list[SeriesSummary]:
    sums: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    costs: dict[str, float] = {}
    first: dict[str, ReportRow] = {}
    for row in rows:
        label = label_of(row)
        first.setdefault(label, row)
        sums[label][0] += row.records
        sums[label][1] += row.total_tokens or 0
        if row.cost_usd is not None:
            costs[label] = costs.get(label, 0.0) + row.cost_usd
    ranked = [
        SeriesSummary(
            label=label,
            project=first[label].project or first[label].project_id,
            log_stream=first[label].log_stream or first[label].log_stream_id,
            records=records,
            total_tokens=tokens,
            cost_usd=costs.get(label),
        )
        for label, (records, tokens) in sums.items()
    ]
    ranked.sort(key=lambda series: (-series.total_tokens, -(series.cost_usd or 0.0), series.label))
    return ranked


def _fields(rows: Sequence[ReportRow]) -> tuple[FieldSummary, ...]:
    known = all(row.missing is not None for row in rows)
    records = sum(row.records for row in rows)
    summaries = []
    for index, name in enumerate(TOKEN_FIELDS):
        missing = sum(row.missing[index] for row in rows if row.missing is not None) if known else None
        summaries.append(
            FieldSummary(
                name=name,
                total=sum(row.tokens[index] or 0 for row in rows),
                counted=None if missing is None else records - missing,
                missing=missing,
            )
        )
    return tuple(summaries)


def _inferred_period(starts: Sequence[datetime.datetime]) -> Period:
    """The period whose length fits the smallest gap between two starts (a day when there is only one)."""
    gaps = [later - earlier for earlier, later in itertools.pairwise(starts)]
    smallest = min(gaps, default=datetime.timedelta(days=1))
    if smallest <= _HOUR:
        return Period.HOUR
    if smallest <= datetime.timedelta(hours=25):
        return Period.DAY
    if smallest <= datetime.timedelta(days=7, hours=1):
        return Period.WEEK
    return Period.MONTH


def _end(period: Period, start: datetime.datetime) -> datetime.datetime:
    """The end of the period starting at ``start``, in ``start``'s zone (a daylight-saving day ends 23 h later)."""
    zone = start.tzinfo or datetime.UTC
    return period.after(start, zone).astimezone(zone)
