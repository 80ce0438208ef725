from __future__ import annotations

import httpx
import pytest

from galileo_insights import (
    APIConnectionError,
    APIStatusError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    ConflictError,
    GalileoInsights,
    GalileoInsightsError,
    InternalServerError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    ResponseValidationError,
    UnprocessableEntityError,
)
from tests.wrapper.fake_pages import API_KEY, BASE_URL, LOG_STREAM_ID, PROJECT_ID, PageServer, make_records


def first_page(handler: httpx.MockTransport) -> None:
    with GalileoInsights(api_key=API_KEY, base_url=BASE_URL, transport=handler, max_retries=0) as client:
        list(client.token_usage.list(PROJECT_ID, LOG_STREAM_ID))


def answering(status: int, **kwargs: object) -> httpx.MockTransport:
    return httpx.MockTransport(lambda request: httpx.Response(status, **kwargs))  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("status", "error_class"),
    [
        (400, BadRequestError),
        (401, AuthenticationError),
        (403, PermissionDeniedError),
        (404, NotFoundError),
        (409, ConflictError),
        (429, RateLimitError),
        (500, InternalServerError),
        (503, InternalServerError),
        (520, InternalServerError),  # undocumented 5xx (Cloudflare): still a server error
        (418, APIStatusError),
    ],
)
def test_status_maps_to_its_error_class(status: int, error_class: type[APIStatusError]) -> None:
    transport = answering(status, json={"detail": "nope"}, headers={"x-request-id": "req-123"})
    with pytest.raises(error_class) as caught:
        first_page(transport)
    error = caught.value
    assert type(error) is error_class
    assert isinstance(error, GalileoInsightsError)
    assert error.status_code == status
    assert error.body == {"detail": "nope"}
    assert error.request_id == "req-123"
    assert error.response.status_code == status
    assert error.request.url.path.endswith("/token_usage")
    assert f"returned {status}: nope" in str(error)


def test_422_detail_list_is_parsed() -> None:
    detail = [{"loc": ["body", "limit"], "msg": "Input should be a valid integer", "type": "int_parsing"}]
    with pytest.raises(UnprocessableEntityError) as caught:
        first_page(answering(422, json={"detail": detail}))
    assert [(e.loc, e.msg, e.type_) for e in caught.value.errors] == [
        (["body", "limit"], "Input should be a valid integer", "int_parsing")
    ]
    assert caught.value.detail_text is None


def test_422_plain_string_detail_is_kept_as_text() -> None:
    with pytest.raises(UnprocessableEntityError) as caught:
        first_page(answering(422, json={"detail": "Invalid filter for this log stream"}))
    assert caught.value.errors == []
    assert caught.value.detail_text == "Invalid filter for this log stream"


def test_non_json_error_body_is_kept_as_text() -> None:
    with pytest.raises(InternalServerError) as caught:
        first_page(answering(502, text="<html>Bad gateway</html>"))
    assert caught.value.body == "<html>Bad gateway</html>"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"{not json", "not JSON"),
        (b"[1, 2]", "JSON list, expected an object"),
        (
            b'{"token_usages": [{"id": "6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b"}]}',
            r"token_usages\[0\]\.created_at: required property is missing",
        ),
        (b'{"token_usages": [{"id": 5, "created_at": "x"}]}', "does not match the spec"),
        (b'{"next_starting_token": "10", "token_usages": []}', "next_starting_token must be an integer"),
        (b'{"token_usages": {"a": 1}}', "token_usages must be a list, got dict"),
        (b'{"token_usages": {}}', "token_usages must be a list, got dict"),
        (b'{"next_starting_token": true, "token_usages": []}', "next_starting_token must be an integer"),
    ],
)
def test_malformed_2xx_body_raises_response_validation_error_with_raw_body(content: bytes, message: str) -> None:
    with pytest.raises(ResponseValidationError, match=message) as caught:
        first_page(answering(200, content=content))
    assert caught.value.raw_body == content
    assert caught.value.response.status_code == 200


def raising(error: Exception) -> httpx.MockTransport:
    def handler(request: httpx.Request) -> httpx.Response:
        raise error

    return httpx.MockTransport(handler)


def test_connection_failures_are_typed() -> None:
    with pytest.raises(APIConnectionError, match="ConnectError") as caught:
        first_page(raising(httpx.ConnectError("connection refused")))
    assert not isinstance(caught.value, APITimeoutError)
    assert caught.value.request.method == "POST"
    with pytest.raises(APITimeoutError):
        first_page(raising(httpx.ReadTimeout("timed out")))


def test_an_empty_object_is_asked_for_again_not_taken_for_the_end() -> None:
    records = make_records(3)
    server = PageServer(records, faults={0: lambda request: httpx.Response(200, json={})})
    with GalileoInsights(api_key=API_KEY, base_url=BASE_URL, transport=httpx.MockTransport(server)) as client:
        assert len(list(client.token_usage.list(PROJECT_ID, LOG_STREAM_ID))) == 3
    assert len(server.requests) == 2
