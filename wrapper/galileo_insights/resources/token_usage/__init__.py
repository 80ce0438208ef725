"""The token-usage endpoint:
``POST /v2/projects/{project_id}/log_streams/{log_stream_id}/logstream_insights/token_usage``.
"""

from ..._optional import require
from ._arguments import TokenUsageArguments
from ._data._arrow import iter_batches
from ._data._periods import as_zone
from ._page import AsyncTokenUsagePager, TokenUsagePage, TokenUsagePager
from ._query import LowerBound, TimeBound, TokenUsageFilter, as_aware_datetime, back_from, parse_duration
from ._record_fields import TOKEN_FIELDS, TokenCounts, as_utc, token_counts
from ._resource import AsyncTokenUsageResource, TokenUsageResource
from ._totals import FieldTotal, TokenUsageTotals, TotalsAccumulator

# The seams the CLI reads records through (it imports no private module of the package).
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
    "as_utc",
    "as_zone",
    "back_from",
    "iter_batches",
    "parse_duration",
    "require",
    "token_counts",
]
