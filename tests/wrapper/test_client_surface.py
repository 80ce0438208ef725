"""The client as users meet it: plain counts, error classes with structured fields, ``await client.close()``,
``GALILEO_EXTRA_HEADERS``, raw-response views that wrap the plain methods, defaults in one place."""

from __future__ import annotations

import asyncio
import datetime
import inspect
import json
import typing

import httpx
import pytest

import galileo_insights
from galileo_insights import (
    APIConnectionError,
    APIError,
    APIStatusError,
    AsyncGalileoInsights,
    ClientStateError,
    ConfigurationError,
    GalileoInsights,
    InputError,
    InvalidRequestError,
    ResponseTooLargeError,
    ResponseValidationError,
    RetryPolicy,
    TokenCounts,
)
from galileo_insights._constants import DEFAULT_CONNECT_TIMEOUT_SECONDS, DEFAULT_MAX_RETRIES, DEFAULT_TIMEOUT_SECONDS
from galileo_insights._options import ClientOptions, EffectiveOptions, RequestOptions
from galileo_insights.testing import FakeGalileo, TokenUsageRecord
from galileo_insights.testing import TokenCounts as FakeCounts

BASE_URL = "http://galileo.test"
STREAM = (FakeGalileo().project_id, FakeGalileo().log_stream_id)
DAY = datetime.datetime(2026, 3, 1, tzinfo=datetime.UTC)


def fake_client(fake: FakeGalileo, **kwargs: typing.Any) -> GalileoInsights:
    return GalileoInsights(api_key=fake.api_key, base_url=BASE_URL, transport=fake.transport(), **kwargs)


# Plain counts


def test_token_counts_are_plain_ints_or_none() -> None:
    fake = FakeGalileo()
    fake.store.add(
        [
            TokenUsageRecord(
                created_at=DAY, token_usage=FakeCounts(input_tokens=5, output_tokens=None, cache_read_input_tokens=2)
            ),
            TokenUsageRecord(created_at=DAY + datetime.timedelta(hours=1), token_usage=None),  # no token_usage key
        ]
    )
    with fake_client(fake) as client:
        with_counts, without = (
            TokenCounts.of(item) for item in client.token_usage.list(ascending=True, **ids_of(fake))
        )

    assert with_counts == TokenCounts(5, None, 2, None)
    assert without == TokenCounts(None, None, None, None)
    assert json.loads(json.dumps(with_counts._asdict())) == {
        "input_tokens": 5,
        "output_tokens": None,
        "cache_read_input_tokens": 2,
        "cache_creation_input_tokens": None,
    }
    assert set(typing.get_type_hints(TokenCounts).values()) == {int | None}


def ids_of(fake: FakeGalileo) -> dict[str, typing.Any]:
    return {"project_id": fake.project_id, "log_stream_id": fake.log_stream_id}


# Error classes


def test_everything_from_an_http_exchange_is_an_api_error_with_its_request() -> None:
    request = httpx.Request("GET", f"{BASE_URL}/projects")
    response = httpx.Response(500, json={"detail": "x"}, request=request)
    errors = [
        APIConnectionError("down", request=request),
        APIStatusError("500", response=response, body={}),
        ResponseValidationError("bad", response=response),
        ResponseTooLargeError("big", response=response, limit=1),
    ]
    assert all(isinstance(error, APIError) and error.request is request for error in errors)
    assert not issubclass(InvalidRequestError, APIError)


@pytest.mark.parametrize(
    ("call", "argument"),
    [
        (lambda client: client.token_usage.list(*STREAM, page_size=0), "page_size"),
        (lambda client: client.token_usage.list(*STREAM, created_since="yesterday"), "created_since"),
        (lambda client: client.token_usage.list(*STREAM, created_before=datetime.timedelta(days=1)), "created_before"),
        (lambda client: client.token_usage.list("nope", STREAM[1]), "project_id"),
        (lambda client: client.projects.list(timeout=-1), "timeout"),
        (lambda client: client.with_options(max_retries=99), "max_retries"),
    ],
    ids=["page_size", "since", "duration-as-upper-bound", "project_id", "timeout", "max_retries"],
)
def test_input_errors_name_their_argument(call: typing.Callable[[GalileoInsights], object], argument: str) -> None:
    fake = FakeGalileo()
    with fake_client(fake) as client, pytest.raises(InputError) as caught:
        call(client)
    assert caught.value.argument == argument
    assert str(caught.value) == f"{argument}: {caught.value.reason}"
    assert fake.requests == []


def test_configuration_errors_name_the_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GALILEO_API_URL", "ftp://nowhere")
    with pytest.raises(ConfigurationError) as caught:
        GalileoInsights(api_key="k")
    assert caught.value.argument == "GALILEO_API_URL"


# Async close


def test_the_async_client_closes_with_await_close() -> None:
    fake = FakeGalileo()

    async def main() -> None:
        client = AsyncGalileoInsights(api_key=fake.api_key, base_url=BASE_URL, transport=fake.transport())
        await client.projects.list()
        await client.close()
        with pytest.raises(ClientStateError):
            await client.projects.list()
        await client.aclose()  # still there, and closing twice is harmless

    asyncio.run(main())


# GALILEO_EXTRA_HEADERS


def test_extra_headers_from_the_environment_are_sent_under_default_and_call_headers(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("GALILEO_EXTRA_HEADERS", json.dumps({"X-Gateway": "env", "X-Team": "env", "X-Env-Only": "1"}))
    fake = FakeGalileo()
    with fake_client(fake, default_headers={"x-team": "client"}) as client:
        client.projects.list(extra_headers={"X-Gateway": "call"})

    headers = fake.requests[0].headers
    assert headers["x-gateway"] == "call"
    assert headers["x-team"] == "client"
    assert headers["x-env-only"] == "1"


@pytest.mark.parametrize("value", ["not json", "[1]", '{"bad name": "x"}', '{"X-A": 1}'])
def test_bad_extra_headers_are_a_configuration_error_without_the_values(
    value: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GALILEO_EXTRA_HEADERS", value)
    with pytest.raises(ConfigurationError) as caught:
        GalileoInsights(api_key="k", base_url=BASE_URL)
    assert caught.value.argument == "GALILEO_EXTRA_HEADERS"


# Raw-response views


def test_raw_response_views_show_the_plain_methods_parameters() -> None:
    fake = FakeGalileo()
    with fake_client(fake) as client:
        plain, raw = client.projects.list, client.with_raw_response.projects.list
        assert inspect.signature(raw) == inspect.signature(plain)
        assert raw.__doc__ == plain.__doc__
        response = raw(name=fake.project_name)
        assert [project.id for project in response.parse()] == [fake.project_id]
        assert response.status_code == 200
        assert client.projects.list(name=fake.project_name)[0].id == fake.project_id  # the plain view stays plain


# Defaults in one place


def test_defaults_come_from_the_constants_module() -> None:
    assert RetryPolicy().max_retries == DEFAULT_MAX_RETRIES
    with GalileoInsights(api_key="k", base_url=BASE_URL) as client:
        assert client._options.timeout == httpx.Timeout(
            DEFAULT_TIMEOUT_SECONDS, connect=DEFAULT_CONNECT_TIMEOUT_SECONDS
        )
        assert client._options.retry_policy.max_retries == DEFAULT_MAX_RETRIES
    assert galileo_insights.DEFAULT_MAX_RESPONSE_BYTES == galileo_insights._constants.DEFAULT_MAX_RESPONSE_BYTES


def test_a_calls_options_are_merged_once_for_all_its_requests(monkeypatch: pytest.MonkeyPatch) -> None:
    merges: list[object] = []
    original = ClientOptions.merged

    def counting(self: ClientOptions, call: RequestOptions) -> EffectiveOptions:
        merges.append(call)
        return original(self, call)

    monkeypatch.setattr(ClientOptions, "merged", counting)
    fake = FakeGalileo(records=40)
    with fake_client(fake) as client:
        pager = client.token_usage.list(
            *STREAM, created_since="2025-01-01", created_before="2025-03-01", concurrency=4, page_size=5
        )
        assert len(list(pager)) > 0

    assert len([request for request in fake.requests if request.method == "POST"]) > 4
    assert len(merges) == 1
