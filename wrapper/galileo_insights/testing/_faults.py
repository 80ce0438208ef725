"""Fault injection for the token-usage operation: scripted (one entry per coming request) or random with a seed.

Faults hit ``POST .../token_usage`` only, never ``/login`` or the lookups. A scripted entry wins over the random draw
for its request; ``None`` in a script means "this request goes through untouched". Each fault is one class with one
method, ``apply(answer)``: given the function that computes the normal reply, it returns the faulted one (without
calling it when the fault replaces the answer). A new fault is a new class here, nothing else.
"""

from __future__ import annotations

import random
import threading
from collections import deque
from collections.abc import Callable, Iterable
from typing import Protocol

import attrs

from galileo_insights.testing._reply import Reply, json_reply

Answer = Callable[[], Reply]
_REASONS = {429: "Too Many Requests", 500: "Internal Server Error", 502: "Bad Gateway", 503: "Service Unavailable"}


class Fault(Protocol):
    """What every fault class implements."""

    def apply(self, answer: Answer) -> Reply:
        """The reply to send, made from ``answer()`` (the fake's real answer, computed only if called) or not."""


@attrs.frozen
class Latency:
    """Answer normally, ``seconds`` late."""

    seconds: float

    def apply(self, answer: Answer) -> Reply:
        """The real answer, ``seconds`` late."""
        reply = answer()
        return attrs.evolve(reply, delay=reply.delay + self.seconds)


@attrs.frozen
class RateLimited:
    """429 with ``Retry-After``."""

    retry_after: int = 1

    def apply(self, answer: Answer) -> Reply:
        """A 429 with ``Retry-After``; the real answer is not computed."""
        return json_reply(429, {"detail": _REASONS[429]}, [("retry-after", str(self.retry_after))])


@attrs.frozen
class ServerError:
    """A 5xx (500 or 503 are the usual ones), with ``Retry-After`` when given."""

    status: int = 500
    retry_after: int | None = None

    def apply(self, answer: Answer) -> Reply:
        """The 5xx; the real answer is not computed."""
        extra = [("retry-after", str(self.retry_after))] if self.retry_after is not None else []
        return json_reply(self.status, {"detail": _REASONS.get(self.status, "Server Error")}, extra)


@attrs.frozen
class DroppedConnection:
    """Send the status, headers (with the full ``Content-Length``) and ``fraction`` of the body, then hang up."""

    fraction: float = 0.5

    def apply(self, answer: Answer) -> Reply:
        """The real answer, the connection dropped after ``fraction`` of its body."""
        reply = answer()
        return attrs.evolve(reply, drop_after=int(len(reply.body) * self.fraction))


@attrs.frozen
class MalformedJson:
    """Answer 200 with a JSON content type and a body cut short, so it does not parse."""

    def apply(self, answer: Answer) -> Reply:
        """The real answer's body cut in half, sent as a 200."""
        reply = answer()
        return attrs.evolve(reply, status=200, body=reply.body[: max(1, len(reply.body) // 2)])


def _rate(_: object, attribute: attrs.Attribute[float], value: float) -> None:
    if not 0.0 <= value <= 1.0:
        raise ValueError(f"{attribute.name} must be between 0 and 1, got {value}")


@attrs.frozen
class RandomFaults:
    """Per request: latency with probability ``latency``; independently, at most one failure, each kind at its rate."""

    seed: int = 0
    latency: float = attrs.field(default=0.0, validator=_rate)
    latency_seconds: float = 0.05
    rate_limited: float = attrs.field(default=0.0, validator=_rate)
    retry_after: int = 1
    server_error: float = attrs.field(default=0.0, validator=_rate)
    server_error_status: int = 503
    dropped: float = attrs.field(default=0.0, validator=_rate)
    malformed: float = attrs.field(default=0.0, validator=_rate)

    def __attrs_post_init__(self) -> None:
        if self.rate_limited + self.server_error + self.dropped + self.malformed > 1.0:
            raise ValueError("the failure rates must add up to at most 1")


@attrs.frozen
class FaultDecision:
    """What happens to one request: a delay before answering and at most one failure."""

    delay: float = 0.0
    failure: Fault | None = None

    def apply(self, answer: Answer) -> Reply:
        """The reply to send: ``answer()`` through the failure, then late by ``delay``."""
        reply = self.failure.apply(answer) if self.failure is not None else answer()
        return attrs.evolve(reply, delay=reply.delay + self.delay) if self.delay else reply


class FaultPlan:
    """The faults for coming requests. Thread-safe."""

    def __init__(self, script: Iterable[Fault | None] = (), random_faults: RandomFaults | None = None) -> None:
        self._script: deque[Fault | None] = deque(script)
        self._random_faults: RandomFaults | None = None
        self._rng = random.Random(0)  # noqa: S311 - fault draws, not security
        self._lock = threading.Lock()
        self.set_random(random_faults)

    def __repr__(self) -> str:
        return f"FaultPlan(scripted={len(self._script)}, random={self._random_faults!r})"

    def script(self, *faults: Fault | None) -> None:
        """Queue one entry per coming request, after any already queued."""
        with self._lock:
            self._script.extend(faults)

    def set_random(self, random_faults: RandomFaults | None) -> None:
        """Replace the random faults (None turns them off) and restart their sequence from the seed."""
        with self._lock:
            self._random_faults = random_faults
            self._rng = random.Random(random_faults.seed if random_faults else 0)  # noqa: S311 - not for security

    def clear(self) -> None:
        """Remove the scripted faults and turn the random ones off."""
        with self._lock:
            self._script.clear()
            self._random_faults = None

    @property
    def pending(self) -> int:
        """Scripted entries not yet used."""
        return len(self._script)

    def next_decision(self) -> FaultDecision:
        """Consume the fault for one request."""
        with self._lock:
            if self._script:
                return FaultDecision(failure=self._script.popleft())
            plan = self._random_faults
            if plan is None:
                return FaultDecision()
            delay = plan.latency_seconds if self._rng.random() < plan.latency else 0.0
            draw = self._rng.random()
            failures: tuple[tuple[float, Fault], ...] = (
                (plan.rate_limited, RateLimited(plan.retry_after)),
                (plan.server_error, ServerError(plan.server_error_status)),
                (plan.dropped, DroppedConnection()),
                (plan.malformed, MalformedJson()),
            )
            for rate, failure in failures:
                if draw < rate:
                    return FaultDecision(delay, failure)
                draw -= rate
            return FaultDecision(delay)
