"""``projects`` and ``log-streams``: what the credentials can see, by name and id, as a table, JSON or CSV."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, TextIO, assert_never

from galileo_insights import GalileoInsightsError, InsightsState

from ._failures import describe
from ._formats import ListFormat
from ._output import table_style, text_console, write_csv, write_json_array

if TYPE_CHECKING:
    from galileo_insights_api.models.run_insights_response import RunInsightsResponse

Row = Mapping[str, object]

PROJECT_COLUMNS = ("project", "project_id", "type", "created_at")
LOG_STREAM_COLUMNS = ("project", "project_id", "log_stream", "log_stream_id", "insights", "insights_since")


def write_listing(rows: Sequence[Row], columns: Sequence[str], output_format: ListFormat, out: TextIO) -> None:
    """One row per item; a table shows None as an empty cell, JSON as null, CSV as an empty cell."""
    match output_format:
        case ListFormat.TABLE:
            _write_table(rows, columns, out)
        case ListFormat.JSON:
            write_json_array(({name: row.get(name) for name in columns} for row in rows), out)
        case ListFormat.CSV:
            write_csv(rows, columns, out)
        case _:
            assert_never(output_format)


def _write_table(rows: Sequence[Row], columns: Sequence[str], out: TextIO) -> None:
    console = text_console(out)
    if not rows:
        console.print("None visible to these credentials.", style="dim")
        return
    table = table_style()
    for name in columns:
        table.add_column(name.replace("_", " "), no_wrap=True)
    for row in rows:
        table.add_row(*("" if row.get(name) is None else str(row.get(name)) for name in columns))
    console.print(table)


def insights_cells(found: RunInsightsResponse | GalileoInsightsError) -> dict[str, object]:
    """``insights``: enabled / disabled (or why it is unknown); ``insights_since``: the start time, if any."""
    if isinstance(found, GalileoInsightsError):
        return {"insights": f"unknown ({describe(found, None).removeprefix('error: ')})", "insights_since": None}
    state = InsightsState.of(found)
    return {
        "insights": "enabled" if state.enabled else "disabled",
        "insights_since": state.start_time.isoformat() if state.start_time else None,
    }
