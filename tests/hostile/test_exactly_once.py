"""Every record that existed for a whole walk, total or export comes back exactly once, or a typed error says why.

Against ``ChangingData`` on loopback: a retention job deleting the oldest records between pages, live traffic
inserting new ones, a run of records sharing one instant longer than a page, and answers that lie about which
page they are (``{}``, a page that echoes another request, an empty page after a full one, ``paginated: false``).
"""

from __future__ import annotations

import datetime
import json
import random
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pyarrow.dataset as ds
import pytest

from galileo_insights import (
    AsyncGalileoInsights,
    ConfigurationError,
    GalileoInsights,
    PaginationError,
    RetryPolicy,
    export_to_parquet,
)
from galileo_insights_api.models.logstream_insight_token_usage_created_at_filter import (
    LogstreamInsightTokenUsageCreatedAtFilter,
)
from tests.hostile.paging_servers import LOG_STREAM_ID, PROJECT_ID, START, ChangingData, serving, spread
from tests.hostile.servers import json_response

KEY = "exactly-once-key"  # a test credential
DAY = datetime.timedelta(days=1)
NO_WAIT = RetryPolicy(max_retries=20, initial_delay=0, jitter=0)


def client(url: str) -> GalileoInsights:
    return GalileoInsights(api_key=KEY, base_url=url, max_retries=0)


def walked(url: str, **options: Any) -> list[str]:
    with client(url) as sdk:
        return [str(item.id) for item in sdk.token_usage.list(PROJECT_ID, LOG_STREAM_ID, **options)]


def walked_into_arrow(url: str, **options: Any) -> list[str]:
    """The same walk read as a table: pages go straight into Arrow and the walk narrows the batches itself."""
    with client(url) as sdk:
        return [str(value) for value in sdk.token_usage.list(PROJECT_ID, LOG_STREAM_ID, **options).to_arrow()["id"]]


WALKS = pytest.mark.parametrize("walk", [walked, walked_into_arrow], ids=["models", "arrow"])


def assert_exactly_once(ids: list[str], data: ChangingData) -> None:
    assert len(ids) == len(set(ids)), f"{len(ids) - len(set(ids))} records returned twice"
    lost = data.survivors() - set(ids)
    assert not lost, f"{len(lost)} records that existed for the whole walk were not returned"
    assert set(ids) <= data.survivors() | data.deleted | data.inserted


# Data that changes between pages


@WALKS
@pytest.mark.parametrize("ascending", [True, False], ids=["oldest-first", "newest-first"])
def test_a_retention_job_deleting_between_pages_loses_nothing(ascending: bool, walk: Callable[..., list[str]]) -> None:
    data = ChangingData(spread(3000), between_pages=lambda d: d.delete_oldest(1))
    with serving(data) as server:
        ids = walk(server.url, ascending=ascending, page_size=100)
    assert data.deleted
    assert_exactly_once(ids, data)


def test_records_inserted_during_a_newest_first_walk_are_not_repeated() -> None:
    now = datetime.datetime.now(datetime.UTC)
    data = ChangingData(spread(3000), between_pages=lambda d: d.insert_now(1, now + datetime.timedelta(seconds=5)))
    with serving(data) as server:
        ids = walked(server.url, page_size=100)
    assert data.inserted
    assert_exactly_once(ids, data)


def test_inserts_before_the_last_record_returned_and_deletions_after_it_shift_nothing() -> None:
    def churn(d: ChangingData) -> None:
        d.delete_oldest(1)
        d.insert_now(3, START + datetime.timedelta(seconds=3))  # among records an ascending walk has passed

    data = ChangingData(spread(2000), between_pages=churn)
    with serving(data) as server:
        ids = walked(server.url, ascending=True, page_size=100)
    assert_exactly_once(ids, data)


@WALKS
@pytest.mark.parametrize("ascending", [True, False], ids=["oldest-first", "newest-first"])
def test_a_run_of_one_instant_longer_than_a_page_is_walked_once(
    ascending: bool, walk: Callable[..., list[str]]
) -> None:
    data = ChangingData(spread(700, ties=250))
    with serving(data) as server:
        ids = walk(server.url, ascending=ascending, page_size=100)
    assert_exactly_once(ids, data)


def test_a_walk_ends_at_the_moment_it_started() -> None:
    """A record stamped later than the walk's start (live traffic) is not part of that walk's snapshot."""
    future = datetime.datetime.now(datetime.UTC) + datetime.timedelta(hours=1)
    data = ChangingData(spread(300))
    data.insert_now(3, future)
    with serving(data) as server:
        ids = walked(server.url, ascending=True, page_size=100)
    assert set(ids) == data.survivors()


def test_totals_count_every_surviving_record_once_while_a_retention_job_runs() -> None:
    data = ChangingData(spread(3000), between_pages=lambda d: d.delete_oldest(1))
    with serving(data) as server, client(server.url) as sdk:
        totals = sdk.token_usage.totals(PROJECT_ID, LOG_STREAM_ID, page_size=100)
    assert len(data.survivors()) <= totals.records <= len(data.survivors()) + len(data.deleted)


def test_parallel_windows_lose_nothing_while_records_are_deleted() -> None:
    data = ChangingData(spread(3000), between_pages=lambda d: d.delete_oldest(1))
    end = START + datetime.timedelta(seconds=7 * 3000)
    with serving(data) as server:
        ids = walked(server.url, ascending=True, page_size=100, concurrency=4, created_since=START, created_before=end)
    assert_exactly_once(ids, data)


def test_the_export_keeps_every_record_a_retention_job_did_not_delete(tmp_path: Path) -> None:
    data = ChangingData(spread(3000, every=datetime.timedelta(minutes=2)), between_pages=lambda d: d.delete_oldest(1))
    with serving(data) as server, client(server.url) as sdk:
        export_to_parquet(sdk, PROJECT_ID, LOG_STREAM_ID, tmp_path, page_size=100, now=START + 10 * DAY)
    exported = ds.dataset(tmp_path, format="parquet", partitioning="hive").to_table().column("id").to_pylist()
    assert_exactly_once([str(value) for value in exported], data)


# Answers that lie about which page they are


def lie_on(pages: set[int], told: Callable[[dict[str, Any], list[dict[str, Any]]], bytes]) -> Callable[..., Any]:
    """A ``Lie`` that tells ``told`` on the given answer numbers (0-based) and the truth otherwise."""
    counter = {"answers": 0}

    def lie(body: dict[str, Any], honest: list[dict[str, Any]]) -> bytes | None:
        number = counter["answers"]
        counter["answers"] += 1
        return told(body, honest) if number in pages else None

    return lie


def empty_object(body: dict[str, Any], honest: list[dict[str, Any]]) -> bytes:
    return json_response(200, {})


def no_items(body: dict[str, Any], honest: list[dict[str, Any]]) -> bytes:
    return json_response(200, {"token_usages": []})


def another_requests_page(body: dict[str, Any], honest: list[dict[str, Any]]) -> bytes:
    """What a stray response on a kept-alive connection looks like: a valid page, for another request."""
    echo = {"starting_token": body["starting_token"] + body["limit"], "limit": body["limit"], "paginated": True}
    return json_response(200, {**echo, "next_starting_token": None, "token_usages": honest[:3]})


def empty_echoing_page(body: dict[str, Any], honest: list[dict[str, Any]]) -> bytes:
    echo = {"starting_token": body["starting_token"], "limit": body["limit"], "paginated": True}
    return json_response(200, {**echo, "next_starting_token": None, "token_usages": []})


def not_paginated(body: dict[str, Any], honest: list[dict[str, Any]]) -> bytes:
    echo = {"starting_token": body["starting_token"], "limit": body["limit"], "paginated": False}
    return json_response(200, {**echo, "next_starting_token": None, "token_usages": honest})


LIES = {
    "empty-object": empty_object,
    "no-items": no_items,
    "another-request": another_requests_page,
    "empty-after-full": empty_echoing_page,
    "paginated-false": not_paginated,
}


@pytest.mark.parametrize("name", sorted(LIES))
def test_a_lie_told_once_mid_walk_is_asked_again_and_nothing_is_lost(name: str) -> None:
    data = ChangingData(spread(3000), lie=lie_on({7}, LIES[name]))
    with serving(data) as server:
        ids = walked(server.url, ascending=True, page_size=200)
        connections = server.connections
    assert_exactly_once(ids, data)
    assert connections >= 2  # the second answer came on a fresh connection


@pytest.mark.parametrize("name", sorted(set(LIES) - {"empty-after-full"}))
def test_a_lie_told_twice_is_a_pagination_error(name: str) -> None:
    data = ChangingData(spread(3000), lie=lie_on({7, 8}, LIES[name]))
    with serving(data) as server, pytest.raises(PaginationError, match="fresh connection"):
        walked(server.url, ascending=True, page_size=200)


def test_an_empty_page_after_a_full_one_said_twice_is_believed() -> None:
    """The last records deleted just before the last page: its honest answer is empty, on both connections."""

    def delete_the_last_two_before_the_third_page(d: ChangingData) -> None:
        if d.pages == 2:
            d.delete_newest(2)

    data = ChangingData(spread(401), between_pages=delete_the_last_two_before_the_third_page)
    with serving(data) as server:
        ids = walked(server.url, ascending=True, page_size=200)
    assert data.pages == 4  # the empty page was asked for twice
    assert_exactly_once(ids, data)


@pytest.mark.parametrize("name", ["empty-object", "another-request"])
def test_totals_never_count_a_lie_as_the_end(name: str) -> None:
    data = ChangingData(spread(3000), lie=lie_on({2, 3}, LIES[name]))
    with serving(data) as server, client(server.url) as sdk, pytest.raises(PaginationError):
        sdk.token_usage.totals(PROJECT_ID, LOG_STREAM_ID, page_size=1000)


@pytest.mark.anyio
async def test_the_async_walk_checks_every_page_too() -> None:
    data = ChangingData(spread(1000), lie=lie_on({3, 4}, empty_object))
    with serving(data) as server:
        async with AsyncGalileoInsights(api_key=KEY, base_url=server.url, max_retries=0) as sdk:
            with pytest.raises(PaginationError, match="fresh connection"):
                async for _ in sdk.token_usage.list(PROJECT_ID, LOG_STREAM_ID, page_size=100):
                    pass


def test_an_export_that_meets_a_lie_closes_no_day_it_did_not_read(tmp_path: Path) -> None:
    data = ChangingData(spread(3000, every=datetime.timedelta(minutes=2)), lie=lie_on({3, 4}, empty_object))
    with serving(data) as server, client(server.url) as sdk, pytest.raises(PaginationError):
        export_to_parquet(sdk, PROJECT_ID, LOG_STREAM_ID, tmp_path, page_size=100, concurrency=1, now=START + 10 * DAY)
    state = (
        json.loads((tmp_path / "_export_state.json").read_text()) if (tmp_path / "_export_state.json").exists() else {}
    )
    exported = (
        ds.dataset(tmp_path, format="parquet", partitioning="hive").to_table()
        if any(tmp_path.glob("date=*/*.parquet"))
        else None
    )
    closed = state.get("closed_before")
    rows = 0 if exported is None else exported.num_rows
    if closed is not None:  # every day the state calls closed holds all of its records
        closed_at = datetime.datetime.fromisoformat(closed)
        expected = [r for r in data.records if datetime.datetime.fromisoformat(r["created_at"]) < closed_at]
        assert rows >= len(expected)
    assert rows < 3000


# extra_body may not undo what the SDK sets


@pytest.mark.parametrize("key", ["filters", "sort", "starting_token", "limit"])
def test_extra_body_that_overrides_the_paging_is_refused(key: str) -> None:
    window = LogstreamInsightTokenUsageCreatedAtFilter(operator="gte", value=START).to_dict()
    with client("http://127.0.0.1:9") as sdk, pytest.raises(ConfigurationError, match=key):
        sdk.token_usage.list(
            PROJECT_ID,
            LOG_STREAM_ID,
            concurrency=4,
            created_since=START,
            created_before=START + DAY,
            extra_body={key: [window] if key == "filters" else 1},
        )


# All of it at once, at scale


def faults_and_lies(seed: int) -> Callable[[dict[str, Any], list[dict[str, Any]]], bytes | None]:
    """30 % of answers fail (503, 429) and a few more lie (`{}`, a page for another request), seeded: the same
    answers every run, none of them two wrong pages in a row for one request."""
    rng = random.Random(seed)

    def lie(body: dict[str, Any], honest: list[dict[str, Any]]) -> bytes | None:
        roll = rng.random()
        if roll < 0.15:
            return json_response(503, {"detail": "busy"})
        if roll < 0.3:
            return json_response(429, {"detail": "slow down"}, {"Retry-After": "0"})
        if roll < 0.33:
            return empty_object(body, honest)
        if roll < 0.36:
            return another_requests_page(body, honest)
        return None

    return lie


@pytest.mark.parametrize("ascending", [True, False], ids=["oldest-first", "newest-first"])
def test_20000_records_through_30_percent_faults_and_a_retention_job_lose_and_repeat_nothing(ascending: bool) -> None:
    data = ChangingData(spread(20_000), between_pages=lambda d: d.delete_oldest(3), lie=faults_and_lies(7))
    with serving(data) as server, GalileoInsights(api_key=KEY, base_url=server.url, retry_policy=NO_WAIT) as sdk:
        walk = sdk.token_usage.list(PROJECT_ID, LOG_STREAM_ID, ascending=ascending, page_size=500)
        ids = [str(item.id) for item in walk]
    assert data.deleted
    assert_exactly_once(ids, data)
