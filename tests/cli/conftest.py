"""Fixtures: the CLI in-process against a session-wide in-process fake Galileo (see ``harness``)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from typer.testing import Result

from galileo_insights.cli import _app
from galileo_insights.testing import FakeGalileo
from tests.cli.harness import GALILEO_VARIABLES, RECORDS, SEED, Invoke, fake_client_factory, run_cli


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in GALILEO_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("COLUMNS", "200")


@pytest.fixture(scope="session")
def session_fake() -> FakeGalileo:
    return FakeGalileo(records=RECORDS, seed=SEED)


@pytest.fixture
def fake(session_fake: FakeGalileo) -> Iterator[FakeGalileo]:
    yield session_fake
    session_fake.faults.clear()
    session_fake.clear_requests()


@pytest.fixture
def cli(fake: FakeGalileo, monkeypatch: pytest.MonkeyPatch) -> Invoke:
    """``cli(*args)`` runs ``galileo-insights`` against ``fake`` with its API key in GALILEO_API_KEY."""
    monkeypatch.setattr(_app, "build_client", fake_client_factory(fake.transport()))
    monkeypatch.setenv("GALILEO_API_KEY", fake.api_key)

    def invoke(*args: str) -> Result:
        return run_cli(args)

    return invoke


@pytest.fixture
def ids(fake: FakeGalileo) -> tuple[str, str]:
    return str(fake.project_id), str(fake.log_stream_id)
