"""Session-wide Prism mocks of the normalized spec and of the pinned upstream spec, started side by side."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

import attrs
import pytest

from spec_pipeline.jsonfile import load
from spec_pipeline.normalize import normalize

from .prism_server import PRISM_BIN, SETUP_HINT, PrismServer

PINNED_SPEC = Path(__file__).resolve().parents[2] / "openapi" / "openapi.json"


@attrs.frozen
class PrismMocks:
    normalized: PrismServer
    upstream: PrismServer


@pytest.fixture(scope="session")
def prism_mocks(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PrismMocks]:
    if not PRISM_BIN.exists():
        pytest.skip(SETUP_HINT)
    upstream_spec = load(PINNED_SPEC)
    mocks = PrismMocks(
        normalized=PrismServer(normalize(upstream_spec), tmp_path_factory.mktemp("prism-normalized")),
        upstream=PrismServer(upstream_spec, tmp_path_factory.mktemp("prism-upstream")),
    )
    with contextlib.ExitStack() as stack:
        for server in (mocks.normalized, mocks.upstream):
            stack.callback(server.stop)
            server.launch()
        for server in (mocks.normalized, mocks.upstream):
            server.wait_until_answering()
        yield mocks


@pytest.fixture(scope="session")
def prism(prism_mocks: PrismMocks) -> PrismServer:
    """The normalized spec (what generated/ is built from); static answers unless ``Prefer: dynamic=true``."""
    return prism_mocks.normalized


@pytest.fixture(scope="session")
def prism_upstream(prism_mocks: PrismMocks) -> PrismServer:
    """The pinned upstream spec as is (``format: uuid4``, FastAPI's operationId)."""
    return prism_mocks.upstream
