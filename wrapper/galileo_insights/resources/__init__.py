"""One module (or small package) per endpoint: its request building, arguments and page reading.

Resources receive the client's sending core; the core never imports them (``make lint`` holds that rule).
"""

from ._targets import AsyncTargetResolver, NameCache, TargetDefaults, TargetResolver
from .log_streams import (
    AsyncLogStreamsResource,
    AsyncLogStreamsWithRawResponse,
    LogStreamsResource,
    LogStreamsWithRawResponse,
)
from .projects import AsyncProjectsResource, AsyncProjectsWithRawResponse, ProjectsResource, ProjectsWithRawResponse
from .token_usage import AsyncTokenUsageResource, TokenUsageResource

__all__ = [
    "AsyncLogStreamsResource",
    "AsyncLogStreamsWithRawResponse",
    "AsyncProjectsResource",
    "AsyncProjectsWithRawResponse",
    "AsyncTargetResolver",
    "AsyncTokenUsageResource",
    "LogStreamsResource",
    "LogStreamsWithRawResponse",
    "NameCache",
    "ProjectsResource",
    "ProjectsWithRawResponse",
    "TargetDefaults",
    "TargetResolver",
    "TokenUsageResource",
]
