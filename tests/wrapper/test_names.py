"""Projects and log streams by name: looked up once per client, errors that name what was found."""

from __future__ import annotations

import re
import uuid
from typing import Any

import httpx
import pytest

from galileo_insights import (
    AsyncGalileoInsights,
    GalileoInsights,
    InvalidRequestError,
    NameResolutionError,
    PaginationError,
)
from tests.wrapper.fake_pages import API_KEY, BASE_URL, LOG_STREAM_ID, PROJECT_ID, PageServer, make_records

OTHER_PROJECT = uuid.UUID("11111111-2222-4333-8444-555555555555")
TWIN_A = uuid.UUID("aaaaaaaa-2222-4333-8444-555555555555")
TWIN_B = uuid.UUID("bbbbbbbb-2222-4333-8444-555555555555")
STAMP = "2026-01-01T00:00:00+00:00"
SINCE, BEFORE = "2026-01-01T00:00:00Z", "2026-01-02T00:00:00Z"
USER = {"id": str(uuid.UUID(int=7)), "email": "someone@example.com"}


def project(project_id: uuid.UUID, name: str) -> dict[str, Any]:
    return {
        "id": str(project_id),
        "name": name,
        "created_by": USER["id"],
        "created_by_user": USER,
        "runs": [],
        "created_at": STAMP,
        "updated_at": STAMP,
    }


def log_stream(stream_id: uuid.UUID, name: str, project_id: uuid.UUID) -> dict[str, Any]:
    return {
        "id": str(stream_id),
        "name": name,
        "project_id": str(project_id),
        "created_at": STAMP,
        "updated_at": STAMP,
    }


PROJECTS = [project(PROJECT_ID, "support-bot"), project(OTHER_PROJECT, "other"), project(TWIN_A, "twin")]
PROJECTS.append(project(TWIN_B, "twin"))
STREAMS = {
    PROJECT_ID: [log_stream(LOG_STREAM_ID, "production", PROJECT_ID), log_stream(uuid.uuid4(), "staging", PROJECT_ID)]
}


def streams_page(streams: list[dict[str, Any]], request: httpx.Request) -> dict[str, Any]:
    """The paginated listing's answer: ``limit`` log streams from ``starting_token``."""
    start, limit = int(request.url.params["starting_token"]), int(request.url.params["limit"])
    page = streams[start : start + limit]
    more = start + len(page) < len(streams)
    return {
        "log_streams": page,
        "starting_token": start,
        "limit": limit,
        "next_starting_token": start + limit if more else None,
    }


class Directory:
    """The two lookups (Galileo filters projects by ``project_name``), then token usage from a ``PageServer``."""

    def __init__(self, pages: PageServer) -> None:
        self.pages = pages
        self.lookups: list[str] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        path = request.url.path
        if path == "/projects":
            self.lookups.append(f"projects?{request.url.params.get('project_name')}")
            wanted = request.url.params.get("project_name")
            return httpx.Response(200, json=[p for p in PROJECTS if wanted in (None, p["name"])])
        if match := re.fullmatch(r"/v2/projects/([^/]+)/log_streams/paginated", path):
            self.lookups.append(f"log_streams:{match[1]}")
            return httpx.Response(200, json=streams_page(STREAMS.get(uuid.UUID(match[1]), []), request))
        return self.pages(request)


def clients(directory: Directory) -> tuple[GalileoInsights, AsyncGalileoInsights]:
    return (
        GalileoInsights(api_key=API_KEY, base_url=BASE_URL, transport=httpx.MockTransport(directory)),
        AsyncGalileoInsights(api_key=API_KEY, base_url=BASE_URL, transport=httpx.MockTransport(directory)),
    )


@pytest.fixture(autouse=True)
def no_galileo_defaults(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("GALILEO_PROJECT", "GALILEO_PROJECT_ID", "GALILEO_LOG_STREAM", "GALILEO_LOG_STREAM_ID"):
        monkeypatch.delenv(name, raising=False)


def test_names_resolve_to_the_same_records_as_ids_and_are_looked_up_once() -> None:
    directory = Directory(PageServer(make_records(5)))
    client, _ = clients(directory)
    with client:
        by_name = list(client.token_usage.list(project="support-bot", log_stream="production"))
        again = client.token_usage.totals(project="support-bot", log_stream="production")
        by_id = list(client.token_usage.list(PROJECT_ID, LOG_STREAM_ID))
        copy = client.with_options(max_retries=0)
        list(copy.token_usage.list(project="support-bot", log_stream="production"))
    assert [item.id for item in by_name] == [item.id for item in by_id]
    assert again.records == 5
    assert directory.lookups == ["projects?support-bot", f"log_streams:{PROJECT_ID}"]
    assert all(
        f"/v2/projects/{PROJECT_ID}/log_streams/{LOG_STREAM_ID}/" in str(r.url) for r in directory.pages.requests
    )


@pytest.mark.anyio
async def test_async_names_resolve_and_cache() -> None:
    directory = Directory(PageServer(make_records(3)))
    _, client = clients(directory)
    async with client:
        first = [item async for item in client.token_usage.list(project="support-bot", log_stream="production")]
        totals = await client.token_usage.totals(project="support-bot", log_stream_id=LOG_STREAM_ID)
    assert len(first) == totals.records == 3
    assert directory.lookups == ["projects?support-bot", f"log_streams:{PROJECT_ID}"]


def test_environment_names_are_defaults(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GALILEO_PROJECT", "support-bot")
    monkeypatch.setenv("GALILEO_LOG_STREAM", "production")
    directory = Directory(PageServer(make_records(2)))
    client, _ = clients(directory)
    with client:
        assert len(list(client.token_usage.list())) == 2


def test_environment_ids_are_defaults_and_win_over_names(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GALILEO_PROJECT_ID", str(PROJECT_ID))
    monkeypatch.setenv("GALILEO_PROJECT", "no-such-project")
    monkeypatch.setenv("GALILEO_LOG_STREAM_ID", str(LOG_STREAM_ID))
    directory = Directory(PageServer(make_records(2)))
    client, _ = clients(directory)
    with client:
        assert len(list(client.token_usage.list())) == 2
    assert directory.lookups == []


def test_a_missing_project_name_is_an_error_naming_the_lookup() -> None:
    client, _ = clients(Directory(PageServer([])))
    with client, pytest.raises(NameResolutionError, match="no project named 'nope' visible to these credentials"):
        list(client.token_usage.list(project="nope", log_stream="production"))


def test_an_ambiguous_project_name_lists_the_ids() -> None:
    client, _ = clients(Directory(PageServer([])))
    with client, pytest.raises(NameResolutionError, match=r"2 projects .* named 'twin'") as caught:
        list(client.token_usage.list(project="twin", log_stream_id=LOG_STREAM_ID))
    assert str(TWIN_A) in str(caught.value)
    assert str(TWIN_B) in str(caught.value)
    assert sorted(identifier for _, identifier in caught.value.found) == sorted([str(TWIN_A), str(TWIN_B)])


def test_a_missing_log_stream_names_the_streams_found() -> None:
    client, _ = clients(Directory(PageServer([])))
    with (
        client,
        pytest.raises(NameResolutionError, match=r"no log stream named 'prod'.*found: 'production', 'staging'"),
    ):
        list(client.token_usage.list(PROJECT_ID, log_stream="prod"))


def test_nothing_given_says_what_to_pass() -> None:
    client, _ = clients(Directory(PageServer([])))
    with client, pytest.raises(InvalidRequestError, match="GALILEO_PROJECT_ID or GALILEO_PROJECT"):
        client.token_usage.list(log_stream="production")


def test_an_id_and_a_name_together_are_refused() -> None:
    client, _ = clients(Directory(PageServer([])))
    with client, pytest.raises(InvalidRequestError, match="project_id= or project="):
        client.token_usage.list(PROJECT_ID, LOG_STREAM_ID, project="support-bot")


def test_lookup_resources_return_generated_models() -> None:
    client, _ = clients(Directory(PageServer([])))
    with client:
        projects = client.projects.list(name="twin")
        streams = client.log_streams.list(PROJECT_ID)
    assert {p.id for p in projects} == {TWIN_A, TWIN_B}
    assert [s.name for s in streams] == ["production", "staging"]


def test_raw_responses_carry_headers_and_the_request_id() -> None:
    def directory(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json=PROJECTS[:1], headers={"x-request-id": "req-123"})

    with GalileoInsights(api_key=API_KEY, base_url=BASE_URL, transport=httpx.MockTransport(directory)) as client:
        response = client.with_raw_response.projects.list(name="support-bot")
    assert (response.status_code, response.request_id) == (200, "req-123")
    assert [project.name for project in response.parse()] == ["support-bot"]


@pytest.mark.anyio
async def test_async_raw_responses() -> None:
    def directory(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json=streams_page(STREAMS[PROJECT_ID], request), headers={"x-request-id": "req-9"})

    transport = httpx.MockTransport(directory)
    async with AsyncGalileoInsights(api_key=API_KEY, base_url=BASE_URL, transport=transport) as client:
        response = await client.with_raw_response.log_streams.page(PROJECT_ID, limit=1)
    assert response.request_id == "req-9"
    assert response.headers["content-type"] == "application/json"
    assert [stream.name for stream in response.parse().items] == ["production"]
    assert response.parse().next_starting_token == 1


def test_the_log_stream_lookup_pages_through_all_of_a_project() -> None:
    """More log streams than a page: every page is read, through the supported (not deprecated) listing."""
    many = [log_stream(uuid.uuid4(), f"stream-{index}", OTHER_PROJECT) for index in range(250)]
    seen: list[str] = []

    def directory(request: httpx.Request) -> httpx.Response:
        seen.append(f"{request.url.path}?{request.url.params['starting_token']}")
        return httpx.Response(200, json=streams_page(many, request))

    with GalileoInsights(api_key=API_KEY, base_url=BASE_URL, transport=httpx.MockTransport(directory)) as client:
        streams = client.log_streams.list(OTHER_PROJECT)

    assert [stream.name for stream in streams] == [f"stream-{index}" for index in range(250)]
    paginated = f"/v2/projects/{OTHER_PROJECT}/log_streams/paginated"
    assert seen == [f"{paginated}?0", f"{paginated}?100", f"{paginated}?200"]


def test_a_log_stream_listing_that_repeats_a_page_is_an_error() -> None:
    def directory(request: httpx.Request) -> httpx.Response:
        body = streams_page(STREAMS[PROJECT_ID], request)
        return httpx.Response(200, json={**body, "next_starting_token": 0})

    transport = httpx.MockTransport(directory)
    with (
        GalileoInsights(api_key=API_KEY, base_url=BASE_URL, transport=transport) as client,
        pytest.raises(PaginationError, match="next_starting_token=0"),
    ):
        client.log_streams.list(PROJECT_ID)


def test_token_usage_pages_carry_the_request_id() -> None:
    pages = PageServer(make_records(2))

    def with_id(request: httpx.Request) -> httpx.Response:
        response = pages(request)
        response.headers["x-request-id"] = f"req-{len(pages.requests)}"
        return response

    with GalileoInsights(api_key=API_KEY, base_url=BASE_URL, transport=httpx.MockTransport(with_id)) as client:
        walked = list(client.token_usage.list(PROJECT_ID, LOG_STREAM_ID, page_size=1).pages())
    assert [page.request_id for page in walked] == ["req-1", "req-2"]


def test_a_parallel_export_by_name_looks_names_up_once() -> None:
    directory = Directory(PageServer([]))
    client, _ = clients(directory)
    with client:
        list(
            client.token_usage.list(
                project="support-bot",
                log_stream="production",
                concurrency=8,
                windows=8,
                created_since=SINCE,
                created_before=BEFORE,
            )
        )
    assert directory.lookups == ["projects?support-bot", f"log_streams:{PROJECT_ID}"]
    assert len(directory.pages.requests) == 8  # one (empty) page per window, all by the ids looked up once


@pytest.mark.anyio
async def test_an_async_parallel_export_by_name_looks_names_up_once() -> None:
    directory = Directory(PageServer([]))
    _, client = clients(directory)
    async with client:
        pager = client.token_usage.list(
            project="support-bot", log_stream="production", concurrency=8, created_since=SINCE, created_before=BEFORE
        )
        assert [item async for item in pager] == []
    assert directory.lookups == ["projects?support-bot", f"log_streams:{PROJECT_ID}"]


def test_log_stream_ids_resolve_names_as_list_would() -> None:
    directory = Directory(PageServer([]))
    client, _ = clients(directory)
    with client:
        assert client.token_usage.log_stream_ids(project="support-bot", log_stream="production") == (
            PROJECT_ID,
            LOG_STREAM_ID,
        )
        assert client.token_usage.log_stream_ids(PROJECT_ID, LOG_STREAM_ID) == (PROJECT_ID, LOG_STREAM_ID)
    assert directory.lookups == ["projects?support-bot", f"log_streams:{PROJECT_ID}"]


@pytest.mark.anyio
async def test_async_log_stream_ids() -> None:
    _, client = clients(Directory(PageServer([])))
    async with client:
        ids = await client.token_usage.log_stream_ids(project="support-bot", log_stream="production")
    assert ids == (PROJECT_ID, LOG_STREAM_ID)
