"""The record store: records per (project, log stream), kept in ascending (created_at, id) order, and filter selection.

Each stream holds at most one lazily generated block plus any records added by hand. Positions in the merged order are
computed, not materialized, so filtering on ``created_at`` is a binary search. Filtering on ``updated_at`` has to look
at every candidate; its result is cached until the stream changes.
"""

from __future__ import annotations

import bisect
import threading
import uuid
from array import array
from collections import OrderedDict
from collections.abc import Iterable, Iterator, Sequence
from typing import Literal, overload

import attrs

from galileo_insights.testing._records import GeneratedRecords, TokenUsageRecord, to_micros

TimeField = Literal["created_at", "updated_at"]
Operator = Literal["eq", "ne", "gt", "gte", "lt", "lte"]
StreamKey = tuple[uuid.UUID, uuid.UUID]

_CACHE_SIZE = 16


@attrs.frozen
class TimeFilter:
    """``field operator value``, the value an instant in µs since the epoch."""

    field: TimeField
    operator: Operator
    value_us: int

    def accepts(self, micros: int) -> bool:
        """Whether an instant (µs since the epoch) passes this filter."""
        match self.operator:
            case "eq":
                return micros == self.value_us
            case "ne":
                return micros != self.value_us
            case "gt":
                return micros > self.value_us
            case "gte":
                return micros >= self.value_us
            case "lt":
                return micros < self.value_us
            case "lte":
                return micros <= self.value_us


class _Stream:
    """One log stream's records in ascending (created_at, id) order: a generated block merged with added records."""

    def __init__(self) -> None:
        self.generated: GeneratedRecords | None = None
        self.added: list[TokenUsageRecord] = []
        self._added_keys: list[tuple[int, str]] = []
        self._added_positions: list[int] = []
        self.version: int = 0

    def __len__(self) -> int:
        return len(self.added) + (len(self.generated) if self.generated is not None else 0)

    def add(self, record: TokenUsageRecord) -> None:
        key = record.sort_key
        where = bisect.bisect_right(self._added_keys, key)
        self._added_keys.insert(where, key)
        self.added.insert(where, record)
        self._reposition()

    def update(self, record: TokenUsageRecord) -> None:
        """Replace the added record with ``record``'s id (same ``created_at``: its place does not change)."""
        for index, held in enumerate(self.added):
            if held.id == record.id:
                if held.created_at != record.created_at:
                    raise ValueError(f"record {record.id}: an update keeps created_at ({held.created_at.isoformat()})")
                self.added[index] = record
                self.version += 1
                return
        raise KeyError(f"no record {record.id} was added to this log stream (generated records cannot be updated)")

    def set_generated(self, generated: GeneratedRecords) -> None:
        if self.generated is not None:
            raise ValueError("this log stream already has a generated block; add records by hand instead")
        self.generated = generated
        self._reposition()

    def _reposition(self) -> None:
        self.version += 1
        generated = self.generated
        if generated is None:
            self._added_positions = list(range(len(self.added)))
            return
        keys = range(len(generated))
        self._added_positions = [
            bisect.bisect_right(keys, key, key=lambda i: (generated.created_us(i), str(generated.record_id(i)))) + rank
            for rank, key in enumerate(self._added_keys)
        ]

    def _locate(self, position: int) -> tuple[bool, int]:
        """(is an added record, index within the added list or the generated block)."""
        before = bisect.bisect_left(self._added_positions, position)
        if before < len(self._added_positions) and self._added_positions[before] == position:
            return True, before
        return False, position - before

    def record(self, position: int) -> TokenUsageRecord:
        added, index = self._locate(position)
        if added:
            return self.added[index]
        assert self.generated is not None  # _locate only points into the block when it exists
        return self.generated[index]

    def created_us(self, position: int) -> int:
        added, index = self._locate(position)
        if added:
            return self._added_keys[index][0]
        assert self.generated is not None  # as above
        return self.generated.created_us(index)

    def updated_us(self, position: int) -> int:
        added, index = self._locate(position)
        if added:
            return to_micros(self.added[index].updated_at)
        assert self.generated is not None  # as above
        return self.generated.updated_us(index)


class _Ranges(Sequence[int]):
    """Disjoint ascending ranges seen as one sequence of positions."""

    def __init__(self, ranges: Iterable[range]) -> None:
        self._ranges = [r for r in ranges if len(r)]
        self._starts: list[int] = []
        total = 0
        for r in self._ranges:
            self._starts.append(total)
            total += len(r)
        self._len = total

    def __len__(self) -> int:
        return self._len

    @overload
    def __getitem__(self, index: int) -> int: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[int]: ...
    def __getitem__(self, index: int | slice) -> int | Sequence[int]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(self._len))]
        if index < 0:
            index += self._len
        if not 0 <= index < self._len:
            raise IndexError(index)
        which = bisect.bisect_right(self._starts, index) - 1
        return self._ranges[which][index - self._starts[which]]

    def __iter__(self) -> Iterator[int]:
        for r in self._ranges:
            yield from r


class Selection(Sequence[TokenUsageRecord]):
    """The records that passed the filters, in ascending (created_at, id) order; records are built on access."""

    def __init__(self, stream: _Stream | None, positions: Sequence[int]) -> None:
        self._stream = stream
        self._positions = positions

    def __len__(self) -> int:
        return len(self._positions)

    @overload
    def __getitem__(self, index: int) -> TokenUsageRecord: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[TokenUsageRecord]: ...
    def __getitem__(self, index: int | slice) -> TokenUsageRecord | Sequence[TokenUsageRecord]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        assert self._stream is not None  # an empty selection has no positions to index
        return self._stream.record(self._positions[index])


class RecordStore:
    """Token-usage records by (project id, log stream id). Thread-safe; adding records invalidates cached selections."""

    def __init__(self, records: Iterable[TokenUsageRecord] = ()) -> None:
        self._streams: dict[StreamKey, _Stream] = {}
        self._cache: OrderedDict[tuple[object, ...], Sequence[int]] = OrderedDict()
        self._lock = threading.RLock()
        self.add(records)

    def __repr__(self) -> str:
        return f"RecordStore(streams={len(self._streams)}, records={len(self)})"

    def __len__(self) -> int:
        with self._lock:
            return sum(len(stream) for stream in self._streams.values())

    def add(self, records: Iterable[TokenUsageRecord]) -> None:
        """Add hand-made records; each goes to the stream its ``project_id`` and ``log_stream_id`` name."""
        with self._lock:
            for record in records:
                self._stream((record.project_id, record.log_stream_id)).add(record)

    def update(self, record: TokenUsageRecord) -> None:
        """Change a record added by hand, as the server does when it updates one (a later ``updated_at``, new
        counts): later selections see the new version in its place."""
        with self._lock:
            self._stream((record.project_id, record.log_stream_id)).update(record)

    def add_generated(self, generated: GeneratedRecords) -> GeneratedRecords:
        """Attach a generated block to its stream (one block per stream)."""
        with self._lock:
            self._stream((generated.project_id, generated.log_stream_id)).set_generated(generated)
        return generated

    def streams(self) -> list[StreamKey]:
        """The ``(project_id, log_stream_id)`` of every log stream that holds records."""
        with self._lock:
            return list(self._streams)

    def records(self, project_id: uuid.UUID, log_stream_id: uuid.UUID) -> Selection:
        """Every record of a stream in ascending order (empty for an unknown stream)."""
        return self.select(project_id, log_stream_id, ())

    def select(self, project_id: uuid.UUID, log_stream_id: uuid.UUID, filters: Iterable[TimeFilter]) -> Selection:
        """The records of a stream passing every filter, in ascending (created_at, id) order."""
        filters = tuple(filters)
        with self._lock:
            stream = self._streams.get((project_id, log_stream_id))
            if stream is None:
                return Selection(None, ())
            cache_key = (project_id, log_stream_id, stream.version, filters)
            positions = self._cache.get(cache_key)
            if positions is None:
                positions = _positions(stream, filters)
                self._cache[cache_key] = positions
                while len(self._cache) > _CACHE_SIZE:
                    self._cache.popitem(last=False)
            else:
                self._cache.move_to_end(cache_key)
            return Selection(stream, positions)

    def _stream(self, key: StreamKey) -> _Stream:
        stream = self._streams.get(key)
        if stream is None:
            stream = self._streams[key] = _Stream()
        return stream


def _positions(stream: _Stream, filters: tuple[TimeFilter, ...]) -> Sequence[int]:
    """Binary-search the ``created_at`` filters into ranges, then scan those ranges for the ``updated_at`` ones."""
    positions = range(len(stream))
    low, high = 0, len(stream)
    excluded: list[range] = []
    for rule in filters:
        if rule.field != "created_at":
            continue
        first = bisect.bisect_left(positions, rule.value_us, key=stream.created_us)
        after = bisect.bisect_right(positions, rule.value_us, key=stream.created_us)
        match rule.operator:
            case "eq":
                low, high = max(low, first), min(high, after)
            case "ne":
                excluded.append(range(first, after))
            case "gt":
                low = max(low, after)
            case "gte":
                low = max(low, first)
            case "lt":
                high = min(high, first)
            case "lte":
                high = min(high, after)
    kept: list[range] = []
    cursor = low
    for gap in sorted(excluded, key=lambda r: r.start):
        if gap.start > cursor:
            kept.append(range(cursor, min(gap.start, high)))
        cursor = max(cursor, gap.stop)
    if cursor < high:
        kept.append(range(cursor, high))
    candidates = _Ranges(kept)
    later = [rule for rule in filters if rule.field == "updated_at"]
    if not later:
        return candidates
    return array("q", (p for p in candidates if all(rule.accepts(stream.updated_us(p)) for rule in later)))
