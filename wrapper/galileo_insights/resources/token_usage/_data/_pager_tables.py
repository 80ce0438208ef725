"""Table methods for pagers: ``to_arrow()``, ``iter_batches()``, ``to_pandas()``, ``to_polars()``.

The two mixins rely only on iterating ``self`` (``iter`` / ``aiter``), so any pager, or any iterable of
records, gets them by inheriting one line. Each call starts a fresh walk, like iterating the pager does.
"""

from __future__ import annotations

from collections.abc import AsyncIterable, AsyncIterator, Iterable, Iterator
from typing import TYPE_CHECKING

from galileo_insights_api.models.log_stream_insight_token_usage_db import LogStreamInsightTokenUsageDB

from ._arrow import aiter_batches, ato_arrow, iter_batches, to_arrow
from ._frames import acolumns_of, columns_of, pandas_frame, polars_frame

if TYPE_CHECKING:
    import pandas as pd
    import polars as pl
    import pyarrow as pa

DEFAULT_BATCH_ROWS = 10_000


class TableMethods(Iterable[LogStreamInsightTokenUsageDB]):
    """Tables of the records ``iter(self)`` yields (see ``token_usage_schema()`` for the columns)."""

    __slots__ = ()

    def to_arrow(self) -> pa.Table:
        """Every record as one ``pyarrow.Table`` (needs the ``data`` extra)."""
        return to_arrow(self)

    def iter_batches(self, rows: int = DEFAULT_BATCH_ROWS) -> Iterator[pa.RecordBatch]:
        """``pyarrow.RecordBatch``es of at most ``rows`` records, holding one batch at a time."""
        return iter_batches(self, rows)

    def to_pandas(self) -> pd.DataFrame:
        """A pandas DataFrame: string ids, UTC-aware timestamps, nullable ``Int64`` counts (needs pandas only)."""
        return pandas_frame(columns_of(self))

    def to_polars(self) -> pl.DataFrame:
        """A polars DataFrame with the same columns (needs polars only)."""
        return polars_frame(columns_of(self))


class AsyncTableMethods(AsyncIterable[LogStreamInsightTokenUsageDB]):
    """The async twin of ``TableMethods``: await ``to_arrow()``, ``async for`` over ``iter_batches()``."""

    __slots__ = ()

    async def to_arrow(self) -> pa.Table:
        return await ato_arrow(self)

    def iter_batches(self, rows: int = DEFAULT_BATCH_ROWS) -> AsyncIterator[pa.RecordBatch]:
        return aiter_batches(self, rows)

    async def to_pandas(self) -> pd.DataFrame:
        return pandas_frame(await acolumns_of(self))

    async def to_polars(self) -> pl.DataFrame:
        return polars_frame(await acolumns_of(self))
