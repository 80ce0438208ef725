"""When and how long to wait before retrying a request; the loop itself is the client's (a dozen lines each).

A token-usage query is a POST, but it only reads: sending it again returns the same page for the same
``starting_token``, so retrying is safe and the pager never skips or repeats items. This module decides
which failures are worth another try and how long to back off, honouring the server's ``Retry-After``.
"""

from __future__ import annotations

import dataclasses
import email.utils
import logging
import math
import random
import time

from ._constants import (
    DEFAULT_MAX_RETRIES,
    INITIAL_RETRY_DELAY,
    MAX_RETRIES_CEILING,
    MAX_RETRY_AFTER,
    MAX_RETRY_DELAY,
    RETRY_JITTER,
)
from ._errors import APIConnectionError, APIStatusError, ConfigurationError, InputError
from ._stopping import current_signal

logger = logging.getLogger("galileo_insights")


def sleep(seconds: float) -> None:
    """The clients' backoff sleep, looked up through this module so tests can record it instead.

    A stopped export worker must not sit out its backoff: in one, the sleep ends with ``Stopped`` when the export stops.
    """
    signal = current_signal()
    if signal is None:
        time.sleep(seconds)
    else:
        signal.wait(seconds)


async def async_sleep(seconds: float) -> None:
    import asyncio  # noqa: PLC0415 - asyncio loads with the first async call, not at import

    await asyncio.sleep(seconds)


RETRYABLE_STATUSES = frozenset({408, 409, 429, *range(500, 600)})


@dataclasses.dataclass(frozen=True, slots=True)
class RetryPolicy:
    """Retries on connection errors, timeouts, 408, 409, 429 and 5xx with capped exponential backoff.

    The n-th retry waits ``initial_delay * 2**(n-1)`` (capped at ``max_delay``) plus up to ``jitter``
    of that, so many clients that failed together do not come back together. A ``Retry-After`` header
    (seconds or an HTTP date) replaces the computed delay, capped at ``max_retry_after``.
    ``RetryPolicy(max_retries=0)`` disables retries; ``dataclasses.replace(policy, ...)`` changes a copy.
    (A dataclass rather than attrs, as every class the client needs at import: attrs costs import time.)
    """

    max_retries: int = DEFAULT_MAX_RETRIES
    initial_delay: float = INITIAL_RETRY_DELAY
    max_delay: float = MAX_RETRY_DELAY
    jitter: float = RETRY_JITTER
    max_retry_after: float = MAX_RETRY_AFTER

    def __post_init__(self) -> None:
        check_max_retries(self.max_retries, "max_retries", ConfigurationError)
        for name in ("initial_delay", "max_delay", "max_retry_after"):
            _check_number(name, getattr(self, name), math.inf, "a finite number of seconds >= 0")
        _check_number("jitter", self.jitter, 1, "a number from 0 to 1")

    def is_retryable(self, error: BaseException) -> bool:
        if isinstance(error, APIStatusError):
            return error.status_code in RETRYABLE_STATUSES
        return isinstance(error, APIConnectionError) and error.retryable

    def delay(self, retry_number: int, error: BaseException | None) -> float:
        """Seconds to wait before retry number ``retry_number`` (1-based) after ``error``."""
        if isinstance(error, APIStatusError):
            retry_after = _retry_after_seconds(error.response.headers.get("retry-after"))
            if retry_after is not None:
                return min(retry_after, self.max_retry_after)
        backoff = min(self.initial_delay * 2.0 ** (retry_number - 1), self.max_delay)
        return backoff * (1 + random.uniform(0, self.jitter))  # noqa: S311 -- jitter, not cryptography

    def with_max_retries(self, max_retries: int, error: type[InputError]) -> RetryPolicy:
        """This policy with another retry budget (a per-call ``max_retries=``), checked like the constructor's."""
        check_max_retries(max_retries, "max_retries", error)
        return dataclasses.replace(self, max_retries=max_retries)

    def log_retry(self, error: BaseException, retry_number: int, wait: float) -> None:
        """At INFO: a retry is the SDK doing its job; the error that ends the retries is what a caller sees."""
        logger.info(
            "retrying after %s (retry %d of %d) in %.2fs", _describe(error), retry_number, self.max_retries, wait
        )


def check_max_retries(value: object, name: str, error: type[InputError]) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_RETRIES_CEILING:
        raise error(f"must be an integer from 0 to {MAX_RETRIES_CEILING}, got {value!r}", argument=name)


def _check_number(name: str, value: object, ceiling: float, what: str) -> None:
    if (
        isinstance(value, bool)
        or not isinstance(value, int | float)
        or not (math.isfinite(value) and 0 <= value <= ceiling)
    ):
        raise ConfigurationError(f"must be {what}, got {value!r}", argument=name)


def _describe(error: BaseException | None) -> str:
    if isinstance(error, APIStatusError):
        return f"HTTP {error.status_code} from {error.request.method} {error.request.url.path}"
    return error.__class__.__name__ if error else "unknown error"


def _retry_after_seconds(value: str | None) -> float | None:
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())
