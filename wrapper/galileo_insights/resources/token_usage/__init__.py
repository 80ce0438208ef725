"""The token-usage endpoint:
``POST /v2/projects/{project_id}/log_streams/{log_stream_id}/logstream_insights/token_usage``.
"""

from ._page import AsyncTokenUsagePager, TokenUsagePage, TokenUsagePager
from ._query import TimeBound, TokenUsageFilter
from ._resource import AsyncTokenUsageResource, TokenUsageResource
from ._totals import TOKEN_FIELDS, FieldTotal, TokenUsageTotals, TotalsAccumulator

__all__ = [
    "TOKEN_FIELDS",
    "AsyncTokenUsagePager",
    "AsyncTokenUsageResource",
    "FieldTotal",
    "TimeBound",
    "TokenUsageFilter",
    "TokenUsagePage",
    "TokenUsagePager",
    "TokenUsageResource",
    "TokenUsageTotals",
    "TotalsAccumulator",
]
