"""The token-usage endpoint:
``POST /v2/projects/{project_id}/log_streams/{log_stream_id}/logstream_insights/token_usage``.
"""

from ._arguments import TokenUsageArguments
from ._page import AsyncTokenUsagePager, TokenUsagePage, TokenUsagePager
from ._query import LowerBound, TimeBound, TokenUsageFilter, as_aware_datetime, parse_duration
from ._record_fields import TOKEN_FIELDS, TokenCounts
from ._resource import AsyncTokenUsageResource, TokenUsageResource
from ._totals import FieldTotal, TokenUsageTotals, TotalsAccumulator

__all__ = [
    "TOKEN_FIELDS",
    "AsyncTokenUsagePager",
    "AsyncTokenUsageResource",
    "FieldTotal",
    "LowerBound",
    "TimeBound",
    "TokenCounts",
    "TokenUsageArguments",
    "TokenUsageFilter",
    "TokenUsagePage",
    "TokenUsagePager",
    "TokenUsageResource",
    "TokenUsageTotals",
    "TotalsAccumulator",
    "as_aware_datetime",
    "parse_duration",
]
