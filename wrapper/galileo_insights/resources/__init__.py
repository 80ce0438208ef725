"""One module (or small package) per endpoint: its request building, arguments and page reading.

Resources receive the client's sending core; the core never imports them (``make lint`` holds that rule).
"""

from .token_usage import AsyncTokenUsageResource, TokenUsageResource

__all__ = ["AsyncTokenUsageResource", "TokenUsageResource"]
