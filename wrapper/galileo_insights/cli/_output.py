"""How results reach stdout: records, totals and per-period rows as a rich table, JSON, JSON Lines or CSV.

Writers consume iterators and write as they go, so an export of any size holds one record (one table
chunk for ``table``) at a time. JSON and JSON Lines records are exactly the generated model's
``to_dict()``; CSV flattens ``token_usage`` into four columns with nulls as empty cells.
"""

from __future__ import annotations

import csv
import datetime
import enum
import itertools
import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any, TextIO

import attrs
from rich import box
from rich.console import Console
from rich.table import Table

from galileo_insights import TOKEN_FIELDS, TokenUsageTotals
from galileo_insights_api.models.log_stream_insight_token_usage_db import LogStreamInsightTokenUsageDB
from galileo_insights_api.models.token_usage import TokenUsage

from ._periods import Period, PeriodUsage, bar

NULL_MARK = "—"
CSV_COLUMNS = ("id", "created_at", "updated_at", "project_id", "log_stream_id", *TOKEN_FIELDS)
PERIOD_COLUMNS = ("period_start", "records", "input_tokens", "output_tokens", "total_tokens")
BAR_WIDTH = 40
_TABLE_CHUNK = 200
_PIPED_WIDTH = 240
_TIME_WIDTH = 19
_UUID_WIDTH = 36
_COLUMN_GAP = 2
_TABLE_HEADINGS = {
    "input_tokens": "input",
    "output_tokens": "output",
    "cache_read_input_tokens": "cache read",
    "cache_creation_input_tokens": "cache creation",
}


class OutputFormat(enum.StrEnum):
    TABLE = "table"
    JSON = "json"
    JSONL = "jsonl"
    CSV = "csv"


def stdout_console() -> Console:
    """A console on the current ``sys.stdout``; wide when piped, so tables keep their natural width."""
    console = Console(highlight=False)
    if not console.is_terminal:
        console.width = max(console.width, _PIPED_WIDTH)
    return console


def token_counts(item: LogStreamInsightTokenUsageDB) -> dict[str, int | None]:
    """The four token counts of a record; None where the count is null or ``token_usage`` is absent."""
    usage = item.token_usage
    counts: dict[str, int | None] = {}
    for name in TOKEN_FIELDS:
        value = getattr(usage, name) if isinstance(usage, TokenUsage) else None
        counts[name] = value if isinstance(value, int) else None
    return counts


def csv_row(item: LogStreamInsightTokenUsageDB) -> dict[str, object]:
    return {
        "id": str(item.id),
        "created_at": item.created_at.isoformat(),
        "updated_at": item.updated_at.isoformat(),
        "project_id": str(item.project_id),
        "log_stream_id": str(item.log_stream_id),
        **token_counts(item),
    }


def write_records(items: Iterable[LogStreamInsightTokenUsageDB], output_format: OutputFormat, out: TextIO) -> None:
    match output_format:
        case OutputFormat.TABLE:
            _write_record_table(items, stdout_console())
        case OutputFormat.JSON:
            write_json_array((item.to_dict() for item in items), out)
        case OutputFormat.JSONL:
            write_json_lines((item.to_dict() for item in items), out)
        case OutputFormat.CSV:
            write_csv((csv_row(item) for item in items), CSV_COLUMNS, out)


def write_json_array(documents: Iterable[Mapping[str, Any]], out: TextIO) -> None:
    """One JSON array, one element per line, written element by element."""
    out.write("[")
    separator = "\n"
    for document in documents:
        out.write(separator + json.dumps(document, ensure_ascii=False))
        separator = ",\n"
    out.write("\n]\n" if separator != "\n" else "]\n")


def write_json_lines(documents: Iterable[Mapping[str, Any]], out: TextIO) -> None:
    for document in documents:
        out.write(json.dumps(document, ensure_ascii=False) + "\n")


def write_csv(rows: Iterable[Mapping[str, object]], columns: Sequence[str], out: TextIO) -> None:
    """A header, then one line per row; None becomes an empty cell."""
    writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow(row)


def _batched(items: Iterable[LogStreamInsightTokenUsageDB], size: int) -> Iterator[list[LogStreamInsightTokenUsageDB]]:
    iterator = iter(items)
    while chunk := list(itertools.islice(iterator, size)):
        yield chunk


def _count_cell(value: int | None) -> str:
    return NULL_MARK if value is None else f"{value:,}"


def _table(*, header: bool = True, caption: str | None = None) -> Table:
    return Table(
        box=box.SIMPLE_HEAD,
        show_header=header,
        show_edge=False,
        pad_edge=False,
        collapse_padding=True,
        caption=caption,
    )


def _record_table(*, header: bool, id_width: int) -> Table:
    table = _table(header=header)
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


def _id_cell(item: LogStreamInsightTokenUsageDB, width: int) -> str:
    text = str(item.id)
    return text if len(text) <= width else text[: width - 1] + "…"


def _write_record_table(items: Iterable[LogStreamInsightTokenUsageDB], console: Console) -> None:
    """Rows go out a chunk at a time with fixed column widths, so the chunks line up as one table."""
    printed = 0
    id_width = _id_width(console)
    for chunk in _batched(items, _TABLE_CHUNK):
        table = _record_table(header=printed == 0, id_width=id_width)
        for item in chunk:
            created = item.created_at.astimezone(datetime.UTC).strftime("%Y-%m-%d %H:%M:%S")
            counts = token_counts(item)
            cells = (_count_cell(counts[name]) for name in _TABLE_HEADINGS)
            table.add_row(created, _id_cell(item, id_width), *cells)
        console.print(table)
        printed += len(chunk)
    if printed == 0:
        console.print("No token-usage records matched.", style="dim")


def write_totals(totals: TokenUsageTotals, output_format: OutputFormat, out: TextIO) -> None:
    """Counts and sums: JSON (``attrs.asdict`` of ``TokenUsageTotals``) or a table."""
    if output_format is OutputFormat.JSON:
        out.write(json.dumps(attrs.asdict(totals), indent=2) + "\n")
        return
    table = _table(caption=f"{totals.records:,} records")
    table.add_column("field")
    for heading in ("total", "counted", "missing"):
        table.add_column(heading, justify="right")
    for name, field in totals.fields.items():
        table.add_row(name, f"{field.total:,}", f"{field.counted:,}", f"{field.missing:,}")
    stdout_console().print(table)


def period_row(row: PeriodUsage) -> dict[str, object]:
    return {
        "period_start": row.start.isoformat(),
        "records": row.records,
        "input_tokens": row.input_tokens,
        "output_tokens": row.output_tokens,
        "total_tokens": row.total_tokens,
    }


def write_periods(rows: Sequence[PeriodUsage], period: Period, output_format: OutputFormat, out: TextIO) -> None:
    match output_format:
        case OutputFormat.TABLE:
            _write_period_table(rows, period, stdout_console())
        case OutputFormat.JSON:
            write_json_array((period_row(row) for row in rows), out)
        case OutputFormat.JSONL:
            write_json_lines((period_row(row) for row in rows), out)
        case OutputFormat.CSV:
            write_csv((period_row(row) for row in rows), PERIOD_COLUMNS, out)


def _write_period_table(rows: Sequence[PeriodUsage], period: Period, console: Console) -> None:
    if not rows:
        console.print("No token-usage records matched.", style="dim")
        return
    table = _table()
    table.add_column(f"{period.value} (UTC)", no_wrap=True)
    for heading in ("records", "input", "output", "total tokens"):
        table.add_column(heading, justify="right", no_wrap=True)
    table.add_column("", no_wrap=True, style="cyan", min_width=BAR_WIDTH)
    peak = max(row.total_tokens for row in rows)
    for row in rows:
        table.add_row(
            period.label(row.start),
            f"{row.records:,}",
            f"{row.input_tokens:,}",
            f"{row.output_tokens:,}",
            f"{row.total_tokens:,}",
            bar(row.total_tokens, peak, BAR_WIDTH),
        )
    console.print(table)
    incomplete = sum(row.incomplete for row in rows)
    if incomplete:
        console.print(
            f"{incomplete:,} records had a null or missing input/output count; sums include known counts only.",
            style="dim",
        )
