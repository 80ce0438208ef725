"""Fixtures: the CLI in-process against a test's own fake (``cli_for(fake)``), and anyio on asyncio."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from galileo_insights.cli import _app
from galileo_insights.testing import FakeGalileo
from tests.cli.harness import GALILEO_VARIABLES, Invoke, fake_client_factory, run_cli


@pytest.fixture
def cli_for(monkeypatch: pytest.MonkeyPatch) -> Callable[[FakeGalileo], Invoke]:
    """``cli_for(fake)(*args)`` runs ``galileo-insights`` against ``fake`` with its key and no other GALILEO_*."""

    def bind(fake: FakeGalileo) -> Invoke:
        for name in GALILEO_VARIABLES:
            monkeypatch.delenv(name, raising=False)
        monkeypatch.setenv("COLUMNS", "200")
        monkeypatch.setattr(_app, "build_client", fake_client_factory(fake.transport()))
        monkeypatch.setenv("GALILEO_API_KEY", fake.api_key)
        return lambda *args: run_cli(args)

    return bind
