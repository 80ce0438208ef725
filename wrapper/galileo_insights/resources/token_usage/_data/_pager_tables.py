"""Table methods for pagers: ``to_arrow()``, ``iter_batches()``, ``to_pandas()``, ``to_polars()``.

A pager that can read its pages straight into Arrow (``arrow_pages``, see ``_columnar``) builds every table from
those batches: no Python object per record, and pandas and polars frames are converted from the Arrow table.
Anything else that inherits the mixins (any iterable of records) is read record by record, and so is a pager when
pyarrow is not installed: then pandas and polars still work, each needing only its own library. Each call starts
a fresh walk, like iterating the pager does.
"""

from __future__ import annotations

import importlib.util
from collections.abc import AsyncIterable, AsyncIterator, Iterable, Iterator
from typing import TYPE_CHECKING

from galileo_insights_api.models.log_stream_insight_token_usage_db import LogStreamInsightTokenUsageDB

from ._arrow import aiter_batches, ato_arrow, check_rows, iter_batches, table_of, to_arrow
from ._frames import acolumns_of, arrow_pandas_frame, arrow_polars_frame, columns_of, pandas_frame, polars_frame

if TYPE_CHECKING:
    import pandas as pd
    import polars as pl
    import pyarrow as pa

DEFAULT_BATCH_ROWS = 10_000


def _has_pyarrow() -> bool:
    try:
        return importlib.util.find_spec("pyarrow") is not None
    except ValueError:  # a None entry in sys.modules: pyarrow deliberately unimportable
        return False


class TableMethods(Iterable[LogStreamInsightTokenUsageDB]):
    """Tables of the records ``iter(self)`` yields (see ``token_usage_schema()`` for the columns)."""

    __slots__ = ()

    def arrow_pages(self) -> Iterator[pa.RecordBatch] | None:
        """One batch per page read straight into Arrow, or None where records must be read one by one."""
        return None

    def to_arrow(self) -> pa.Table:
        """Every record as one ``pyarrow.Table`` (needs the ``data`` extra)."""
        pages = self.arrow_pages() if _has_pyarrow() else None
        return to_arrow(self) if pages is None else table_of(pages)

    def iter_batches(self, rows: int = DEFAULT_BATCH_ROWS) -> Iterator[pa.RecordBatch]:
        """``pyarrow.RecordBatch``es of at most ``rows`` records, holding one batch at a time."""
        check_rows(rows)
        pages = self.arrow_pages() if _has_pyarrow() else None
        return iter_batches(self, rows) if pages is None else _rebatched(pages, rows)

    def to_pandas(self) -> pd.DataFrame:
        """A pandas DataFrame: string ids, UTC-aware timestamps, nullable ``Int64`` counts (needs pandas only)."""
        pages = self.arrow_pages() if _has_pyarrow() else None
        return pandas_frame(columns_of(self)) if pages is None else arrow_pandas_frame(table_of(pages))

    def to_polars(self) -> pl.DataFrame:
        """A polars DataFrame with the same columns (needs polars only)."""
        pages = self.arrow_pages() if _has_pyarrow() else None
        return polars_frame(columns_of(self)) if pages is None else arrow_polars_frame(table_of(pages))


def _rebatched(pages: Iterator[pa.RecordBatch], rows: int) -> Iterator[pa.RecordBatch]:
    """Page batches regrouped into batches of ``rows`` (the last one shorter), holding at most one batch's pages."""
    import pyarrow as pa  # noqa: PLC0415 - only a pager that reads pages into Arrow gets here

    from ._arrow import token_usage_schema  # noqa: PLC0415

    held: list[pa.RecordBatch] = []
    count = 0
    for page in pages:
        held.append(page)
        count += page.num_rows
        while count >= rows:
            table = pa.Table.from_batches(held, schema=token_usage_schema()).combine_chunks()
            yield from table.slice(0, rows).to_batches(max_chunksize=rows)
            rest = table.slice(rows)
            held, count = rest.to_batches(), rest.num_rows
    if count:
        table = pa.Table.from_batches(held, schema=token_usage_schema()).combine_chunks()
        yield from table.to_batches(max_chunksize=rows)


class AsyncTableMethods(AsyncIterable[LogStreamInsightTokenUsageDB]):
    """The async twin of ``TableMethods``: await ``to_arrow()``, ``async for`` over ``iter_batches()``."""

    __slots__ = ()

    def arrow_pages(self) -> AsyncIterator[pa.RecordBatch] | None:
        return None

    async def to_arrow(self) -> pa.Table:
        pages = self.arrow_pages() if _has_pyarrow() else None
        return await ato_arrow(self) if pages is None else table_of([page async for page in pages])

    def iter_batches(self, rows: int = DEFAULT_BATCH_ROWS) -> AsyncIterator[pa.RecordBatch]:
        return aiter_batches(self, rows)

    async def to_pandas(self) -> pd.DataFrame:
        pages = self.arrow_pages() if _has_pyarrow() else None
        if pages is None:
            return pandas_frame(await acolumns_of(self))
        return arrow_pandas_frame(table_of([page async for page in pages]))

    async def to_polars(self) -> pl.DataFrame:
        pages = self.arrow_pages() if _has_pyarrow() else None
        if pages is None:
            return polars_frame(await acolumns_of(self))
        return arrow_polars_frame(table_of([page async for page in pages]))
