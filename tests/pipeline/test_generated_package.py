"""What the committed generated package offers callers: one module per selected operation, fields in upstream order."""

from __future__ import annotations

import importlib
import inspect

import attrs
import pytest

from galileo_insights_api.models import LogStreamInsightTokenUsageDB, LogStreamResponse
from spec_pipeline.operations import load_selection

from .specs import PINNED_SPEC, load

MODULES = {
    "get_token_usage": "galileo_insights_api.api.logstream_insights.get_token_usage",
    "list_projects": "galileo_insights_api.api.projects.list_projects",
    "list_log_streams": "galileo_insights_api.api.log_stream.list_log_streams",
    "get_insights_settings": "galileo_insights_api.api.run_insights_settings.get_insights_settings",
    "update_insights_settings": "galileo_insights_api.api.run_insights_settings.update_insights_settings",
}


def test_every_selected_operation_is_one_module_under_its_first_tag() -> None:
    assert {op.name for op in load_selection().operations} == set(MODULES)
    for name, module_name in MODULES.items():
        module = importlib.import_module(module_name)
        assert {"sync", "sync_detailed", "asyncio", "asyncio_detailed"} <= set(vars(module)), name


@pytest.mark.parametrize("model", [LogStreamInsightTokenUsageDB, LogStreamResponse], ids=lambda m: m.__name__)
def test_constructor_fields_follow_the_upstream_property_order(model: type) -> None:
    upstream = load(PINNED_SPEC)["components"]["schemas"][model.__name__]
    required = [name for name in upstream["properties"] if name in upstream["required"]]

    positional = [name for name in inspect.signature(model).parameters][: len(required)]

    assert positional == required
    assert [field.name for field in attrs.fields(model)][: len(required)] == required


def test_token_usage_rows_take_ids_and_times_as_galileos_sdk_does() -> None:
    assert list(inspect.signature(LogStreamInsightTokenUsageDB).parameters)[:5] == [
        "id",
        "created_at",
        "updated_at",
        "project_id",
        "log_stream_id",
    ]
