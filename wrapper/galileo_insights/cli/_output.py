"""How results are written: records, totals and per-period rows as a rich table, JSON, JSON Lines, CSV or Parquet.

Each format has one writer, found through an exhaustive ``match`` (a new format that is not wired in fails
type checking). Writers consume iterators and write as they go, so an export of any size holds one record
(one table chunk, one Parquet batch) at a time. JSON and JSON Lines records are exactly the generated model's
``to_dict()``; CSV and Parquet flatten ``token_usage`` into four columns with nulls as empty cells / nulls.
Times shown in tables are UTC; a naive server timestamp is read as UTC.
"""

from __future__ import annotations

import csv
import itertools
import json
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import Any, BinaryIO, TextIO, assert_never

import attrs
from rich import box
from rich.console import Console
from rich.table import Table

from galileo_insights import (
    TOKEN_FIELDS,
    USAGE_COLUMNS,
    GroupBy,
    TokenCounts,
    TokenUsageTotals,
    UsageReport,
    UsageRow,
    token_usage_schema,
)
from galileo_insights.resources.token_usage import as_utc, iter_batches, require
from galileo_insights_api.models.log_stream_insight_token_usage_db import LogStreamInsightTokenUsageDB

from ._formats import OutputFormat

NULL_MARK = "—"
CSV_COLUMNS = ("id", "created_at", "updated_at", "project_id", "log_stream_id", *TOKEN_FIELDS)
BAR_WIDTH = 40
_PARQUET_BATCH_ROWS = 10_000
_TABLE_CHUNK = 200
_PIPED_WIDTH = 240
_TIME_WIDTH = 19
_UUID_WIDTH = 36
_COLUMN_GAP = 2
_BLOCKS = " ▏▎▍▌▋▊▉█"
_EIGHTHS = len(_BLOCKS) - 1
_TABLE_HEADINGS = {
    "input_tokens": "input",
    "output_tokens": "output",
    "cache_read_input_tokens": "cache read",
    "cache_creation_input_tokens": "cache creation",
}

Item = LogStreamInsightTokenUsageDB


@attrs.frozen
class Output:
    """Where a command writes: one destination seen as text (table, JSON, CSV) and as bytes (Parquet)."""

    text: TextIO
    binary: BinaryIO


RecordWriter = Callable[[Iterable[Item], Output], None]
PeriodWriter = Callable[[UsageReport, Output], None]


def record_writer(output_format: OutputFormat) -> RecordWriter:
    match output_format:
        case OutputFormat.TABLE:
            return lambda items, out: _write_record_table(items, text_console(out.text))
        case OutputFormat.JSON:
            return lambda items, out: write_json_array((item.to_dict() for item in items), out.text)
        case OutputFormat.JSONL:
            return lambda items, out: write_json_lines((item.to_dict() for item in items), out.text)
        case OutputFormat.CSV:
            return lambda items, out: write_csv((csv_row(item) for item in items), CSV_COLUMNS, out.text)
        case OutputFormat.PARQUET:
            return _write_records_parquet
        case _:
            assert_never(output_format)


def period_writer(output_format: OutputFormat) -> PeriodWriter:
    """Usage rows (``USAGE_COLUMNS``): names beside ids, the period in --tz, the four sums, total, cost."""
    match output_format:
        case OutputFormat.TABLE:
            return lambda report, out: _write_period_table(report, text_console(out.text))
        case OutputFormat.JSON:
            return lambda report, out: write_json_array((period_row(row) for row in report), out.text)
        case OutputFormat.JSONL:
            return lambda report, out: write_json_lines((period_row(row) for row in report), out.text)
        case OutputFormat.CSV:
            return lambda report, out: write_csv((period_row(row) for row in report), USAGE_COLUMNS, out.text)
        case OutputFormat.PARQUET:
            return _write_periods_parquet
        case _:
            assert_never(output_format)


def text_console(out: TextIO) -> Console:
    """A console on ``out``; wide when not a terminal, so tables keep their natural width."""
    console = Console(file=out, highlight=False)
    if not console.is_terminal:
        console.width = max(console.width, _PIPED_WIDTH)
    return console


def csv_row(item: Item) -> dict[str, object]:
    return {
        "id": str(item.id),
        "created_at": item.created_at.isoformat(),
        "updated_at": item.updated_at.isoformat(),
        "project_id": str(item.project_id),
        "log_stream_id": str(item.log_stream_id),
        **TokenCounts.of(item)._asdict(),
    }


def write_json_array(documents: Iterable[Mapping[str, Any]], out: TextIO) -> None:
    """One JSON array, one element per line, written element by element.

    Nothing is written until the first element exists, so a walk that fails before its first record leaves
    stdout empty rather than holding half an array.
    """
    separator = "[\n"
    for document in documents:
        out.write(separator + json.dumps(document, ensure_ascii=False))
        separator = ",\n"
    out.write("\n]\n" if separator != "[\n" else "[]\n")


def write_json_lines(documents: Iterable[Mapping[str, Any]], out: TextIO) -> None:
    for document in documents:
        out.write(json.dumps(document, ensure_ascii=False) + "\n")


def write_csv(rows: Iterable[Mapping[str, object]], columns: Sequence[str], out: TextIO) -> None:
    """A header, then one line per row; None becomes an empty cell."""
    writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow(row)


def _write_records_parquet(items: Iterable[Item], out: Output) -> None:
    """One Parquet file of ``token_usage_schema()``, written a batch at a time."""
    parquet = require("pyarrow.parquet", "--format parquet")
    out.text.flush()
    with parquet.ParquetWriter(out.binary, token_usage_schema()) as writer:
        for batch in iter_batches(items, _PARQUET_BATCH_ROWS):
            writer.write_batch(batch)


def _batched(items: Iterable[Item], size: int) -> Iterator[list[Item]]:
    iterator = iter(items)
    while chunk := list(itertools.islice(iterator, size)):
        yield chunk


def _count_cell(value: int | None) -> str:
    return NULL_MARK if value is None else f"{value:,}"


def table_style(*, header: bool = True, caption: str | None = None) -> Table:
    return Table(
        box=box.SIMPLE_HEAD,
        show_header=header,
        show_edge=False,
        pad_edge=False,
        collapse_padding=True,
        caption=caption,
    )


def _record_table(*, header: bool, id_width: int) -> Table:
    table = table_style(header=header)
    table.add_column("created_at (UTC)", width=_TIME_WIDTH, no_wrap=True)
    table.add_column("id", width=id_width, no_wrap=True)
    for heading in _TABLE_HEADINGS.values():
        table.add_column(heading, justify="right", width=_count_width(heading), no_wrap=True)
    return table


def _count_width(heading: str) -> int:
    return max(len(heading), 9)


def _id_width(console: Console) -> int:
    """The full 36 characters of a UUID when they fit; on a narrow terminal, what is left (at least 9)."""
    others = _TIME_WIDTH + sum(_count_width(heading) for heading in _TABLE_HEADINGS.values())
    gaps = _COLUMN_GAP * len(_TABLE_HEADINGS) + _COLUMN_GAP
    return max(9, min(_UUID_WIDTH, console.width - others - gaps))


def _id_cell(item: Item, width: int) -> str:
    text = str(item.id)
    return text if len(text) <= width else text[: width - 1] + "…"


def _write_record_table(items: Iterable[Item], console: Console) -> None:
    """Rows go out a chunk at a time with fixed column widths, so the chunks line up as one table."""
    printed = 0
    id_width = _id_width(console)
    for chunk in _batched(items, _TABLE_CHUNK):
        table = _record_table(header=printed == 0, id_width=id_width)
        for item in chunk:
            created = as_utc(item.created_at).strftime("%Y-%m-%d %H:%M:%S")
            table.add_row(created, _id_cell(item, id_width), *map(_count_cell, TokenCounts.of(item)))
        console.print(table)
        printed += len(chunk)
    if printed == 0:
        console.print("No token-usage records matched.", style="dim")


def write_totals(totals: TokenUsageTotals, output_format: OutputFormat, out: Output) -> None:
    """Counts and sums: JSON (``attrs.asdict`` of ``TokenUsageTotals``) or a table (the command allows no other)."""
    if output_format is OutputFormat.JSON:
        out.text.write(json.dumps(attrs.asdict(totals), indent=2) + "\n")
        return
    table = table_style(caption=f"{totals.records:,} records")
    table.add_column("field")
    for heading in ("total", "counted", "missing"):
        table.add_column(heading, justify="right")
    for name, field in totals.fields.items():
        table.add_row(name, f"{field.total:,}", f"{field.counted:,}", f"{field.missing:,}")
    text_console(out.text).print(table)


def period_row(row: UsageRow) -> dict[str, object]:
    """A usage row as JSON and CSV carry it: ids as strings, period bounds as ISO-8601 times with their offset."""
    flat = row.to_dict()
    flat["period_start"] = row.period_start.isoformat()
    flat["period_end"] = row.period_end.isoformat()
    return flat


def _write_periods_parquet(report: UsageReport, out: Output) -> None:
    parquet = require("pyarrow.parquet", "--format parquet")
    out.text.flush()
    parquet.write_table(report.to_arrow(), out.binary)


def bar(value: int, maximum: int, width: int) -> str:
    """``value`` as a run of unicode blocks, ``width`` characters for ``maximum``, in eighths of a character."""
    if maximum <= 0 or value <= 0:
        return ""
    eighths = max(1, round(value * width * _EIGHTHS / maximum))
    full, rest = divmod(eighths, _EIGHTHS)
    return _BLOCKS[-1] * full + (_BLOCKS[rest] if rest else "")


def _write_period_table(report: UsageReport, console: Console) -> None:
    if not report.rows:
        console.print("No log streams matched.", style="dim")
        return
    table = table_style(caption=report.prices)
    if report.group_by is not GroupBy.NONE:
        table.add_column("project", no_wrap=True)
    if report.group_by is GroupBy.LOG_STREAM:
        table.add_column("log stream", no_wrap=True)
    table.add_column(f"{report.period.value} ({report.zone})", no_wrap=True)
    headings = ["records", *_TABLE_HEADINGS.values(), "total tokens"] + (["cost USD"] if report.prices else [])
    for heading in headings:
        table.add_column(heading, justify="right", no_wrap=True)
    table.add_column("", no_wrap=True, style="cyan", min_width=BAR_WIDTH)
    peak = max(row.total_tokens for row in report)
    for row in report:
        names = [name for name in (row.project, row.log_stream) if name is not None]
        counts = [getattr(row, name) for name in TOKEN_FIELDS]
        cost_cell = [] if row.cost_usd is None else [f"{row.cost_usd:,.2f}"]
        table.add_row(
            *names,
            report.period.label(row.period_start),
            f"{row.records:,}",
            *(f"{count:,}" for count in counts),
            f"{row.total_tokens:,}",
            *cost_cell,
            bar(row.total_tokens, peak, BAR_WIDTH),
        )
    console.print(table)
    cost = sum((row.cost_usd or 0.0 for row in report), 0.0)
    console.print(
        f"total: {sum(row.records for row in report):,} records, {sum(row.total_tokens for row in report):,} tokens"
        + (f", {cost:,.2f} USD" if report.prices else "")
        + f" over {len(report.targets)} log streams",
        style="bold",
    )
    missing = sum(getattr(row, f"{name}_missing") for row in report for name in TOKEN_FIELDS)
    if missing:
        console.print(
            f"{missing:,} counts were null or missing; sums and costs include known counts only "
            "(--format json/csv/parquet has the missing counts per field).",
            style="dim",
        )
