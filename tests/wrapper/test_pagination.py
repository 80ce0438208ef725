from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence

import httpx
import pytest

from galileo_insights import MAX_EMPTY_PAGES, AsyncGalileoInsights, GalileoInsights, PaginationError
from galileo_insights_api.models.log_stream_insight_token_usage_db import LogStreamInsightTokenUsageDB
from tests.wrapper.fake_pages import API_KEY, BASE_URL, LOG_STREAM_ID, PROJECT_ID, PageServer, answer, make_records


def client_for(server: PageServer) -> GalileoInsights:
    return GalileoInsights(api_key=API_KEY, base_url=BASE_URL, transport=httpx.MockTransport(server))


def async_client_for(server: PageServer) -> AsyncGalileoInsights:
    return AsyncGalileoInsights(api_key=API_KEY, base_url=BASE_URL, transport=httpx.MockTransport(server))


def ids(items: Sequence[LogStreamInsightTokenUsageDB]) -> list[str]:
    return [str(item.id) for item in items]


def test_walks_every_page_newest_first_by_default() -> None:
    records = make_records(23)
    server = PageServer(records)
    with client_for(server) as client:
        items = list(client.token_usage.list(PROJECT_ID, LOG_STREAM_ID, page_size=5))
    assert ids(items) == [r["id"] for r in reversed(records)]
    # each page resumes from the last instant returned (inclusive), not from an offset
    assert [len(body["filters"]) for body in server.bodies] == [0, 1, 1, 1, 1]
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


def test_pages_yields_page_views_over_the_generated_responses_and_stops_on_null_token() -> None:
    server = PageServer(make_records(10))
    with client_for(server) as client:
        pages = list(client.token_usage.list(PROJECT_ID, LOG_STREAM_ID, page_size=4).pages())
    # after the first page each one asks for one more and starts with the last record returned, which is left out
    assert [len(page.items) for page in pages] == [4, 4, 2]
    assert [page.next_starting_token for page in pages] == [4, 5, None]
    assert pages[0].items is pages[0].response.token_usages
    assert all(page.items == list(page.response.token_usages or [])[1:] for page in pages[1:])
    assert [page.http_response.status_code for page in pages] == [200, 200, 200]


@pytest.mark.anyio
async def test_async_pages() -> None:
    async with async_client_for(PageServer(make_records(7))) as client:
        pages = [page async for page in client.token_usage.list(PROJECT_ID, LOG_STREAM_ID, page_size=3).pages()]
    assert [len(page.items) for page in pages] == [3, 3, 1]


def test_max_items_stops_early_and_never_overfetches() -> None:
    server = PageServer(make_records(50))
    with client_for(server) as client:
        items = list(client.token_usage.list(PROJECT_ID, LOG_STREAM_ID, page_size=10, max_items=23))
    assert len(items) == 23
    assert [body["limit"] for body in server.bodies] == [10, 11, 4]  # 10, then 10 and 3 new after the repeated one


def test_resume_from_a_token_continues_where_a_walk_stopped() -> None:
    records = make_records(12)
    with client_for(PageServer(records)) as client:
        first = next(iter(client.token_usage.list(PROJECT_ID, LOG_STREAM_ID, page_size=5).pages()))
        assert first.next_starting_token == 5
        rest = list(client.token_usage.list(PROJECT_ID, LOG_STREAM_ID, page_size=5, starting_token=5))
    assert ids(first.items) + ids(rest) == [r["id"] for r in reversed(records)]


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
    return answer(request, make_records(1), 0)


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
    backwards = {0: page_of(1, 5), 1: page_of(1, 3)}
    server = PageServer([], faults=backwards)
    with client_for(server) as client, pytest.raises(PaginationError, match="next_starting_token=3"):
        list(client.token_usage.list(PROJECT_ID, LOG_STREAM_ID, verify_offsets=False, starting_token=2))
    assert server.starting_tokens == [2, 5]


def page_of(count: int, next_token: int | None) -> Callable[[httpx.Request], httpx.Response]:
    return lambda request: answer(request, make_records(count)[::-1], next_token)


def test_a_token_that_skips_records_stops_the_walk_naming_both_numbers() -> None:
    server = PageServer([], faults={0: page_of(3, 30), 1: page_of(3, 33)})
    with client_for(server) as client:
        walked: list[LogStreamInsightTokenUsageDB] = []
        with pytest.raises(PaginationError, match=r"next_starting_token=30 .* promises 3\b"):
            walked.extend(client.token_usage.list(PROJECT_ID, LOG_STREAM_ID))
    assert len(walked) == 3  # the page that carried the bad token is delivered, the gap is never followed
    assert server.starting_tokens == [0]


def test_verify_offsets_false_follows_a_server_that_counts_otherwise() -> None:
    server = PageServer([], faults={0: page_of(3, 30), 1: page_of(2, None)})
    with client_for(server) as client:
        walk = client.token_usage.list(PROJECT_ID, LOG_STREAM_ID, verify_offsets=False, starting_token=1)
        assert len(list(walk)) == 5
    assert server.starting_tokens == [1, 30]


@pytest.mark.anyio
async def test_async_walk_holds_the_server_to_its_offsets() -> None:
    server = PageServer([], faults={0: page_of(2, 1), 1: page_of(2, None)})
    async with async_client_for(server) as client:
        with pytest.raises(PaginationError, match="promises 2"):
            _ = [item async for item in client.token_usage.list(PROJECT_ID, LOG_STREAM_ID)]


def test_more_items_than_the_limit_is_refused() -> None:
    server = PageServer([], faults={0: page_of(11, 11)})
    with client_for(server) as client, pytest.raises(PaginationError, match="11 items for a page of limit=10"):
        list(client.token_usage.list(PROJECT_ID, LOG_STREAM_ID, page_size=10))


def test_empty_pages_with_an_advancing_token_stop_after_max_empty_pages() -> None:
    faults = {n: page_of(0, (n + 1) * 10) for n in range(50)}
    server = PageServer([], faults=faults)
    with client_for(server) as client, pytest.raises(PaginationError, match="in a row were empty"):
        list(client.token_usage.list(PROJECT_ID, LOG_STREAM_ID, verify_offsets=False))
    assert len(server.requests) == MAX_EMPTY_PAGES


def test_an_empty_page_with_a_token_is_refused_under_verify_offsets() -> None:
    server = PageServer([], faults={0: page_of(0, 10)})
    with client_for(server) as client, pytest.raises(PaginationError, match="0 items"):
        list(client.token_usage.list(PROJECT_ID, LOG_STREAM_ID))
    assert len(server.requests) == 1


def test_get_next_page_follows_the_same_query() -> None:
    server = PageServer(make_records(7))
    with client_for(server) as client:
        first = next(client.token_usage.list(PROJECT_ID, LOG_STREAM_ID, page_size=3).pages())
        assert first.has_next_page()
        second = first.get_next_page()
        third = second.get_next_page()
    assert [first.starting_token, second.starting_token, third.starting_token] == [0, 3, 6]  # by offset, as asked
    assert not third.has_next_page()
    with pytest.raises(PaginationError, match="last page"):
        third.get_next_page()
    assert server.bodies[1]["filters"] == server.bodies[0]["filters"]


@pytest.mark.anyio
async def test_async_get_next_page() -> None:
    async with async_client_for(PageServer(make_records(5))) as client:
        async for first in client.token_usage.list(PROJECT_ID, LOG_STREAM_ID, page_size=3).pages():
            second = await first.aget_next_page()
            break
    assert second.starting_token == 3
    assert len(second.items) == 2
