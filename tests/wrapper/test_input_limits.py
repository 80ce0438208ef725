"""Arguments that cannot mean what the caller wants fail before any request, naming the argument and the limit."""

from __future__ import annotations

import datetime
from typing import Any

import httpx
import pytest

from galileo_insights import AsyncGalileoInsights, ConfigurationError, GalileoInsights, InvalidRequestError
from galileo_insights.testing import FakeGalileo
from tests.wrapper.fake_pages import API_KEY, BASE_URL, LOG_STREAM_ID, PROJECT_ID, PageServer, make_records

T0 = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)
T1 = T0 + datetime.timedelta(hours=1)

REJECTED: list[tuple[dict[str, Any], str]] = [
    ({"ascending": "no"}, "ascending: must be True or False, got 'no'"),
    ({"ascending": 0}, "ascending: must be True or False"),
    ({"ascending": None}, "ascending: must be True or False"),
    ({"created_since": T1, "created_before": T0}, "created_since: .* must be earlier than created_before"),
    ({"created_since": T0, "created_before": T0}, "created_since: .* must be earlier than created_before"),
    ({"updated_since": "2026-01-01T02:00:00+02:00", "updated_before": "2026-01-01T00:00:00Z"}, "updated_since"),
    ({"page_size": 10**30}, "page_size: must be an integer between 1 and 10000"),
    ({"page_size": 10_001}, "page_size: must be an integer between 1 and 10000"),
    (
        {"concurrency": 1000, "created_since": T0, "created_before": T1},
        "concurrency: must be an integer between 1 and 64",
    ),
    (
        {"concurrency": 4, "windows": 5000, "created_since": T0, "created_before": T1},
        "windows: must be None or an integer between 1 and 1000",
    ),
]


@pytest.fixture
def server() -> PageServer:
    return PageServer(make_records(3))


@pytest.mark.parametrize(("kwargs", "message"), REJECTED)
def test_sync_list_rejects(server: PageServer, kwargs: dict[str, Any], message: str) -> None:
    with (
        GalileoInsights(api_key=API_KEY, base_url=BASE_URL, transport=httpx.MockTransport(server)) as client,
        pytest.raises(InvalidRequestError, match=message),
    ):
        client.token_usage.list(PROJECT_ID, LOG_STREAM_ID, **kwargs)
    assert server.requests == []


@pytest.mark.parametrize(
    ("kwargs", "message"), [case for case in REJECTED if not {"ascending", "concurrency"} & set(case[0])]
)
def test_totals_rejects(server: PageServer, kwargs: dict[str, Any], message: str) -> None:
    with (
        GalileoInsights(api_key=API_KEY, base_url=BASE_URL, transport=httpx.MockTransport(server)) as client,
        pytest.raises(InvalidRequestError, match=message),
    ):
        client.token_usage.totals(PROJECT_ID, LOG_STREAM_ID, **kwargs)
    assert server.requests == []


@pytest.mark.anyio
@pytest.mark.parametrize(("kwargs", "message"), REJECTED)
async def test_async_list_rejects(server: PageServer, kwargs: dict[str, Any], message: str) -> None:
    async with AsyncGalileoInsights(
        api_key=API_KEY, base_url=BASE_URL, transport=httpx.MockTransport(server)
    ) as client:
        with pytest.raises(InvalidRequestError, match=message):
            client.token_usage.list(PROJECT_ID, LOG_STREAM_ID, **kwargs)
    assert server.requests == []


def test_the_ceilings_themselves_are_accepted() -> None:
    fake = FakeGalileo(records=50)
    with GalileoInsights(api_key=fake.api_key, base_url=BASE_URL, transport=fake.transport()) as client:
        assert len(list(client.token_usage.list(fake.project_id, fake.log_stream_id, page_size=10_000))) == 50
        pager = client.token_usage.list(
            fake.project_id, fake.log_stream_id, concurrency=64, windows=1000, created_since=T0, created_before=T1
        )
        assert list(pager) == []


@pytest.mark.parametrize("max_retries", [10**6, 21, -1, 2.5])
def test_absurd_max_retries_is_refused_at_construction(max_retries: Any) -> None:
    with pytest.raises(ConfigurationError, match="max_retries: must be an integer from 0 to 20"):
        GalileoInsights(api_key=API_KEY, base_url=BASE_URL, max_retries=max_retries)
