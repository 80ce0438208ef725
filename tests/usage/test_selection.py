"""Choosing log streams by names, ids or all: what each form covers, and the errors that name what was found."""

from __future__ import annotations

import uuid

import pytest

from galileo_insights import (
    AsyncGalileoInsights,
    GalileoInsights,
    InvalidRequestError,
    LogStreamSelection,
    LogStreamTarget,
    NameResolutionError,
)
from galileo_insights.resources._target_defaults import TargetDefaults
from galileo_insights.testing import (
    DEFAULT_LOG_STREAM_ID,
    DEFAULT_LOG_STREAM_NAME,
    DEFAULT_PROJECT_ID,
    DEFAULT_PROJECT_NAME,
    EMPTY_LOG_STREAM_NAME,
    TWIN_PROJECT_IDS,
    TWIN_PROJECT_NAME,
    FakeGalileo,
)

BASE_URL = "http://galileo.test"


@pytest.fixture
def fake() -> FakeGalileo:
    return FakeGalileo()


@pytest.fixture
def client(fake: FakeGalileo) -> GalileoInsights:
    return GalileoInsights(api_key=fake.api_key, base_url=BASE_URL, transport=fake.transport())


def pairs(targets: list[LogStreamTarget]) -> list[tuple[str, str]]:
    return [(target.project, target.log_stream) for target in targets]


def test_all_covers_every_log_stream_of_every_project_by_name(client: GalileoInsights, fake: FakeGalileo) -> None:
    targets = client.usage.select(all=True)
    assert pairs(targets) == [
        (DEFAULT_PROJECT_NAME, EMPTY_LOG_STREAM_NAME),
        (DEFAULT_PROJECT_NAME, DEFAULT_LOG_STREAM_NAME),
        (TWIN_PROJECT_NAME, DEFAULT_LOG_STREAM_NAME),
        (TWIN_PROJECT_NAME, DEFAULT_LOG_STREAM_NAME),
    ]
    assert {target.project_id for target in targets[2:]} == set(TWIN_PROJECT_IDS)
    assert targets[1].log_stream_id == DEFAULT_LOG_STREAM_ID
    lookups = [request.path for request in fake.requests]
    assert lookups.count("/projects") == 1  # one project listing, then one log-stream listing per project
    assert len(lookups) == 1 + 3


def test_a_project_alone_means_all_its_log_streams(client: GalileoInsights) -> None:
    assert pairs(client.usage.select(DEFAULT_PROJECT_NAME)) == [
        (DEFAULT_PROJECT_NAME, DEFAULT_LOG_STREAM_NAME),
        (DEFAULT_PROJECT_NAME, EMPTY_LOG_STREAM_NAME),
    ]


def test_ids_get_their_names_and_names_their_ids(client: GalileoInsights) -> None:
    targets = client.usage.select([str(TWIN_PROJECT_IDS[1]), DEFAULT_PROJECT_ID], [DEFAULT_LOG_STREAM_NAME])
    assert targets[0] == LogStreamTarget(
        TWIN_PROJECT_IDS[1], TWIN_PROJECT_NAME, targets[0].log_stream_id, DEFAULT_LOG_STREAM_NAME
    )
    assert targets[1] == LogStreamTarget(
        DEFAULT_PROJECT_ID, DEFAULT_PROJECT_NAME, DEFAULT_LOG_STREAM_ID, DEFAULT_LOG_STREAM_NAME
    )


def test_repeated_values_are_covered_once(client: GalileoInsights) -> None:
    targets = client.usage.select(
        [DEFAULT_PROJECT_NAME, str(DEFAULT_PROJECT_ID)], [DEFAULT_LOG_STREAM_NAME, str(DEFAULT_LOG_STREAM_ID)]
    )
    assert pairs(targets) == [(DEFAULT_PROJECT_NAME, DEFAULT_LOG_STREAM_NAME)]


def test_an_ambiguous_project_name_lists_both_ids(client: GalileoInsights) -> None:
    with pytest.raises(NameResolutionError, match="2 projects visible to these credentials are named") as caught:
        client.usage.select(TWIN_PROJECT_NAME)
    assert caught.value.kind == "project"
    assert all(str(twin) in str(caught.value) for twin in TWIN_PROJECT_IDS)


def test_an_unknown_log_stream_lists_what_the_projects_hold(client: GalileoInsights) -> None:
    with pytest.raises(NameResolutionError, match=r"no log stream named 'prod'.*found: 'empty-log-stream'") as caught:
        client.usage.select(DEFAULT_PROJECT_NAME, "prod")
    assert caught.value.kind == "log_stream"


def test_an_unknown_project_id_is_refused(client: GalileoInsights) -> None:
    with pytest.raises(NameResolutionError, match="no project with id"):
        client.usage.select(str(uuid.UUID(int=5)))


def test_all_with_log_streams_or_projects_is_refused_before_sending(client: GalileoInsights, fake: FakeGalileo) -> None:
    with pytest.raises(InvalidRequestError, match="all=True covers every log stream: drop log_streams=") as caught:
        client.usage.select(log_streams="x", all=True)
    assert caught.value.argument == "all"
    with pytest.raises(InvalidRequestError, match="all=True covers every project"):
        client.usage.select("p", all=True)
    assert fake.requests == []


def test_nothing_named_falls_back_to_the_environment() -> None:
    defaults = TargetDefaults(project=DEFAULT_PROJECT_NAME)
    assert LogStreamSelection().with_defaults(defaults) == LogStreamSelection((DEFAULT_PROJECT_NAME,))
    both = TargetDefaults(project_id=str(DEFAULT_PROJECT_ID), log_stream=DEFAULT_LOG_STREAM_NAME)
    assert LogStreamSelection().with_defaults(both) == LogStreamSelection(
        (str(DEFAULT_PROJECT_ID),), (DEFAULT_LOG_STREAM_NAME,)
    )
    with pytest.raises(InvalidRequestError, match="log_streams: needs a project"):
        LogStreamSelection(log_streams=("x",)).with_defaults(TargetDefaults())


@pytest.mark.anyio
async def test_async_selects_the_same(fake: FakeGalileo) -> None:
    async with AsyncGalileoInsights(api_key=fake.api_key, base_url=BASE_URL, transport=fake.transport()) as client:
        targets = await client.usage.select(all=True)
    with GalileoInsights(api_key=fake.api_key, base_url=BASE_URL, transport=fake.transport()) as sync_client:
        assert targets == sync_client.usage.select(all=True)


def test_all_skips_projects_that_hold_no_log_streams_by_type(client: GalileoInsights, fake: FakeGalileo) -> None:
    evaluation = fake.directory.add_project("evaluations", project_type="prompt_evaluation")
    every = client.usage.select(all=True)
    assert evaluation.id not in {target.project_id for target in every}
    assert f"/v2/projects/{evaluation.id}/log_streams" not in {request.path for request in fake.requests}
    assert client.usage.select("evaluations") == []  # named, it is asked (and holds none)
