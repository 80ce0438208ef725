"""Fixtures for the fake Galileo's own tests."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import httpx
import pytest

from galileo_insights.testing import FakeGalileo, TokenUsageRecord

BASE_URL = "http://galileo.test"
T0 = datetime(2025, 1, 10, tzinfo=UTC)  # inside the generated block's span


def tied_records(count: int = 6) -> list[TokenUsageRecord]:
    """Hand-made records sharing ``created_at`` in pairs, with ``updated_at`` in the opposite order."""
    return [
        TokenUsageRecord(
            created_at=T0 + timedelta(minutes=i // 2),
            updated_at=T0 + timedelta(hours=1, minutes=count - i),
        )
        for i in range(count)
    ]


@pytest.fixture
def tied_at() -> datetime:
    """The ``created_at`` two of the hand-made records share."""
    return T0


@pytest.fixture
def fake() -> FakeGalileo:
    """300 generated records plus hand-made ones whose ``created_at`` ties with each other or a generated one."""
    galileo = FakeGalileo(records=300, seed=11)
    twin = galileo.store.records(galileo.project_id, galileo.log_stream_id)[100]
    galileo.store.add([*tied_records(), TokenUsageRecord(created_at=twin.created_at)])
    return galileo


@pytest.fixture
def client(fake: FakeGalileo) -> Iterator[httpx.Client]:
    with httpx.Client(transport=fake.transport(), base_url=BASE_URL, headers={"Galileo-API-Key": fake.api_key}) as c:
        yield c
