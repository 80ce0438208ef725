"""Token-usage records: the value type the fake stores, and a seeded generator that computes records from an index.

A ``GeneratedRecords`` of a million records holds no per-record objects: record ``i`` is derived from a hash of
``(seed, i)``, so it is the same on every run and every machine. Generated ``created_at`` values strictly increase
with the index, which lets the store sort and range-filter them without looking at every record.
"""

from __future__ import annotations

import hashlib
import struct
import uuid
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any, overload

import attrs

DEFAULT_PROJECT_ID = uuid.UUID("6f1c1a2e-7d3b-4c5e-9a8f-0b1c2d3e4f50")
DEFAULT_LOG_STREAM_ID = uuid.UUID("3d2b8c4a-5e6f-4a7b-8c9d-e0f1a2b3c4d5")
DEFAULT_START = datetime(2025, 1, 1, tzinfo=UTC)

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICROSECOND = timedelta(microseconds=1)
_MAX_UPDATE_DELAY_US = 3_600_000_000
_COUNT_CEILINGS = (20_000, 4_000, 10_000, 2_000)


def to_micros(moment: datetime) -> int:
    """Microseconds since the Unix epoch; a naive datetime is taken to be UTC."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return (moment - _EPOCH) // _MICROSECOND


def from_micros(micros: int) -> datetime:
    return _EPOCH + timedelta(microseconds=micros)


def format_instant(moment: datetime) -> str:
    """RFC 3339 in UTC with a ``Z``, microseconds only when non-zero (how pydantic serializes a UTC datetime)."""
    text = moment.astimezone(UTC).replace(tzinfo=None).isoformat()
    return f"{text}Z"


def _as_uuid(value: uuid.UUID | str) -> uuid.UUID:
    return value if isinstance(value, uuid.UUID) else uuid.UUID(value)


def _as_aware(value: datetime) -> datetime:
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value


@attrs.frozen
class TokenCounts:
    """The ``token_usage`` object of a record; every count may be null."""

    input_tokens: int | None = None
    output_tokens: int | None = None
    cache_read_input_tokens: int | None = None
    cache_creation_input_tokens: int | None = None

    def to_json(self) -> dict[str, int | None]:
        """The ``token_usage`` object as JSON, nulls included."""
        return attrs.asdict(self)


@attrs.frozen(kw_only=True)
class TokenUsageRecord:
    """One ``LogStreamInsightTokenUsageDB`` row. Naive datetimes are taken to be UTC; ids may be given as strings."""

    created_at: datetime = attrs.field(converter=_as_aware)
    updated_at: datetime = attrs.field(converter=_as_aware)
    id: uuid.UUID = attrs.field(factory=uuid.uuid4, converter=_as_uuid)
    project_id: uuid.UUID = attrs.field(default=DEFAULT_PROJECT_ID, converter=_as_uuid)
    log_stream_id: uuid.UUID = attrs.field(default=DEFAULT_LOG_STREAM_ID, converter=_as_uuid)
    token_usage: TokenCounts | None = None

    @updated_at.default
    def _updated_at_default(self) -> datetime:
        return self.created_at

    @property
    def sort_key(self) -> tuple[int, str]:
        """Order of the ascending sort: ``created_at``, ties broken by ``id``."""
        return (to_micros(self.created_at), str(self.id))

    def to_json(self) -> dict[str, Any]:
        """The record as the API sends it (a ``LogStreamInsightTokenUsageDB``)."""
        body: dict[str, Any] = {
            "id": str(self.id),
            "created_at": format_instant(self.created_at),
            "updated_at": format_instant(self.updated_at),
            "project_id": str(self.project_id),
            "log_stream_id": str(self.log_stream_id),
        }
        if self.token_usage is not None:
            body["token_usage"] = self.token_usage.to_json()
        return body


def _share(value: float) -> float:
    if not 0.0 <= value <= 1.0:
        raise ValueError(f"a share must be between 0 and 1, got {value}")
    return value


def _non_negative(_: object, attribute: attrs.Attribute[int], value: int) -> None:
    if value < 0:
        raise ValueError(f"{attribute.name} must be >= 0, got {value}")


@attrs.frozen
class GeneratedRecords(Sequence[TokenUsageRecord]):
    """``size`` deterministic records in one log stream, computed on access.

    ``created_at`` runs from ``start`` across ``span`` in strictly increasing steps (at least 1 µs apart, so a span
    shorter than ``size`` µs is stretched); ``updated_at`` is up to an hour later. Each token count is null with
    probability ``null_share``; the whole ``token_usage`` is absent with probability ``missing_share``.
    """

    size: int = attrs.field(validator=_non_negative)
    seed: int = 0
    start: datetime = attrs.field(default=DEFAULT_START, converter=_as_aware)
    span: timedelta = timedelta(days=30)
    null_share: float = attrs.field(default=0.1, converter=_share)
    missing_share: float = attrs.field(default=0.05, converter=_share)
    project_id: uuid.UUID = attrs.field(default=DEFAULT_PROJECT_ID, converter=_as_uuid)
    log_stream_id: uuid.UUID = attrs.field(default=DEFAULT_LOG_STREAM_ID, converter=_as_uuid)
    _start_us: int = attrs.field(init=False, repr=False, eq=False)
    _step_us: int = attrs.field(init=False, repr=False, eq=False)

    def __attrs_post_init__(self) -> None:
        object.__setattr__(self, "_start_us", to_micros(self.start))
        step = (self.span // _MICROSECOND) // self.size if self.size else 1
        object.__setattr__(self, "_step_us", max(1, step))

    def __len__(self) -> int:
        return self.size

    @overload
    def __getitem__(self, index: int) -> TokenUsageRecord: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[TokenUsageRecord]: ...
    def __getitem__(self, index: int | slice) -> TokenUsageRecord | Sequence[TokenUsageRecord]:
        if isinstance(index, slice):
            return [self._record(i) for i in range(*index.indices(self.size))]
        return self._record(self._checked(index))

    def __iter__(self) -> Iterator[TokenUsageRecord]:
        return (self._record(i) for i in range(self.size))

    def created_us(self, index: int) -> int:
        """``created_at`` of record ``index`` in µs since the epoch, without building the record."""
        (jitter,) = struct.unpack_from("<I", self._digest(index), 16)
        return self._start_us + index * self._step_us + int(jitter) % self._step_us

    def updated_us(self, index: int) -> int:
        """``updated_at`` of record ``index`` in µs since the epoch (``created_at`` plus a seeded delay), without
        building the record."""
        digest = self._digest(index)
        jitter, delay = struct.unpack_from("<II", digest, 16)
        return self._start_us + index * self._step_us + int(jitter) % self._step_us + int(delay) % _MAX_UPDATE_DELAY_US

    def record_id(self, index: int) -> uuid.UUID:
        """The id of record ``index``: the same for the same seed."""
        return uuid.UUID(bytes=self._digest(index)[:16], version=4)

    def _checked(self, index: int) -> int:
        position = index + self.size if index < 0 else index
        if not 0 <= position < self.size:
            raise IndexError(index)
        return position

    def _digest(self, index: int) -> bytes:
        return hashlib.blake2b(struct.pack("<qq", self.seed, index), digest_size=64).digest()

    def _record(self, index: int) -> TokenUsageRecord:
        digest = self._digest(index)
        jitter, delay, missing = struct.unpack_from("<III", digest, 16)
        created = self._start_us + index * self._step_us + jitter % self._step_us
        usage: TokenCounts | None = None
        if missing / 2**32 >= self.missing_share:
            counts: list[int | None] = []
            for field, ceiling in enumerate(_COUNT_CEILINGS):
                null_draw, value = struct.unpack_from("<HI", digest, 28 + 6 * field)
                counts.append(None if null_draw / 2**16 < self.null_share else value % ceiling)
            usage = TokenCounts(*counts)
        return TokenUsageRecord(
            id=uuid.UUID(bytes=digest[:16], version=4),
            created_at=from_micros(created),
            updated_at=from_micros(created + delay % _MAX_UPDATE_DELAY_US),
            project_id=self.project_id,
            log_stream_id=self.log_stream_id,
            token_usage=usage,
        )
