"""Reading a JSON array of one generated model: what both lookup endpoints answer."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, TypeVar

import httpx

from .._errors import ResponseValidationError

ModelT = TypeVar("ModelT")


def parse_array(from_dict: Callable[[Mapping[str, Any]], ModelT]) -> Callable[[httpx.Response, object], list[ModelT]]:
    """A parse function for the client's sending core: a list of models, or the typed error naming the item."""

    def parse(response: httpx.Response, document: object) -> list[ModelT]:
        if not isinstance(document, list):
            raise ResponseValidationError(
                f"response body is a JSON {type(document).__name__}, expected an array", response=response
            )
        parsed = []
        for index, item in enumerate(document):
            if not isinstance(item, dict):
                raise ResponseValidationError(
                    f"[{index}] is a JSON {type(item).__name__}, expected an object", response=response
                )
            parsed.append(from_dict(item))
        return parsed

    return parse
