"""Credentials that cannot be sent are refused at construction; a key sent in clear over the network is warned about."""

from __future__ import annotations

import logging

import httpx
import pytest

from galileo_insights import ApiKeyAuth, BearerAuth, ConfigurationError, GalileoInsights

SECRET_PART = "s3cr3t-part-of-the-key"
UNSAFE = {
    "newline": f"{SECRET_PART}\nX-Injected: 1",
    "carriage-return": f"{SECRET_PART}\rmore",
    "nul": f"{SECRET_PART}\x00more",
    "space": f"{SECRET_PART} more",
    "tab": f"{SECRET_PART}\tmore",
    "non-ascii": f"{SECRET_PART}é",
    "delete": f"{SECRET_PART}\x7f",
}


class Recorder:
    def __init__(self) -> None:
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        return httpx.Response(200, json={"starting_token": 0, "limit": 1000, "paginated": True, "token_usages": []})


@pytest.mark.parametrize("kind", sorted(UNSAFE))
@pytest.mark.parametrize("argument", ["api_key", "jwt_token"])
def test_header_unsafe_credentials_are_refused_without_quoting_them(kind: str, argument: str) -> None:
    with pytest.raises(ConfigurationError, match="cannot be sent in an HTTP header") as caught:
        GalileoInsights(**{argument: UNSAFE[kind]}, base_url="https://api.galileo.test")  # type: ignore[arg-type]
    assert SECRET_PART not in str(caught.value)
    assert SECRET_PART not in repr(caught.value)


@pytest.mark.parametrize("kind", sorted(set(UNSAFE) - {"nul"}))  # an environment variable cannot hold a NUL
def test_header_unsafe_environment_key_is_refused(kind: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GALILEO_API_KEY", UNSAFE[kind])
    if UNSAFE[kind].strip() != UNSAFE[kind]:
        pytest.fail("every unsafe value has its bad character inside, not at an end that stripping would remove")
    with pytest.raises(ConfigurationError, match="api_key: cannot be sent") as caught:
        GalileoInsights(base_url="https://api.galileo.test")
    assert SECRET_PART not in str(caught.value)


@pytest.mark.parametrize("auth_class", [ApiKeyAuth, BearerAuth])
def test_the_auth_classes_refuse_them_too(auth_class: type[ApiKeyAuth | BearerAuth]) -> None:
    with pytest.raises(ConfigurationError) as caught:
        auth_class(UNSAFE["nul"])
    assert SECRET_PART not in str(caught.value)


def test_a_clean_key_is_sent_as_it_is() -> None:
    recorder = Recorder()
    with GalileoInsights(
        api_key="A-z_0.9~+/=!", base_url="https://api.galileo.test", transport=httpx.MockTransport(recorder)
    ) as client:
        list(client.token_usage.list("6f1c1a2e-7d3b-4c5e-9a8f-0b1c2d3e4f50", "3d2b8c4a-5e6f-4a7b-8c9d-e0f1a2b3c4d5"))
    assert recorder.requests[0].headers["Galileo-API-Key"] == "A-z_0.9~+/=!"


@pytest.mark.parametrize("url", ["http://galileo.internal:8088", "http://10.0.0.5", "http://[2001:db8::1]:8080"])
def test_plain_http_to_another_host_logs_one_warning(url: str, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="galileo_insights"):
        GalileoInsights(api_key="key-never-logged", base_url=url).close()
    warnings = [record for record in caplog.records if record.levelno == logging.WARNING]
    assert len(warnings) == 1
    message = warnings[0].getMessage()
    assert "plain http" in message
    assert httpx.URL(url).host in message
    assert "key-never-logged" not in message


@pytest.mark.parametrize(
    "url",
    [
        "http://localhost:8088",
        "http://127.0.0.1:9",
        "http://127.8.9.10",
        "http://[::1]:80",
        "https://10.0.0.5",
        "http://galileo.test",
        "http://api.localhost",
    ],
)
def test_loopback_and_https_are_quiet(url: str, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.DEBUG, logger="galileo_insights"):
        GalileoInsights(api_key="key", base_url=url).close()
    assert [r for r in caplog.records if r.levelno >= logging.WARNING] == []


def test_the_environment_url_is_checked_the_same_way(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setenv("GALILEO_API_URL", "http://galileo.example.com")
    with caplog.at_level(logging.WARNING, logger="galileo_insights"):
        GalileoInsights(api_key="key").close()
    assert "galileo.example.com" in caplog.text
