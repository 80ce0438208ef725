"""The organisation-wide call against a server that misbehaves: retried faults change nothing, a failure that
stays is one typed error in bounded time, and a malformed listing is a typed error too."""

from __future__ import annotations

import datetime
import threading

import httpx
import pytest

from galileo_insights import (
    GalileoInsights,
    InternalServerError,
    ResponseValidationError,
    RetryPolicy,
)
from galileo_insights.testing import FakeGalileo, Organisation, RandomFaults, ServerError

BASE_URL = "http://galileo.test"
END = datetime.datetime(2026, 3, 1, tzinfo=datetime.UTC)
WINDOW = {"created_since": END - datetime.timedelta(days=10), "created_before": END}


def organisation() -> FakeGalileo:
    return FakeGalileo(organisation=Organisation(projects=2, log_streams=2, records=120, days=10, end=END))


def client_of(transport: httpx.BaseTransport, fake: FakeGalileo, retries: int) -> GalileoInsights:
    policy = RetryPolicy(max_retries=retries, initial_delay=0, jitter=0)
    return GalileoInsights(api_key=fake.api_key, base_url=BASE_URL, transport=transport, retry_policy=policy)


def totals(fake: FakeGalileo, retries: int) -> list[tuple[str | None, int, int]]:
    with client_of(fake.transport(), fake, retries) as client:
        report = client.usage.by_period(
            "day",
            all=True,
            created_since=WINDOW["created_since"],
            created_before=WINDOW["created_before"],
            concurrency=3,
            page_size=25,
        )
    return [(row.log_stream, row.records, row.input_tokens) for row in report]


def test_retried_faults_leave_the_rows_unchanged() -> None:
    calm = organisation()
    stormy = organisation()
    stormy.faults.set_random(RandomFaults(seed=5, rate_limited=0.15, server_error=0.15, dropped=0.1, retry_after=0))
    assert totals(stormy, retries=10) == totals(calm, retries=0)
    assert any(request.fault is not None for request in stormy.requests)


def test_a_failure_that_stays_is_one_typed_error() -> None:
    fake = organisation()
    fake.faults.script(*([ServerError(500)] * 50))
    with pytest.raises(InternalServerError):
        totals(fake, retries=1)


def test_a_malformed_log_stream_listing_is_a_typed_error() -> None:
    fake = organisation()

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/log_streams/paginated"):
            return httpx.Response(200, json={"not": "a list"})
        reply = fake.handle(request.method, request.url.path, dict(request.headers), request.content)
        return httpx.Response(reply.status, headers=reply.headers, content=reply.body)

    with client_of(httpx.MockTransport(handler), fake, 0) as client, pytest.raises(ResponseValidationError):
        client.usage.select(all=True)


def test_a_slow_log_stream_does_not_hold_up_the_others() -> None:
    """With two workers, while the first log stream's walk is stuck, the other worker reads all the rest: the
    last log stream's request arrives before the first one's answer (no worker waits for the consumer)."""
    fake = organisation()
    with GalileoInsights(api_key=fake.api_key, base_url=BASE_URL, transport=fake.transport()) as client:
        targets = client.usage.select(all=True)
    last_started = threading.Event()
    first, last = str(targets[0].log_stream_id), str(targets[-1].log_stream_id)
    waits: list[bool] = []

    def handler(request: httpx.Request) -> httpx.Response:
        if f"/log_streams/{first}/" in request.url.path:
            waits.append(last_started.wait(timeout=10))  # bounded: a regression fails instead of hanging
        if f"/log_streams/{last}/" in request.url.path:
            last_started.set()
        query = request.url.query.decode()
        reply = fake.handle(request.method, request.url.path, dict(request.headers), request.content, query)
        return httpx.Response(reply.status, headers=reply.headers, content=reply.body)

    with client_of(httpx.MockTransport(handler), fake, 0) as client:
        report = client.usage.by_period(
            "day",
            all=True,
            concurrency=2,
            created_since=WINDOW["created_since"],
            created_before=WINDOW["created_before"],
        )

    assert waits == [True]  # the last log stream was asked for while the first one's request was held
    assert sum(row.records for row in report) == 4 * 120
