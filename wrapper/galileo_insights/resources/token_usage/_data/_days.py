"""Arrow batches of an ascending walk cut into UTC days, checked for order, one row per id: the export's input.

Everything is column-wise: a batch is checked and cut with a few Arrow kernels, and only the ids of a day are
held in Python (to keep one row per id across the pages of that day).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from typing import TYPE_CHECKING

import attrs

from ...._errors import PaginationError
from ...._optional import require

if TYPE_CHECKING:
    import pyarrow as pa

_EPOCH = datetime.date(1970, 1, 1)


def days_of(
    batch: pa.RecordBatch, since: datetime.datetime, before: datetime.datetime, after: datetime.date
) -> Iterator[tuple[datetime.date, pa.RecordBatch]]:
    """``batch`` cut into runs of one UTC day, in order. Every record must lie in ``[since, before)`` on
    ``after`` or a later day, days ascending; the first that does not is a ``PaginationError`` naming it."""
    pa = require("pyarrow", "the Parquet export")
    compute = require("pyarrow.compute", "the Parquet export")
    if not batch.num_rows:
        return
    created = batch.column("created_at")
    days = compute.cast(compute.cast(created, pa.date32()), pa.int32())
    low = (after - _EPOCH).days
    in_range = compute.and_(
        compute.and_(
            compute.greater_equal(created, pa.scalar(since, created.type)),
            compute.less(created, pa.scalar(before, created.type)),
        ),
        compute.greater_equal(days, low),
    )
    ordered = compute.greater_equal(days[1:], days[:-1]) if batch.num_rows > 1 else pa.array([], pa.bool_())
    if not compute.all(in_range).as_py() or not (len(ordered) == 0 or compute.all(ordered).as_py()):
        _raise_out_of_order(batch, in_range, ordered=ordered, since=since, before=before, after=after)
    start = 0
    counts = compute.value_counts(days)  # in order of first appearance: the days, ascending
    for entry in counts.to_pylist():
        length = entry["counts"]
        yield _EPOCH + datetime.timedelta(days=entry["values"]), batch.slice(start, length)
        start += length


def _raise_out_of_order(
    batch: pa.RecordBatch,
    in_range: pa.BooleanArray,
    *,
    ordered: pa.BooleanArray,
    since: datetime.datetime,
    before: datetime.datetime,
    after: datetime.date,
) -> None:
    flags = in_range.to_pylist()
    order = [True, *ordered.to_pylist()]
    index = next(
        i for i, (inside, ascending) in enumerate(zip(flags, order, strict=True)) if not (inside and ascending)
    )
    created = batch.column("created_at")[index].as_py()
    previous = batch.column("created_at")[index - 1].as_py().date() if index and flags[index] else after
    raise PaginationError(
        f"record {batch.column('id')[index].as_py()} created at {created.isoformat()} came after a record of "
        f"{previous} in a walk of [{since.isoformat()}, {before.isoformat()}) sorted by created_at; "
        "the export stopped before writing that day"
    )


@attrs.define
class DistinctIds:
    """The ids of one day written so far: a page read twice (a retried window edge) adds no row twice."""

    _seen: set[str] = attrs.Factory(set)

    def new_rows(self, batch: pa.RecordBatch) -> pa.RecordBatch:
        ids: list[str] = batch.column("id").to_pylist()
        distinct = set(ids)
        if len(distinct) == len(ids) and self._seen.isdisjoint(distinct):
            self._seen |= distinct
            return batch  # all new and distinct: the case of every page a server sends in order
        keep = []
        for identifier in ids:
            keep.append(identifier not in self._seen)
            self._seen.add(identifier)
        return batch.filter(require("pyarrow", "the Parquet export").array(keep))
