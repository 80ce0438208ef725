"""Pages read straight into Arrow: tables, batches and the export without a Python object per record.

``decode_page`` hands a page body to pyarrow's JSON reader (C++, no Python object per value) with a declared
schema, then checks what the reader produced against what the generated models would accept: ids in canonical
form, timestamps in the ISO-8601 forms both readers agree on, integer counts within 64 bits, every required field
present and not null, ``token_usage`` an object where present. When any of that does not hold (a hostile or just
unusual page), it returns None and the page is parsed by the models instead, so the table is the one the model path
makes and a bad value raises the same typed error: the fast path only ever takes pages it can vouch for.
"""

from __future__ import annotations

import copy
import datetime
import functools
import io
from collections.abc import Awaitable, Sequence
from typing import TYPE_CHECKING, Any, Protocol

import httpx

from galileo_insights_api.models.log_stream_insight_token_usage_db import LogStreamInsightTokenUsageDB

from .... import _json
from ...._errors import ResponseValidationError
from ...._optional import require
from ...._page_cursors import PageEcho, PageRequest, WalkKey
from ...._pagination import OffsetPage
from .._record_fields import TOKEN_FIELDS
from ._arrow import record_batch, token_usage_schema
from ._columns import RecordColumns

if TYPE_CHECKING:
    import pyarrow as pa

    from .._page import TokenUsagePage

# A canonical UUID's characters mapped to their class (x: lowercase hex, -: dash, ?: anything else) and its shape.
_UUID_CLASSES = bytes(
    ord("x") if chr(byte) in "0123456789abcdef" else ord("-") if chr(byte) == "-" else ord("?") for byte in range(256)
)
_UUID_SHAPE = b"xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx"
_ZONE = r"(Z|[+-]\d\d(:?\d\d)?)$"
# Arrow reads UTC instants Python cannot hold (a year 0000, or 9999-12-31 west of UTC, which is year 10000 in UTC):
# microseconds since 1970 of the first and last instants Python has.
_EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)
_FIRST_DAY_US = (datetime.datetime.min.replace(tzinfo=datetime.UTC) - _EPOCH) // datetime.timedelta(microseconds=1)
_LAST_DAY_US = (datetime.datetime.max.replace(tzinfo=datetime.UTC) - _EPOCH) // datetime.timedelta(microseconds=1)


@functools.cache
def _arrow() -> tuple[Any, Any, Any]:
    """pyarrow, pyarrow.json and pyarrow.compute, imported once (a page calls for them a dozen times)."""
    return (
        require("pyarrow", "to_arrow()"),
        require("pyarrow.json", "to_arrow()"),
        require("pyarrow.compute", "to_arrow()"),
    )


@functools.cache
def _page_schema() -> pa.Schema:
    pa = _arrow()[0]
    record = pa.struct(
        [
            *((name, pa.string()) for name in ("id", "created_at", "updated_at", "project_id", "log_stream_id")),
            ("token_usage", pa.struct([(name, pa.int64()) for name in TOKEN_FIELDS])),
        ]
    )
    return pa.schema(
        [
            ("token_usages", pa.list_(record)),
            ("next_starting_token", pa.int64()),
            ("starting_token", pa.int64()),
            ("limit", pa.int64()),
            ("paginated", pa.bool_()),
        ]
    )


def decode_page(content: bytes) -> tuple[pa.RecordBatch, int | None, PageEcho] | None:  # noqa: PLR0911
    """The page's records as a batch of ``token_usage_schema()``, its next token and its echo of the request, or
    None when the page has anything the fast reader cannot vouch for (the caller then parses it with the models;
    one ``return None`` per refusal)."""
    pa, pa_json, _ = _arrow()
    # pyarrow 26's reader crashes the process on a body that is a bare ``null``: only objects go to it.
    if not content.lstrip().startswith(b"{"):
        return None
    try:
        table = pa_json.read_json(
            io.BytesIO(content),
            read_options=pa_json.ReadOptions(block_size=len(content) + 1, use_threads=False),
            parse_options=pa_json.ParseOptions(
                explicit_schema=_page_schema(), unexpected_field_behavior="ignore", newlines_in_values=True
            ),
        )
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError, pa.ArrowTypeError):
        return None
    if table.num_rows != 1:
        return None
    items = table.column("token_usages").chunk(0)
    if items.null_count:
        return None  # an absent or null list: the model path decides what that page means
    records = items.flatten()
    try:
        batch = _checked_batch(records, content)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError, pa.ArrowTypeError):
        return None
    if batch is None:
        return None
    row = {
        name: table.column(name)[0].as_py() for name in ("next_starting_token", "starting_token", "limit", "paginated")
    }
    return batch, row["next_starting_token"], PageEcho(row["starting_token"], row["limit"], row["paginated"])


def _checked_batch(records: pa.StructArray, content: bytes) -> pa.RecordBatch | None:
    pa, _, compute = _arrow()
    usage = records.field("token_usage")
    # A "token_usage": null reads as an absent object, which the model refuses: where some record has none, every
    # key in the body must be an object's (a count over the bytes, paid only by such pages).
    if records.null_count or (usage.null_count and content.count(b'"token_usage"') != len(usage) - usage.null_count):
        return None
    schema = token_usage_schema()
    arrays: dict[str, Any] = {name: records.field(name) for name in ("id", "project_id", "log_stream_id")}
    if any(column.null_count for column in arrays.values()):
        return None
    # A walk's rows share their project and log stream: their few distinct values are checked, not every row.
    shared = [compute.unique(arrays[name]) for name in ("project_id", "log_stream_id")]
    if not all(_canonical_uuids(column) for column in (arrays["id"], *shared)):
        return None
    stamps = [_timestamps(records.field(name)) for name in ("created_at", "updated_at")]
    if stamps[0] is None or stamps[1] is None:
        return None
    arrays["created_at"], arrays["updated_at"] = stamps
    for name in TOKEN_FIELDS:
        counts = usage.field(name)
        arrays[name] = counts if not usage.null_count else compute.if_else(usage.is_valid(), counts, None)
    return pa.RecordBatch.from_arrays([arrays[field.name] for field in schema], schema=schema)


def _canonical_uuids(column: pa.StringArray) -> bool:
    """Every value a UUID as Python writes it (36 characters, lowercase hex and four dashes where they belong).

    One ``bytes.translate`` over the values laid end to end, compared with the shape they must have: a third of
    the CPU of a regular expression per value, on a reader where that check was a twentieth of the page."""
    pa = _arrow()[0]
    fixed = column.cast(pa.binary(36))  # ArrowInvalid for a value of another length: the caller refuses the page
    if not len(fixed):
        return True
    start = fixed.offset * 36
    values: bytes = fixed.buffers()[1].to_pybytes()[start : start + len(fixed) * 36]
    return values.translate(_UUID_CLASSES) == _UUID_SHAPE * len(fixed)


def _timestamps(column: pa.StringArray) -> pa.Array | None:
    """The column as UTC timestamps (a naive one is UTC, see ``_record_fields``), or None for a value Arrow does
    not read or might read otherwise than Python's ``fromisoformat``. Arrow refuses what it cannot read exactly
    (seven fraction digits, a month 13, a stray character); it reads a year 0000, which Python does not."""
    pa, _, compute = _arrow()
    utc = token_usage_schema().field("created_at").type
    if column.null_count:
        return None
    try:
        stamps = _cast_all_aware_or_all_naive(column, utc)
        if stamps is None:  # a page mixing both: a naive time is marked UTC, then all are read at once
            aware = compute.match_substring_regex(column, _ZONE)
            marked = compute.if_else(aware, column, compute.binary_join_element_wise(column, "Z", ""))
            stamps = compute.cast(marked, utc)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return None
    if len(stamps):
        extremes = compute.min_max(stamps)
        if extremes["min"].value < _FIRST_DAY_US or extremes["max"].value > _LAST_DAY_US:
            return None
    return stamps


def _cast_all_aware_or_all_naive(column: pa.StringArray, utc: pa.DataType) -> pa.Array | None:
    pa, _, compute = _arrow()
    try:
        return compute.cast(column, utc)
    except pa.ArrowInvalid:
        pass
    try:
        return compute.cast(column, pa.timestamp("us")).cast(utc)
    except pa.ArrowInvalid:
        return None


def model_batch(items: Sequence[LogStreamInsightTokenUsageDB]) -> pa.RecordBatch:
    """The batch the model path makes of parsed records (the reference the fast path is held to)."""
    columns = RecordColumns()
    for item in items:
        columns.add(item)
    return record_batch(columns)


class ColumnarFetch(Protocol):
    """A page fetch that can also read its page from the undecoded body (the token-usage resource's, whose plan
    parses undecoded bodies with ``parse_columnar_page``)."""

    def undecoded(self, request: PageRequest) -> ColumnarPage: ...


class AsyncColumnarFetch(Protocol):
    def undecoded(self, request: PageRequest) -> Awaitable[ColumnarPage]: ...


class ColumnarPage(OffsetPage[LogStreamInsightTokenUsageDB]):
    """A page whose records are an Arrow ``batch``; ``items`` and ``response`` are parsed from the body on first use."""

    def __init__(
        self,
        batch: pa.RecordBatch,
        *,
        starting_token: int,
        limit: int,
        next_starting_token: int | None,
        http_response: httpx.Response,
        echo: PageEcho | None,
        parsed: TokenUsagePage | None = None,
    ) -> None:
        super().__init__(
            _LazyItems(self, range(batch.num_rows)),
            starting_token=starting_token,
            limit=limit,
            next_starting_token=next_starting_token,
            http_response=http_response,
            echo=echo,
        )
        self.batch = batch
        self._parsed = parsed

    @property
    def model_page(self) -> TokenUsagePage:
        """The page as the model path reads it (parsed once, when first asked for)."""
        if self._parsed is None:
            from .._page import parse_page  # noqa: PLC0415 - the model page imports this module's pager mixins

            document = _json.loads(self.http_response.content)
            self._parsed = parse_page(self.http_response, document, self._request)
        return self._parsed

    @property
    def response(self) -> Any:
        return self.model_page.response

    def trimmed(self, count: int) -> ColumnarPage:
        return self.kept((), 0, count)

    def walk_key_at(self, index: int) -> WalkKey:
        """From the batch, whose times the fast path holds to what Python can represent; a page the models
        parsed may hold a UTC instant past year 9999 (``9999-12-31T23:00-05:00``), so its keys come from them."""
        if self._parsed is not None:
            from .._page import walk_key  # noqa: PLC0415 - see model_page

            return walk_key(self.items[index])
        return self.batch.column("created_at")[index].as_py(), self.batch.column("id")[index].as_py()

    def kept(self, chosen: Sequence[int], low: int, high: int) -> ColumnarPage:
        """A copy over the chosen rows; its ``items`` are those rows' models (the body is parsed once, by the
        page it came in)."""
        page = copy.copy(self)
        lazy = self.items
        assert isinstance(lazy, _LazyItems)
        if chosen:
            pa = _arrow()[0]
            page.batch = self.batch.take(pa.array([*chosen, *range(low, high)], pa.int64()))
            rows: range | list[int] = [*(lazy.rows[index] for index in chosen), *lazy.rows[low:high]]
        else:
            page.batch = self.batch.slice(low, high - low)
            rows = lazy.rows[low:high]
        page.items = _LazyItems(lazy.page, rows)
        return page


class _LazyItems(Sequence[LogStreamInsightTokenUsageDB]):
    """A columnar page's records as models, parsed only if someone reads them (a table walk never does):
    ``rows`` of the body of ``page``, the page the server sent."""

    def __init__(self, page: ColumnarPage, rows: range | list[int]) -> None:
        self.page = page
        self.rows = rows

    def __len__(self) -> int:
        return len(self.rows)

    def __getitem__(self, index: Any) -> Any:
        items = self.page.model_page.items
        if isinstance(index, slice):
            return [items[row] for row in self.rows[index]]
        return items[self.rows[index]]


def parse_columnar_page(http_response: httpx.Response, content: object, request: PageRequest) -> ColumnarPage:
    """A page from its raw body: through ``decode_page``, else through the models (and their errors)."""
    assert isinstance(content, bytes)  # the fetch asks the core for the undecoded body
    decoded = decode_page(content)
    if decoded is not None:
        batch, next_token, echo = decoded
        return ColumnarPage(
            batch,
            starting_token=request.starting_token,
            limit=request.limit,
            next_starting_token=next_token,
            http_response=http_response,
            echo=echo,
        )
    from .._page import parse_page  # noqa: PLC0415 - see model_page

    try:
        document = _json.loads(content)
    except (ValueError, RecursionError) as exc:
        raise ResponseValidationError(f"response body is not JSON: {str(exc)[:300]}", response=http_response) from None
    page = parse_page(http_response, document, request)
    return ColumnarPage(
        model_batch(page.items),
        starting_token=request.starting_token,
        limit=request.limit,
        next_starting_token=page.next_starting_token,
        http_response=http_response,
        echo=page.echo,
        parsed=page,
    )
