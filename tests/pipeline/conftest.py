"""Shared inputs: a small full spec of our own, the pinned spec, and a local HTTP server that serves specs."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from .spec_server import SpecServer
from .specs import FULL_SPEC, PINNED_SPEC, load


@pytest.fixture
def full_spec() -> dict[str, Any]:
    """A fresh copy of the fixture spec, free to mutate."""
    return load(FULL_SPEC)


@pytest.fixture
def pinned() -> dict[str, Any]:
    """A fresh copy of the pinned ``openapi/openapi.json``, free to mutate."""
    return load(PINNED_SPEC)


@pytest.fixture
def spec_server(monkeypatch: pytest.MonkeyPatch) -> Iterator[SpecServer]:
    """A running server; proxies are cleared so httpx really talks to 127.0.0.1."""
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
    with SpecServer() as server:
        yield server
