"""Usage rows for the report tests: a small org of log streams over days of a zone, with known sums."""

from __future__ import annotations

import datetime
import zoneinfo
from typing import Any

PARIS = zoneinfo.ZoneInfo("Europe/Paris")


def org_rows(
    projects: int = 2, log_streams: int = 3, days: int = 5, *, priced: bool = True, first: datetime.date | None = None
) -> list[dict[str, Any]]:
    """One row per (project, log stream, day): log stream ``l`` of project ``p`` used ``(p + 1) * (l + 1)``
    thousand input tokens and 100 output tokens a day, at $3 / $15 per million when ``priced``."""
    start = first or datetime.date(2025, 3, 28)
    rows = []
    for p in range(projects):
        for stream in range(log_streams):
            for day in range(days):
                moment = datetime.datetime.combine(start + datetime.timedelta(days=day), datetime.time(0), PARIS)
                input_tokens, output_tokens = (p + 1) * (stream + 1) * 1000, 100
                rows.append(
                    {
                        "project": f"project-{p}",
                        "project_id": f"00000000-0000-0000-0000-00000000000{p}",
                        "log_stream": f"stream-{stream}",
                        "log_stream_id": f"00000000-0000-0000-0000-0000000001{p}{stream}",
                        "period_start": moment,
                        "records": 4,
                        "input_tokens": input_tokens,
                        "output_tokens": output_tokens,
                        "cache_read_input_tokens": None,
                        "cache_creation_input_tokens": 0,
                        "total_tokens": input_tokens + output_tokens,
                        "cost_usd": (input_tokens * 3 + output_tokens * 15) / 1e6 if priced else None,
                        "input_tokens_missing": 1,
                        "output_tokens_missing": 0,
                        "cache_read_input_tokens_missing": 4,
                        "cache_creation_input_tokens_missing": 0,
                    }
                )
    return rows
