"""Galileo Logstream Insights SDK: the hand-written layer over the generated ``galileo_insights_api``.

Items are the generated ``LogStreamInsightTokenUsageDB`` models: the tokens Galileo spent generating Logstream
Insights for a log stream (the spec's ``TokenUsage``, "Token usage information for insights generation"). This
package adds configuration, authentication, pagination, retries and typed errors around them, usage across many log
streams with names and cost (``client.usage``) and the insights settings (``client.insights_settings``).
"""

import importlib
from typing import TYPE_CHECKING, Any

from ._version import __version__

if TYPE_CHECKING:  # every other name loads on first access (``__getattr__``); type checkers see them here
    from ._auth import ApiKeyAuth, BasicAuth, BearerAuth, PasswordLoginAuth
    from ._client import AsyncGalileoInsights, GalileoInsights
    from ._constants import DEFAULT_MAX_RESPONSE_BYTES, MAX_RETRIES_CEILING
    from ._errors import (
        APIConnectionError,
        APIError,
        APIStatusError,
        APITimeoutError,
        AuthenticationError,
        BadRequestError,
        ClientStateError,
        ConfigurationError,
        ConflictError,
        GalileoInsightsError,
        InputError,
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
    from ._http_client import DefaultAsyncHttpxClient, DefaultHttpxClient
    from ._pagination import MAX_EMPTY_PAGES, AsyncPager, OffsetPage, Pager
    from ._raw_response import APIResponse
    from ._retry import RetryPolicy
    from .resources._calendar import Period
    from .resources._group_by import GroupBy
    from .resources.insights_settings import AsyncInsightsSettingsResource, InsightsSettingsResource, InsightsState
    from .resources.log_streams import AsyncLogStreamsResource, LogStreamsResource
    from .resources.projects import AsyncProjectsResource, ProjectsResource
    from .resources.token_usage import (
        TOKEN_FIELDS,
        AsyncTokenUsagePager,
        AsyncTokenUsageResource,
        FieldTotal,
        TokenCounts,
        TokenUsageArguments,
        TokenUsagePage,
        TokenUsagePager,
        TokenUsageResource,
        TokenUsageTotals,
        TotalsAccumulator,
    )
    from .resources.token_usage._data._arrow import token_usage_schema
    from .resources.token_usage._data._export import ExportSummary, export_to_parquet
    from .resources.token_usage._data._periods import (
        MAX_PERIODS,
        PeriodAccumulator,
        PeriodUsage,
        usage_by_period,
    )
    from .resources.usage import (
        USAGE_COLUMNS,
        AsyncUsageResource,
        DatasetSummary,
        LogStreamExport,
        LogStreamSelection,
        LogStreamTarget,
        ModelPrices,
        PeriodArguments,
        Prices,
        RecordArguments,
        UsageArguments,
        UsageReport,
        UsageResource,
        UsageRow,
        export_dataset,
    )

# Where each name but ``__version__`` lives. Nothing else loads with the package: a module loads when one of its names
# is first used, as the client loads its resources. So ``galileo-insights --help`` (the command line is a subpackage)
# loads no HTTP stack, and a script pays for httpx, the generated models and attrs as it comes to use them.
_LAZY = {
    "._auth": ("ApiKeyAuth", "BasicAuth", "BearerAuth", "PasswordLoginAuth"),
    "._client": ("AsyncGalileoInsights", "GalileoInsights"),
    "._constants": ("DEFAULT_MAX_RESPONSE_BYTES", "MAX_RETRIES_CEILING"),
    "._errors": (
        "APIConnectionError",
        "APIError",
        "APIStatusError",
        "APITimeoutError",
        "AuthenticationError",
        "BadRequestError",
        "ClientStateError",
        "ConfigurationError",
        "ConflictError",
        "GalileoInsightsError",
        "InputError",
        "InternalServerError",
        "InvalidRequestError",
        "NameResolutionError",
        "NotFoundError",
        "PaginationError",
        "PermissionDeniedError",
        "RateLimitError",
        "ResponseTooLargeError",
        "ResponseValidationError",
        "UnprocessableEntityError",
    ),
    "._http_client": ("DefaultAsyncHttpxClient", "DefaultHttpxClient"),
    "._raw_response": ("APIResponse",),
    "._retry": ("RetryPolicy",),
    "._pagination": ("MAX_EMPTY_PAGES", "AsyncPager", "OffsetPage", "Pager"),
    ".resources._calendar": ("Period",),
    ".resources._group_by": ("GroupBy",),
    ".resources.insights_settings": ("AsyncInsightsSettingsResource", "InsightsSettingsResource", "InsightsState"),
    ".resources.log_streams": ("AsyncLogStreamsResource", "LogStreamsResource"),
    ".resources.projects": ("AsyncProjectsResource", "ProjectsResource"),
    ".resources.token_usage": (
        "TOKEN_FIELDS",
        "AsyncTokenUsagePager",
        "AsyncTokenUsageResource",
        "FieldTotal",
        "TokenCounts",
        "TokenUsageArguments",
        "TokenUsagePage",
        "TokenUsagePager",
        "TokenUsageResource",
        "TokenUsageTotals",
        "TotalsAccumulator",
    ),
    ".resources.token_usage._data._arrow": ("token_usage_schema",),
    ".resources.usage": (
        "USAGE_COLUMNS",
        "PeriodArguments",
        "RecordArguments",
        "UsageArguments",
        "AsyncUsageResource",
        "DatasetSummary",
        "LogStreamExport",
        "LogStreamSelection",
        "LogStreamTarget",
        "ModelPrices",
        "Prices",
        "UsageReport",
        "UsageResource",
        "UsageRow",
        "export_dataset",
    ),
    ".resources.token_usage._data._export": ("ExportSummary", "export_to_parquet"),
    ".resources.token_usage._data._periods": (
        "MAX_PERIODS",
        "PeriodAccumulator",
        "PeriodUsage",
        "usage_by_period",
    ),
}
_MODULE_OF = {name: module for module, names in _LAZY.items() for name in names}


def __getattr__(name: str) -> Any:
    module = _MODULE_OF.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(module, __name__), name)
    globals()[name] = value  # later accesses are plain module attributes
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))


__all__ = [
    "DEFAULT_MAX_RESPONSE_BYTES",
    "MAX_EMPTY_PAGES",
    "MAX_PERIODS",
    "MAX_RETRIES_CEILING",
    "TOKEN_FIELDS",
    "USAGE_COLUMNS",
    "APIConnectionError",
    "APIError",
    "APIResponse",
    "APIStatusError",
    "APITimeoutError",
    "ApiKeyAuth",
    "AsyncGalileoInsights",
    "AsyncInsightsSettingsResource",
    "AsyncLogStreamsResource",
    "AsyncPager",
    "AsyncProjectsResource",
    "AsyncTokenUsagePager",
    "AsyncTokenUsageResource",
    "AsyncUsageResource",
    "AuthenticationError",
    "BadRequestError",
    "BasicAuth",
    "BearerAuth",
    "ClientStateError",
    "ConfigurationError",
    "ConflictError",
    "DatasetSummary",
    "DefaultAsyncHttpxClient",
    "DefaultHttpxClient",
    "ExportSummary",
    "FieldTotal",
    "GalileoInsights",
    "GalileoInsightsError",
    "GroupBy",
    "InputError",
    "InsightsSettingsResource",
    "InsightsState",
    "InternalServerError",
    "InvalidRequestError",
    "LogStreamExport",
    "LogStreamSelection",
    "LogStreamTarget",
    "LogStreamsResource",
    "ModelPrices",
    "NameResolutionError",
    "NotFoundError",
    "OffsetPage",
    "Pager",
    "PaginationError",
    "PasswordLoginAuth",
    "Period",
    "PeriodAccumulator",
    "PeriodArguments",
    "PeriodUsage",
    "PermissionDeniedError",
    "Prices",
    "ProjectsResource",
    "RateLimitError",
    "RecordArguments",
    "ResponseTooLargeError",
    "ResponseValidationError",
    "RetryPolicy",
    "TokenCounts",
    "TokenUsageArguments",
    "TokenUsagePage",
    "TokenUsagePager",
    "TokenUsageResource",
    "TokenUsageTotals",
    "TotalsAccumulator",
    "UnprocessableEntityError",
    "UsageArguments",
    "UsageReport",
    "UsageResource",
    "UsageRow",
    "__version__",
    "export_dataset",
    "export_to_parquet",
    "token_usage_schema",
    "usage_by_period",
]
