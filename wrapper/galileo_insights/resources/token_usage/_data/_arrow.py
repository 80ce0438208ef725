"""Records as Arrow: one declared schema, record batches in constant memory, whole tables.

Ids are the canonical UUID strings (what every Parquet reader, pandas and polars show as is); timestamps
are ``timestamp[us, tz=UTC]`` (naive server timestamps read as UTC); the four counts are nullable ``int64``,
null where the server sent null or no ``token_usage``.
"""

from __future__ import annotations

import functools
from collections.abc import AsyncIterable, AsyncIterator, Iterable, Iterator
from typing import TYPE_CHECKING, Any

import attrs

from galileo_insights_api.models.log_stream_insight_token_usage_db import LogStreamInsightTokenUsageDB

from ...._errors import GalileoInsightsError, InvalidRequestError
from ...._optional import require
from .._record_fields import TOKEN_FIELDS
from ._columns import ID_COLUMNS, RecordColumns, uuid_strings, uuid_text

if TYPE_CHECKING:
    import pyarrow as pa

DEFAULT_BATCH_ROWS = 65_536
_UUID_GROUPS = ((0, 8), (8, 12), (12, 16), (16, 20), (20, 32))


def _pyarrow(feature: str) -> Any:
    return require("pyarrow", feature)


@functools.cache
def token_usage_schema() -> pa.Schema:
    """The Arrow schema of every table, batch and Parquet file of token-usage records."""
    pa = _pyarrow("token_usage_schema()")
    timestamp = pa.timestamp("us", tz="UTC")
    return pa.schema(
        [
            pa.field("id", pa.string(), nullable=False),
            pa.field("created_at", timestamp, nullable=False),
            pa.field("updated_at", timestamp, nullable=False),
            pa.field("project_id", pa.string(), nullable=False),
            pa.field("log_stream_id", pa.string(), nullable=False),
            *(pa.field(name, pa.int64()) for name in TOKEN_FIELDS),
        ]
    )


def check_rows(rows: int) -> int:
    if isinstance(rows, bool) or not isinstance(rows, int) or rows < 1:
        raise InvalidRequestError(f"rows must be an int >= 1, got {rows!r}")
    return rows


def _uuid_array(values: list[int]) -> pa.Array:
    """Distinct UUIDs (128-bit ints) as canonical strings, built column-wise: hex per value, dashes by Arrow.

    Faster than ``str(UUID)`` per value (which formats, then slices and joins in Python); record ids are
    the largest share of what a table adds to a walk.
    """
    pa = _pyarrow("to_arrow()")
    compute = require("pyarrow.compute", "to_arrow()")
    hexes = pa.array([f"{value:032x}" for value in values], type=pa.string())
    parts = (compute.utf8_slice_codeunits(hexes, start, stop) for start, stop in _UUID_GROUPS)
    return compute.binary_join_element_wise(*parts, "-")


def record_batch(columns: RecordColumns) -> pa.RecordBatch:
    """The records collected in ``columns`` as one batch of ``token_usage_schema()``.

    Timestamps go to pyarrow as parsed: it converts aware ones to UTC and takes naive ones as UTC, the
    SDK's reading of a naive server timestamp (a test holds it to that).
    """
    pa = _pyarrow("record_batch()")
    schema = token_usage_schema()
    arrays = []
    for field in schema:
        if field.name == "id":
            arrays.append(_uuid_array(columns.id))
        elif field.name in ID_COLUMNS:
            arrays.append(pa.array(uuid_strings(columns.column(field.name)), type=field.type))
        else:
            arrays.append(_int_or_time_array(pa, columns, field))
    return pa.RecordBatch.from_arrays(arrays, schema=schema)


def _int_or_time_array(pa: Any, columns: RecordColumns, field: Any) -> Any:
    """A column as ``field``'s type; a count too large for int64 is named (record and field), not an
    ``OverflowError`` from deep inside pyarrow."""
    values = columns.column(field.name)
    try:
        return pa.array(values, type=field.type)
    except (OverflowError, pa.ArrowInvalid):
        for row, value in enumerate(values):
            if isinstance(value, int) and not -(2**63) <= value < 2**63:
                raise GalileoInsightsError(
                    f"record {uuid_text(columns.id[row])}: {field.name} = {value} does not fit a 64-bit integer "
                    "column (Arrow, Parquet); the server sent a count of 2**63 or more"
                ) from None
        raise


@attrs.define
class _Batcher:
    """Collects records and hands out a batch every ``rows`` of them: the loop body of the sync and async walks."""

    rows: int
    _columns: RecordColumns = attrs.Factory(RecordColumns)

    def add(self, item: LogStreamInsightTokenUsageDB) -> pa.RecordBatch | None:
        self._columns.add(item)
        return self.flush() if len(self._columns) >= self.rows else None

    def flush(self) -> pa.RecordBatch | None:
        if not len(self._columns):
            return None
        batch, self._columns = record_batch(self._columns), RecordColumns()
        return batch


def iter_batches(items: Iterable[LogStreamInsightTokenUsageDB], rows: int) -> Iterator[pa.RecordBatch]:
    """Batches of at most ``rows`` records; only one batch's records are held at a time.

    ``rows`` and pyarrow are checked now, before the first record is fetched.
    """
    check_rows(rows)
    _pyarrow("iter_batches()")
    return _batches(items, _Batcher(rows))


def _batches(items: Iterable[LogStreamInsightTokenUsageDB], batcher: _Batcher) -> Iterator[pa.RecordBatch]:
    for item in items:
        if (batch := batcher.add(item)) is not None:
            yield batch
    if (batch := batcher.flush()) is not None:
        yield batch


def aiter_batches(items: AsyncIterable[LogStreamInsightTokenUsageDB], rows: int) -> AsyncIterator[pa.RecordBatch]:
    """``iter_batches`` over an async iterable."""
    check_rows(rows)
    _pyarrow("iter_batches()")
    return _abatches(items, _Batcher(rows))


async def _abatches(
    items: AsyncIterable[LogStreamInsightTokenUsageDB], batcher: _Batcher
) -> AsyncIterator[pa.RecordBatch]:
    async for item in items:
        if (batch := batcher.add(item)) is not None:
            yield batch
    if (batch := batcher.flush()) is not None:
        yield batch


def table_of(batches: Iterable[pa.RecordBatch]) -> pa.Table:
    pa = _pyarrow("to_arrow()")
    return pa.Table.from_batches(list(batches), schema=token_usage_schema())


def to_arrow(items: Iterable[LogStreamInsightTokenUsageDB]) -> pa.Table:
    """Every record as one ``pyarrow.Table`` of ``token_usage_schema()`` (empty, with the schema, if none)."""
    _pyarrow("to_arrow()")
    return table_of(iter_batches(items, DEFAULT_BATCH_ROWS))


async def ato_arrow(items: AsyncIterable[LogStreamInsightTokenUsageDB]) -> pa.Table:
    _pyarrow("to_arrow()")
    return table_of([batch async for batch in aiter_batches(items, DEFAULT_BATCH_ROWS)])
