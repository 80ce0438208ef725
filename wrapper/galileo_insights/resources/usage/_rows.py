"""Period rows for many log streams: one row per (project, log stream, period), or summed per project or overall.

Pure: the walks hand in each log stream's ``PeriodUsage`` rows (and, for model prices, the cost of each period's
records); here they become flat ``UsageRow`` values with names and ids, and a ``UsageReport`` turns those into a
pandas, polars or Arrow table without hand work.
"""

from __future__ import annotations

import dataclasses
import datetime
import uuid
from collections.abc import Iterator, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Literal, overload

from ..._optional import require
from .._calendar import Period
from .._group_by import GroupBy
from ..token_usage._data._periods import PeriodUsage
from ..token_usage._record_fields import TOKEN_FIELDS
from ..token_usage._totals import FieldTotal, TokenUsageTotals
from ._prices import ModelPrices, Prices, Pricing
from ._selection import LogStreamTarget

if TYPE_CHECKING:
    import pandas as pd
    import polars as pl
    import pyarrow as pa


USAGE_COLUMNS = (
    "project",
    "project_id",
    "log_stream",
    "log_stream_id",
    "period_start",
    "period_end",
    "records",
    *TOKEN_FIELDS,
    "total_tokens",
    "cost_usd",
    *(f"{name}_missing" for name in TOKEN_FIELDS),
)
"""A row's columns in order: names beside ids (None above the level asked for), the period in the zone asked
for, the known sums, their total, the cost (None without prices), and per count the records that lacked it."""


@dataclasses.dataclass(frozen=True, slots=True)
class UsageRow:
    """One (project, log stream, period) of token usage: see ``USAGE_COLUMNS``.

    ``total_tokens`` is the four known counts added (assumes they are disjoint; see ``PeriodUsage.total_tokens``);
    ``cost_usd`` is the prices' formula (see ``Prices``), None without prices.
    """

    project: str | None
    project_id: uuid.UUID | None
    log_stream: str | None
    log_stream_id: uuid.UUID | None
    period_start: datetime.datetime
    period_end: datetime.datetime
    records: int
    input_tokens: int
    output_tokens: int
    cache_read_input_tokens: int
    cache_creation_input_tokens: int
    total_tokens: int
    cost_usd: float | None
    input_tokens_missing: int
    output_tokens_missing: int
    cache_read_input_tokens_missing: int
    cache_creation_input_tokens_missing: int

    def to_dict(self) -> dict[str, Any]:
        """The row as plain values: ids as strings, times as aware datetimes."""
        values = {column.name: getattr(self, column.name) for column in dataclasses.fields(self)}
        for name in ("project_id", "log_stream_id"):
            values[name] = None if values[name] is None else str(values[name])
        return values


@dataclasses.dataclass(frozen=True, slots=True)
class TargetUsage:
    """One log stream's periods, and for model prices the cost of each period's records (keyed by UTC start)."""

    target: LogStreamTarget
    periods: list[PeriodUsage]
    record_costs: dict[datetime.datetime, Decimal]


@dataclasses.dataclass(slots=True)
class _Sum:
    totals: list[TokenUsageTotals]
    cost: Decimal


def _add(totals: Sequence[TokenUsageTotals]) -> TokenUsageTotals:
    fields = {
        name: FieldTotal(
            sum(getattr(one, name).total for one in totals),
            sum(getattr(one, name).counted for one in totals),
            sum(getattr(one, name).missing for one in totals),
        )
        for name in TOKEN_FIELDS
    }
    return TokenUsageTotals(records=sum(one.records for one in totals), **fields)


def build_rows(usages: Sequence[TargetUsage], group_by: GroupBy, pricing: Pricing | None) -> list[UsageRow]:
    """Rows at ``group_by``'s level, in the targets' order, oldest period first within each."""
    groups: dict[tuple[object, ...], tuple[LogStreamTarget, dict[datetime.datetime, _Sum]]] = {}
    for usage in usages:
        key: tuple[object, ...]
        match group_by:
            case GroupBy.LOG_STREAM:
                key = (usage.target.project_id, usage.target.log_stream_id)
            case GroupBy.PROJECT:
                key = (usage.target.project_id,)
            case GroupBy.NONE:
                key = ()
        periods = groups.setdefault(key, (usage.target, {}))[1]
        for period in usage.periods:
            start = period.start.astimezone(datetime.UTC)
            slot = periods.setdefault(start, _Sum([], Decimal(0)))
            slot.totals.append(period)
            slot.cost += usage.record_costs.get(start, Decimal(0))
    spans = {period.start.astimezone(datetime.UTC): period for usage in usages for period in usage.periods}
    rows = []
    for target, periods in groups.values():
        for start in sorted(periods):
            totals = _add(periods[start].totals)
            rows.append(_row(target, group_by, spans[start], totals, _cost(pricing, totals, periods[start].cost)))
    return rows


def _cost(pricing: Pricing | None, totals: TokenUsageTotals, record_costs: Decimal) -> float | None:
    match pricing:
        case None:
            return None
        case Prices():
            return float(pricing.cost(totals))
        case ModelPrices():
            return float(record_costs)


def _row(
    target: LogStreamTarget, group_by: GroupBy, span: PeriodUsage, totals: TokenUsageTotals, cost: float | None
) -> UsageRow:
    project = group_by is not GroupBy.NONE
    stream = group_by is GroupBy.LOG_STREAM
    fields = totals.fields
    return UsageRow(
        project=target.project if project else None,
        project_id=target.project_id if project else None,
        log_stream=target.log_stream if stream else None,
        log_stream_id=target.log_stream_id if stream else None,
        period_start=span.start,
        period_end=span.end,
        records=totals.records,
        input_tokens=fields["input_tokens"].total,
        output_tokens=fields["output_tokens"].total,
        cache_read_input_tokens=fields["cache_read_input_tokens"].total,
        cache_creation_input_tokens=fields["cache_creation_input_tokens"].total,
        total_tokens=sum(field.total for field in fields.values()),
        cost_usd=cost,
        input_tokens_missing=fields["input_tokens"].missing,
        output_tokens_missing=fields["output_tokens"].missing,
        cache_read_input_tokens_missing=fields["cache_read_input_tokens"].missing,
        cache_creation_input_tokens_missing=fields["cache_creation_input_tokens"].missing,
    )


_STRING_COLUMNS = frozenset({"project", "project_id", "log_stream", "log_stream_id"})
_TIME_COLUMNS = frozenset({"period_start", "period_end"})


@dataclasses.dataclass(frozen=True)
class UsageReport(Sequence[UsageRow]):
    """The rows of an organisation-wide usage call, with what they cover and which prices made ``cost_usd``."""

    rows: list[UsageRow]
    period: Period
    zone: datetime.tzinfo
    group_by: GroupBy
    targets: list[LogStreamTarget]
    prices: str | None
    """Which prices were used, in words (None without prices)."""

    @overload
    def __getitem__(self, index: int) -> UsageRow: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[UsageRow]: ...
    def __getitem__(self, index: int | slice) -> UsageRow | Sequence[UsageRow]:
        return self.rows[index]

    def __len__(self) -> int:
        return len(self.rows)

    def __iter__(self) -> Iterator[UsageRow]:
        return iter(self.rows)

    def plot(self, measure: Literal["tokens", "cost"] = "tokens", *, top: int = 9) -> Any:
        """The rows' chart, ``"tokens"`` or ``"cost"`` per period stacked by log stream (or project), as an
        ``altair.Chart`` that a notebook shows inline: the chart of the HTML report, without writing a file.

        Drawn from these rows (per-period sums), never from records, so a year of many log streams stays small.
        Needs the ``report`` extra (see ``galileo_insights.report``).

        Args:
            measure: ``"tokens"`` (total tokens per period) or ``"cost"`` (USD per period; needs rows made with
                ``prices``).
            top: how many log streams (or projects) get a colour of their own; the rest are summed as one
                "others" series, so that a chart of many stays readable.

        Returns:
            An ``altair.Chart`` (its ``to_dict()`` is the Vega-Lite specification; ``save()`` writes it).

        Raises:
            InvalidRequestError: ``measure`` is neither, ``"cost"`` was asked of rows without cost, or ``top`` is
                below 1.
            ModuleNotFoundError: altair is not installed (``pip install 'galileo-insights[report]'``).
        """
        from ...report import usage_chart  # noqa: PLC0415 - the report sits above the resources, an optional extra

        return usage_chart(self, measure, period=self.period, top=top)

    def to_dicts(self) -> list[dict[str, Any]]:
        """The rows as plain dicts (ids as strings, aware datetimes), for JSON, CSV or any table library."""
        return [row.to_dict() for row in self.rows]

    def _column(self, name: str) -> list[Any]:
        if name in _STRING_COLUMNS:
            return [None if value is None else str(value) for value in (getattr(row, name) for row in self.rows)]
        return [getattr(row, name) for row in self.rows]

    def to_arrow(self) -> pa.Table:
        """An Arrow table of ``USAGE_COLUMNS``: strings, timestamps in the zone asked for, int64 counts and a
        float64 ``cost_usd`` (null without prices; the schema's ``galileo_insights.prices`` metadata says which
        prices made it). Needs pyarrow."""
        pyarrow: Any = require("pyarrow", "to_arrow()")
        timestamp = pyarrow.timestamp("us", tz=str(self.zone))
        types = {
            **dict.fromkeys(_STRING_COLUMNS, pyarrow.string()),
            **dict.fromkeys(_TIME_COLUMNS, timestamp),
            "cost_usd": pyarrow.float64(),
        }
        metadata = {"galileo_insights.prices": self.prices} if self.prices else None
        schema = pyarrow.schema([(name, types.get(name, pyarrow.int64())) for name in USAGE_COLUMNS], metadata=metadata)
        table: pa.Table = pyarrow.table({name: self._column(name) for name in USAGE_COLUMNS}, schema=schema)
        return table

    def to_pandas(self) -> pd.DataFrame:
        """A DataFrame of ``USAGE_COLUMNS`` (string ids, aware timestamps, Int64 counts, float cost). Needs pandas."""
        pandas: Any = require("pandas", "to_pandas()")
        data: dict[str, Any] = {}
        for name in USAGE_COLUMNS:
            values = self._column(name)
            if name in _TIME_COLUMNS:
                data[name] = pandas.to_datetime(pandas.Series(values, dtype=object), utc=True).dt.tz_convert(
                    str(self.zone)
                )
            elif name in _STRING_COLUMNS:
                data[name] = pandas.array(values, dtype="string")
            elif name == "cost_usd":
                data[name] = pandas.array(values, dtype="Float64")
            else:
                data[name] = pandas.array(values, dtype="Int64")
        return pandas.DataFrame(data, columns=list(USAGE_COLUMNS))

    def to_polars(self) -> pl.DataFrame:
        """A polars DataFrame of ``USAGE_COLUMNS``. Needs polars."""
        polars: Any = require("polars", "to_polars()")
        schema = {
            name: polars.String
            if name in _STRING_COLUMNS
            else polars.Datetime("us", time_zone=str(self.zone))
            if name in _TIME_COLUMNS
            else polars.Float64
            if name == "cost_usd"
            else polars.Int64
            for name in USAGE_COLUMNS
        }
        frame: pl.DataFrame = polars.DataFrame({name: self._column(name) for name in USAGE_COLUMNS}, schema=schema)
        return frame
