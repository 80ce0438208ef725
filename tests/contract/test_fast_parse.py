"""The speed templates in ``openapi/templates`` must not change what the generated models do with valid input.

They replace stock code paths with faster ones: ``types.parse_datetime`` (``datetime.fromisoformat`` first, inline,
dateutil's ``isoparse`` as the fallback), ``types.parse_uuid`` (a bounded memo, looked up inline, for ids that repeat)
and ``types.uuid_from_string`` (a UUID's slots filled directly; inline for a row's own ``id``), the filter union
dispatched on its ``name`` discriminator, model imports moved to the bottom of each module, ``from_dict`` reading its
input in place and making exact instances without ``__init__``, a flat nested model (``TokenUsage``) built inline, and
a list of models parsed in one call (``_from_dict_list``, which reuses the previous row's UUID for a repeated id).
Each test pins one of those to the behaviour it replaced: the same values and errors as ``isoparse``, ``uuid.UUID``
and ``TokenUsage.from_dict``, the same round trips with unknown keys kept, the same union members, modules that
still import in any order, and the same objects as through ``__init__``.

The spec-exact scalar checks are tested last: a value of the wrong JSON type is a ``ModelValidationError`` whose
message starts with the value's path.
"""

from __future__ import annotations

import ast
import copy
import datetime
import gc
import inspect
import json
import pickle
import pkgutil
import random
import re
import subprocess
import sys
import textwrap
import threading
import types
import uuid
from collections.abc import Callable, Iterator, Mapping
from typing import Any

import attrs
import pytest
from dateutil.parser import isoparse
from hypothesis import example, given, settings
from hypothesis import strategies as st

from galileo_insights_api import models
from galileo_insights_api.models import (
    LogstreamInsightTokenUsageCreatedAtFilter,
    LogStreamInsightTokenUsageDB,
    LogstreamInsightTokenUsageRequest,
    LogstreamInsightTokenUsageResponse,
    LogstreamInsightTokenUsageUpdatedAtFilter,
    TokenUsage,
)
from galileo_insights_api.types import (
    _UUIDS,
    _UUIDS_MAX,
    UNSET,
    ModelValidationError,
    parse_datetime,
    parse_uuid,
    uuid_from_string,
)

# ---- parse_datetime reads what isoparse reads, the same way ----


def same_moment(a: datetime.datetime, b: datetime.datetime) -> bool:
    """Same wall-clock fields and same UTC offset (``==`` alone would equate different offsets of one instant)."""
    return a.replace(tzinfo=None) == b.replace(tzinfo=None) and a.utcoffset() == b.utcoffset()


def isoparse_error(text: str) -> str:
    """The message of the ``ValueError`` ``isoparse`` raises for ``text``; fails the test if it accepts it."""
    try:
        isoparse(text)
    except ValueError as error:
        return str(error)
    pytest.fail(f"isoparse accepted {text!r}")


FORMS = [
    "2025-06-21T11:27:05Z",
    "2025-06-21T11:27:05z",
    "2025-06-21t11:27:05Z",
    "2025-06-21t11:27:05z",
    "2025-06-21T11:27:05+00:00",
    "2025-06-21T11:27:05-00:00",
    "2025-06-21T11:27:05-05:30",
    "2025-06-21T11:27:05+14:00",
    "2025-06-21T11:27:05.123456Z",
    "2025-06-21T11:27:05.123Z",
    "2025-06-21T11:27:05.1Z",
    "2025-06-21T11:27:05.1234567Z",
    "2025-06-21T11:27:05",
    "2025-06-21T11:27:05.5",
    "2025-06-21 11:27:05Z",
    "2025-06-21 11:27:05.004561+00:00",
    "2025-06-21T24:00:00Z",
    "2025-172T11:27:05Z",
    "20250621T112705Z",
    "2025-06-21",
    "2025-06-21T11:27Z",
    "2025-06-21T11:27:05,5Z",
    "2025-06-21T11:27:05+0530",
    "2025-06-21T11:27:05+05",
]


@pytest.mark.parametrize("text", FORMS)
def test_table_of_forms_parses_like_isoparse(text: str) -> None:
    parsed = parse_datetime(text)
    assert same_moment(parsed, isoparse(text))
    assert parsed.tzinfo is None or type(parsed.tzinfo) is datetime.timezone


fraction = st.one_of(st.just(""), st.text("0123456789", min_size=1, max_size=9).map(lambda digits: "." + digits))
sign = st.sampled_from("+-")
offset = st.one_of(
    st.sampled_from(["", "Z", "z", "+00:00", "-00:00"]),
    st.builds(lambda s, h, m: f"{s}{h:02d}:{m:02d}", sign, st.integers(0, 23), st.integers(0, 59)),
    st.builds(lambda s, h, m: f"{s}{h:02d}{m:02d}", sign, st.integers(0, 23), st.integers(0, 59)),
    st.builds(lambda s, h: f"{s}{h:02d}", sign, st.integers(0, 23)),
)


@st.composite
def rfc3339ish(draw: st.DrawFn) -> str:
    """RFC 3339 date-times and their near relatives: ``T``/``t``/space, 0-9 fraction digits, every offset spelling."""
    moment = draw(st.datetimes(min_value=datetime.datetime(1, 1, 2), max_value=datetime.datetime(9999, 12, 30)))
    separator = draw(st.sampled_from(["T", "t", " "]))
    date = f"{moment.year:04d}-{moment.month:02d}-{moment.day:02d}"
    return f"{date}{separator}{moment:%H:%M:%S}{draw(fraction)}{draw(offset)}"


@settings(max_examples=300, deadline=None)
@given(rfc3339ish())
def test_generated_forms_parse_like_isoparse(text: str) -> None:
    assert same_moment(parse_datetime(text), isoparse(text))


@settings(max_examples=300, deadline=None)
@given(
    st.one_of(
        rfc3339ish().map(lambda text: text[: len(text) // 2 + 3]),
        st.text(alphabet="0123456789-:T tzZ.+,W", max_size=32),
    )
)
def test_fast_path_never_disagrees_with_isoparse(text: str) -> None:
    """Whatever ``fromisoformat`` accepts, ``isoparse`` reads the same way or rejects (the lenient forms below)."""
    try:
        fast = datetime.datetime.fromisoformat(text)
        slow = isoparse(text)
    except ValueError:
        return
    assert same_moment(fast, slow)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "2025-06-21T11:27:05+05:30:15",
            datetime.datetime(
                2025, 6, 21, 11, 27, 5, tzinfo=datetime.timezone(datetime.timedelta(hours=5, minutes=30, seconds=15))
            ),
        ),
        ("2025-06-21T11:27:05 +00:00", datetime.datetime(2025, 6, 21, 11, 27, 5, tzinfo=datetime.UTC)),
        ("2025-06-21T11:27:05.Z", datetime.datetime(2025, 6, 21, 11, 27, 5, tzinfo=datetime.UTC)),
    ],
)
def test_lenient_forms_that_isoparse_rejects(text: str, expected: datetime.datetime) -> None:
    """Documented in ``parse_datetime``: seconds in the offset, a space before it, a dot without digits parse."""
    assert isoparse_error(text)
    assert same_moment(parse_datetime(text), expected)


@pytest.mark.parametrize("text", ["2025-02-30T00:00:00Z", "yesterday", "2025-06-21T11:27:60Z", ""])
def test_rejects_with_the_isoparse_error(text: str) -> None:
    with pytest.raises(ValueError, match=f"^{re.escape(isoparse_error(text))}$"):
        parse_datetime(text)


# ---- _uuid_from_string and parse_uuid are uuid.UUID ----

UuidOutcome = tuple[int, uuid.SafeUUID, str, str, int, int, uuid.SafeUUID] | type[ValueError]


def uuid_outcome(parse: Callable[[str], uuid.UUID], text: str) -> UuidOutcome:
    """What a caller can observe of ``parse(text)``: value, safety, text forms, hash, a pickled copy; or the error.

    Only the error's type: its message can differ (``"urn:" + 28 hex digits`` gets ``int()``'s message from
    ``_uuid_from_string`` but ``"badly formed hexadecimal UUID string"`` from ``UUID``).
    """
    try:
        value = parse(text)
    except ValueError as error:
        return type(error)
    restored = pickle.loads(pickle.dumps(value))
    return value.int, value.is_safe, str(value), repr(value), hash(value), restored.int, restored.is_safe


uuid_texts = st.one_of(
    st.uuids().map(str),
    st.uuids().map(lambda u: str(u).upper()),
    st.uuids().map(lambda u: u.hex),
    st.uuids().map(lambda u: "{" + str(u) + "}"),
    st.uuids().map(lambda u: u.urn),
    st.text(alphabet="0123456789abcdefABCDEF-_+ {}:urnid", min_size=28, max_size=44),
    st.text(max_size=40),
)


@settings(max_examples=300, deadline=None)
@given(uuid_texts)
@example("+" + "f" * 31)
@example(" " + "a" * 31)
@example("0x" + "a" * 30)
@example("a" * 16 + "_" + "a" * 15)
@example("urn:" + "a" * 28)
@example("{" + "a" * 30 + "}")
def test_uuid_parsers_are_uuid(text: str) -> None:
    expected = uuid_outcome(uuid.UUID, text)
    assert uuid_outcome(uuid_from_string, text) == expected
    assert uuid_outcome(parse_uuid, text) == expected


def test_parse_uuid_shares_repeated_ids() -> None:
    text = str(uuid.uuid4())
    assert parse_uuid(text) is parse_uuid(text)
    assert parse_uuid(text) == uuid.UUID(text)


def test_parse_uuid_memo_is_bounded() -> None:
    texts = [str(uuid.UUID(int=number)) for number in range(2 * _UUIDS_MAX + 1)]
    for text in texts:
        assert parse_uuid(text) == uuid.UUID(text)
        assert len(_UUIDS) <= _UUIDS_MAX


# ---- models ----


def page_document(items: int, seed: int) -> dict[str, Any]:
    """A token-usage page as the server sends it: a new id per row, project and log-stream ids shared by every row,
    microsecond times ending in ``Z`` or ``+00:00``, some token counts ``null``."""
    rng = random.Random(seed)
    project_id, log_stream_id = (str(uuid.UUID(int=rng.getrandbits(128), version=4)) for _ in range(2))
    rows = []
    for index in range(items):
        created = datetime.datetime(2025, 6, 21, 11, 27, 5) - datetime.timedelta(
            seconds=rng.randrange(1, 10**6), microseconds=rng.randrange(10**6)
        )
        updated = created + datetime.timedelta(seconds=rng.choice((0, 14)), microseconds=rng.randrange(10**6))
        suffix = "Z" if index % 3 else "+00:00"
        rows.append(
            {
                "id": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
                "created_at": created.isoformat(timespec="microseconds") + suffix,
                "updated_at": updated.isoformat(timespec="microseconds") + suffix,
                "project_id": project_id,
                "log_stream_id": log_stream_id,
                "token_usage": {
                    "input_tokens": rng.randrange(50, 4000),
                    "output_tokens": rng.randrange(10, 800),
                    "cache_creation_input_tokens": None if index % 4 == 0 else rng.choice((0, 256)),
                    "cache_read_input_tokens": None if index % 5 == 0 else rng.choice((0, 1024)),
                },
            }
        )
    return {"token_usages": rows, "limit": 100, "starting_token": 0, "next_starting_token": items, "paginated": True}


@pytest.mark.parametrize("items", [0, 1, 100])
def test_response_round_trips(items: int) -> None:
    document = page_document(items, seed=7)
    parsed = LogstreamInsightTokenUsageResponse.from_dict(copy.deepcopy(document))
    assert LogstreamInsightTokenUsageResponse.from_dict(parsed.to_dict()) == parsed
    assert isinstance(parsed.token_usages, list)
    assert len(parsed.token_usages) == items
    for source, row in zip(document["token_usages"], parsed.token_usages, strict=True):
        assert isinstance(row.id, uuid.UUID)
        assert str(row.id) == source["id"]
        assert str(row.project_id) == source["project_id"]
        assert str(row.log_stream_id) == source["log_stream_id"]
        assert row.created_at == datetime.datetime.fromisoformat(source["created_at"])
        assert row.updated_at == datetime.datetime.fromisoformat(source["updated_at"])
        assert type(row.created_at.tzinfo) is datetime.timezone
        assert isinstance(row.token_usage, TokenUsage)
        assert row.token_usage.cache_creation_input_tokens == source["token_usage"]["cache_creation_input_tokens"]
        assert row.token_usage.cache_read_input_tokens == source["token_usage"]["cache_read_input_tokens"]


def test_round_trip_keeps_unknown_keys_at_every_level() -> None:
    document = page_document(3, seed=11)
    document["surprise"] = {"kept": True}
    document["token_usages"][0]["extra"] = [1, 2]
    document["token_usages"][0]["token_usage"]["future_tokens"] = 3
    del document["token_usages"][-1]["token_usage"]

    parsed = LogstreamInsightTokenUsageResponse.from_dict(copy.deepcopy(document))
    assert LogstreamInsightTokenUsageResponse.from_dict(parsed.to_dict()) == parsed
    assert parsed["surprise"] == {"kept": True}
    assert isinstance(parsed.token_usages, list)
    first, last = parsed.token_usages[0], parsed.token_usages[-1]
    assert first["extra"] == [1, 2]
    assert isinstance(first.token_usage, TokenUsage)
    assert first.token_usage.additional_properties == {"future_tokens": 3}
    assert last.token_usage is UNSET

    written = parsed.to_dict()
    assert written["surprise"] == {"kept": True}
    assert written["token_usages"][0]["extra"] == [1, 2]
    assert written["token_usages"][0]["token_usage"]["future_tokens"] == 3
    assert "token_usage" not in written["token_usages"][-1]


def request_document(*filters: dict[str, object]) -> dict[str, object]:
    return {
        "filters": list(filters),
        "limit": 50,
        "sort": {"name": "created_at", "ascending": True},
        "starting_token": 0,
    }


def test_filters_dispatch_on_name() -> None:
    document = request_document(
        {"name": "created_at", "operator": "gte", "value": "2025-01-01T00:00:00Z"},
        {"name": "updated_at", "operator": "lt", "value": "2025-02-01T00:00:00+01:00", "x": 1},
        {"name": "created_at", "operator": "lt", "value": "2025-03-01t00:00:00z"},
    )
    parsed = LogstreamInsightTokenUsageRequest.from_dict(document)
    assert isinstance(parsed.filters, list)
    assert [type(item) for item in parsed.filters] == [
        LogstreamInsightTokenUsageCreatedAtFilter,
        LogstreamInsightTokenUsageUpdatedAtFilter,
        LogstreamInsightTokenUsageCreatedAtFilter,
    ]
    assert parsed.filters[1]["x"] == 1
    assert parsed.filters[2].value == datetime.datetime(2025, 3, 1, tzinfo=datetime.UTC)
    assert LogstreamInsightTokenUsageRequest.from_dict(parsed.to_dict()) == parsed


def test_unknown_filter_name_raises() -> None:
    document = request_document({"name": "deleted_at", "operator": "gte", "value": "2025-01-01T00:00:00Z"})
    with pytest.raises(ValueError, match="deleted_at"):
        LogstreamInsightTokenUsageRequest.from_dict(document)


def test_filter_without_name_still_parses_as_before() -> None:
    """No discriminator: the stock trial order applies (the first member that parses), as before the change."""
    parsed = LogstreamInsightTokenUsageRequest.from_dict(
        request_document({"operator": "gte", "value": "2025-01-01T00:00:00Z"})
    )
    assert isinstance(parsed.filters, list)
    assert type(parsed.filters[0]) is LogstreamInsightTokenUsageCreatedAtFilter


ATTRS_MODELS = [model for model in (getattr(models, name) for name in models.__all__) if attrs.has(model)]


def constructor_call_arguments(model: type[Any]) -> list[str]:
    """The names passed positionally to ``cls(...)`` in ``model.from_dict``."""
    tree = ast.parse(textwrap.dedent(inspect.getsource(model.from_dict)))
    calls = [
        node
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "cls"
    ]
    assert len(calls) == 1
    assert not calls[0].keywords
    return [argument.id if isinstance(argument, ast.Name) else ast.dump(argument) for argument in calls[0].args]


@pytest.mark.parametrize("model", ATTRS_MODELS, ids=lambda model: model.__name__)
def test_positional_constructor_calls_match_init_order(model: type[Any]) -> None:
    """``from_dict`` passes each field's local of the same name, in ``__init__`` order (the attrs field order)."""
    init_order = [name for name in inspect.signature(model.__init__).parameters if name != "self"]
    assert init_order == [field.name for field in attrs.fields(model) if field.init]
    assert constructor_call_arguments(model) == init_order


MODEL_MODULES = sorted(module.name for module in pkgutil.iter_modules(models.__path__))

# Importing ``galileo_insights_api.models.X`` always runs the package ``__init__`` first, which imports the modules
# in its own order. To import X genuinely first, each round empties the models entries from ``sys.modules`` and puts
# back a bare package (no ``__init__`` run) before importing X. The ordinary ``import`` runs first, in a fresh
# interpreter.
IMPORT_EACH_FIRST = """
import importlib, importlib.machinery, json, sys, traceback, types
import galileo_insights_api.models
path = list(galileo_insights_api.models.__path__)
results = {}
for name in json.loads(sys.argv[1]):
    for key in [key for key in sys.modules if key.startswith("galileo_insights_api.models")]:
        del sys.modules[key]
    bare = types.ModuleType("galileo_insights_api.models")
    bare.__path__ = path
    bare.__spec__ = importlib.machinery.ModuleSpec(bare.__name__, None, is_package=True)
    bare.__spec__.submodule_search_locations = path
    sys.modules[bare.__name__] = bare
    try:
        importlib.import_module(f"galileo_insights_api.models.{name}")
        results[name] = ""
    except Exception:
        results[name] = traceback.format_exc()
print(json.dumps(results))
"""


@pytest.fixture(scope="module")
def import_failures() -> dict[str, str]:
    """Each model module's traceback when imported before any other (empty if it imported), from one subprocess."""
    completed = subprocess.run(
        [sys.executable, "-c", IMPORT_EACH_FIRST, json.dumps(MODEL_MODULES)],
        check=True,
        capture_output=True,
        text=True,
    )
    failures: dict[str, str] = json.loads(completed.stdout)
    return failures


@pytest.mark.parametrize("module", MODEL_MODULES)
def test_each_model_module_imports_first(module: str, import_failures: dict[str, str]) -> None:
    """Model imports moved to the bottom of each module: importing any module first must still work."""
    assert import_failures[module] == ""


# ---- from_dict reads in place, keeps unknown keys apart, and makes exact instances without __init__ ----

ROW_KEYS = ("created_at", "id", "log_stream_id", "project_id", "updated_at", "token_usage")
USAGE_KEYS = ("cache_creation_input_tokens", "cache_read_input_tokens", "input_tokens", "output_tokens")


@settings(max_examples=200, deadline=None)
@given(
    present=st.sets(st.sampled_from(USAGE_KEYS)),
    unknown=st.dictionaries(st.text(max_size=8).filter(lambda key: key not in USAGE_KEYS), st.integers(), max_size=3),
)
def test_unknown_keys_found_whatever_the_key_count(present: set[str], unknown: dict[str, int]) -> None:
    """The key count decides whether to look for unknown keys; a missing property and an unknown key of the same
    count must still leave exactly the unknown keys in additional_properties, and the input untouched."""
    document: dict[str, object] = {key: 7 for key in sorted(present)}
    document.update(unknown)
    before = copy.deepcopy(document)
    parsed = TokenUsage.from_dict(document)
    assert document == before
    assert parsed.additional_properties == unknown
    assert parsed.additional_properties is not document
    for key in USAGE_KEYS:
        assert getattr(parsed, key) == (7 if key in present else UNSET)
    parsed["added after parsing"] = 1  # longer than any generated key, so never one of ``unknown``
    assert "added after parsing" not in document


def test_rows_without_unknown_keys_leave_nothing_for_the_collector() -> None:
    """A row's additional_properties is an empty dict, which CPython does not track (stock kept the row's copy)."""
    parsed = LogstreamInsightTokenUsageResponse.from_dict(page_document(3, seed=5))
    assert isinstance(parsed.token_usages, list)
    for row in parsed.token_usages:
        assert row.additional_properties == {}
        assert not gc.is_tracked(row.additional_properties)
        assert isinstance(row.token_usage, TokenUsage)
        assert not gc.is_tracked(row.token_usage.additional_properties)


def test_unset_additional_properties_are_made_once_per_row_on_first_access() -> None:
    """from_dict leaves them unset when there are none (no dict per row); reading them gives each row its own."""
    parsed = LogstreamInsightTokenUsageResponse.from_dict(page_document(2, seed=6))
    assert isinstance(parsed.token_usages, list)
    first, second = parsed.token_usages
    assert isinstance(first.token_usage, TokenUsage)
    assert isinstance(second.token_usage, TokenUsage)
    first["extra"] = 1
    first.token_usage.additional_properties["more"] = 2
    assert first.additional_properties == {"extra": 1}
    assert second.additional_properties == {}
    assert first.token_usage.additional_properties == {"more": 2}
    assert second.token_usage.additional_properties == {}
    assert first.to_dict()["extra"] == 1
    assert "extra" not in second.to_dict()


def test_threads_racing_for_unset_additional_properties_get_one_dict() -> None:
    rows = LogstreamInsightTokenUsageResponse.from_dict(page_document(200, seed=7)).token_usages
    assert isinstance(rows, list)
    start = threading.Barrier(8)
    seen: list[list[int]] = []

    def read() -> None:
        start.wait()
        seen.append([id(row.additional_properties) for row in rows])

    threads = [threading.Thread(target=read) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert all(ids == seen[0] for ids in seen)
    assert len(set(seen[0])) == len(rows)


def test_an_unknown_attribute_is_the_error_stock_raises() -> None:
    @attrs.define
    class Plain:  # what a stock model is: a slotted attrs class, no __getattr__
        id: int

    row = LogstreamInsightTokenUsageResponse.from_dict(page_document(1, seed=8)).token_usages
    assert isinstance(row, list)
    with pytest.raises(AttributeError) as ours:
        _ = row[0].no_such_field  # type: ignore[attr-defined]  # the type checker must refuse it too
    with pytest.raises(AttributeError) as stock:
        _ = Plain(1).no_such_field  # type: ignore[attr-defined]
    assert str(ours.value) == str(stock.value).replace("Plain", type(row[0]).__name__)
    assert (ours.value.name, ours.value.obj) == ("no_such_field", row[0])


def test_any_mapping_parses_like_a_dict() -> None:
    document = page_document(2, seed=3)
    as_proxies = dict(document)
    as_proxies["token_usages"] = [types.MappingProxyType(row) for row in document["token_usages"]]
    assert LogstreamInsightTokenUsageResponse.from_dict(types.MappingProxyType(as_proxies)) == (
        LogstreamInsightTokenUsageResponse.from_dict(document)
    )


@pytest.mark.parametrize("model", ATTRS_MODELS, ids=lambda model: model.__name__)
def test_init_does_nothing_from_dict_skips(model: type[Any]) -> None:
    """from_dict stores the slots of an exact instance itself; that is all attrs' __init__ would do when no field
    has a validator, converter or on_setattr hook, the class has no post-init and setattr is object's."""
    assert all(field.validator is None and field.converter is None for field in attrs.fields(model))
    assert all(field.on_setattr in (None, attrs.setters.NO_OP) for field in attrs.fields(model))
    assert not hasattr(model, "__attrs_post_init__")
    assert not hasattr(model, "__attrs_pre_init__")
    assert model.__setattr__ is object.__setattr__  # type: ignore[comparison-overlap]  # the test is that they are
    assert [field.name for field in attrs.fields(model) if not field.init] == ["additional_properties"]


DOCUMENTS: list[tuple[type[Any], dict[str, Any]]] = [
    (LogstreamInsightTokenUsageResponse, page_document(4, seed=9) | {"extra": [1]}),
    (
        LogstreamInsightTokenUsageRequest,
        request_document({"name": "created_at", "operator": "gte", "value": "2025-01-01T00:00:00Z"}),
    ),
    (models.HTTPValidationError, {"detail": [{"loc": ["body", 0], "msg": "bad", "type": "value_error", "x": 1}]}),
]


@pytest.mark.parametrize(("model", "document"), DOCUMENTS, ids=lambda value: getattr(value, "__name__", ""))
def test_exact_class_and_subclass_parse_alike(model: type[Any], document: dict[str, Any]) -> None:
    """A subclass goes through its __init__ (stock's path); the exact class does not. Both give the same object."""
    subclass: Any = attrs.define(type(f"Sub{model.__name__}", (model,), {}))
    fast, stock = model.from_dict(document), subclass.from_dict(document)
    assert type(fast) is model
    assert type(stock) is subclass
    assert attrs.asdict(fast, recurse=True) == attrs.asdict(stock, recurse=True)
    assert repr(fast) == repr(stock).replace(f"Sub{model.__name__}(", f"{model.__name__}(", 1)
    assert fast.to_dict() == stock.to_dict()


def test_row_ids_are_not_remembered_but_references_are() -> None:
    """An object's own id never repeats: it is not memoized (so it cannot age into the oldest GC generation);
    project and log-stream ids, the same on every row, are shared."""
    _UUIDS.clear()
    parsed = LogstreamInsightTokenUsageResponse.from_dict(page_document(50, seed=13))
    assert isinstance(parsed.token_usages, list)
    assert len(_UUIDS) == 2
    first, second = parsed.token_usages[0], parsed.token_usages[1]
    assert first.project_id is second.project_id
    assert first.log_stream_id is second.log_stream_id
    assert str(first.id) not in _UUIDS


# ---- a list of models is parsed by its item class's _from_dict_list: the same as from_dict item by item ----


def reference_variants(text: str) -> list[object]:
    """Values a row's ``project_id`` can take around the page's own: the same text, other spellings of the same
    UUID, another UUID, a str subclass equal to it, and values that are not UUID strings."""

    class Text(str):
        __slots__ = ()

    parsed = uuid.UUID(text)
    return [
        text,
        text.upper(),
        "{" + text + "}",
        parsed.urn,
        parsed.hex,
        str(uuid.UUID(int=parsed.int ^ 1)),
        Text(text),
        "not-a-uuid",
        7,
        None,
        [text],
    ]


@st.composite
def row_lists(draw: st.DrawFn) -> list[object]:
    """Up to 6 rows: mostly valid, each possibly with another project or log-stream id (often the previous row's),
    a key missing or unknown, or not an object at all."""
    rows: list[object] = []
    for row in page_document(draw(st.integers(0, 6)), seed=draw(st.integers(0, 3)))["token_usages"]:
        for field in ("project_id", "log_stream_id"):
            if draw(st.booleans()):
                row[field] = draw(st.sampled_from(reference_variants(row[field])))
        change = draw(st.sampled_from(["none", "none", "missing", "unknown", "proxy", "not an object"]))
        if change == "missing":
            del row[draw(st.sampled_from(ROW_KEYS))]
        elif change == "unknown":
            row["surprise"] = [1]
        rows.append(types.MappingProxyType(row) if change == "proxy" else "row" if change == "not an object" else row)
    return rows


def itemwise(rows: list[object]) -> tuple[str, Any]:
    """What ``[from_dict(row) for row in rows]`` gives, with a row's error at that row's index, as the list's loop
    gave it before ``_from_dict_list``; values as their reprs and ``to_dict``, errors as (path, problem)."""
    parsed = []
    for index, row in enumerate(rows):
        try:
            parsed.append(LogStreamInsightTokenUsageDB.from_dict(row))  # type: ignore[arg-type]  # any JSON value
        except ModelValidationError as error:
            return ("error", (f"[{index}]" + (f".{error.path}" if error.path else ""), error.problem))
    return ("value", ([repr(row) for row in parsed], [row.to_dict() for row in parsed]))


def listed(rows: list[object]) -> tuple[str, Any]:
    try:
        parsed = LogStreamInsightTokenUsageDB._from_dict_list(rows)
    except ModelValidationError as error:
        return ("error", (error.path, error.problem))
    assert all(type(row) is LogStreamInsightTokenUsageDB for row in parsed)
    return ("value", ([repr(row) for row in parsed], [row.to_dict() for row in parsed]))


def in_a_page(rows: list[object]) -> tuple[str, Any]:
    """``listed`` through the page's from_dict, paths without their leading ``token_usages``."""
    try:
        page = LogstreamInsightTokenUsageResponse.from_dict({"token_usages": rows})
    except ModelValidationError as error:
        return ("error", (error.path.removeprefix("token_usages"), error.problem))
    assert isinstance(page.token_usages, list)
    return ("value", ([repr(row) for row in page.token_usages], [row.to_dict() for row in page.token_usages]))


@settings(max_examples=400, deadline=None)
@given(row_lists())
def test_from_dict_list_is_from_dict_item_by_item(rows: list[object]) -> None:
    """Same values, reprs and to_dict, or the same error with the row's index in its path; in a page too."""
    expected = itemwise(rows)
    assert listed(rows) == expected
    assert in_a_page(rows) == expected


def test_rows_of_a_list_share_the_ids_they_repeat() -> None:
    """An id equal to the previous row's is the previous row's UUID; a different one is parsed, and rows of other
    lists with the same id still share it through the memo."""
    document = page_document(4, seed=17)
    rows = document["token_usages"]
    other = str(uuid.uuid4())
    rows[2]["project_id"] = other
    first_page = LogStreamInsightTokenUsageDB._from_dict_list(rows)
    second_page = LogStreamInsightTokenUsageDB._from_dict_list(page_document(2, seed=17)["token_usages"])
    assert first_page[0].project_id is first_page[1].project_id is first_page[3].project_id
    assert first_page[2].project_id == uuid.UUID(other)
    assert second_page[0].project_id is first_page[0].project_id


# ---- spec-exact scalars: a value of the wrong JSON type is a ModelValidationError naming its path ----

WRONG_FOR_INTEGER = ["5000", 1.5, [1], {"a": 1}, True, False]


def page_with(row: int, path: tuple[str, ...], value: object) -> dict[str, Any]:
    document = page_document(5, seed=21)
    target = document["token_usages"][row]
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    return document


@pytest.mark.parametrize("value", WRONG_FOR_INTEGER, ids=repr)
@pytest.mark.parametrize("field", USAGE_KEYS)
def test_token_count_of_the_wrong_type_names_its_path(field: str, value: object) -> None:
    with pytest.raises(ModelValidationError) as caught:
        LogstreamInsightTokenUsageResponse.from_dict(page_with(3, ("token_usage", field), value))
    assert caught.value.path == f"token_usages[3].token_usage.{field}"
    assert str(caught.value).startswith(f"token_usages[3].token_usage.{field}: expected integer or null, got ")
    assert isinstance(caught.value, ValueError)


@pytest.mark.parametrize("value", [0, 2**70, None, -1])
def test_token_counts_the_spec_allows(value: int | None) -> None:
    parsed = LogstreamInsightTokenUsageResponse.from_dict(page_with(2, ("token_usage", "input_tokens"), value))
    assert isinstance(parsed.token_usages, list)
    usage = parsed.token_usages[2].token_usage
    assert isinstance(usage, TokenUsage)
    assert usage.input_tokens == value


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("limit", True, "limit: expected integer, got boolean true"),
        ("limit", "100", 'limit: expected integer, got string "100"'),
        ("limit", None, "limit: expected integer, got null"),
        ("paginated", 1, "paginated: expected boolean, got integer 1"),
        ("paginated", "true", 'paginated: expected boolean, got string "true"'),
        ("starting_token", 0.0, "starting_token: expected integer, got number 0.0"),
        ("next_starting_token", [], "next_starting_token: expected integer or null, got array []"),
        ("token_usages", {}, "token_usages: expected array, got object {}"),
        ("token_usages", "rows", 'token_usages: expected array, got string "rows"'),
        ("token_usages", None, "token_usages: expected array, got null"),
    ],
)
def test_page_scalars_of_the_wrong_type(key: str, value: object, message: str) -> None:
    document = page_document(1, seed=2) | {key: value}
    with pytest.raises(ModelValidationError, match=f"^{re.escape(message)}$"):
        LogstreamInsightTokenUsageResponse.from_dict(document)


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("id", 42, "token_usages[1].id: expected string, got integer 42"),
        ("id", "not-a-uuid", "token_usages[1].id: not a UUID: badly formed hexadecimal UUID string"),
        ("project_id", ["x"], 'token_usages[1].project_id: expected string, got array ["x"]'),
        ("created_at", 1750000000, "token_usages[1].created_at: expected string, got integer 1750000000"),
        ("updated_at", "yesterday", "token_usages[1].updated_at: not a date-time: "),
        ("token_usage", [], "token_usages[1].token_usage: expected object, got array []"),
    ],
)
def test_row_values_of_the_wrong_type(field: str, value: object, message: str) -> None:
    with pytest.raises(ModelValidationError, match=f"^{re.escape(message)}"):
        LogstreamInsightTokenUsageResponse.from_dict(page_with(1, (field,), value))


def test_a_row_that_is_not_an_object() -> None:
    document = page_document(3, seed=4)
    document["token_usages"][2] = "row"
    with pytest.raises(ModelValidationError, match=r'^token_usages\[2\]: expected object, got string "row"$'):
        LogstreamInsightTokenUsageResponse.from_dict(document)


def test_validation_error_locations_are_strings_or_integers() -> None:
    document = {
        "detail": [{"loc": ["body", 0], "msg": "m", "type": "t"}, {"loc": ["body", 1.5], "msg": "", "type": ""}]
    }
    message = r"^detail\[1\]\.loc\[1\]: expected string or integer, got number 1.5$"
    with pytest.raises(ModelValidationError, match=message):
        models.HTTPValidationError.from_dict(document)


def test_model_validation_error_survives_pickling() -> None:
    with pytest.raises(ModelValidationError) as caught:
        LogstreamInsightTokenUsageResponse.from_dict(page_with(3, ("token_usage", "input_tokens"), "5000"))
    restored = pickle.loads(pickle.dumps(caught.value))
    assert str(restored) == str(caught.value)
    assert restored.path == "token_usages[3].token_usage.input_tokens"


# ---- tricks inlined into the row's from_dict hold to the functions they stand for ----

usage_values = st.one_of(st.none(), st.integers(), st.booleans(), st.floats(allow_nan=False), st.text(max_size=3))


@settings(max_examples=300, deadline=None)
@given(
    st.dictionaries(st.sampled_from([*USAGE_KEYS, "extra"]), usage_values, max_size=5)
    | st.one_of(st.none(), st.lists(st.integers(), max_size=2), st.text(max_size=3))
)
def test_inlined_token_usage_is_token_usage_from_dict(value: object) -> None:
    """The row builds a flat TokenUsage inline when every key is present with an allowed type and nothing else is;
    whatever it builds or raises must be what TokenUsage.from_dict builds or raises."""
    row = page_document(1, seed=8)["token_usages"][0] | {"token_usage": value}

    def outcome(parse: Callable[[], Any]) -> tuple[str, Any]:
        try:
            return ("value", parse())
        except ModelValidationError as error:
            return ("error", (error.path, error.problem))

    inline = outcome(lambda: LogStreamInsightTokenUsageDB.from_dict(row).token_usage)
    direct = outcome(lambda: TokenUsage.from_dict(value))  # type: ignore[arg-type]  # any JSON value on purpose
    if direct[0] == "error":
        path, problem = direct[1]
        assert inline == ("error", ("token_usage" + (f".{path}" if path else ""), problem))
    else:
        assert inline == direct
        assert type(inline[1]) is TokenUsage
        assert inline[1].additional_properties == direct[1].additional_properties


@settings(max_examples=300, deadline=None)
@given(uuid_texts)
@example("+" + "f" * 31)
@example("0x" + "a" * 30)
@example("urn:" + "a" * 28)
def test_inlined_row_id_is_uuid(text: str) -> None:
    """The row's own id is parsed inline (types.uuid_from_string's steps); the result or error matches UUID(text)."""
    row = page_document(1, seed=6)["token_usages"][0] | {"id": text}

    def parse(text: str) -> uuid.UUID:
        try:
            return LogStreamInsightTokenUsageDB.from_dict(row).id
        except ModelValidationError as error:
            raise ValueError(error.path) from None

    assert uuid_outcome(parse, text) == uuid_outcome(uuid.UUID, text)


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("id", 10**5000, "id: expected string, got integer <16610 bits>"),
        ("id", list(range(10**6)), "id: expected string, got array [0, 1, 2, 3, ...]"),
        ("id", {"a": {"b": {"c": 1}}}, 'id: expected string, got object {"a": {"b": {...}}}'),
        ("token_usage.input_tokens", "x" * 10**6, 'token_usage.input_tokens: expected integer or null, got string "'),
    ],
    ids=["huge integer", "long array", "nested object", "long string"],
)
def test_error_messages_stay_short_whatever_the_value(field: str, value: object, message: str) -> None:
    with pytest.raises(ModelValidationError) as caught:
        LogstreamInsightTokenUsageResponse.from_dict(page_with(0, tuple(field.split(".")), value))
    assert str(caught.value).startswith(f"token_usages[0].{message}")
    assert len(str(caught.value)) < 120


def test_deeply_nested_wrong_value_is_still_a_model_validation_error() -> None:
    nested: list[object] = []
    for _ in range(100_000):
        nested = [nested]
    with pytest.raises(
        ModelValidationError, match=r"^token_usages\[0\]\.id: expected string, got array \[\[\[\.\.\.\]\]\]$"
    ):
        LogstreamInsightTokenUsageResponse.from_dict(page_with(0, ("id",), nested))


def test_dateutil_is_imported_only_for_the_forms_that_need_it() -> None:
    """Import time: parsing what servers send never loads dateutil; a form only isoparse reads does, and parses."""
    code = (
        "import sys, galileo_insights, galileo_insights_api.types as t\n"
        "t.parse_datetime('2025-06-21T11:27:05Z'); print('dateutil' in sys.modules)\n"
        "print(t.parse_datetime('2025-06-21t11:27:05z').isoformat(), 'dateutil' in sys.modules)\n"
    )
    completed = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True)
    assert completed.stdout.split("\n")[:2] == ["False", "2025-06-21T11:27:05+00:00 True"]


def _rows(count: int) -> list[dict[str, Any]]:
    stamp = "2025-06-21T11:27:05.123456Z"
    return [
        {
            "id": str(uuid.UUID(int=index + 1, version=4)),
            "created_at": stamp,
            "updated_at": stamp,
            "project_id": "6f1c1a2e-7d3b-4c5e-9a8f-0b1c2d3e4f50",
            "log_stream_id": "3d2b8c4a-5e6f-4a7b-8c9d-e0f1a2b3c4d5",
            "token_usage": {"input_tokens": index, "output_tokens": None},
        }
        for index in range(count)
    ]


class _SeesTheCollector(Mapping[str, Any]):
    """A row that notes, when read, whether the garbage collector is running."""

    def __init__(self, row: dict[str, Any], seen: list[bool]) -> None:
        self._row = row
        self._seen = seen

    def __getitem__(self, key: str) -> Any:
        self._seen.append(gc.isenabled())
        return self._row[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._row)

    def __len__(self) -> int:
        return len(self._row)


def test_a_list_of_models_is_read_with_the_collector_paused() -> None:
    from galileo_insights_api.models.log_stream_insight_token_usage_db import LogStreamInsightTokenUsageDB

    seen: list[bool] = []
    parsed = LogStreamInsightTokenUsageDB._from_dict_list([_SeesTheCollector(row, seen) for row in _rows(3)])
    assert [str(item.id) for item in parsed] == [row["id"] for row in _rows(3)]
    assert seen
    assert not any(seen)
    assert gc.isenabled()


@pytest.mark.parametrize("collecting", [True, False])
def test_the_collector_is_left_as_the_caller_had_it_even_after_an_error(collecting: bool) -> None:
    from galileo_insights_api.models.log_stream_insight_token_usage_db import LogStreamInsightTokenUsageDB
    from galileo_insights_api.types import ModelValidationError

    was = gc.isenabled()
    (gc.enable if collecting else gc.disable)()
    try:
        LogStreamInsightTokenUsageDB._from_dict_list(_rows(3))
        assert gc.isenabled() is collecting
        with pytest.raises(ModelValidationError):
            LogStreamInsightTokenUsageDB._from_dict_list([*_rows(2), {"id": 5}])
        assert gc.isenabled() is collecting
    finally:
        (gc.enable if was else gc.disable)()
