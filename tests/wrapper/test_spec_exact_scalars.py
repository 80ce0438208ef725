"""A page whose values have the wrong JSON type ends in ResponseValidationError naming the value's path.

Goes through the public clients only (sync and async, with an ``httpx.MockTransport`` serving one page), so it holds
whatever the core does between the transport and the generated model's ``from_dict``; run with each JSON decoder.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from galileo_insights import AsyncGalileoInsights, GalileoInsights, ResponseValidationError, _json
from tests.wrapper.fake_pages import API_KEY, BASE_URL, LOG_STREAM_ID, PROJECT_ID, make_records

DECODERS: list[_json.DecoderName] = ["json", "msgspec"]


@pytest.fixture(params=DECODERS)
def decoder(request: pytest.FixtureRequest) -> Iterator[str]:
    name: _json.DecoderName = request.param
    with _json.using(name):
        yield name


def page_with(row: int, path: tuple[str, ...], value: object) -> bytes:
    records = make_records(5)
    target: dict[str, Any] = records[row]
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    page = {"token_usages": records, "limit": 1000, "starting_token": 0, "paginated": True, "next_starting_token": None}
    return json.dumps(page).encode()


def serving(body: bytes) -> httpx.MockTransport:
    return httpx.MockTransport(lambda request: httpx.Response(200, content=body))


CASES = [
    (
        ("token_usage", "input_tokens"),
        "5000",
        'token_usages[3].token_usage.input_tokens: expected integer or null, got string "5000"',
    ),
    (
        ("token_usage", "input_tokens"),
        1.5,
        "token_usages[3].token_usage.input_tokens: expected integer or null, got number 1.5",
    ),
    (
        ("token_usage", "input_tokens"),
        [1],
        "token_usages[3].token_usage.input_tokens: expected integer or null, got array [1]",
    ),
    (
        ("token_usage", "output_tokens"),
        True,
        "token_usages[3].token_usage.output_tokens: expected integer or null, got boolean true",
    ),
    (("id",), 7, "token_usages[3].id: expected string, got integer 7"),
    (("created_at",), None, "token_usages[3].created_at: expected string, got null"),
]


@pytest.mark.usefixtures("decoder")
@pytest.mark.parametrize(
    ("path", "value", "message"), CASES, ids=[case[2].split(":")[0] + repr(case[1]) for case in CASES]
)
def test_sync_walk_names_the_bad_value(path: tuple[str, ...], value: object, message: str) -> None:
    transport = serving(page_with(3, path, value))
    client = GalileoInsights(api_key=API_KEY, base_url=BASE_URL, transport=transport, max_retries=0)
    with client, pytest.raises(ResponseValidationError) as caught:
        list(client.token_usage.list(PROJECT_ID, LOG_STREAM_ID))
    assert message in str(caught.value)


@pytest.mark.usefixtures("decoder")
def test_async_walk_names_the_bad_value() -> None:
    transport = serving(page_with(3, ("token_usage", "input_tokens"), "5000"))

    async def walk() -> None:
        async with AsyncGalileoInsights(
            api_key=API_KEY, base_url=BASE_URL, transport=transport, max_retries=0
        ) as client:
            async for _ in client.token_usage.list(PROJECT_ID, LOG_STREAM_ID):
                pass

    with pytest.raises(
        ResponseValidationError, match=r"token_usages\[3\]\.token_usage\.input_tokens: expected integer"
    ):
        asyncio.run(walk())


@pytest.mark.usefixtures("decoder")
def test_values_the_spec_allows_still_parse() -> None:
    body = page_with(3, ("token_usage", "input_tokens"), None)
    with GalileoInsights(api_key=API_KEY, base_url=BASE_URL, transport=serving(body), max_retries=0) as client:
        rows = list(client.token_usage.list(PROJECT_ID, LOG_STREAM_ID, ascending=True))
    assert [row.token_usage.input_tokens for row in rows if row.token_usage] == [0, 1, 2, None, 4]
