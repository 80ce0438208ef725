from __future__ import annotations

import dataclasses
import socket
from typing import Any

import httpx
import pytest

from galileo_insights import GalileoInsights
from galileo_insights._auth import ApiKeyAuth, BasicAuth, BearerAuth, PasswordLoginAuth
from galileo_insights._constants import DEFAULT_API_URL
from galileo_insights._errors import ConfigurationError
from galileo_insights._http_client import DEFAULT_TIMEOUT
from galileo_insights._options import ClientOptions
from galileo_insights._settings import Settings

SECRET = "s3cret-value-never-shown"  # a test credential
KEY_ENV = {"GALILEO_API_KEY": SECRET}


def request_headers(settings: Settings) -> httpx.Headers:
    """The headers ``settings.auth`` puts on a request (API key and bearer flows need no response)."""
    request = httpx.Request("GET", f"{settings.base_url}/x")
    flow = settings.auth.sync_auth_flow(request)
    return next(flow).headers


# Credentials


def test_explicit_api_key_beats_every_environment_credential() -> None:
    env = {"GALILEO_API_KEY": "env-key", "GALILEO_JWT_TOKEN": "env-jwt", "GALILEO_USERNAME": "u"}
    settings = Settings.resolve(api_key="arg-key", environ=env)
    assert isinstance(settings.auth, ApiKeyAuth)
    assert request_headers(settings)["Galileo-API-Key"] == "arg-key"


def test_explicit_jwt_beats_environment_api_key() -> None:
    settings = Settings.resolve(jwt_token="arg-jwt", environ={"GALILEO_API_KEY": "env-key"})
    assert request_headers(settings)["Authorization"] == "Bearer arg-jwt"


def test_explicit_auth_object_beats_everything() -> None:
    auth = BasicAuth("user", SECRET)
    settings = Settings.resolve(auth=auth, api_key="arg-key", environ=KEY_ENV)
    assert settings.auth is auth


def test_explicit_credentials_in_documented_order() -> None:
    settings = Settings.resolve(api_key="k", jwt_token="j", username="u", password="p", environ={})
    assert isinstance(settings.auth, ApiKeyAuth)
    settings = Settings.resolve(jwt_token="j", username="u", password="p", environ={})
    assert isinstance(settings.auth, BearerAuth)


def test_explicit_username_password_beat_environment_api_key() -> None:
    settings = Settings.resolve(username="u", password="p", environ=KEY_ENV)
    assert isinstance(settings.auth, PasswordLoginAuth)
    assert settings.auth.login_url == f"{DEFAULT_API_URL}/login"


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        (
            {"GALILEO_API_KEY": "k", "GALILEO_JWT_TOKEN": "j", "GALILEO_USERNAME": "u", "GALILEO_PASSWORD": "p"},
            ApiKeyAuth,
        ),
        ({"GALILEO_JWT_TOKEN": "j", "GALILEO_USERNAME": "u", "GALILEO_PASSWORD": "p"}, BearerAuth),
        ({"GALILEO_USERNAME": "u", "GALILEO_PASSWORD": "p"}, PasswordLoginAuth),
        # an empty variable counts as unset
        (
            {"GALILEO_API_KEY": "", "GALILEO_JWT_TOKEN": "  ", "GALILEO_USERNAME": "u", "GALILEO_PASSWORD": "p"},
            PasswordLoginAuth,
        ),
    ],
)
def test_environment_credentials_in_documented_order(env: dict[str, str], expected: type[httpx.Auth]) -> None:
    assert type(Settings.resolve(environ=env).auth) is expected


def test_each_environment_credential_reaches_the_request() -> None:
    assert request_headers(Settings.resolve(environ={"GALILEO_API_KEY": "k"}))["Galileo-API-Key"] == "k"
    assert request_headers(Settings.resolve(environ={"GALILEO_JWT_TOKEN": "j"}))["Authorization"] == "Bearer j"
    auth = Settings.resolve(environ={"GALILEO_USERNAME": "u", "GALILEO_PASSWORD": "p"}).auth
    assert isinstance(auth, PasswordLoginAuth)
    assert auth.username == "u"


def test_empty_arguments_count_as_unset() -> None:
    settings = Settings.resolve(api_key="", jwt_token="", base_url="", environ={"GALILEO_JWT_TOKEN": "env-jwt"})
    assert request_headers(settings)["Authorization"] == "Bearer env-jwt"
    assert settings.base_url == DEFAULT_API_URL


def test_surrounding_whitespace_is_stripped_except_from_passwords() -> None:
    settings = Settings.resolve(environ={"GALILEO_API_KEY": " key\n", "GALILEO_API_URL": " https://api.x.io/ "})
    assert request_headers(settings)["Galileo-API-Key"] == "key"
    assert settings.base_url == "https://api.x.io"
    auth = Settings.resolve(environ={"GALILEO_USERNAME": " u ", "GALILEO_PASSWORD": " p "}).auth
    assert isinstance(auth, PasswordLoginAuth)
    assert auth.username == "u"
    login = auth._login_request(httpx.Request("GET", "https://api.x.io"))
    assert login.content == b"username=u&password=+p+"


def test_missing_credentials_error_names_every_option() -> None:
    with pytest.raises(ConfigurationError) as caught:
        Settings.resolve(environ={})
    message = str(caught.value)
    for name in ("GALILEO_API_KEY", "GALILEO_JWT_TOKEN", "GALILEO_USERNAME", "GALILEO_PASSWORD", "api_key="):
        assert name in message


@pytest.mark.parametrize(
    ("env", "missing"),
    [
        ({"GALILEO_USERNAME": "someone"}, "GALILEO_PASSWORD: is missing"),
        ({"GALILEO_PASSWORD": SECRET}, "GALILEO_USERNAME: is missing"),
        ({"GALILEO_USERNAME": "someone", "GALILEO_PASSWORD": ""}, "GALILEO_PASSWORD: is missing"),
    ],
)
def test_half_environment_pair_says_which_half_is_missing(env: dict[str, str], missing: str) -> None:
    with pytest.raises(ConfigurationError, match=missing) as caught:
        Settings.resolve(environ=env)
    assert SECRET not in str(caught.value)
    assert "someone" not in str(caught.value)


def test_half_explicit_pair_says_which_half_is_missing() -> None:
    with pytest.raises(ConfigurationError, match="without a password") as caught:
        Settings.resolve(username="someone", environ=KEY_ENV)
    assert SECRET not in str(caught.value)
    with pytest.raises(ConfigurationError, match="without a username") as caught:
        Settings.resolve(password=SECRET, environ=KEY_ENV)
    assert SECRET not in str(caught.value)


def test_half_explicit_pair_borrows_the_other_half_from_the_environment() -> None:
    auth = Settings.resolve(username="arg-user", environ={"GALILEO_PASSWORD": "p"}).auth
    assert isinstance(auth, PasswordLoginAuth)
    assert auth.username == "arg-user"
    auth = Settings.resolve(password="p", environ={"GALILEO_USERNAME": "env-user"}).auth
    assert isinstance(auth, PasswordLoginAuth)
    assert auth.username == "env-user"


# API key header


def test_api_key_header_default_environment_and_argument() -> None:
    assert "Galileo-API-Key" in request_headers(Settings.resolve(environ=KEY_ENV))
    env = {**KEY_ENV, "GALILEO_API_KEY_HEADER": "Acme-API-Key"}
    assert request_headers(Settings.resolve(environ=env))["Acme-API-Key"] == SECRET
    settings = Settings.resolve(api_key_header="X-Key", environ=env)
    assert request_headers(settings)["X-Key"] == SECRET
    assert "Acme-API-Key" not in request_headers(settings)


def test_invalid_api_key_header_names_its_source() -> None:
    with pytest.raises(ConfigurationError, match="api_key_header: "):
        Settings.resolve(api_key_header="Bad Header", environ=KEY_ENV)
    with pytest.raises(ConfigurationError, match="GALILEO_API_KEY_HEADER"):
        Settings.resolve(environ={**KEY_ENV, "GALILEO_API_KEY_HEADER": "Bad:Header"})


# API URL


def test_default_url() -> None:
    assert Settings.resolve(environ=KEY_ENV).base_url == "https://api.galileo.ai"


def test_url_precedence_argument_then_api_url_then_console_url() -> None:
    env = {**KEY_ENV, "GALILEO_API_URL": "https://api.env.io", "GALILEO_CONSOLE_URL": "https://console.other.io"}
    assert Settings.resolve(base_url="https://arg.io/", environ=env).base_url == "https://arg.io"
    assert Settings.resolve(environ=env).base_url == "https://api.env.io"
    del env["GALILEO_API_URL"]
    assert Settings.resolve(environ=env).base_url == "https://api.other.io"


def test_url_normalization_keeps_a_path_prefix_and_drops_trailing_slashes() -> None:
    settings = Settings.resolve(base_url="HTTPS://Gateway.Acme.io/galileo//", environ=KEY_ENV)
    assert settings.base_url == "https://gateway.acme.io/galileo"


def test_login_url_follows_the_resolved_base_url() -> None:
    env = {"GALILEO_USERNAME": "u", "GALILEO_PASSWORD": "p", "GALILEO_CONSOLE_URL": "https://console.acme.io"}
    auth = Settings.resolve(environ=env).auth
    assert isinstance(auth, PasswordLoginAuth)
    assert auth.login_url == "https://api.acme.io/login"


@pytest.mark.parametrize(
    ("console_url", "api_url"),
    [
        ("https://app.galileo.ai", "https://api.galileo.ai"),
        ("https://app.galileo.ai/", "https://api.galileo.ai"),
        ("https://console.acme.galileocloud.io", "https://api.acme.galileocloud.io"),
        ("https://console.acme.galileocloud.io/some/page?x=1", "https://api.acme.galileocloud.io"),
        ("https://console-dev.acme.io:8443", "https://api-dev.acme.io:8443"),
        ("console.acme.io", "https://api.acme.io"),
        ("http://localhost:3000", "http://localhost:8088"),
        ("http://127.0.0.1:3000/", "http://localhost:8088"),
        ("localhost", "http://localhost:8088"),
    ],
)
def test_console_url_derivations(console_url: str, api_url: str) -> None:
    assert Settings.resolve(environ={**KEY_ENV, "GALILEO_CONSOLE_URL": console_url}).base_url == api_url


def test_unknown_console_host_is_an_error_that_says_what_to_set() -> None:
    with pytest.raises(ConfigurationError, match="GALILEO_CONSOLE_URL") as caught:
        Settings.resolve(environ={**KEY_ENV, "GALILEO_CONSOLE_URL": "https://galileo.acme.internal"})
    assert "GALILEO_API_URL" in str(caught.value)


@pytest.mark.parametrize("bad", ["ftp://api.acme.io", "api.acme.io", "https://", "not a url", "/relative/path"])
def test_bad_urls_name_their_source(bad: str) -> None:
    with pytest.raises(ConfigurationError, match="base_url: "):
        Settings.resolve(base_url=bad, environ=KEY_ENV)
    with pytest.raises(ConfigurationError, match="GALILEO_API_URL"):
        Settings.resolve(environ={**KEY_ENV, "GALILEO_API_URL": bad})


def test_bad_console_url_names_its_source() -> None:
    with pytest.raises(ConfigurationError, match="GALILEO_CONSOLE_URL"):
        Settings.resolve(environ={**KEY_ENV, "GALILEO_CONSOLE_URL": "ftp://console.acme.io"})


def test_url_with_query_is_rejected() -> None:
    with pytest.raises(ConfigurationError, match="query or fragment"):
        Settings.resolve(base_url="https://api.acme.io/?a=1", environ=KEY_ENV)


def test_url_with_embedded_credentials_is_rejected_without_echoing_them() -> None:
    with pytest.raises(ConfigurationError, match="must not embed credentials") as caught:
        Settings.resolve(base_url=f"https://user:{SECRET}@api.acme.io", environ=KEY_ENV)
    assert SECRET not in str(caught.value)


# Timeouts and retries


def _client_options(**kwargs: Any) -> ClientOptions:
    with GalileoInsights(api_key="k", base_url="http://galileo.test", **kwargs) as client:
        return client._options


def test_default_timeout_is_connect_5_read_60() -> None:
    timeout = _client_options().timeout
    assert timeout == DEFAULT_TIMEOUT
    assert (timeout.connect, timeout.read, timeout.write, timeout.pool) == (5.0, 60.0, 60.0, 60.0)


def test_number_timeout_applies_to_every_phase() -> None:
    timeout = _client_options(timeout=12).timeout
    assert (timeout.connect, timeout.read, timeout.write, timeout.pool) == (12.0, 12.0, 12.0, 12.0)


def test_timeout_object_is_used_as_is() -> None:
    custom = httpx.Timeout(30.0, connect=1.0)
    assert _client_options(timeout=custom).timeout is custom


@pytest.mark.parametrize("bad", [0, -1.0, float("inf"), float("nan"), True])
def test_bad_timeouts_are_rejected(bad: float) -> None:
    with pytest.raises(ConfigurationError, match="timeout") as caught:
        _client_options(timeout=bad)
    assert caught.value.argument == "timeout"


def test_max_retries() -> None:
    assert _client_options().retry_policy.max_retries == 2
    assert _client_options(max_retries=0).retry_policy.max_retries == 0
    for bad in (-1, True, 1.5):
        with pytest.raises(ConfigurationError, match="max_retries"):
            _client_options(max_retries=bad)


# Object behaviour


def test_settings_are_frozen() -> None:
    settings = Settings.resolve(environ=KEY_ENV)
    with pytest.raises(dataclasses.FrozenInstanceError):
        settings.base_url = "x"  # type: ignore[misc]  # mutation must fail at runtime too


def test_environ_defaults_to_os_environ(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GALILEO_API_KEY", "from-os-environ")
    monkeypatch.delenv("GALILEO_API_URL", raising=False)
    monkeypatch.delenv("GALILEO_CONSOLE_URL", raising=False)
    monkeypatch.delenv("GALILEO_API_KEY_HEADER", raising=False)
    assert request_headers(Settings.resolve())["Galileo-API-Key"] == "from-os-environ"


@pytest.mark.parametrize(
    "kwargs",
    [
        {"api_key": SECRET},
        {"jwt_token": SECRET},
        {"username": "u", "password": SECRET},
        {"auth": BasicAuth("u", SECRET)},
    ],
)
def test_repr_and_str_never_show_secrets(kwargs: dict[str, str]) -> None:
    settings = Settings.resolve(**kwargs, environ={})  # type: ignore[arg-type]  # mixed value types by design
    assert SECRET not in repr(settings)
    assert SECRET not in str(settings)
    assert "***" in repr(settings)


@pytest.mark.parametrize(
    "env",
    [
        {"GALILEO_USERNAME": "u", "GALILEO_PASSWORD": "p", "GALILEO_CONSOLE_URL": "https://console.acme.io"},
        {"GALILEO_API_KEY": "k", "GALILEO_API_URL": "https://api.acme.io"},
        {"GALILEO_JWT_TOKEN": "j"},
    ],
)
def test_no_network_at_construction(env: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("network access during Settings.resolve")

    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(httpx.HTTPTransport, "handle_request", refuse)
    monkeypatch.setattr(httpx.AsyncHTTPTransport, "handle_async_request", refuse)
    settings = Settings.resolve(environ=env)
    with httpx.Client(auth=settings.auth, base_url=settings.base_url):
        pass  # building a client around the settings sends nothing either
