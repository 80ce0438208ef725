"""Incremental loading on ``updated_at``, one cursor per log stream.

A record the server updates gets a later ``updated_at``; reading each log stream from its latest ``updated_at``
loaded (inclusive) re-reads what changed since, and the merge on ``id`` replaces the loaded version. The cursor is
kept per log stream (not one over the whole resource, as ``dlt.sources.incremental`` keeps it) so that a log stream
added to the selection, or created since the last run, is read from its first record rather than from another
log stream's latest update. Records loaded at exactly the cursor's instant are remembered by id and left out when
read again, so a run with nothing new yields nothing.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

import attrs

from .._optional import require

if TYPE_CHECKING:
    import pyarrow as pa


@attrs.frozen
class UpdatedCursor:
    """The latest ``updated_at`` loaded for one log stream and the ids loaded at exactly that instant."""

    updated_at: datetime.datetime | None = None
    ids: frozenset[str] = frozenset()

    @classmethod
    def from_state(cls, state: Any) -> UpdatedCursor:
        """From what ``to_state`` wrote into the pipeline state (nothing yet: read from the first record)."""
        if not isinstance(state, dict) or state.get("updated_at") is None:
            return cls()
        return cls(datetime.datetime.fromisoformat(state["updated_at"]), frozenset(state.get("ids", ())))

    def to_state(self) -> dict[str, Any]:
        """The cursor as dlt stores it in the resource's state: JSON types only (``from_state`` reads it back)."""
        return {
            "updated_at": None if self.updated_at is None else self.updated_at.isoformat(),
            "ids": sorted(self.ids),
        }

    def unseen(self, batch: pa.RecordBatch) -> pa.RecordBatch:
        """``batch`` without the records loaded at the cursor's instant."""
        if self.updated_at is None or not self.ids:
            return batch
        pa = require("pyarrow", "the dlt source")
        compute = require("pyarrow.compute", "the dlt source")
        at_cursor = compute.equal(
            batch.column("updated_at"), pa.scalar(self.updated_at, batch.schema.field("updated_at").type)
        )
        seen = compute.and_(at_cursor, compute.is_in(batch.column("id"), value_set=pa.array(sorted(self.ids))))
        return batch.filter(compute.invert(seen))

    def advanced(self, batch: pa.RecordBatch) -> UpdatedCursor:
        """The cursor once ``batch`` is loaded too."""
        if not batch.num_rows:
            return self
        pa = require("pyarrow", "the dlt source")
        compute = require("pyarrow.compute", "the dlt source")
        latest = compute.max(batch.column("updated_at")).as_py()
        if self.updated_at is not None and latest < self.updated_at:
            return self
        at_latest = batch.filter(
            compute.equal(batch.column("updated_at"), pa.scalar(latest, batch.schema.field("updated_at").type))
        )
        ids = frozenset(at_latest.column("id").to_pylist())
        if latest == self.updated_at:
            ids |= self.ids
        return UpdatedCursor(latest, ids)
