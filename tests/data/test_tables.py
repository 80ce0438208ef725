"""``to_arrow()``, ``iter_batches()``, ``to_pandas()``, ``to_polars()`` on pagers hold the server's records exactly."""

from __future__ import annotations

import datetime
import subprocess
import sys
import textwrap

import pandas as pd
import polars as pl
import pyarrow as pa
import pytest

from galileo_insights import AsyncGalileoInsights, GalileoInsights, InvalidRequestError, token_usage_schema
from galileo_insights.testing import FakeGalileo
from tests.data.records import (
    LOG_STREAM_ID,
    ODD_COUNTS,
    ODD_UTC_CREATED,
    PROJECT_ID,
    TOKEN_FIELDS,
    expected_row,
    odd_page_transport,
    stored_records,
)

RECORDS = 450


@pytest.fixture(scope="module")
def fake() -> FakeGalileo:
    return FakeGalileo(records=RECORDS, seed=5)


def test_the_schema_is_declared() -> None:
    timestamp = pa.timestamp("us", tz="UTC")
    assert token_usage_schema() == pa.schema(
        [
            pa.field("id", pa.string(), nullable=False),
            pa.field("created_at", timestamp, nullable=False),
            pa.field("updated_at", timestamp, nullable=False),
            pa.field("project_id", pa.string(), nullable=False),
            pa.field("log_stream_id", pa.string(), nullable=False),
            *(pa.field(name, pa.int64(), nullable=True) for name in TOKEN_FIELDS),
        ]
    )


def test_to_arrow_holds_every_record_of_the_server(fake: FakeGalileo) -> None:
    with GalileoInsights(api_key=fake.api_key, transport=fake.transport()) as client:
        table = client.token_usage.list(fake.project_id, fake.log_stream_id, ascending=True, page_size=64).to_arrow()

    assert table.schema == token_usage_schema()
    expected = [expected_row(record) for record in stored_records(fake)]
    assert table.to_pylist() == expected
    assert any(row["input_tokens"] is None for row in expected), "the fixture should hold null counts"


@pytest.mark.anyio
async def test_async_to_arrow_and_batches_match_the_sync_table(fake: FakeGalileo) -> None:
    with GalileoInsights(api_key=fake.api_key, transport=fake.transport()) as client:
        expected = client.token_usage.list(fake.project_id, fake.log_stream_id).to_arrow()
    async with AsyncGalileoInsights(api_key=fake.api_key, transport=fake.transport()) as client:
        pager = client.token_usage.list(fake.project_id, fake.log_stream_id)
        table = await pager.to_arrow()
        batches = [batch async for batch in pager.iter_batches(rows=100)]

    assert table.equals(expected)
    assert [batch.num_rows for batch in batches] == [100, 100, 100, 100, 50]
    assert pa.Table.from_batches(batches).equals(expected)


def test_naive_offset_and_z_timestamps_land_on_the_same_utc_instant() -> None:
    """A naive server timestamp is UTC (never the machine's zone); offsets are converted, nothing is dropped."""
    with GalileoInsights(api_key="key", transport=odd_page_transport()) as client:
        pager = client.token_usage.list(PROJECT_ID, LOG_STREAM_ID)
        table = pager.to_arrow()
        frame = pager.to_pandas()
        polars_frame = pager.to_polars()

    assert table.column("created_at").to_pylist() == ODD_UTC_CREATED
    assert [tuple(row[name] for name in TOKEN_FIELDS) for row in table.to_pylist()] == ODD_COUNTS
    assert table.column("updated_at").to_pylist()[2] == datetime.datetime(
        2025, 1, 29, 23, 30, 0, 1, tzinfo=datetime.UTC
    )
    assert list(frame["created_at"]) == [pd.Timestamp(moment) for moment in ODD_UTC_CREATED]
    assert polars_frame["created_at"].to_list() == ODD_UTC_CREATED
    assert [tuple(row) for row in polars_frame.select(TOKEN_FIELDS).iter_rows()] == ODD_COUNTS


def test_iter_batches_splits_the_walk_and_checks_rows_before_sending(fake: FakeGalileo) -> None:
    with GalileoInsights(api_key=fake.api_key, transport=fake.transport()) as client:
        pager = client.token_usage.list(fake.project_id, fake.log_stream_id, page_size=128)
        fake.clear_requests()
        with pytest.raises(InvalidRequestError, match="rows"):
            pager.iter_batches(rows=0)
        assert fake.requests == []
        batches = list(pager.iter_batches(rows=200))

    assert [batch.num_rows for batch in batches] == [200, 200, 50]
    assert all(batch.schema == token_usage_schema() for batch in batches)
    assert pa.Table.from_batches(batches).to_pylist() == [expected_row(r) for r in reversed(stored_records(fake))]


def test_an_empty_walk_is_an_empty_table_with_the_schema(fake: FakeGalileo) -> None:
    with GalileoInsights(api_key=fake.api_key, transport=fake.transport()) as client:
        pager = client.token_usage.list(fake.project_id, fake.log_stream_id, created_before="2000-01-01T00:00:00Z")
        table = pager.to_arrow()
        frame = pager.to_pandas()

    assert table.num_rows == 0
    assert table.schema == token_usage_schema()
    assert list(frame.columns) == token_usage_schema().names


def test_pandas_and_polars_have_nullable_ints_and_aware_times_with_the_arrow_values(fake: FakeGalileo) -> None:
    with GalileoInsights(api_key=fake.api_key, transport=fake.transport()) as client:
        pager = client.token_usage.list(fake.project_id, fake.log_stream_id)
        table = pager.to_arrow()
        frame = pager.to_pandas()
        polars_frame = pager.to_polars()

    assert {name: str(frame[name].dtype) for name in TOKEN_FIELDS} == dict.fromkeys(TOKEN_FIELDS, "Int64")
    assert str(frame["created_at"].dtype) == "datetime64[us, UTC]"
    assert polars_frame.schema["created_at"] == pl.Datetime("us", "UTC")
    assert all(polars_frame.schema[name] == pl.Int64 for name in TOKEN_FIELDS)
    expected = table.to_pylist()
    from_pandas = [
        {name: (None if pd.isna(value) else value) for name, value in row.items()}
        for row in frame.to_dict(orient="records")
    ]
    assert from_pandas == expected
    assert polars_frame.to_dicts() == expected


@pytest.mark.anyio
async def test_async_pandas_and_polars_match_sync(fake: FakeGalileo) -> None:
    with GalileoInsights(api_key=fake.api_key, transport=fake.transport()) as client:
        expected = client.token_usage.list(fake.project_id, fake.log_stream_id).to_polars()
    async with AsyncGalileoInsights(api_key=fake.api_key, transport=fake.transport()) as client:
        pager = client.token_usage.list(fake.project_id, fake.log_stream_id)
        polars_frame = await pager.to_polars()
        frame = await pager.to_pandas()

    assert polars_frame.equals(expected)
    assert list(frame["id"]) == expected["id"].to_list()


def _run(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True, timeout=60, check=False
    )


def test_importing_the_sdk_loads_no_data_library() -> None:
    done = _run(
        """
        import sys
        import galileo_insights
        print(sorted(m for m in ("pyarrow", "pandas", "polars", "numpy") if m in sys.modules))
        """
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"
