"""The one private httpx name the SDK touches (the pool's network backend) may move in a later httpx or httpcore:
the default client then still works, without prompt stopping of exports, and says so once."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from galileo_insights import GalileoInsights, _stoppable_network
from galileo_insights.testing import FakeGalileo


class _PoolWithoutBackendName:
    """httpcore's pool as a later release might keep it: working, its backend under another name."""

    def __init__(self, pool: Any) -> None:
        self._real = pool

    def __getattr__(self, name: str) -> Any:
        if name == "_network_backend":
            raise AttributeError(name)
        return getattr(self._real, name)


@pytest.fixture
def renamed_backend(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    built = httpx.HTTPTransport.__init__

    def build(self: httpx.HTTPTransport, *args: Any, **kwargs: Any) -> None:
        built(self, *args, **kwargs)
        self._pool = _PoolWithoutBackendName(self._pool)  # type: ignore[assignment]

    monkeypatch.setattr(httpx.HTTPTransport, "__init__", build)
    _stoppable_network._say_no_prompt_stop.cache_clear()
    yield
    _stoppable_network._say_no_prompt_stop.cache_clear()


@pytest.mark.usefixtures("renamed_backend")
def test_without_the_private_backend_the_default_client_works_and_says_so_once(
    caplog: pytest.LogCaptureFixture,
) -> None:
    fake = FakeGalileo(records=30, seed=3)
    with fake.serve() as url, caplog.at_level(logging.WARNING, logger="galileo_insights"):
        for _ in range(2):
            with GalileoInsights(api_key=fake.api_key, base_url=url) as client:
                assert len(list(client.token_usage.list(fake.project_id, fake.log_stream_id, page_size=7))) == 30
    said = [record.getMessage() for record in caplog.records if "cannot reach" in record.getMessage()]
    assert len(said) == 1
    assert "not at once" in said[0]
