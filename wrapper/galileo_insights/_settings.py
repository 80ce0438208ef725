"""Arguments, else ``GALILEO_*`` environment variables, resolved once into a frozen ``Settings``.

Credentials, first found: ``auth=``, ``api_key=``, ``jwt_token=``, ``username=`` + ``password=``; then
``GALILEO_API_KEY``, ``GALILEO_JWT_TOKEN``, ``GALILEO_USERNAME`` + ``GALILEO_PASSWORD``. Explicit
arguments always beat the environment; a half-given username/password pair borrows the other half from
the environment. Empty values count as unset, and surrounding whitespace is stripped from everything
but passwords.

Extra headers: ``GALILEO_EXTRA_HEADERS``, a JSON object of header names to string values (Galileo's own SDK reads
it too, for API gateways); the client's ``default_headers=`` override its entries, a call's ``extra_headers=``
override both. Timeouts, retries and headers are the client's options (``_options``), not settings.

API URL: ``base_url=``, else ``GALILEO_API_URL``, else derived from ``GALILEO_CONSOLE_URL`` the way
Galileo's own SDK does, else ``https://api.galileo.ai``. A console host that matches none of Galileo's
patterns is an error rather than a guess: sending API calls to the console web app would fail later and
less clearly. Nothing here touches the network.
"""

from __future__ import annotations

import dataclasses
import ipaddress
import json
import logging
import os
from collections.abc import Mapping

import httpx

from galileo_insights._auth import HEADER_NAME, ApiKeyAuth, BearerAuth, PasswordLoginAuth
from galileo_insights._constants import API_KEY_HEADER, DEFAULT_API_URL
from galileo_insights._errors import ConfigurationError
from galileo_insights._redaction import Redactor

logger = logging.getLogger("galileo_insights")

LOCAL_API_URL = "http://localhost:8088"

_LOCAL_HOSTS = frozenset({"localhost", "127.0.0.1", "::1"})
_RESERVED_FOR_TESTS = (".test", ".example", ".invalid", ".localhost")
_CREDENTIAL_HELP = (
    "pass auth=, api_key=, jwt_token= or username= and password=, "
    "or set GALILEO_API_KEY, GALILEO_JWT_TOKEN, or GALILEO_USERNAME and GALILEO_PASSWORD"
)


@dataclasses.dataclass(frozen=True, slots=True)
class Settings:
    """Everything a client needs to reach Galileo, resolved and validated; build it with ``resolve``."""

    base_url: str
    auth: httpx.Auth
    extra_headers: tuple[tuple[str, str], ...] = ()

    def __post_init__(self) -> None:
        if not isinstance(self.auth, httpx.Auth):
            raise ConfigurationError(f"must be an httpx.Auth, got {type(self.auth).__name__}", argument="auth")

    @property
    def redactor(self) -> Redactor:
        """Removes this configuration's secrets from error messages (see ``_redaction``)."""
        return Redactor.for_auth(self.auth)

    @classmethod
    def resolve(
        cls,
        *,
        api_key: str | None = None,
        jwt_token: str | None = None,
        username: str | None = None,
        password: str | None = None,
        auth: httpx.Auth | None = None,
        base_url: str | None = None,
        api_key_header: str | None = None,
        environ: Mapping[str, str] | None = None,
    ) -> Settings:
        """Resolve arguments over ``environ`` (default ``os.environ``); raise ``ConfigurationError`` if unusable."""
        env = _Environment(os.environ if environ is None else environ)
        resolved_url = _resolve_base_url(_clean(base_url), env)
        _warn_if_cleartext(resolved_url)
        header = _resolve_api_key_header(_clean(api_key_header), env)
        login_url = f"{resolved_url}/login"
        credential = auth
        if credential is None:
            credential = _explicit_credential(
                api_key=_clean(api_key),
                jwt_token=_clean(jwt_token),
                username=_clean(username),
                password=_clean(password, strip=False),
                api_key_header=header,
                login_url=login_url,
                env=env,
            )
        if credential is None:
            credential = _environment_credential(header, login_url, env)
        return cls(base_url=resolved_url, auth=credential, extra_headers=_extra_headers(env))


class _Environment:
    def __init__(self, environ: Mapping[str, str]) -> None:
        self._environ = environ

    def get(self, name: str, *, strip: bool = True) -> str | None:
        return _clean(self._environ.get(name), strip=strip)


def _clean(value: str | None, *, strip: bool = True) -> str | None:
    if value is None:
        return None
    if strip:
        value = value.strip()
    return value or None


def _explicit_credential(
    *,
    api_key: str | None,
    jwt_token: str | None,
    username: str | None,
    password: str | None,
    api_key_header: str,
    login_url: str,
    env: _Environment,
) -> httpx.Auth | None:
    if api_key:
        return ApiKeyAuth(api_key, header_name=api_key_header)
    if jwt_token:
        return BearerAuth(jwt_token)
    if username is None and password is None:
        return None
    if username is None:
        username = env.get("GALILEO_USERNAME")
        if username is None:
            raise ConfigurationError(
                "was given without a username: pass username= or set GALILEO_USERNAME", argument="password"
            )
    if password is None:
        password = env.get("GALILEO_PASSWORD", strip=False)
        if password is None:
            raise ConfigurationError(
                "was given without a password: pass password= or set GALILEO_PASSWORD", argument="username"
            )
    return PasswordLoginAuth(username, password, login_url)


def _environment_credential(api_key_header: str, login_url: str, env: _Environment) -> httpx.Auth:
    if api_key := env.get("GALILEO_API_KEY"):
        return ApiKeyAuth(api_key, header_name=api_key_header)
    if jwt_token := env.get("GALILEO_JWT_TOKEN"):
        return BearerAuth(jwt_token)
    username, password = env.get("GALILEO_USERNAME"), env.get("GALILEO_PASSWORD", strip=False)
    if username and password:
        return PasswordLoginAuth(username, password, login_url)
    if username:
        raise ConfigurationError("is missing or empty but GALILEO_USERNAME is set", argument="GALILEO_PASSWORD")
    if password:
        raise ConfigurationError("is missing or empty but GALILEO_PASSWORD is set", argument="GALILEO_USERNAME")
    raise ConfigurationError(f"No Galileo credentials found: {_CREDENTIAL_HELP}")


def _resolve_base_url(base_url: str | None, env: _Environment) -> str:
    if base_url is not None:
        return _normalized_url(base_url, "base_url")
    if (api_url := env.get("GALILEO_API_URL")) is not None:
        return _normalized_url(api_url, "GALILEO_API_URL")
    if (console_url := env.get("GALILEO_CONSOLE_URL")) is not None:
        return _api_url_from_console_url(console_url)
    return DEFAULT_API_URL


def _parse_url(value: str, source: str) -> httpx.URL:
    try:
        url = httpx.URL(value)
    except httpx.InvalidURL:
        url = None
    if url is None or url.scheme not in ("http", "https") or not url.host:
        raise ConfigurationError(f"must be an http:// or https:// URL with a host, got {value!r}", argument=source)
    if url.userinfo:
        raise ConfigurationError(
            "must not embed credentials (user:password@host); pass them as arguments or GALILEO_* variables",
            argument=source,
        )
    return url


def _normalized_url(value: str, source: str) -> str:
    """``value`` validated, without a trailing slash; a path prefix (e.g. behind a gateway) is kept."""
    url = _parse_url(value, source)
    if url.query or url.fragment:
        raise ConfigurationError(f"must not have a query or fragment, got {value!r}", argument=source)
    return str(url).rstrip("/")


def _api_url_from_console_url(console_url: str) -> str:
    """Galileo's console-to-API rule: ``app.galileo.ai`` -> ``api.galileo.ai``; ``console*`` -> ``api*``;
    localhost -> ``http://localhost:8088``. The console's path is dropped; a missing scheme means https.
    """
    source = "GALILEO_CONSOLE_URL"
    if "://" not in console_url:
        console_url = f"https://{console_url}"
    url = _parse_url(console_url, source)
    host = url.host
    if host in _LOCAL_HOSTS:
        return LOCAL_API_URL
    if host == "app.galileo.ai":
        host = "api.galileo.ai"
    elif host.startswith("console"):
        host = "api" + host.removeprefix("console")
    else:
        raise ConfigurationError(
            f"cannot derive the API URL from {console_url!r}: its host is neither app.galileo.ai "
            "nor starts with 'console'; set GALILEO_API_URL (or pass base_url=) to your API URL",
            argument=source,
        )
    return str(httpx.URL(scheme=url.scheme, host=host, port=url.port)).rstrip("/")


def _warn_if_cleartext(url: str) -> None:
    """Plain http beyond this machine sends the credentials readable by anyone on the path: say so, once per client.

    A warning rather than a refusal: self-hosted deployments do run plain http inside private networks, and an
    opt-in flag would be set there by everyone without a second thought. Loopback stays quiet (the fake, tunnels),
    and so do the names RFC 6761 reserves for tests, which no network resolves (``galileo.test``).
    """
    parsed = httpx.URL(url)
    if parsed.scheme != "http" or _is_loopback(parsed.host) or parsed.host.endswith(_RESERVED_FOR_TESTS):
        return
    logger.warning(
        "base URL %s uses plain http to %s: the credentials and the data cross the network unencrypted; "
        "use https:// unless this network is private",
        url,
        parsed.host,
    )


def _is_loopback(host: str) -> bool:
    if host in _LOCAL_HOSTS:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _resolve_api_key_header(api_key_header: str | None, env: _Environment) -> str:
    if api_key_header is not None:
        source, header = "api_key_header", api_key_header
    else:
        source, header = "GALILEO_API_KEY_HEADER", env.get("GALILEO_API_KEY_HEADER") or API_KEY_HEADER
    if not HEADER_NAME.fullmatch(header):
        raise ConfigurationError(f"must be a valid HTTP header name, got {header!r}", argument=source)
    return header


def _extra_headers(env: _Environment) -> tuple[tuple[str, str], ...]:
    """``GALILEO_EXTRA_HEADERS`` as header pairs; anything but a JSON object of valid names to strings is refused
    (a gateway header silently dropped would fail later, as a 401 from somewhere else). Values are never quoted:
    such headers often carry a gateway's secret."""
    source = "GALILEO_EXTRA_HEADERS"
    text = env.get(source)
    if text is None:
        return ()
    try:
        parsed = json.loads(text)
    except ValueError:
        raise ConfigurationError("must be a JSON object of header names to strings", argument=source) from None
    if not isinstance(parsed, dict):
        raise ConfigurationError(f"must be a JSON object, got a JSON {type(parsed).__name__}", argument=source)
    for name, value in parsed.items():
        if not HEADER_NAME.fullmatch(name):
            raise ConfigurationError(f"{name!r} is not a valid HTTP header name", argument=source)
        if not isinstance(value, str):
            raise ConfigurationError(f"the value of {name!r} must be a string", argument=source)
    return tuple(parsed.items())
