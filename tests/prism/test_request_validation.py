"""What Prism rejects, why, and how the SDK's error mapping reads its answers; plus the upstream ``uuid4`` spec."""

from __future__ import annotations

from typing import Any

import pytest

from galileo_insights import ResponseValidationError, UnprocessableEntityError
from galileo_insights._errors import error_for_status
from galileo_insights_api.models.validation_error import ValidationError

from .prism_server import PRISM_BIN, SETUP_HINT, PrismServer
from .raw_requests import (
    DYNAMIC,
    post_token_usage,
    read_like_the_client,
    token_usage_url,
    violated_locations,
    violations,
)

pytestmark = [pytest.mark.prism, pytest.mark.skipif(not PRISM_BIN.exists(), reason=SETUP_HINT)]

NOT_UUIDS = {"project_id": "my-project", "log_stream_id": "12345"}
DATE = "2026-01-01T00:00:00Z"

INVALID_BODIES = [
    pytest.param({"limit": "10"}, "request.body.limit", id="limit-as-string"),
    pytest.param({"starting_token": 1.5}, "request.body.starting_token", id="fractional-token"),
    pytest.param(
        {"filters": [{"name": "created_at", "operator": "between", "value": DATE}]},
        "request.body.filters.0.operator",
        id="unknown-operator",
    ),
    pytest.param(
        {"filters": [{"name": "deleted_at", "operator": "eq", "value": DATE}]},
        "request.body.filters.0.name",
        id="unknown-discriminator-value",
    ),
    pytest.param(
        {"filters": [{"name": "created_at", "operator": "eq", "value": "2026-01-01T00:00:00"}]},
        "request.body.filters.0.value",
        id="date-time-without-offset",
    ),
    pytest.param({"filters": [{"name": "created_at", "value": DATE}]}, "request.body.filters.0", id="no-operator"),
    pytest.param({"sort": {"name": "updated_at"}}, "request.body.sort.name", id="sort-by-unsupported-column"),
    pytest.param({"filters": {"name": "created_at"}}, "request.body.filters", id="filters-not-a-list"),
]


@pytest.mark.parametrize(("body", "location"), INVALID_BODIES)
def test_invalid_body_is_a_422_that_maps_to_unprocessable_entity(
    prism: PrismServer, body: dict[str, Any], location: str
) -> None:
    response = post_token_usage(token_usage_url(prism.base_url), body)

    assert response.status_code == 422
    assert location in violated_locations(response)
    error = error_for_status(response)
    assert isinstance(error, UnprocessableEntityError)
    # Prism answers with the 422 schema's static example; the real reason is only in its sl-violations header.
    assert error.errors == [ValidationError(loc=["string"], msg="string", type_="string")]
    assert error.detail_text is None


def test_path_ids_that_are_not_uuids_are_a_422(prism: PrismServer) -> None:
    response = post_token_usage(token_usage_url(prism.base_url, **NOT_UUIDS), {})

    assert response.status_code == 422
    assert violated_locations(response) == {"request.path.project_id", "request.path.log_stream_id"}
    assert isinstance(error_for_status(response), UnprocessableEntityError)


@pytest.mark.parametrize(
    "body",
    [
        pytest.param(None, id="no-body"),
        pytest.param({}, id="empty-object"),
        pytest.param({"sort": None}, id="null-sort"),
        pytest.param({"limit": -5, "starting_token": -1}, id="negative-paging"),
        pytest.param({"unknown": True}, id="extra-property"),
    ],
)
def test_the_spec_leaves_these_bodies_valid(prism: PrismServer, body: dict[str, Any] | None) -> None:
    """No ``required``, no minimums, open objects: what the spec lets through (the real server may not)."""
    assert post_token_usage(token_usage_url(prism.base_url), body).status_code == 200


def test_random_422_bodies_with_extra_keys_still_map(prism: PrismServer) -> None:
    """Dynamic answers fill ``additionalProperties`` into the error body and its items; the mapping keeps the items."""
    for _ in range(10):
        response = post_token_usage(
            token_usage_url(prism.base_url), {"limit": "x"}, headers={"Galileo-API-Key": "k", **DYNAMIC}
        )

        assert response.status_code == 422
        error = error_for_status(response)
        assert isinstance(error, UnprocessableEntityError)
        assert isinstance(error.body, dict)
        assert len(error.errors) == len(error.body["detail"]), response.text


def test_upstream_uuid4_format_is_not_checked_by_prism(prism_upstream: PrismServer) -> None:
    """``format: uuid4`` is unknown to Prism's validator, which then accepts any string for it, both ways."""
    response = post_token_usage(token_usage_url(prism_upstream.base_url, **NOT_UUIDS), {})

    assert response.status_code == 200
    item = response.json()["token_usages"][0]
    assert {item["id"], item["project_id"], item["log_stream_id"]} == {"string"}
    # The normalized spec (format: uuid) is what lets a mock, and our generated models, check ids.
    with pytest.raises(ResponseValidationError, match="does not match the spec"):
        read_like_the_client(response)


def test_upstream_spec_validates_bodies_like_the_normalized_one(prism_upstream: PrismServer) -> None:
    """The normalize patches (title, operationId, sort and body defaults, uuid4) change no body validation."""
    url = token_usage_url(prism_upstream.base_url)
    rejected = post_token_usage(url, {"filters": [{"name": "created_at", "operator": "between", "value": DATE}]})
    accepted = post_token_usage(url, {"filters": [{"name": "created_at", "operator": "gte", "value": DATE}]})

    assert rejected.status_code == 422
    assert "request.body.filters.0.operator" in violated_locations(rejected)
    assert accepted.status_code == 200


def test_filters_are_validated_as_a_plain_one_of(prism: PrismServer) -> None:
    """Prism ignores the ``discriminator``: it tries every ``oneOf`` branch and wants exactly one to match.

    So an ``updated_at`` filter with a bad operator also reports the ``created_at`` branch's ``name``
    const, and a filter without ``name`` (a property with a default, not required) matches both
    branches and is rejected. The generated models always send ``name``.
    """
    url = token_usage_url(prism.base_url)
    bad_operator = post_token_usage(url, {"filters": [{"name": "updated_at", "operator": "between", "value": DATE}]})
    unnamed = post_token_usage(url, {"filters": [{"operator": "eq", "value": DATE}]})

    assert bad_operator.status_code == 422
    codes = {(".".join(map(str, v["location"])), v["code"]) for v in violations(bad_operator)}
    assert ("request.body.filters.0.name", "const") in codes
    assert ("request.body.filters.0.operator", "enum") in codes
    assert unnamed.status_code == 422
    assert [(v["location"], v["code"]) for v in violations(unnamed)] == [(["request", "body", "filters", "0"], "oneOf")]
