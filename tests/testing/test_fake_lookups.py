"""The fake's two lookups by name: spec-shaped answers, seeded names consistent with its records, the ambiguous twin."""

from __future__ import annotations

import uuid

import httpx
import pytest

from galileo_insights import AsyncGalileoInsights, GalileoInsights, NameResolutionError
from galileo_insights.testing import (
    DEFAULT_LOG_STREAM_NAME,
    DEFAULT_PROJECT_NAME,
    EMPTY_LOG_STREAM_NAME,
    TWIN_PROJECT_IDS,
    TWIN_PROJECT_NAME,
    FakeGalileo,
)
from galileo_insights_api.models.log_stream_response import LogStreamResponse
from galileo_insights_api.models.project_db import ProjectDB
from tests.contract.spec import validate_exchange
from tests.testing.conftest import BASE_URL


def get(client: httpx.Client, path: str, **params: str) -> httpx.Response:
    response = client.get(path, params=params)
    request = response.request
    validate_exchange("GET", request.url.path, None, request.headers, response.status_code, response.content)
    return response


def test_a_project_by_its_seeded_name(client: httpx.Client, fake: FakeGalileo) -> None:
    projects = [
        ProjectDB.from_dict(item) for item in get(client, "/projects", project_name=DEFAULT_PROJECT_NAME).json()
    ]
    assert [(project.id, project.name) for project in projects] == [(fake.project_id, DEFAULT_PROJECT_NAME)]


def test_two_projects_share_the_twin_name(client: httpx.Client) -> None:
    found = get(client, "/projects", project_name=TWIN_PROJECT_NAME).json()
    assert [uuid.UUID(item["id"]) for item in found] == list(TWIN_PROJECT_IDS)


def test_unknown_names_and_no_name(client: httpx.Client, fake: FakeGalileo) -> None:
    assert get(client, "/projects", project_name="no-such-project").json() == []
    assert get(client, "/projects", project_name="").json() == []
    every = {item["name"] for item in get(client, "/projects").json()}
    assert every == {DEFAULT_PROJECT_NAME, TWIN_PROJECT_NAME}


def test_log_streams_match_the_records(client: httpx.Client, fake: FakeGalileo) -> None:
    streams = [
        LogStreamResponse.from_dict(item)
        for item in get(client, f"/v2/projects/{fake.project_id}/log_streams/paginated").json()["log_streams"]
    ]
    by_name = {stream.name: stream for stream in streams}
    assert set(by_name) == {DEFAULT_LOG_STREAM_NAME, EMPTY_LOG_STREAM_NAME}
    assert by_name[DEFAULT_LOG_STREAM_NAME].id == fake.log_stream_id
    assert all(stream.project_id == fake.project_id for stream in streams)
    assert len(fake.store.records(fake.project_id, by_name[DEFAULT_LOG_STREAM_NAME].id)) > 0
    assert len(fake.store.records(fake.project_id, by_name[EMPTY_LOG_STREAM_NAME].id)) == 0


def test_added_names_are_served(client: httpx.Client, fake: FakeGalileo) -> None:
    project = fake.directory.add_project("mine")
    stream = fake.directory.add_log_stream(project.id, "prod")
    assert [item["id"] for item in get(client, "/projects", project_name="mine").json()] == [str(project.id)]
    assert get(client, f"/v2/projects/{project.id}/log_streams/paginated").json()["log_streams"][0]["id"] == str(
        stream.id
    )


def test_lookups_need_credentials_and_valid_ids(fake: FakeGalileo) -> None:
    with httpx.Client(transport=fake.transport(), base_url=BASE_URL) as anonymous:
        assert anonymous.get("/projects").status_code == 401
        assert anonymous.get(f"/v2/projects/{fake.project_id}/log_streams/paginated").status_code == 401
    with httpx.Client(transport=fake.transport(), base_url=BASE_URL, headers={"Galileo-API-Key": fake.api_key}) as c:
        assert c.get("/v2/projects/not-a-uuid/log_streams/paginated").status_code == 422
        assert c.get(f"/v2/projects/{uuid.uuid4()}/log_streams/paginated").status_code == 404
        assert c.post("/projects").status_code == 405


def test_the_sdk_resolves_the_seeded_names(fake: FakeGalileo) -> None:
    with GalileoInsights(api_key=fake.api_key, base_url=BASE_URL, transport=fake.transport()) as client:
        by_name = list(client.token_usage.list(project=DEFAULT_PROJECT_NAME, log_stream=DEFAULT_LOG_STREAM_NAME))
        by_id = list(client.token_usage.list(fake.project_id, fake.log_stream_id))
        assert [item.id for item in by_name] == [item.id for item in by_id]
        with pytest.raises(NameResolutionError) as caught:
            list(client.token_usage.list(project=TWIN_PROJECT_NAME, log_stream=DEFAULT_LOG_STREAM_NAME))
    for twin in TWIN_PROJECT_IDS:
        assert str(twin) in str(caught.value)


@pytest.mark.anyio
async def test_the_async_sdk_resolves_names_over_http(fake: FakeGalileo) -> None:
    with fake.serve() as url:
        async with AsyncGalileoInsights(api_key=fake.api_key, base_url=url) as client:
            totals = await client.token_usage.totals(project=DEFAULT_PROJECT_NAME, log_stream=DEFAULT_LOG_STREAM_NAME)
            empty = await client.token_usage.totals(project=DEFAULT_PROJECT_NAME, log_stream=EMPTY_LOG_STREAM_NAME)
    assert totals.records == len(fake.store.records(fake.project_id, fake.log_stream_id))
    assert empty.records == 0


def test_the_paginated_listing_pages(client: httpx.Client, fake: FakeGalileo) -> None:
    streams = f"/v2/projects/{fake.project_id}/log_streams/paginated"
    first = get(client, streams, limit="1").json()
    last = get(client, streams, starting_token="1", limit="1").json()

    assert (first["next_starting_token"], last["next_starting_token"]) == (1, None)
    assert len(first["log_streams"]) == len(last["log_streams"]) == 1
    assert first["log_streams"][0]["id"] != last["log_streams"][0]["id"]


def test_query_parameters_are_validated_as_fastapi_does(client: httpx.Client, fake: FakeGalileo) -> None:
    every = get(client, "/projects").json()
    assert get(client, "/projects", type="gen_ai").json() == every  # the fake's projects hold log streams
    assert get(client, "/projects", type="protect").json() == []
    bad_type = get(client, "/projects", type="gen-ai")
    streams = f"/v2/projects/{fake.project_id}/log_streams/paginated"
    bad_flag = get(client, streams, include_counts="maybe")
    assert get(client, streams, include_counts="TRUE").status_code == 200
    bad_limit = get(client, streams, limit="ten")
    assert [(e["type"], e["loc"]) for e in bad_limit.json()["detail"]] == [("int_parsing", ["query", "limit"])]

    assert bad_type.status_code == bad_flag.status_code == 422
    [type_error] = bad_type.json()["detail"]
    assert (type_error["type"], type_error["loc"], type_error["input"]) == ("enum", ["query", "type"], "gen-ai")
    assert "'gen_ai'" in type_error["msg"]
    [flag_error] = bad_flag.json()["detail"]
    assert (flag_error["type"], flag_error["loc"]) == ("bool_parsing", ["query", "include_counts"])
