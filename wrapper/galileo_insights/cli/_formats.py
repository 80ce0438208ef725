"""The ``--format`` choices of the commands. ``--help`` lists them, so they live apart from the writers (``_output``,
``_listing``), which load only with the command that runs."""

from __future__ import annotations

import enum


class OutputFormat(enum.StrEnum):
    """Records, totals and usage rows (``token-usage``)."""

    TABLE = "table"
    JSON = "json"
    JSONL = "jsonl"
    CSV = "csv"
    PARQUET = "parquet"


class ListFormat(enum.StrEnum):
    """What the credentials can see and the insights settings (``projects``, ``log-streams``, ``insights-settings``)."""

    TABLE = "table"
    JSON = "json"
    CSV = "csv"
