"""Failures that used to escape as untyped exceptions (and CLI tracebacks) end in a ``GalileoInsightsError``
naming what happened: a mislabelled gzip body, a count of 2**63 or more, a created_at past year 9999, ``close()``
while other threads walk, a bad export state file, and a second export into the same directory."""

from __future__ import annotations

import datetime
import json
import socket
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from galileo_insights import (
    APIConnectionError,
    ClientStateError,
    GalileoInsights,
    GalileoInsightsError,
    InvalidRequestError,
    PaginationError,
    export_to_parquet,
)
from tests.hostile.paging_servers import LOG_STREAM_ID, PROJECT_ID, START, ChangingData, record, serving, spread
from tests.hostile.servers import RawRequest, RawServer, page_answer, response_bytes

KEY = "typed-failures-key"  # a test credential
NOW = START + datetime.timedelta(days=3)


def client(url: str, **options: Any) -> GalileoInsights:
    return GalileoInsights(api_key=KEY, base_url=url, max_retries=0, **options)


def test_a_body_labelled_gzip_that_is_not_is_a_connection_error_worth_no_retry() -> None:
    def handle(request: RawRequest, connection: socket.socket) -> None:
        connection.sendall(response_bytes(200, b"this is not gzip at all", {"Content-Encoding": "gzip"}))

    with (
        RawServer(handle) as server,
        client(server.url) as sdk,
        pytest.raises(APIConnectionError, match="Content-Encoding") as caught,
    ):
        list(sdk.token_usage.list(PROJECT_ID, LOG_STREAM_ID))
    assert caught.value.retryable is False


def huge_count_server() -> tuple[RawServer, str]:
    item = record(START, 1)
    item["token_usage"]["input_tokens"] = 2**63

    def handle(request: RawRequest, connection: socket.socket) -> None:
        connection.sendall(page_answer(request, [item]))

    return RawServer(handle), item["id"]


def test_a_count_of_2_63_in_a_table_names_the_record_and_field() -> None:
    raw, record_id = huge_count_server()
    with raw as server, client(server.url) as sdk, pytest.raises(GalileoInsightsError) as caught:
        sdk.token_usage.list(PROJECT_ID, LOG_STREAM_ID).to_arrow()
    assert f"record {record_id}: input_tokens" in str(caught.value)


def test_a_count_of_2_63_in_the_export_names_the_record_and_field(tmp_path: Path) -> None:
    with (
        huge_count_server()[0] as server,
        client(server.url) as sdk,
        pytest.raises(GalileoInsightsError, match="input_tokens = 9223372036854775808"),
    ):
        export_to_parquet(sdk, PROJECT_ID, LOG_STREAM_ID, tmp_path, now=NOW)
    assert not list(tmp_path.glob("date=*/*.parquet"))


def test_a_created_at_past_year_9999_in_utc_is_named_by_the_export(tmp_path: Path) -> None:
    item = record(START, 1)
    item["created_at"] = "9999-12-31T23:59:59.999999-23:59"  # valid RFC 3339, but past year 9999 in UTC

    def handle(request: RawRequest, connection: socket.socket) -> None:
        connection.sendall(page_answer(request, [item]))

    with (
        RawServer(handle) as server,
        client(server.url) as sdk,
        pytest.raises(PaginationError, match=rf"record {item['id']}: created_at"),
    ):
        export_to_parquet(sdk, PROJECT_ID, LOG_STREAM_ID, tmp_path, now=NOW)


def test_close_while_other_threads_walk_ends_their_walks_with_a_typed_error() -> None:
    def slow(d: ChangingData) -> None:
        time.sleep(0.01)

    data = ChangingData(spread(5000), between_pages=slow)
    errors: list[BaseException] = []

    with serving(data) as server:
        sdk = client(server.url)

        def walk() -> None:
            try:
                for _ in sdk.token_usage.list(PROJECT_ID, LOG_STREAM_ID, page_size=10):
                    pass
            except BaseException as exc:  # recorded for the assertion below
                errors.append(exc)

        threads = [threading.Thread(target=walk) for _ in range(4)]
        for thread in threads:
            thread.start()
        while data.pages < 8:
            time.sleep(0.01)
        sdk.close()
        for thread in threads:
            thread.join(timeout=10)
    assert len(errors) == 4
    assert all(isinstance(error, ClientStateError) for error in errors), errors


STATES = {
    "garbled": "{not json",
    "no-timezone": '"2026-01-01T00:00:00"',
    "not-midnight": '"2026-01-01T05:00:00+00:00"',
    "not-utc": '"2026-01-01T00:00:00+02:00"',
    "future": '"2099-01-01T00:00:00+00:00"',
    "not-a-string": "17",
}


@pytest.mark.parametrize("name", sorted(STATES))
def test_a_state_file_this_sdk_would_not_write_is_named(tmp_path: Path, name: str) -> None:
    closed = STATES[name]
    ids = f'"project_id": "{PROJECT_ID}", "log_stream_id": "{LOG_STREAM_ID}"'
    text = closed if name == "garbled" else f'{{"version": 1, {ids}, "closed_before": {closed}}}'
    (tmp_path / "_export_state.json").write_text(text)
    with (
        serving(ChangingData(spread(10))) as server,
        client(server.url) as sdk,
        pytest.raises(InvalidRequestError, match=r"_export_state\.json"),
    ):
        export_to_parquet(sdk, PROJECT_ID, LOG_STREAM_ID, tmp_path, now=NOW)


def test_a_state_path_that_is_a_directory_is_named(tmp_path: Path) -> None:
    (tmp_path / "_export_state.json").mkdir()
    with (
        serving(ChangingData(spread(10))) as server,
        client(server.url) as sdk,
        pytest.raises(InvalidRequestError, match=r"_export_state\.json"),
    ):
        export_to_parquet(sdk, PROJECT_ID, LOG_STREAM_ID, tmp_path, now=NOW)


def test_a_second_export_into_the_same_directory_stops_with_a_clear_message(tmp_path: Path) -> None:
    from filelock import FileLock

    first = FileLock(tmp_path / ".export.lock")  # what a running export holds
    leftover = tmp_path / "date=2026-01-01" / ".part-0.parquet.999.tmp"
    leftover.parent.mkdir()
    leftover.write_bytes(b"the running export's file")
    with (
        first,
        serving(ChangingData(spread(10))) as server,
        client(server.url) as sdk,
        pytest.raises(InvalidRequestError, match="another export"),
    ):
        export_to_parquet(sdk, PROJECT_ID, LOG_STREAM_ID, tmp_path, now=NOW, wait=0.2)
    assert leftover.exists()  # the running export's temporary file was left alone
    with serving(ChangingData(spread(10))) as server, client(server.url) as sdk:
        summary = export_to_parquet(sdk, PROJECT_ID, LOG_STREAM_ID, tmp_path, now=NOW)
    assert summary.records == 10
    assert json.loads((tmp_path / "_export_state.json").read_text())["closed_before"] is not None
