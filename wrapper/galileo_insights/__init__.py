"""Galileo Logstream Insights SDK: the hand-written layer over the generated ``galileo_insights_api``.

Items are the generated ``LogStreamInsightTokenUsageDB`` models; this package adds configuration,
authentication, pagination, retries and typed errors around them.
"""

from ._auth import ApiKeyAuth, BasicAuth, BearerAuth, PasswordLoginAuth
from ._client import AsyncGalileoInsights, GalileoInsights
from ._data._arrow import token_usage_schema
from ._data._export import ExportSummary, export_to_parquet
from ._data._periods import Period, PeriodAccumulator, PeriodUsage, usage_by_period
from ._errors import (
    APIConnectionError,
    APIStatusError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    ConfigurationError,
    ConflictError,
    GalileoInsightsError,
    InternalServerError,
    InvalidRequestError,
    NotFoundError,
    PaginationError,
    PermissionDeniedError,
    RateLimitError,
    ResponseValidationError,
    UnprocessableEntityError,
)
from ._pagination import AsyncTokenUsagePager, TokenUsagePager
from ._record_fields import TOKEN_FIELDS
from ._retry import RetryPolicy
from ._totals import FieldTotal, TokenUsageTotals, TotalsAccumulator
from ._version import __version__
from .token_usage import AsyncTokenUsageResource, TokenUsageResource

__all__ = [
    "TOKEN_FIELDS",
    "APIConnectionError",
    "APIStatusError",
    "APITimeoutError",
    "ApiKeyAuth",
    "AsyncGalileoInsights",
    "AsyncTokenUsagePager",
    "AsyncTokenUsageResource",
    "AuthenticationError",
    "BadRequestError",
    "BasicAuth",
    "BearerAuth",
    "ConfigurationError",
    "ConflictError",
    "ExportSummary",
    "FieldTotal",
    "GalileoInsights",
    "GalileoInsightsError",
    "InternalServerError",
    "InvalidRequestError",
    "NotFoundError",
    "PaginationError",
    "PasswordLoginAuth",
    "Period",
    "PeriodAccumulator",
    "PeriodUsage",
    "PermissionDeniedError",
    "RateLimitError",
    "ResponseValidationError",
    "RetryPolicy",
    "TokenUsagePager",
    "TokenUsageResource",
    "TokenUsageTotals",
    "TotalsAccumulator",
    "UnprocessableEntityError",
    "__version__",
    "export_to_parquet",
    "token_usage_schema",
    "usage_by_period",
]
