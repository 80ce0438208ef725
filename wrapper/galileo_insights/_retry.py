"""When and how long to wait before retrying a page request.

A token-usage query is a POST, but it only reads: sending it again returns the same page for the same
``starting_token``, so retrying is safe and the pager never skips or repeats items. The loop itself is
tenacity's (sync and async from one configuration); this module only decides which failures are worth
another try and for how long to back off, honouring the server's ``Retry-After``.
"""

from __future__ import annotations

import asyncio
import email.utils
import logging
import random
import time
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import attrs
import tenacity

from ._errors import APIConnectionError, APIStatusError

logger = logging.getLogger("galileo_insights")

T = TypeVar("T")

RETRYABLE_STATUSES = frozenset({408, 409, 429, *range(500, 600)})


def _sleep(seconds: float) -> None:
    time.sleep(seconds)


async def _async_sleep(seconds: float) -> None:
    await asyncio.sleep(seconds)


@attrs.frozen
class RetryPolicy:
    """Retries on connection errors, timeouts, 408, 409, 429 and 5xx with capped exponential backoff.

    The n-th retry waits ``initial_delay * 2**(n-1)`` (capped at ``max_delay``) plus up to ``jitter``
    of that, so many clients that failed together do not come back together. A ``Retry-After`` header
    (seconds or an HTTP date) replaces the computed delay, capped at ``max_retry_after``.
    ``RetryPolicy(max_retries=0)`` disables retries.
    """

    max_retries: int = attrs.field(default=2, validator=attrs.validators.ge(0))
    initial_delay: float = attrs.field(default=0.5, validator=attrs.validators.ge(0))
    max_delay: float = attrs.field(default=8.0, validator=attrs.validators.ge(0))
    jitter: float = attrs.field(default=0.25, validator=[attrs.validators.ge(0), attrs.validators.le(1)])
    max_retry_after: float = attrs.field(default=60.0, validator=attrs.validators.ge(0))

    def is_retryable(self, error: BaseException) -> bool:
        if isinstance(error, APIStatusError):
            return error.status_code in RETRYABLE_STATUSES
        return isinstance(error, APIConnectionError)

    def delay(self, retry_number: int, error: BaseException | None) -> float:
        """Seconds to wait before retry number ``retry_number`` (1-based) after ``error``."""
        if isinstance(error, APIStatusError):
            retry_after = _retry_after_seconds(error.response.headers.get("retry-after"))
            if retry_after is not None:
                return min(retry_after, self.max_retry_after)
        backoff = min(self.initial_delay * 2.0 ** (retry_number - 1), self.max_delay)
        return backoff * (1 + random.uniform(0, self.jitter))  # noqa: S311 -- jitter, not cryptography

    def _tenacity_arguments(self) -> dict[str, Any]:
        def wait(state: tenacity.RetryCallState) -> float:
            error = state.outcome.exception() if state.outcome else None
            return self.delay(state.attempt_number, error)

        return {
            "stop": tenacity.stop_after_attempt(self.max_retries + 1),
            "wait": wait,
            "retry": tenacity.retry_if_exception(self.is_retryable),
            "before_sleep": self._log_retry,
            "reraise": True,
        }

    def call(self, send: Callable[[], T]) -> T:
        """Run ``send`` until it succeeds, fails with a non-retryable error, or retries run out.

        The first attempt runs outside tenacity (whose per-call bookkeeping costs about as much as the
        wrapper's whole request path); only a retryable failure starts the loop, which replays that
        failure as its first attempt so attempt numbers, waits and log lines are unchanged.
        """
        try:
            return send()
        except Exception as error:
            if not self.is_retryable(error) or self.max_retries == 0:
                raise
            first_failure = error
        replay = _Replay(first_failure)
        return tenacity.Retrying(sleep=_sleep, **self._tenacity_arguments())(lambda: replay.then(send))

    async def acall(self, send: Callable[[], Awaitable[T]]) -> T:
        try:
            return await send()
        except Exception as error:
            if not self.is_retryable(error) or self.max_retries == 0:
                raise
            first_failure = error
        replay = _Replay(first_failure)

        async def again() -> T:
            replay.raise_pending()
            return await send()

        return await tenacity.AsyncRetrying(sleep=_async_sleep, **self._tenacity_arguments())(again)

    def _log_retry(self, state: tenacity.RetryCallState) -> None:
        error = state.outcome.exception() if state.outcome else None
        wait = state.next_action.sleep if state.next_action else 0.0
        logger.warning(
            "retrying after %s (retry %d of %d) in %.2fs",
            _describe(error),
            state.attempt_number,
            self.max_retries,
            wait,
        )


class _Replay:
    """Raises the failure of the attempt made before the retry loop started, once, as the loop's first attempt."""

    def __init__(self, failure: Exception) -> None:
        self._pending: Exception | None = failure

    def raise_pending(self) -> None:
        failure, self._pending = self._pending, None
        if failure is not None:
            raise failure

    def then(self, send: Callable[[], T]) -> T:
        self.raise_pending()
        return send()


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
