"""Records as pandas or polars DataFrames, built from the same columns as the Arrow table.

Each needs only its own library: neither goes through pyarrow. Columns, order and meaning are those of
``token_usage_schema()``: string ids, UTC-aware timestamps, nullable 64-bit counts (pandas ``Int64``).
"""

from __future__ import annotations

from collections.abc import AsyncIterable, Iterable
from typing import TYPE_CHECKING, Any

from galileo_insights_api.models.log_stream_insight_token_usage_db import LogStreamInsightTokenUsageDB

from ...._optional import require
from .._record_fields import TOKEN_FIELDS
from ._columns import COLUMNS, TIME_COLUMNS, RecordColumns

if TYPE_CHECKING:
    import pandas as pd
    import polars as pl
    import pyarrow as pa


def columns_of(items: Iterable[LogStreamInsightTokenUsageDB]) -> RecordColumns:
    columns = RecordColumns()
    for item in items:
        columns.add(item)
    return columns


async def acolumns_of(items: AsyncIterable[LogStreamInsightTokenUsageDB]) -> RecordColumns:
    columns = RecordColumns()
    async for item in items:
        columns.add(item)
    return columns


def pandas_frame(columns: RecordColumns) -> pd.DataFrame:
    pandas: Any = require("pandas", "to_pandas()")
    data: dict[str, Any] = {}
    for name in COLUMNS:
        values = columns.plain_column(name)
        if name in TIME_COLUMNS:
            data[name] = pandas.DatetimeIndex(values, dtype="datetime64[us]").tz_localize("UTC")
        elif name in TOKEN_FIELDS:
            data[name] = pandas.array(values, dtype="Int64")
        else:
            data[name] = pandas.array(values, dtype="string")
    return pandas.DataFrame(data, columns=list(COLUMNS))


def polars_frame(columns: RecordColumns) -> pl.DataFrame:
    polars: Any = require("polars", "to_polars()")
    schema = {
        name: polars.Datetime("us") if name in TIME_COLUMNS else polars.Int64 if name in TOKEN_FIELDS else polars.String
        for name in COLUMNS
    }
    frame: pl.DataFrame = polars.DataFrame({name: columns.plain_column(name) for name in COLUMNS}, schema=schema)
    return frame.with_columns(polars.col(name).dt.replace_time_zone("UTC") for name in TIME_COLUMNS)


def arrow_pandas_frame(table: pa.Table) -> pd.DataFrame:
    """``pandas_frame``'s frame converted from the Arrow table: the same dtypes, no Python object per value."""
    pandas: Any = require("pandas", "to_pandas()")
    pa = require("pyarrow", "to_pandas()")
    dtypes = {pa.string(): pandas.StringDtype(), pa.int64(): pandas.Int64Dtype()}
    frame: pd.DataFrame = table.to_pandas(types_mapper=dtypes.get)
    return frame


def arrow_polars_frame(table: pa.Table) -> pl.DataFrame:
    """``polars_frame``'s frame converted from the Arrow table (zero-copy where polars can)."""
    polars: Any = require("polars", "to_polars()")
    frame: pl.DataFrame = polars.from_arrow(table)
    return frame
