from __future__ import annotations

import random
from typing import Any

import httpx
import pytest

from galileo_insights import TOKEN_FIELDS, AsyncGalileoInsights, FieldTotal, GalileoInsights
from tests.wrapper.fake_pages import API_KEY, BASE_URL, LOG_STREAM_ID, PROJECT_ID, PageServer, make_records


def records_with_gaps(count: int, seed: int) -> list[dict[str, Any]]:
    """Records where each count is sometimes null and token_usage sometimes absent."""
    rng = random.Random(seed)
    records = make_records(count)
    for record in records:
        if rng.random() < 0.1:
            del record["token_usage"]
            continue
        record["token_usage"] = {name: rng.choice([None, rng.randrange(0, 5000)]) for name in TOKEN_FIELDS}
    return records


def brute_force(records: list[dict[str, Any]]) -> dict[str, FieldTotal]:
    expected = {}
    for name in TOKEN_FIELDS:
        values = [r.get("token_usage", {}).get(name) for r in records]
        numbers = [v for v in values if v is not None]
        expected[name] = FieldTotal(total=sum(numbers), counted=len(numbers), missing=len(values) - len(numbers))
    return expected


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_totals_match_a_brute_force_sum_and_count_nulls_separately(seed: int) -> None:
    records = records_with_gaps(237, seed)
    server = PageServer(records)
    with GalileoInsights(api_key=API_KEY, base_url=BASE_URL, transport=httpx.MockTransport(server)) as client:
        totals = client.token_usage.totals(PROJECT_ID, LOG_STREAM_ID, page_size=50)
    assert totals.records == 237
    assert totals.fields == brute_force(records)
    assert any(total.missing for total in totals.fields.values())
    assert len(server.requests) == 5  # 237 records in pages of 50 (49 new after the first)


@pytest.mark.anyio
async def test_async_totals_equal_sync_totals() -> None:
    records = records_with_gaps(120, 9)
    transport = httpx.MockTransport(PageServer(records))
    async with AsyncGalileoInsights(api_key=API_KEY, base_url=BASE_URL, transport=transport) as client:
        totals = await client.token_usage.totals(PROJECT_ID, LOG_STREAM_ID, page_size=7)
    assert totals.records == 120
    assert totals.fields == brute_force(records)


def test_totals_of_nothing_are_zero() -> None:
    with GalileoInsights(api_key=API_KEY, base_url=BASE_URL, transport=httpx.MockTransport(PageServer([]))) as client:
        totals = client.token_usage.totals(PROJECT_ID, LOG_STREAM_ID)
    assert totals.records == 0
    assert set(totals.fields.values()) == {FieldTotal(0, 0, 0)}
