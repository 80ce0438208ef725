"""Records of many log streams, each carrying its project and log stream by name beside the ids, in every format.

JSON and JSON Lines add ``project`` and ``log_stream`` to the generated model's ``to_dict()``; CSV and Parquet put
them first, then the one-log-stream columns; the table shows them first. Files written this way from several runs
concatenate: every row says what it counts.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Iterator
from typing import Any, assert_never

from galileo_insights import LogStreamTarget, TokenCounts, token_usage_schema
from galileo_insights.resources.token_usage import as_utc, iter_batches, require

from ._formats import OutputFormat
from ._output import (
    CSV_COLUMNS,
    NULL_MARK,
    Item,
    Output,
    csv_row,
    table_style,
    text_console,
    write_csv,
    write_json_array,
    write_json_lines,
)

Named = tuple[LogStreamTarget, Item]
NAMED_CSV_COLUMNS = ("project", "log_stream", *CSV_COLUMNS)
_BATCH_ROWS = 10_000
_TABLE_CHUNK = 200


def named_record_writer(output_format: OutputFormat) -> Callable[[Iterable[Named], Output], None]:
    match output_format:
        case OutputFormat.TABLE:
            return _write_table
        case OutputFormat.JSON:
            return lambda pairs, out: write_json_array((_document(pair) for pair in pairs), out.text)
        case OutputFormat.JSONL:
            return lambda pairs, out: write_json_lines((_document(pair) for pair in pairs), out.text)
        case OutputFormat.CSV:
            return lambda pairs, out: write_csv(
                ({**_names(target), **csv_row(item)} for target, item in pairs), NAMED_CSV_COLUMNS, out.text
            )
        case OutputFormat.PARQUET:
            return _write_parquet
        case _:
            assert_never(output_format)


def _names(target: LogStreamTarget) -> dict[str, object]:
    return {"project": target.project, "log_stream": target.log_stream}


def _document(pair: Named) -> dict[str, Any]:
    target, item = pair
    return {**_names(target), **item.to_dict()}


def _write_table(pairs: Iterable[Named], out: Output) -> None:
    console = text_console(out.text)
    printed = 0
    iterator = iter(pairs)
    while chunk := list(itertools.islice(iterator, _TABLE_CHUNK)):
        table = table_style(header=printed == 0)
        for heading in ("project", "log stream", "created_at (UTC)", "id"):
            table.add_column(heading, no_wrap=True)
        for heading in ("input", "output", "cache read", "cache creation"):
            table.add_column(heading, justify="right", no_wrap=True)
        for target, item in chunk:
            counts = (NULL_MARK if count is None else f"{count:,}" for count in TokenCounts.of(item))
            created = as_utc(item.created_at).strftime("%Y-%m-%d %H:%M:%S")
            table.add_row(target.project, target.log_stream, created, str(item.id), *counts)
        console.print(table)
        printed += len(chunk)
    if printed == 0:
        console.print("No token-usage records matched.", style="dim")


def _write_parquet(pairs: Iterable[Named], out: Output) -> None:
    """``token_usage_schema()`` with ``project`` and ``log_stream`` first, a batch at a time."""
    pyarrow: Any = require("pyarrow", "--format parquet")
    parquet = require("pyarrow.parquet", "--format parquet")
    base = token_usage_schema()
    schema = pyarrow.schema(
        [pyarrow.field("project", pyarrow.string()), pyarrow.field("log_stream", pyarrow.string()), *base]
    )
    names: list[LogStreamTarget] = []

    def items() -> Iterator[Item]:
        for target, item in pairs:
            names.append(target)
            yield item

    out.text.flush()
    with parquet.ParquetWriter(out.binary, schema) as writer:
        for batch in iter_batches(items(), _BATCH_ROWS):
            batch_names, names[:] = names[: batch.num_rows], names[batch.num_rows :]
            columns = [
                pyarrow.array([target.project for target in batch_names], pyarrow.string()),
                pyarrow.array([target.log_stream for target in batch_names], pyarrow.string()),
                *batch.columns,
            ]
            writer.write_batch(pyarrow.RecordBatch.from_arrays(columns, schema=schema))
