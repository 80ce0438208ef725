"""The fake honours the client's read timeout in every mode, so timeout handling can be tested without sockets:
in-process (sync and async), ASGI and HTTP all end a too-slow answer in the same ``APITimeoutError``. Every answer
carries a request id, as Galileo's do."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager

import pytest

from galileo_insights import APITimeoutError, AsyncGalileoInsights, GalileoInsights, NotFoundError
from galileo_insights.testing import FakeGalileo, Latency

SLOW = 2.0
TIMEOUT = 0.3


def slow_fake() -> FakeGalileo:
    fake = FakeGalileo(records=5)
    fake.faults.script(Latency(seconds=SLOW))
    return fake


SyncMode = Callable[[FakeGalileo], AbstractContextManager[GalileoInsights]]
AsyncMode = Callable[[FakeGalileo], AsyncGalileoInsights]


@contextmanager
def in_process(fake: FakeGalileo) -> Iterator[GalileoInsights]:
    with GalileoInsights(
        api_key=fake.api_key, base_url="http://galileo.test", transport=fake.transport(), timeout=TIMEOUT, max_retries=0
    ) as client:
        yield client


@contextmanager
def over_http(fake: FakeGalileo) -> Iterator[GalileoInsights]:
    with (
        fake.serve() as url,
        GalileoInsights(api_key=fake.api_key, base_url=url, timeout=TIMEOUT, max_retries=0) as client,
    ):
        yield client


def async_in_process(fake: FakeGalileo) -> AsyncGalileoInsights:
    return AsyncGalileoInsights(
        api_key=fake.api_key, base_url="http://galileo.test", transport=fake.transport(), timeout=TIMEOUT, max_retries=0
    )


def async_asgi(fake: FakeGalileo) -> AsyncGalileoInsights:
    return AsyncGalileoInsights(
        api_key=fake.api_key,
        base_url="http://galileo.test",
        transport=fake.asgi_transport(),
        timeout=TIMEOUT,
        max_retries=0,
    )


@pytest.mark.parametrize("mode", [in_process, over_http], ids=["in-process", "http"])
def test_latency_past_the_timeout_is_an_api_timeout_error(mode: SyncMode) -> None:
    fake = slow_fake()
    with mode(fake) as client, pytest.raises(APITimeoutError):
        list(client.token_usage.list(fake.project_id, fake.log_stream_id))


@pytest.mark.parametrize("mode", [async_in_process, async_asgi], ids=["in-process", "asgi"])
def test_async_latency_past_the_timeout_is_an_api_timeout_error(mode: AsyncMode) -> None:
    fake = slow_fake()

    async def main() -> None:
        async with mode(fake) as client:
            await client.token_usage.totals(fake.project_id, fake.log_stream_id)

    with pytest.raises(APITimeoutError):
        asyncio.run(main())


@pytest.mark.parametrize("mode", [async_in_process, async_asgi], ids=["in-process", "asgi"])
def test_latency_within_the_timeout_is_answered(mode: AsyncMode) -> None:
    fake = FakeGalileo(records=5)
    fake.faults.script(Latency(seconds=TIMEOUT / 3))

    async def main() -> int:
        async with mode(fake) as client:
            return (await client.token_usage.totals(fake.project_id, fake.log_stream_id)).records

    assert asyncio.run(main()) == 5


def test_every_answer_carries_a_request_id() -> None:
    fake = FakeGalileo()
    with in_process(fake) as client:
        response = client.with_raw_response.projects.list()
        with pytest.raises(NotFoundError) as caught:
            client.log_streams.list("00000000-0000-4000-8000-000000000000")

    first, second = fake.requests
    assert response.request_id == first.request_id
    assert caught.value.request_id == second.request_id
    assert first.request_id != second.request_id
    assert first.request_id.startswith("req_")
