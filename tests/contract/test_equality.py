"""The round-trip comparison is only as strong as ``equality``; these pin what it forgives and what it catches."""

from __future__ import annotations

from typing import Any

import pytest

from .equality import assert_same_document, canonical_json
from .spec import component_schema

ROW_ID = "cea09858-0c80-4904-b076-fcadf2ab6b5f"


def page(created_at: str, *, row_id: str = ROW_ID, **extra: Any) -> dict[str, Any]:
    row = {
        "id": row_id,
        "created_at": created_at,
        "updated_at": "2025-06-28T17:42:09Z",
        "project_id": "1ecf1b89-2704-476d-a0e1-8d6ef71c1a46",
        "log_stream_id": "bbea8e5e-0e7f-4a49-bf6f-2bcebe5bc6fa",
        "token_usage": {"input_tokens": 10, "output_tokens": None},
    }
    return {"token_usages": [row], "next_starting_token": None, **extra}


def same(left: Any, right: Any, schema_name: str = "LogstreamInsightTokenUsageResponse") -> bool:
    schema = component_schema(schema_name)
    return canonical_json(left, schema) == canonical_json(right, schema)


@pytest.mark.parametrize(
    ("written", "round_tripped"),
    [
        ("2025-06-28T17:42:09Z", "2025-06-28T17:42:09+00:00"),
        ("2025-06-28T17:42:09-00:00", "2025-06-28T17:42:09+00:00"),
        ("2025-06-28T17:42:09.120Z", "2025-06-28T17:42:09.120000+00:00"),
        ("2025-06-28T17:42:09.000000Z", "2025-06-28T17:42:09+00:00"),
        ("2025-06-28T17:42:09.5", "2025-06-28T17:42:09.500000"),
    ],
)
def test_timestamp_spellings_of_one_moment_are_equal(written: str, round_tripped: str) -> None:
    assert same(page(written), page(round_tripped))


@pytest.mark.parametrize(
    ("written", "round_tripped"),
    [
        ("2025-06-28T17:42:09Z", "2025-06-28T17:42:10Z"),
        ("2025-06-28T17:42:09.000001Z", "2025-06-28T17:42:09Z"),
        ("2025-06-28T19:42:09+02:00", "2025-06-28T17:42:09Z"),
        ("2025-06-28T17:42:09Z", "2025-06-28T17:42:09"),
    ],
    ids=["other-second", "lost-microsecond", "lost-offset", "lost-zone"],
)
def test_different_or_degraded_timestamps_differ(written: str, round_tripped: str) -> None:
    assert not same(page(written), page(round_tripped))


def test_uuid_case_is_ignored_but_value_is_not() -> None:
    assert same(page("2025-06-28T17:42:09Z"), page("2025-06-28T17:42:09Z", row_id=ROW_ID.upper()))
    assert not same(page("2025-06-28T17:42:09Z"), page("2025-06-28T17:42:09Z", row_id=ROW_ID[:-1] + "0"))


def test_timestamp_and_uuid_rules_apply_only_where_the_schema_says() -> None:
    """Unknown fields are compared as plain JSON even when they look like timestamps or UUIDs."""
    assert not same(
        page("2025-06-28T17:42:09Z", seen="2025-06-28T17:42:09Z"),
        page("2025-06-28T17:42:09Z", seen="2025-06-28T17:42:09+00:00"),
    )
    assert not same(page("2025-06-28T17:42:09Z", ref=ROW_ID), page("2025-06-28T17:42:09Z", ref=ROW_ID.upper()))


def test_everything_else_is_exact() -> None:
    base = page("2025-06-28T17:42:09Z", paginated=False, limit=100)
    assert same(base, dict(reversed(list(base.items())))), "key order is not meaningful in JSON"
    assert not same(base, {**base, "paginated": 0}), "false and 0 differ"
    assert not same(base, {**base, "limit": 100.0}), "100 and 100.0 differ"
    assert not same(base, {key: value for key, value in base.items() if key != "limit"}), "a dropped field differs"
    assert not same(base, {**base, "total": 1}), "an added field differs"
    assert not same(base, {**base, "next_starting_token": 0}), "null and 0 differ"


def test_assert_same_document_fails_with_a_diff() -> None:
    with pytest.raises(AssertionError, match="next_starting_token"):
        assert_same_document(
            page("2025-06-28T17:42:09Z"),
            {**page("2025-06-28T17:42:09Z"), "next_starting_token": 3},
            component_schema("LogstreamInsightTokenUsageResponse"),
        )
