from __future__ import annotations

import uuid

import httpx
import pytest

from galileo_insights import AsyncGalileoInsights, GalileoInsights, PaginationError
from galileo_insights_api.models.log_stream_insight_token_usage_db import LogStreamInsightTokenUsageDB
from tests.wrapper.fake_pages import API_KEY, BASE_URL, LOG_STREAM_ID, PROJECT_ID, PageServer, make_records


def client_for(server: PageServer) -> GalileoInsights:
    return GalileoInsights(api_key=API_KEY, base_url=BASE_URL, transport=httpx.MockTransport(server))


def async_client_for(server: PageServer) -> AsyncGalileoInsights:
    return AsyncGalileoInsights(api_key=API_KEY, base_url=BASE_URL, transport=httpx.MockTransport(server))


def ids(items: list[LogStreamInsightTokenUsageDB]) -> list[str]:
    return [str(item.id) for item in items]


def test_walks_every_page_newest_first_by_default() -> None:
    records = make_records(23)
    server = PageServer(records)
    with client_for(server) as client:
        items = list(client.token_usage.list(PROJECT_ID, LOG_STREAM_ID, page_size=5))
    assert ids(items) == [r["id"] for r in reversed(records)]
    assert server.starting_tokens == [0, 5, 10, 15, 20]
    assert all(
        body["sort"] == {"name": "created_at", "ascending": False, "sort_type": "column"} for body in server.bodies
    )
    assert all(isinstance(item, LogStreamInsightTokenUsageDB) and isinstance(item.id, uuid.UUID) for item in items)


@pytest.mark.anyio
async def test_async_walk_yields_the_same_items_as_sync() -> None:
    records = make_records(17)
    with client_for(PageServer(records)) as client:
        sync_items = ids(
            list(client.token_usage.list(str(PROJECT_ID), str(LOG_STREAM_ID), page_size=4, ascending=True))
        )
    server = PageServer(records)
    async with async_client_for(server) as aclient:
        async_items = ids(
            [item async for item in aclient.token_usage.list(PROJECT_ID, LOG_STREAM_ID, page_size=4, ascending=True)]
        )
    assert async_items == sync_items == [r["id"] for r in records]
    assert server.starting_tokens == [0, 4, 8, 12, 16]


def test_pages_yields_generated_responses_and_stops_on_null_token() -> None:
    server = PageServer(make_records(10))
    with client_for(server) as client:
        pages = list(client.token_usage.list(PROJECT_ID, LOG_STREAM_ID, page_size=4).pages())
    assert [len(page.token_usages) for page in pages] == [4, 4, 2]  # type: ignore[arg-type]
    assert [page.next_starting_token for page in pages] == [4, 8, None]


@pytest.mark.anyio
async def test_async_pages() -> None:
    async with async_client_for(PageServer(make_records(7))) as client:
        pages = [page async for page in client.token_usage.list(PROJECT_ID, LOG_STREAM_ID, page_size=3).pages()]
    assert [page.starting_token for page in pages] == [0, 3, 6]


def test_max_items_stops_early_and_never_overfetches() -> None:
    server = PageServer(make_records(50))
    with client_for(server) as client:
        items = list(client.token_usage.list(PROJECT_ID, LOG_STREAM_ID, page_size=10, max_items=23))
    assert len(items) == 23
    assert [body["limit"] for body in server.bodies] == [10, 10, 3]


def test_resume_from_a_token_continues_where_a_walk_stopped() -> None:
    records = make_records(12)
    with client_for(PageServer(records)) as client:
        first = next(iter(client.token_usage.list(PROJECT_ID, LOG_STREAM_ID, page_size=5).pages()))
        assert first.next_starting_token == 5
        rest = list(client.token_usage.list(PROJECT_ID, LOG_STREAM_ID, page_size=5, starting_token=5))
    assert ids(first.token_usages) + ids(rest) == [r["id"] for r in reversed(records)]  # type: ignore[arg-type]


def test_empty_result_makes_one_request() -> None:
    server = PageServer([])
    with client_for(server) as client:
        assert list(client.token_usage.list(PROJECT_ID, LOG_STREAM_ID)) == []
    assert len(server.requests) == 1


def test_pager_is_lazy_and_reiterable() -> None:
    server = PageServer(make_records(3))
    with client_for(server) as client:
        pager = client.token_usage.list(PROJECT_ID, LOG_STREAM_ID)
        assert server.requests == []
        assert len(list(pager)) == len(list(pager)) == 3
    assert len(server.requests) == 2


def constant_token_page(request: httpx.Request) -> httpx.Response:
    """What a spec mock such as Prism returns: the schema's example, token 0, forever."""
    return httpx.Response(200, json={"next_starting_token": 0, "token_usages": make_records(1)})


def test_a_token_that_does_not_advance_raises_instead_of_looping() -> None:
    server = PageServer([], faults={n: constant_token_page for n in range(5)})
    seen: list[LogStreamInsightTokenUsageDB] = []
    with client_for(server) as client, pytest.raises(PaginationError, match="next_starting_token=0"):
        seen.extend(client.token_usage.list(PROJECT_ID, LOG_STREAM_ID))
    assert len(seen) == 1  # the page that carried the bad token is still delivered
    assert len(server.requests) == 1


def test_a_walk_that_stops_anyway_does_not_trip_the_loop_guard() -> None:
    server = PageServer([], faults={n: constant_token_page for n in range(5)})
    with client_for(server) as client:
        assert len(list(client.token_usage.list(PROJECT_ID, LOG_STREAM_ID, max_items=1))) == 1
    assert len(server.requests) == 1


@pytest.mark.anyio
async def test_async_loop_guard() -> None:
    server = PageServer([], faults={n: constant_token_page for n in range(5)})
    async with async_client_for(server) as client:
        with pytest.raises(PaginationError):
            _ = [item async for item in client.token_usage.list(PROJECT_ID, LOG_STREAM_ID)]
    assert len(server.requests) == 1


def test_a_token_that_goes_backwards_raises() -> None:
    backwards = {
        0: lambda request: httpx.Response(200, json={"next_starting_token": 5, "token_usages": make_records(1)}),
        1: lambda request: httpx.Response(200, json={"next_starting_token": 3, "token_usages": make_records(1)}),
    }
    server = PageServer([], faults=backwards)
    with client_for(server) as client, pytest.raises(PaginationError, match="next_starting_token=3"):
        list(client.token_usage.list(PROJECT_ID, LOG_STREAM_ID))
    assert server.starting_tokens == [0, 5]


def test_request_carries_path_ids_filters_and_user_agent() -> None:
    server = PageServer(make_records(1))
    with client_for(server) as client:
        list(
            client.token_usage.list(
                PROJECT_ID,
                LOG_STREAM_ID,
                created_since="2026-01-01T00:00:00Z",
                created_before="2026-02-01T00:00:00+00:00",
            )
        )
    request = server.requests[0]
    assert (
        request.url == f"{BASE_URL}/v2/projects/{PROJECT_ID}/log_streams/{LOG_STREAM_ID}/logstream_insights/token_usage"
    )
    assert request.method == "POST"
    assert request.headers["User-Agent"].startswith("galileo-insights/")
    assert request.headers["Galileo-API-Key"] == API_KEY
    assert server.bodies[0]["filters"] == [
        {"name": "created_at", "operator": "gte", "value": "2026-01-01T00:00:00+00:00"},
        {"name": "created_at", "operator": "lt", "value": "2026-02-01T00:00:00+00:00"},
    ]
