"""Galileo Logstream Insights SDK: the hand-written layer over the generated ``galileo_insights_api``.

Items are the generated ``LogStreamInsightTokenUsageDB`` models; this package adds configuration,
authentication, pagination, retries and typed errors around them.
"""

from ._auth import ApiKeyAuth, BasicAuth, BearerAuth, PasswordLoginAuth
from ._base_client import APIResponse
from ._client import AsyncGalileoInsights, GalileoInsights
from ._errors import (
    APIConnectionError,
    APIStatusError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    ClientStateError,
    ConfigurationError,
    ConflictError,
    GalileoInsightsError,
    InternalServerError,
    InvalidRequestError,
    NameResolutionError,
    NotFoundError,
    PaginationError,
    PermissionDeniedError,
    RateLimitError,
    ResponseTooLargeError,
    ResponseValidationError,
    UnprocessableEntityError,
)
from ._export import ExportSummary, export_to_parquet
from ._http_client import DefaultAsyncHttpxClient, DefaultHttpxClient
from ._options import DEFAULT_MAX_RESPONSE_BYTES
from ._pagination import MAX_EMPTY_PAGES, AsyncPager, OffsetPage, Pager
from ._retry import MAX_RETRIES_CEILING, RetryPolicy
from ._version import __version__
from .resources import AsyncLogStreamsResource, AsyncProjectsResource, LogStreamsResource, ProjectsResource
from .resources.token_usage import (
    TOKEN_FIELDS,
    AsyncTokenUsagePager,
    AsyncTokenUsageResource,
    FieldTotal,
    TokenUsagePage,
    TokenUsagePager,
    TokenUsageResource,
    TokenUsageTotals,
    TotalsAccumulator,
)
from .resources.token_usage._data._arrow import token_usage_schema
from .resources.token_usage._data._periods import MAX_PERIODS, Period, PeriodAccumulator, PeriodUsage, usage_by_period

__all__ = [
    "DEFAULT_MAX_RESPONSE_BYTES",
    "MAX_EMPTY_PAGES",
    "MAX_PERIODS",
    "MAX_RETRIES_CEILING",
    "TOKEN_FIELDS",
    "APIConnectionError",
    "APIResponse",
    "APIStatusError",
    "APITimeoutError",
    "ApiKeyAuth",
    "AsyncGalileoInsights",
    "AsyncLogStreamsResource",
    "AsyncPager",
    "AsyncProjectsResource",
    "AsyncTokenUsagePager",
    "AsyncTokenUsageResource",
    "AuthenticationError",
    "BadRequestError",
    "BasicAuth",
    "BearerAuth",
    "ClientStateError",
    "ConfigurationError",
    "ConflictError",
    "DefaultAsyncHttpxClient",
    "DefaultHttpxClient",
    "ExportSummary",
    "FieldTotal",
    "GalileoInsights",
    "GalileoInsightsError",
    "InternalServerError",
    "InvalidRequestError",
    "LogStreamsResource",
    "NameResolutionError",
    "NotFoundError",
    "OffsetPage",
    "Pager",
    "PaginationError",
    "PasswordLoginAuth",
    "Period",
    "PeriodAccumulator",
    "PeriodUsage",
    "PermissionDeniedError",
    "ProjectsResource",
    "RateLimitError",
    "ResponseTooLargeError",
    "ResponseValidationError",
    "RetryPolicy",
    "TokenUsagePage",
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
