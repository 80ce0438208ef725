from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from galileo_insights import GalileoInsights, RetryPolicy
from galileo_insights.testing import FakeGalileo


@pytest.fixture
def client_of() -> Iterator[Any]:
    """``client_of(fake)``: a client of the in-process fake (or of ``transport``), retrying at once; closed after."""
    opened: list[GalileoInsights] = []

    def build(fake: FakeGalileo, transport: httpx.BaseTransport | None = None) -> GalileoInsights:
        client = GalileoInsights(
            api_key=fake.api_key,
            transport=transport or fake.transport(),
            retry_policy=RetryPolicy(max_retries=8, initial_delay=0, jitter=0),
        )
        opened.append(client)
        return client

    yield build
    for client in opened:
        client.close()
