"""Secrets never reach an error's message, repr, traceback or the CLI line, even when the server echoes them.

The echo server answers every request with an error whose body quotes everything it received: the credential
headers, the Basic header decoded, and the login form. The raw response stays reachable on the error.
"""

from __future__ import annotations

import base64
import json
import traceback
import urllib.parse
from typing import Any

import httpx
import pytest

from galileo_insights import (
    AsyncGalileoInsights,
    BasicAuth,
    GalileoInsights,
    GalileoInsightsError,
)
from galileo_insights._redaction import Redactor
from galileo_insights.cli import _app
from tests.cli.harness import one_line_error, run_cli

BASE_URL = "https://api.galileo.test"
PROJECT_ID = "6f1c1a2e-7d3b-4c5e-9a8f-0b1c2d3e4f50"
LOG_STREAM_ID = "3d2b8c4a-5e6f-4a7b-8c9d-e0f1a2b3c4d5"
API_KEY = "gk-echo-me-0123456789abcdef"  # test credentials
JWT = "eyJhbGciOi.echo-me-token.c2lnbmF0dXJl"
USERNAME = "someone@example.com"
PASSWORD = 'pa ss"wörd/&=+42'
LOGIN_TOKEN = "issued-token-echo-me-987654"


class EchoServer:
    """Logs in anyone (``/login`` answers LOGIN_TOKEN); every other request gets ``status`` echoing its credentials."""

    def __init__(self, status: int = 401, echo_login: bool = False) -> None:
        self.status = status
        self.echo_login = echo_login

    def __call__(self, request: httpx.Request) -> httpx.Response:
        received = {name: value for name, value in request.headers.items() if name != "user-agent"}
        authorization = request.headers.get("authorization", "")
        if authorization.startswith("Basic "):
            received["decoded"] = base64.b64decode(authorization[6:]).decode()
        if request.url.path == "/login":
            form = request.content.decode()
            if not self.echo_login:
                return httpx.Response(200, json={"access_token": LOGIN_TOKEN, "token_type": "bearer"})
            received["form"] = form
            received["parsed"] = json.dumps(urllib.parse.parse_qs(form))
            return httpx.Response(self.status, json={"detail": [{"msg": "rejected", "input": received}]})
        return httpx.Response(self.status, json={"detail": f"rejected {received}", "echo": received})


def every_form(secret: str) -> list[str]:
    return [
        secret,
        json.dumps(secret)[1:-1],
        json.dumps(secret, ensure_ascii=False)[1:-1],
        urllib.parse.quote_plus(secret),
    ]


BASIC = base64.b64encode(f"{USERNAME}:{PASSWORD}".encode()).decode()
CREDENTIALS: dict[str, tuple[dict[str, Any], list[str]]] = {
    "api_key": ({"api_key": API_KEY}, [API_KEY]),
    "bearer": ({"jwt_token": JWT}, [JWT]),
    "basic": ({"auth": BasicAuth(USERNAME, PASSWORD)}, [BASIC, f"{USERNAME}:{PASSWORD}", PASSWORD]),
    "httpx-basic": ({"auth": httpx.BasicAuth(USERNAME, PASSWORD)}, [BASIC, f"{USERNAME}:{PASSWORD}", PASSWORD]),
    "password-login": ({"username": USERNAME, "password": PASSWORD}, [PASSWORD, LOGIN_TOKEN]),
}


def shown(error: BaseException) -> str:
    """Everything a person or a log can see of ``error`` without asking for the raw response."""
    parts = [str(error), repr(error), repr(error.args), "".join(traceback.format_exception(error))]
    body = getattr(error, "body", None)
    if body is not None:
        parts.append(json.dumps(body, default=str, ensure_ascii=False))
        parts.append(json.dumps(body, default=str))
    return "\n".join(parts)


def assert_scrubbed(error: BaseException, secrets: list[str]) -> None:
    text = shown(error)
    for secret in secrets:
        for form in every_form(secret):
            assert form not in text, f"a secret ({len(secret)} chars) leaked in the form {form[:3]}..."
    assert "***" in text


def raw(error: GalileoInsightsError) -> bytes:
    response = getattr(error, "response", None)
    assert isinstance(response, httpx.Response)
    return response.content


@pytest.mark.parametrize("status", [401, 403, 422, 500])
@pytest.mark.parametrize("kind", sorted(CREDENTIALS))
def test_sync_errors_never_show_a_secret(kind: str, status: int) -> None:
    arguments, secrets = CREDENTIALS[kind]
    transport = httpx.MockTransport(EchoServer(status))
    with (
        GalileoInsights(base_url=BASE_URL, transport=transport, max_retries=0, **arguments) as client,
        pytest.raises(GalileoInsightsError) as caught,
    ):
        list(client.token_usage.list(PROJECT_ID, LOG_STREAM_ID))
    assert_scrubbed(caught.value, secrets)
    assert any(secret.encode() in raw(caught.value) for secret in secrets), "the raw response must stay reachable"


@pytest.mark.anyio
@pytest.mark.parametrize("kind", sorted(CREDENTIALS))
async def test_async_errors_never_show_a_secret(kind: str) -> None:
    arguments, secrets = CREDENTIALS[kind]
    transport = httpx.MockTransport(EchoServer(401))
    async with AsyncGalileoInsights(base_url=BASE_URL, transport=transport, max_retries=0, **arguments) as client:
        with pytest.raises(GalileoInsightsError) as caught:
            await client.token_usage.totals(PROJECT_ID, LOG_STREAM_ID)
    assert_scrubbed(caught.value, secrets)


@pytest.mark.parametrize("status", [401, 422, 503])
def test_a_login_rejection_echoing_the_form_shows_no_password(status: int) -> None:
    transport = httpx.MockTransport(EchoServer(status, echo_login=True))
    with (
        GalileoInsights(
            base_url=BASE_URL, transport=transport, max_retries=0, username=USERNAME, password=PASSWORD
        ) as client,
        pytest.raises(GalileoInsightsError) as caught,
    ):
        list(client.token_usage.list(PROJECT_ID, LOG_STREAM_ID))
    assert_scrubbed(caught.value, [PASSWORD])
    assert "rejected" in str(caught.value)  # what the server said is kept, only the secrets go


def test_the_cli_error_line_shows_no_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    transport = httpx.MockTransport(EchoServer(401))

    def build(connection: _app.Connection) -> GalileoInsights:
        return GalileoInsights(api_key=connection.api_key, base_url=BASE_URL, transport=transport, max_retries=0)

    monkeypatch.setattr(_app, "build_client", build)
    result = run_cli(["token-usage", PROJECT_ID, LOG_STREAM_ID, "--api-key", API_KEY])
    line = one_line_error(result)
    assert "401" in line
    for form in every_form(API_KEY):
        assert form not in result.stderr


def test_a_redactor_sees_tokens_obtained_after_it_was_made() -> None:
    issued: list[str] = []
    redactor = Redactor(lambda: issued)
    assert redactor("token later-token here") == "token later-token here"
    issued.append("later-token")
    assert redactor("token later-token here") == "token *** here"
    assert redactor.body({"a": ["later-token", 5, {"later-token": None}]}) == {"a": ["***", 5, {"***": None}]}


def test_a_redactor_survives_a_deeply_nested_body() -> None:
    deep: Any = "secret"
    for _ in range(5000):
        deep = [deep]
    redacted = Redactor(lambda: ["secret"]).body(deep)
    assert "secret" not in json.dumps(redacted)


def test_repr_of_the_client_and_its_settings_hides_the_key() -> None:
    with GalileoInsights(api_key=API_KEY, base_url=BASE_URL) as client:
        assert API_KEY not in repr(client)
        assert API_KEY not in repr(client._settings)
