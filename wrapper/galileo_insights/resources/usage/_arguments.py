"""The keywords ``client.usage``'s calls share, typed once for ``**arguments: Unpack[...]`` (sync and async alike).

Bounds take what ``token_usage.list()`` takes; a date-only bound is midnight in ``tz`` for ``by_period`` (UTC for
``records``), and a lower bound may be a duration back from now (``"30d"``, ``datetime.timedelta``).
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, TypedDict

from ..token_usage._query import LowerBound, TimeBound

if TYPE_CHECKING:
    from .._group_by import GroupBy
    from ._prices import ModelPrices, Prices


class UsageArguments(TypedDict, total=False):
    """Which records of each selected log stream, and how many log streams are read at once."""

    created_since: LowerBound | None
    """``created_at >= this``."""
    created_before: TimeBound | None
    """``created_at < this``."""
    updated_since: LowerBound | None
    """``updated_at >= this``."""
    updated_before: TimeBound | None
    """``updated_at < this``."""
    concurrency: int
    """Requests in flight (default 8, at most 64): log streams read at once, one request each; ``by_period``
    with both created bounds lets the log streams after the last whole round share them as parallel windows."""
    page_size: int
    """Records per request (default 1000)."""


class PeriodArguments(UsageArguments, total=False):
    """``by_period``'s: the calendar, the level of the rows and the prices."""

    tz: str | datetime.tzinfo
    """The zone whose calendar makes the periods (default UTC)."""
    group_by: GroupBy | str
    """``"log-stream"`` (default), ``"project"`` or ``"none"``."""
    prices: Prices | ModelPrices | Mapping[str, object] | None
    """What fills ``cost_usd``: ``Prices``, a mapping of the four kinds, or ``ModelPrices``."""


class RecordArguments(UsageArguments, total=False):
    """``records``'s: the order within each log stream."""

    ascending: bool
    """Oldest first within each log stream (default: newest first)."""
