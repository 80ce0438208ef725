"""The level usage rows are summed at: per log stream, per project or overall.

A module of its own, beside no model and no HTTP code: ``GroupBy`` is a choice of the command line's options, which
load for ``--help`` without the rest of the SDK.
"""

from __future__ import annotations

import enum

from .._errors import InvalidRequestError


class GroupBy(enum.StrEnum):
    """The level of the rows: one per log stream, per project (log streams summed) or overall."""

    LOG_STREAM = "log-stream"
    PROJECT = "project"
    NONE = "none"


def as_group_by(value: GroupBy | str) -> GroupBy:
    try:
        return GroupBy(value.replace("_", "-") if isinstance(value, str) else value)
    except ValueError:
        choices = ", ".join(repr(member.value) for member in GroupBy)
        raise InvalidRequestError(f"must be one of {choices}, got {value!r}", argument="group_by") from None
