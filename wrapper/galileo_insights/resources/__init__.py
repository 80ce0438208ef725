"""One module (or small package) per endpoint: its request building, arguments and page reading.

Resources receive the client's sending core; the core never imports them (``make lint`` holds that rule).
"""

from ._targets import AsyncTargetResolver, NameCache, TargetDefaults, TargetResolver
from .log_streams import AsyncLogStreamsResource, LogStreamsResource
from .projects import AsyncProjectsResource, ProjectsResource
from .token_usage import AsyncTokenUsageResource, TokenUsageResource

__all__ = [
    "AsyncLogStreamsResource",
    "AsyncProjectsResource",
    "AsyncTargetResolver",
    "AsyncTokenUsageResource",
    "LogStreamsResource",
    "NameCache",
    "ProjectsResource",
    "TargetDefaults",
    "TargetResolver",
    "TokenUsageResource",
]
