"""Path ids as the resources accept them: a ``uuid.UUID`` or its string, refused by name otherwise."""

from __future__ import annotations

import uuid

from .._errors import InvalidRequestError


def as_uuid(value: uuid.UUID | str, name: str) -> uuid.UUID:
    if isinstance(value, uuid.UUID):
        return value
    if isinstance(value, str):
        try:
            return uuid.UUID(value)
        except ValueError:
            pass
    raise InvalidRequestError(f"must be a UUID (str or uuid.UUID), got {value!r}", argument=name)
