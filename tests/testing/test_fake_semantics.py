"""The operation's meaning: filters, sort, pagination, validation, checked against a plain-Python oracle."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import httpx
import pytest

from galileo_insights.testing import (
    FakeGalileo,
    GeneratedRecords,
    RecordStore,
    TokenUsageRecord,
    ValidationFailure,
    parse_token_usage_request,
)

COMPARE: dict[str, Callable[[datetime, datetime], bool]] = {
    "eq": lambda a, b: a == b,
    "ne": lambda a, b: a != b,
    "gt": lambda a, b: a > b,
    "gte": lambda a, b: a >= b,
    "lt": lambda a, b: a < b,
    "lte": lambda a, b: a <= b,
}


def all_records(fake: FakeGalileo) -> list[TokenUsageRecord]:
    return list(fake.store.records(fake.project_id, fake.log_stream_id))


def expected(fake: FakeGalileo, filters: list[dict[str, str]], ascending: bool = False) -> list[str]:
    """The oracle: filter every record in Python, sort by (created_at, id), reverse for descending."""
    kept = [
        r
        for r in all_records(fake)
        if all(
            COMPARE[f["operator"]](getattr(r, f["name"]), datetime.fromisoformat(f["value"]).astimezone(UTC))
            for f in filters
        )
    ]
    kept.sort(key=lambda r: (r.created_at, str(r.id)), reverse=not ascending)
    return [str(r.id) for r in kept]


def walk(client: httpx.Client, path: str, body: dict[str, Any]) -> tuple[list[str], list[dict[str, Any]]]:
    """Follow ``next_starting_token`` to the end; the ids in order and every page."""
    ids: list[str] = []
    pages: list[dict[str, Any]] = []
    token: int | None = 0
    while token is not None:
        response = client.post(path, json={**body, "starting_token": token})
        assert response.status_code == 200, response.text
        page = response.json()
        pages.append(page)
        ids += [row["id"] for row in page["token_usages"]]
        token = page["next_starting_token"]
        assert len(pages) < 1000
    return ids, pages


def test_the_store_is_sorted_by_created_at_then_id(fake: FakeGalileo) -> None:
    records = all_records(fake)
    assert len(records) == 307
    assert [r.sort_key for r in records] == sorted(r.sort_key for r in records)


@pytest.mark.parametrize("field", ["created_at", "updated_at"])
@pytest.mark.parametrize("operator", ["eq", "ne", "gt", "gte", "lt", "lte"])
def test_each_operator_on_each_field_matches_the_oracle(
    fake: FakeGalileo, client: httpx.Client, field: str, operator: str
) -> None:
    records = all_records(fake)
    for pivot in (records[3], records[150], records[-1]):
        value = getattr(pivot, field).isoformat()
        filters = [{"name": field, "operator": operator, "value": value}]
        ids, _ = walk(client, fake.token_usage_path(), {"filters": filters, "limit": 1000})
        assert ids == expected(fake, filters)
        if operator == "eq":
            assert str(pivot.id) in ids


def test_combined_filters_on_both_fields(fake: FakeGalileo, client: httpx.Client, tied_at: datetime) -> None:
    filters = [
        {"name": "created_at", "operator": "gte", "value": "2025-01-05T00:00:00+00:00"},
        {"name": "created_at", "operator": "lt", "value": "2025-01-20T12:00:00+02:00"},
        {"name": "updated_at", "operator": "gt", "value": "2025-01-08T00:00:00+00:00"},
        {"name": "created_at", "operator": "ne", "value": tied_at.isoformat()},
    ]
    ids, _ = walk(client, fake.token_usage_path(), {"filters": filters, "limit": 17})
    assert ids == expected(fake, filters)
    assert 50 < len(ids) < 300


def test_instants_compare_across_offsets_and_naive_values_mean_utc(
    fake: FakeGalileo, client: httpx.Client, tied_at: datetime
) -> None:
    naive = {"name": "created_at", "operator": "eq", "value": tied_at.replace(tzinfo=None).isoformat()}
    shifted = {
        "name": "created_at",
        "operator": "eq",
        "value": tied_at.astimezone(timezone(timedelta(hours=5, minutes=30))).isoformat(),
    }
    by_naive, _ = walk(client, fake.token_usage_path(), {"filters": [naive]})
    by_shifted, _ = walk(client, fake.token_usage_path(), {"filters": [shifted]})
    assert len(by_naive) == 2
    assert by_naive == by_shifted


@pytest.mark.parametrize("ascending", [True, False])
def test_sort_breaks_created_at_ties_by_id_in_both_directions(
    fake: FakeGalileo, client: httpx.Client, ascending: bool, tied_at: datetime
) -> None:
    ids, _ = walk(client, fake.token_usage_path(), {"sort": {"ascending": ascending}, "limit": 7})
    assert ids == expected(fake, [], ascending=ascending)
    tied = [r for r in all_records(fake) if r.created_at == tied_at]
    assert len(tied) == 2
    positions = sorted(ids.index(str(r.id)) for r in tied)
    assert positions[1] == positions[0] + 1


def test_default_sort_is_newest_first_and_null_sort_is_oldest_first(fake: FakeGalileo, client: httpx.Client) -> None:
    newest = client.post(fake.token_usage_path(), json={"limit": 1}).json()["token_usages"][0]
    oldest = client.post(fake.token_usage_path(), json={"limit": 1, "sort": None}).json()["token_usages"][0]
    assert newest["id"] == expected(fake, [])[0]
    assert oldest["id"] == expected(fake, [], ascending=True)[0]
    assert client.post(fake.token_usage_path(), content=b"").json()["token_usages"][:1] == [newest]


@pytest.mark.parametrize("limit", [1, 7, 100, 306, 307, 308])
def test_walking_every_page_yields_each_record_once_in_order(
    fake: FakeGalileo, client: httpx.Client, limit: int
) -> None:
    ids, pages = walk(client, fake.token_usage_path(), {"limit": limit})
    assert ids == expected(fake, [])
    assert len(set(ids)) == len(ids) == 307
    assert all(page["paginated"] for page in pages)  # the last page too, as the recorded API answers
    assert pages[-1]["next_starting_token"] is None
    assert [page["starting_token"] for page in pages] == [i * limit for i in range(len(pages))]
    assert all(page["limit"] == limit for page in pages)


def test_a_starting_token_past_the_end_is_an_empty_last_page(fake: FakeGalileo, client: httpx.Client) -> None:
    page = client.post(fake.token_usage_path(), json={"starting_token": 10_000}).json()
    assert page == {
        "starting_token": 10_000,
        "limit": 100,
        "paginated": True,
        "next_starting_token": None,
        "token_usages": [],
    }


def test_an_unknown_stream_is_empty(fake: FakeGalileo, client: httpx.Client) -> None:
    response = client.post(fake.token_usage_path(uuid.uuid4(), uuid.uuid4()), json={})
    assert response.status_code == 200
    assert response.json()["token_usages"] == []


def test_records_are_serialized_per_the_spec(fake: FakeGalileo, client: httpx.Client) -> None:
    rows = client.post(fake.token_usage_path(), json={"limit": 300}).json()["token_usages"]
    for row in rows:
        assert set(row) <= {"id", "created_at", "updated_at", "project_id", "log_stream_id", "token_usage"}
        assert row["created_at"].endswith("Z")
        assert uuid.UUID(row["id"]).version == 4
    assert any("token_usage" not in row for row in rows)
    assert any(None in row.get("token_usage", {}).values() for row in rows)


def test_generation_is_deterministic_and_lazy() -> None:
    big = GeneratedRecords(1_000_000, seed=5)
    assert big[123_456] == GeneratedRecords(1_000_000, seed=5)[123_456]
    assert big[0] != GeneratedRecords(1_000_000, seed=6)[0]
    assert big[-1].created_at < big.start + big.span
    store = RecordStore()
    store.add_generated(big)
    assert len(store.records(big.project_id, big.log_stream_id)) == 1_000_000
    with pytest.raises(ValueError, match="already has a generated block"):
        store.add_generated(big)


def test_a_million_records_page_quickly() -> None:
    fake = FakeGalileo(records=1_000_000)
    query = parse_token_usage_request(
        str(fake.project_id),
        str(fake.log_stream_id),
        json.dumps(
            {
                "starting_token": 500_000,
                "limit": 3,
                "filters": [{"name": "created_at", "operator": "gt", "value": "2025-01-02T00:00:00Z"}],
            }
        ).encode(),
    )
    assert not isinstance(query, ValidationFailure)
    from galileo_insights.testing import token_usage_page

    page = token_usage_page(fake.store, query)
    assert len(page["token_usages"]) == 3
    assert page["next_starting_token"] == 500_003


def detail(response: httpx.Response) -> list[dict[str, Any]]:
    assert response.status_code == 422, response.text
    errors = response.json()["detail"]
    for error in errors:
        assert {"loc", "msg", "type"} <= set(error)
        assert isinstance(error["msg"], str)
        assert isinstance(error["type"], str)
    return list(errors)


@pytest.mark.parametrize(
    ("body", "loc", "kind"),
    [
        ({"limit": "10"}, ["body", "limit"], "int_type"),
        ({"limit": 2.5}, ["body", "limit"], "int_from_float"),
        ({"limit": 0}, ["body", "limit"], "greater_than_equal"),
        ({"starting_token": -1}, ["body", "starting_token"], "greater_than_equal"),
        ({"starting_token": True}, ["body", "starting_token"], "int_type"),
        ({"filters": {}}, ["body", "filters"], "list_type"),
        ({"filters": ["x"]}, ["body", "filters", 0], "model_attributes_type"),
        (
            {"filters": [{"operator": "eq", "value": "2025-01-01T00:00:00Z"}]},
            ["body", "filters", 0],
            "union_tag_not_found",
        ),
        ({"filters": [{"name": "id", "operator": "eq"}]}, ["body", "filters", 0], "union_tag_invalid"),
        (
            {"filters": [{"name": "updated_at", "operator": "like", "value": "2025-01-01T00:00:00Z"}]},
            ["body", "filters", 0, "updated_at", "operator"],
            "enum",
        ),
        (
            {"filters": [{"name": "created_at", "operator": "eq", "value": "yesterday"}]},
            ["body", "filters", 0, "created_at", "value"],
            "datetime_parsing",
        ),
        (
            {"filters": [{"name": "created_at", "operator": "eq", "value": "2025-02-30T00:00:00Z"}]},
            ["body", "filters", 0, "created_at", "value"],
            "datetime_parsing",
        ),
        (
            {"filters": [{"name": "created_at", "operator": "eq"}]},
            ["body", "filters", 0, "created_at", "value"],
            "missing",
        ),
        ({"sort": "created_at"}, ["body", "sort"], "model_attributes_type"),
        ({"sort": {"name": "updated_at"}}, ["body", "sort", "name"], "literal_error"),
        ({"sort": {"sort_type": "score"}}, ["body", "sort", "sort_type"], "literal_error"),
        ({"sort": {"ascending": "yes"}}, ["body", "sort", "ascending"], "bool_type"),
        ([1, 2], ["body"], "model_attributes_type"),
    ],
)
def test_bad_bodies_get_a_fastapi_shaped_422(
    fake: FakeGalileo, client: httpx.Client, body: Any, loc: list[Any], kind: str
) -> None:
    errors = detail(client.post(fake.token_usage_path(), json=body))
    assert [(e["loc"], e["type"]) for e in errors] == [(loc, kind)]


def test_every_error_is_reported_at_once(fake: FakeGalileo, client: httpx.Client) -> None:
    errors = detail(client.post(fake.token_usage_path(), json={"limit": -1, "starting_token": "a", "sort": 3}))
    assert [e["loc"] for e in errors] == [["body", "starting_token"], ["body", "limit"], ["body", "sort"]]


def test_invalid_json_is_a_422(fake: FakeGalileo, client: httpx.Client) -> None:
    errors = detail(
        client.post(fake.token_usage_path(), content=b"{nope", headers={"content-type": "application/json"})
    )
    assert errors[0]["type"] == "json_invalid"
    assert errors[0]["loc"] == ["body", 1]


@pytest.mark.parametrize(
    ("project_id", "log_stream_id", "locs"),
    [  # fixed ids: parallel workers must collect the same test names
        ("not-a-uuid", "41461d7a-7b94-4f26-8f22-9e87d2bc2918", [["path", "project_id"]]),
        ("c448d6bf-17ed-45df-9b4a-17b218f3ded8", "123", [["path", "log_stream_id"]]),
        ("f82025ea-ef1c-11f1-8187-02fc00000001", "7219938c-e46c-4b59-9b40-91cb2df04876", [["path", "project_id"]]),
        ("x", "y", [["path", "project_id"], ["path", "log_stream_id"]]),
    ],
    ids=["project-not-uuid", "log-stream-not-uuid", "project-uuid1", "neither"],
)
def test_path_ids_must_be_uuid4(
    fake: FakeGalileo, client: httpx.Client, project_id: str, log_stream_id: str, locs: list[list[str]]
) -> None:
    errors = detail(client.post(fake.token_usage_path(project_id, log_stream_id), json={}))
    assert [e["loc"] for e in errors] == locs


def test_other_routes_and_methods(fake: FakeGalileo, client: httpx.Client) -> None:
    assert client.get(fake.token_usage_path()).status_code == 405
    assert client.get(fake.token_usage_path()).headers["allow"] == "POST"
    assert client.post("/v2/elsewhere").status_code == 404


def test_added_records_land_in_their_own_stream() -> None:
    project, stream = uuid.uuid4(), uuid.uuid4()
    fake = FakeGalileo()
    fake.store.add(
        [
            TokenUsageRecord(
                created_at=datetime(2025, 1, 10, tzinfo=UTC) + timedelta(seconds=i),
                project_id=project,
                log_stream_id=stream,
            )
            for i in range(3)
        ]
    )
    with httpx.Client(
        transport=fake.transport(), base_url="http://g", headers={"Galileo-API-Key": fake.api_key}
    ) as client:
        rows = client.post(fake.token_usage_path(project, stream), json={"sort": {"ascending": True}}).json()[
            "token_usages"
        ]
        assert [row["created_at"] for row in rows] == [
            "2025-01-10T00:00:00Z",
            "2025-01-10T00:00:01Z",
            "2025-01-10T00:00:02Z",
        ]
        assert client.post(fake.token_usage_path(), json={}).json()["token_usages"] == []
