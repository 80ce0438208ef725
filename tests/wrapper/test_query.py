from __future__ import annotations

import datetime
from typing import Any, Literal

import httpx
import pytest

from galileo_insights import GalileoInsights, InvalidRequestError
from galileo_insights._page_cursors import PageRequest
from galileo_insights.resources.token_usage._query import TokenUsageQuery
from galileo_insights_api.models.logstream_insight_token_usage_created_at_filter import (
    LogstreamInsightTokenUsageCreatedAtFilter,
)
from galileo_insights_api.models.logstream_insight_token_usage_updated_at_filter import (
    LogstreamInsightTokenUsageUpdatedAtFilter,
)
from tests.wrapper.fake_pages import API_KEY, BASE_URL, LOG_STREAM_ID, PROJECT_ID, PageServer, make_records


@pytest.fixture
def server() -> PageServer:
    return PageServer(make_records(3))


@pytest.fixture
def client(server: PageServer) -> GalileoInsights:
    return GalileoInsights(api_key=API_KEY, base_url=BASE_URL, transport=httpx.MockTransport(server))


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"page_size": 0}, "page_size: must be an integer between 1 and 10000"),
        ({"page_size": True}, "page_size"),
        ({"max_items": -1}, "max_items"),
        ({"starting_token": -5}, "starting_token"),
        ({"created_since": datetime.datetime(2026, 1, 1)}, "created_since: .* has no timezone"),
        ({"updated_before": "2026-01-01T00:00:00"}, "updated_before: .* has no timezone"),
        ({"created_before": "last tuesday"}, "created_before: 'last tuesday' is not an ISO-8601"),
        ({"created_since": 1700000000}, "created_since: must be a datetime"),
        ({"filters": [{"name": "created_at", "operator": "gt", "value": "x"}]}, r"filters: \[0\] must be a generated"),
    ],
)
def test_bad_arguments_fail_before_any_request(
    client: GalileoInsights, server: PageServer, kwargs: dict[str, Any], message: str
) -> None:
    with pytest.raises(InvalidRequestError, match=message):
        client.token_usage.list(PROJECT_ID, LOG_STREAM_ID, **kwargs)
    assert server.requests == []


@pytest.mark.parametrize("bad", ["not-a-uuid", "", 42])
def test_bad_ids_name_the_argument(client: GalileoInsights, bad: Any) -> None:
    with pytest.raises(InvalidRequestError, match="project_id: must be a UUID"):
        client.token_usage.list(bad, LOG_STREAM_ID)
    with pytest.raises(InvalidRequestError, match="log_stream_id: must be a UUID"):
        client.token_usage.list(PROJECT_ID, bad)


def test_generated_filters_and_bounds_are_combined(client: GalileoInsights, server: PageServer) -> None:
    when = datetime.datetime(2026, 3, 1, 12, tzinfo=datetime.timezone(datetime.timedelta(hours=2)))
    given = LogstreamInsightTokenUsageUpdatedAtFilter(operator="ne", value=when)
    list(client.token_usage.list(PROJECT_ID, LOG_STREAM_ID, filters=[given], updated_since=when, ascending=True))
    body = server.bodies[0]
    assert body["filters"] == [
        {"name": "updated_at", "operator": "ne", "value": "2026-03-01T12:00:00+02:00"},
        {"name": "updated_at", "operator": "gte", "value": "2026-03-01T12:00:00+02:00"},
    ]
    assert body["sort"]["ascending"] is True


def test_created_filter_model_accepted(client: GalileoInsights, server: PageServer) -> None:
    given = LogstreamInsightTokenUsageCreatedAtFilter(
        operator="eq", value=datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)
    )
    list(client.token_usage.list(PROJECT_ID, LOG_STREAM_ID, filters=[given]))
    assert server.bodies[0]["filters"][0]["name"] == "created_at"


@pytest.mark.parametrize("ascending", [True, False])
def test_a_keyset_page_resumes_with_the_generated_filter_as_it_serializes(ascending: bool) -> None:
    moment = datetime.datetime(2026, 3, 1, 12, 0, 0, 123456, tzinfo=datetime.UTC)
    body = TokenUsageQuery.build(ascending=ascending).body(PageRequest(0, 10, moment))
    operator: Literal["gte", "lte"] = "gte" if ascending else "lte"
    assert body["filters"] == [LogstreamInsightTokenUsageCreatedAtFilter(operator=operator, value=moment).to_dict()]
