"""The keywords ``totals()`` and ``usage_by()`` share with ``list()``, typed once for ``**arguments: Unpack[...]``.

``list()`` spells them out with their defaults; the others take them as ``TokenUsageArguments`` and pass them on,
so type checkers and IDEs still show every parameter and a new one is added in two places (``list()`` and here;
``tests/wrapper/test_token_usage_arguments.py`` fails if the two differ).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from ..._options import CallOptions
from ._query import LowerBound, TimeBound, TokenUsageFilter


class TokenUsageArguments(CallOptions, total=False):
    """Which records (by log stream name, filters and time bounds), how to page, and the call's options."""

    project: str | None
    """The project by name, instead of ``project_id``."""
    log_stream: str | None
    """The log stream by name (in that project), instead of ``log_stream_id``."""
    filters: Sequence[TokenUsageFilter]
    """Generated ``created_at`` / ``updated_at`` filter models, combined with the bounds."""
    created_since: LowerBound | None
    """``created_at >= this``: aware datetime, ISO-8601 string, date, or a duration back from now (``"7d"``)."""
    created_before: TimeBound | None
    """``created_at < this``: aware datetime, ISO-8601 string or date."""
    updated_since: LowerBound | None
    """``updated_at >= this``, in the forms of ``created_since``."""
    updated_before: TimeBound | None
    """``updated_at < this``, in the forms of ``created_before``."""
    page_size: int
    """Records per request (1 to 10,000)."""
    concurrency: int
    """Time windows read in parallel (needs both created bounds when above 1)."""
    windows: int | None
    """How many windows a parallel read splits the range into (default: ``concurrency``)."""
    verify_offsets: bool
    """Hold the server to ``next_starting_token == starting_token + len(items)``."""
    extra_body: Mapping[str, object] | None
    """Keys merged into each page's JSON body."""
