"""One reported difference between two specs, and who it breaks.

A change is judged by the direction its schema travels. Callers write what is reachable from request bodies
and parameters (``REQUEST``); readers receive what is reachable from responses (``RESPONSE``). A schema used
both ways gets both rules; one reachable from neither is judged both ways, to be safe.
"""

from __future__ import annotations

from dataclasses import dataclass

REQUEST, RESPONSE = "request", "response"
BOTH = frozenset({REQUEST, RESPONSE})


@dataclass(frozen=True)
class Change:
    """One difference at ``where`` (an operation, ``Schema.field`` or ``METHOD /path parameters.name``)."""

    where: str
    what: str
    breaks: tuple[str, ...] = ()  # why it breaks SDK users; empty when it does not

    @property
    def breaking(self) -> bool:
        return bool(self.breaks)

    def line(self) -> str:
        why = f" ({'; '.join(self.breaks)})" if self.breaks else ""
        return f"{'BREAKING' if self.breaking else 'ok':<8} {self.where}: {self.what}{why}"


def directed(where: str, what: str, uses: frozenset[str], *, request: str = "", response: str = "") -> Change:
    """A change whose harm depends on direction: ``request``/``response`` say why it breaks that side ("" if not)."""
    reasons = ((REQUEST, request), (RESPONSE, response))
    return Change(where, what, tuple(dict.fromkeys(reason for use, reason in reasons if use in uses and reason)))
