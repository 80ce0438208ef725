"""The schema messages behind an openapi-core validation error, so a test can check *why* a document failed."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any


def _schema_messages(error: Any) -> Iterator[str]:
    yield str(error.message)
    for child in getattr(error, "context", None) or ():
        yield from _schema_messages(child)


def spec_error_messages(error: BaseException) -> list[str]:
    """The jsonschema messages (with the branch messages of ``anyOf``/``oneOf``) found along the cause chain;
    for errors that carry none (security, path, server), the chain's own messages."""
    messages: list[str] = []
    seen: BaseException | None = error
    chain: list[BaseException] = []
    while seen is not None and seen not in chain:
        chain.append(seen)
        seen = seen.__cause__ or seen.__context__
    for link in chain:
        for schema_error in getattr(link, "schema_errors", None) or ():
            messages.extend(_schema_messages(schema_error))
    return messages or [str(link) for link in chain]
