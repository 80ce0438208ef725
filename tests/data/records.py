"""What the data tests compare against: the fake's records as a reader of the table should see them."""

from __future__ import annotations

import datetime
import json
from typing import Any

import httpx

from galileo_insights.testing import FakeGalileo
from galileo_insights_api.models.log_stream_insight_token_usage_db import LogStreamInsightTokenUsageDB
from galileo_insights_api.models.token_usage import TokenUsage

TOKEN_FIELDS = ("input_tokens", "output_tokens", "cache_read_input_tokens", "cache_creation_input_tokens")
PROJECT_ID = "6f1c1a2e-7d3b-4c5e-9a8f-0b1c2d3e4f50"
LOG_STREAM_ID = "3d2b8c4a-5e6f-4a7b-8c9d-e0f1a2b3c4d5"


def stored_records(fake: FakeGalileo) -> list[LogStreamInsightTokenUsageDB]:
    """Every record the fake holds, oldest first, as the generated model parses it."""
    return [
        LogStreamInsightTokenUsageDB.from_dict(record.to_json())
        for record in fake.store.records(fake.project_id, fake.log_stream_id)
    ]


def utc(moment: datetime.datetime) -> datetime.datetime:
    if moment.tzinfo is None:
        return moment.replace(tzinfo=datetime.UTC)
    return moment.astimezone(datetime.UTC)


def expected_row(record: LogStreamInsightTokenUsageDB) -> dict[str, Any]:
    """A table row written out by hand: string ids, UTC timestamps, None for a null or absent count."""
    usage = record.token_usage
    counts = {name: getattr(usage, name, None) if isinstance(usage, TokenUsage) else None for name in TOKEN_FIELDS}
    return {
        "id": str(record.id),
        "created_at": utc(record.created_at),
        "updated_at": utc(record.updated_at),
        "project_id": str(record.project_id),
        "log_stream_id": str(record.log_stream_id),
        **{name: value if isinstance(value, int) else None for name, value in counts.items()},
    }


# One page as a server may send it: naive, "Z" and offset timestamps; counts present, null, missing; no usage.
ODD_RECORDS: list[dict[str, Any]] = [
    {
        "id": "2ce3165f-e8af-4ce8-b918-027dffd83648",
        "created_at": "2025-01-29T23:30:00.482913",
        "updated_at": "2025-01-29T23:31:00",
        "token_usage": {"input_tokens": 10, "output_tokens": None, "cache_read_input_tokens": 0},
    },
    {
        "id": "7b0a3c55-1f7e-4a0e-9b38-3d1c2f8e6a10",
        "created_at": "2025-01-30T01:30:00+02:00",
        "updated_at": "2025-01-30T00:00:00Z",
    },
    {
        "id": "0f4e5d6c-7b8a-4c9d-8e1f-2a3b4c5d6e7f",
        "created_at": "2025-01-29T18:30:00-05:00",
        "updated_at": "2025-01-29T23:30:00.000001Z",
        "token_usage": {
            "input_tokens": 2**40,
            "output_tokens": 7,
            "cache_read_input_tokens": None,
            "cache_creation_input_tokens": 3,
        },
    },
]
ODD_UTC_CREATED = [
    datetime.datetime(2025, 1, 29, 23, 30, 0, 482913, tzinfo=datetime.UTC),
    datetime.datetime(2025, 1, 29, 23, 30, tzinfo=datetime.UTC),
    datetime.datetime(2025, 1, 29, 23, 30, tzinfo=datetime.UTC),
]
ODD_COUNTS = [(10, None, 0, None), (None, None, None, None), (2**40, 7, None, 3)]


def odd_page_transport() -> httpx.MockTransport:
    """Answers every token-usage request with ``ODD_RECORDS`` as one last page (echoing its token and limit)."""

    def answer(request: httpx.Request) -> httpx.Response:
        records = [{"project_id": PROJECT_ID, "log_stream_id": LOG_STREAM_ID, **record} for record in ODD_RECORDS]
        asked = json.loads(request.content)
        body = {"token_usages": records, "limit": asked["limit"], "starting_token": 0, "next_starting_token": None}
        return httpx.Response(200, content=json.dumps(body).encode(), headers={"content-type": "application/json"})

    return httpx.MockTransport(answer)
