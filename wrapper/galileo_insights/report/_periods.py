"""``usage_by``'s rows (one log stream's ``PeriodUsage`` list) as report rows, with the names and ids they belong to."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from ..resources.token_usage._data._periods import PeriodUsage


def period_rows(
    usage: Sequence[PeriodUsage],
    *,
    project: str | None = None,
    project_id: uuid.UUID | str | None = None,
    log_stream: str | None = None,
    log_stream_id: uuid.UUID | str | None = None,
) -> list[dict[str, object]]:
    """One report row per period, with how many records missed each count; no cost (``usage_by`` has no prices).

    Args:
        usage: what ``client.token_usage.usage_by(...)`` returned for one log stream.
        project: the project's name, shown in the report (else its id is).
        project_id: the project's id.
        log_stream: the log stream's name, shown in the report (else its id is).
        log_stream_id: the log stream's id.

    Returns:
        Mappings with the columns of ``REPORT_COLUMNS`` plus ``<field>_missing`` for each token field.
    """
    names = {
        "project": project,
        "project_id": None if project_id is None else str(project_id),
        "log_stream": log_stream,
        "log_stream_id": None if log_stream_id is None else str(log_stream_id),
    }
    rows: list[dict[str, object]] = []
    for period in usage:
        row: dict[str, object] = {**names, "period_start": period.start, "records": period.records}
        for name, field in period.fields.items():
            row[name] = field.total
            row[f"{name}_missing"] = field.missing
        row["total_tokens"] = period.total_tokens
        row["cost_usd"] = None
        rows.append(row)
    return rows
