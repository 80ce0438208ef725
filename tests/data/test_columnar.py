"""Tables read from page bytes equal the tables built from the models, page for page, hostile values included."""

from __future__ import annotations

import copy
import json
from typing import Any

import httpx
import pyarrow as pa
import pytest

from galileo_insights import GalileoInsights, GalileoInsightsError, ResponseValidationError
from galileo_insights._page_cursors import PageRequest
from galileo_insights.resources.token_usage._data import _columnar
from galileo_insights.resources.token_usage._data._arrow import to_arrow
from galileo_insights.testing import FakeGalileo
from tests.data.records import LOG_STREAM_ID, ODD_RECORDS, PROJECT_ID

ID = "2ce3165f-e8af-4ce8-b918-027dffd83648"
BASE: dict[str, Any] = {
    "id": ID,
    "created_at": "2025-01-29T23:30:00.482913Z",
    "updated_at": "2025-01-29T23:31:00+00:00",
    "project_id": PROJECT_ID,
    "log_stream_id": LOG_STREAM_ID,
    "token_usage": {"input_tokens": 10, "output_tokens": None, "cache_read_input_tokens": 0},
}


def changed(**fields: Any) -> dict[str, Any]:
    record = copy.deepcopy(BASE)
    for name, value in fields.items():
        if value is _ABSENT:
            record.pop(name)
        else:
            record[name] = value
    return record


def usage(**counts: Any) -> dict[str, Any]:
    return changed(token_usage={"input_tokens": 1, **counts})


_ABSENT = object()

# Each one page of records: what the reader may meet, from clean to hostile.
PAGES: dict[str, list[Any]] = {
    "clean": [BASE, changed(id="7b0a3c55-1f7e-4a0e-9b38-3d1c2f8e6a10")],
    "odd but valid (naive, offsets, no usage)": [
        {"project_id": PROJECT_ID, "log_stream_id": LOG_STREAM_ID, **r} for r in ODD_RECORDS
    ],
    "empty": [],
    "uppercase id": [changed(id=ID.upper())],
    "id without dashes": [changed(id=ID.replace("-", ""))],
    "id in braces": [changed(id="{" + ID + "}")],
    "id not a uuid": [changed(id="not-a-uuid")],
    "id with a dash out of place": [changed(id=ID[:8] + ID[9] + "-" + ID[10:])],
    "id with a letter past f": [changed(id="g" + ID[1:])],
    "log stream id with a dash out of place": [
        changed(log_stream_id=LOG_STREAM_ID[:7] + "-" + LOG_STREAM_ID[7] + LOG_STREAM_ID[9:])
    ],
    "id a number": [changed(id=7)],
    "id null": [changed(id=None)],
    "id missing": [changed(id=_ABSENT)],
    "project id uppercase": [changed(project_id=PROJECT_ID.upper())],
    "count 2**63": [usage(output_tokens=2**63)],
    "count -2**63": [usage(output_tokens=-(2**63))],
    "count 1.0": [usage(output_tokens=1.0)],
    "count true": [usage(output_tokens=True)],
    "count string": [usage(output_tokens="5")],
    "count object": [usage(output_tokens={"n": 1})],
    "usage null": [changed(token_usage=None)],
    "usage a list": [changed(token_usage=[1])],
    "usage with extra fields": [usage(extra=1, output_tokens=3)],
    "seven fraction digits": [changed(created_at="2025-01-29T23:30:00.4829131Z")],
    "one fraction digit": [changed(created_at="2025-01-29T23:30:00.5Z")],
    "space separator": [changed(created_at="2025-01-29 23:30:00Z")],
    "offset +05:30": [changed(created_at="2025-01-29T23:30:00+05:30")],
    "compact offset": [changed(created_at="2025-01-29T23:30:00+0530")],
    "month 13": [changed(created_at="2025-13-29T23:30:00Z")],
    "year 0000": [changed(created_at="0000-01-01T00:00:00Z")],
    "year 9999 west of UTC": [changed(created_at="9999-12-31T23:00:00-05:00")],
    "date only": [changed(created_at="2025-01-29")],
    "created_at a number": [changed(created_at=1738193400)],
    "updated_at null": [changed(updated_at=None)],
    "extra record fields": [changed(extra={"deep": [1, 2]})],
    "a record that is null": [BASE, None],
    "a record that is a list": [[1, 2]],
    "unicode in extra field": [changed(note="\u2028\u0000é")],
}


def body_of(records: list[Any], **page: Any) -> bytes:
    return json.dumps(
        {"token_usages": records, "limit": 100, "starting_token": 0, "next_starting_token": None, **page}
    ).encode()


def client_serving(body: bytes) -> GalileoInsights:
    def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=body, headers={"content-type": "application/json"})

    return GalileoInsights(
        api_key="k", base_url="http://galileo.test", transport=httpx.MockTransport(answer), max_retries=0
    )


def both_ways(body: bytes) -> tuple[object, object]:
    """(model path, columnar path): each a table or the exception it raised."""
    results: list[object] = []
    for columnar in (False, True):
        with client_serving(body) as client:
            pager = client.token_usage.list(PROJECT_ID, LOG_STREAM_ID, page_size=100)  # as the pages echo
            try:
                results.append(pager.to_arrow() if columnar else to_arrow(list(pager)))
            except Exception as exc:  # compared below
                results.append(exc)
    return results[0], results[1]


@pytest.mark.parametrize("name", list(PAGES))
def test_the_columnar_table_is_the_model_table_or_the_same_error(name: str) -> None:
    model, columnar = both_ways(body_of(PAGES[name]))
    if isinstance(model, pa.Table):
        assert isinstance(columnar, pa.Table), columnar
        assert columnar.equals(model)
    elif isinstance(model, GalileoInsightsError):
        assert type(columnar) is type(model)
        assert str(columnar) == str(model)
    else:  # the model path let a non-SDK error through (a count outside int64): the columnar path types it
        assert isinstance(columnar, ResponseValidationError), columnar


@pytest.mark.parametrize(
    "page",
    [{"next_starting_token": True}, {"next_starting_token": 1.0}, {"next_starting_token": "5"}, {"token_usages": {}}],
)
def test_page_level_oddities_take_the_model_path(page: dict[str, Any]) -> None:
    model, columnar = both_ways(body_of([BASE], **page))
    assert type(columnar) is type(model)
    assert str(columnar) == str(model)


def test_bodies_that_are_not_one_json_object_raise_as_the_model_path_does() -> None:
    for body in (b"", b"[]", b"{} {}", b'{"token_usages": [', b"null"):
        model, columnar = both_ways(body)
        assert isinstance(model, ResponseValidationError)
        assert type(columnar) is type(model), body


def test_clean_pages_are_read_without_the_models(monkeypatch: pytest.MonkeyPatch) -> None:
    """The fast reader takes the pages servers send: not one model is built for a whole walk."""
    fake = FakeGalileo(records=700, seed=3)
    with GalileoInsights(api_key=fake.api_key, transport=fake.transport()) as client:
        expected = to_arrow(list(client.token_usage.list(fake.project_id, fake.log_stream_id, page_size=100)))
        monkeypatch.setattr(_columnar, "model_batch", _refuse)
        table = client.token_usage.list(fake.project_id, fake.log_stream_id, page_size=100).to_arrow()
    assert table.num_rows == 700
    assert table.equals(expected)


def _refuse(*_: object) -> object:
    raise AssertionError("a clean page went through the models")


def test_batches_and_frames_from_pages_hold_the_same_rows() -> None:
    fake = FakeGalileo(records=250, seed=9)
    with GalileoInsights(api_key=fake.api_key, transport=fake.transport()) as client:
        pager = client.token_usage.list(fake.project_id, fake.log_stream_id, page_size=30)
        table = pager.to_arrow()
        batches = list(pager.iter_batches(rows=64))
        polars_frame = pager.to_polars()
    assert [batch.num_rows for batch in batches] == [64, 64, 64, 58]
    assert pa.Table.from_batches(batches).equals(table)
    assert polars_frame.to_arrow().to_pylist() == table.to_pylist()


def test_max_items_cuts_the_columnar_walk() -> None:
    fake = FakeGalileo(records=90, seed=2)
    with GalileoInsights(api_key=fake.api_key, transport=fake.transport()) as client:
        pager = client.token_usage.list(fake.project_id, fake.log_stream_id, page_size=20, max_items=45)
        assert pager.to_arrow().equals(to_arrow(list(pager)))


@pytest.mark.parametrize("fast", [True, False], ids=["arrow-read", "model-read"])
def test_a_keyset_walks_choice_of_rows_narrows_the_batch_and_the_items_alike(fast: bool) -> None:
    """A keyset walk keeps some rows of a page's tied run and a later span (``kept``): the batch, the items and
    the walk keys of what is left must all be those rows, in that order, including after ``max_items`` trims."""
    records = [changed(id=f"{number:08x}-0000-4000-8000-000000000000", output_tokens=number) for number in range(6)]
    if not fast:  # a UTC instant past year 9999, which Arrow reads and Python cannot: the page takes the model path
        records[0]["created_at"] = "9999-12-31T23:00:00-05:00"
    body = body_of(records)
    response = httpx.Response(200, content=body, request=httpx.Request("POST", "http://galileo.test"))
    page = _columnar.parse_columnar_page(response, body, PageRequest(0, 100))
    assert (page._parsed is None) is fast
    kept = page.kept([3, 1], 4, len(page.items)).trimmed(3)
    expected = [page.items[3], page.items[1], page.items[4]]
    assert [item.id for item in kept.items] == [item.id for item in expected]
    assert kept.batch.column("id").to_pylist() == [str(item.id) for item in expected]
    assert [kept.walk_key_at(index)[1] for index in range(3)] in (
        [str(item.id) for item in expected],
        [item.id for item in expected],
    )
