"""``openapi/operations.yaml``: the committed selection, and clear errors for a malformed one."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from spec_pipeline.errors import SpecPipelineError
from spec_pipeline.operations import load_selection, parse_selection

from .specs import TOKEN_USAGE


def test_the_committed_selection_is_token_usage_the_two_lookups_and_the_insights_settings() -> None:
    selection = load_selection()

    assert [(op.key, op.name) for op in selection.operations] == [
        (f"POST {TOKEN_USAGE}", "get_token_usage"),
        ("GET /projects", "list_projects"),
        ("GET /v2/projects/{project_id}/log_streams/paginated", "list_log_streams"),
        ("GET /v2/projects/{project_id}/runs/{run_id}/insights-settings", "get_insights_settings"),
        ("PATCH /v2/projects/{project_id}/runs/{run_id}/insights-settings", "update_insights_settings"),
    ]
    assert selection.operations[1].operation_id == "get_projects_projects_get"
    assert selection.watch.tags == {"logstream-insights"}
    assert selection.watch.path_prefix == "/v2/"


def entry(**overrides: Any) -> dict[str, Any]:
    return {"method": "GET", "path": "/projects", "operation_id": "get_projects", "name": "list_projects", **overrides}


def document(*entries: Any, **watch: Any) -> dict[str, Any]:
    return {"operations": list(entries), "watch": {"tags": ["logstream-insights"], "path_prefix": "/v2/", **watch}}


def test_methods_are_matched_in_lower_case() -> None:
    selection = parse_selection(document(entry(method="GET")), "ops.yaml")

    assert selection.find("get", "/projects") == selection.operations[0]
    assert selection.find("post", "/projects") is None


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ([], "expected a mapping with operations, watch"),
        ({"operations": []}, "missing watch"),
        ({**document(entry()), "extra": 1}, "unknown extra"),
        (document(), "'operations' must be a non-empty list"),
        (document("GET /projects"), r"operations\[0\]: expected a mapping"),
        (document(entry(name=None)), r"operations\[0\]: method, path, operation_id and name must be non-empty"),
        (document(entry(), {"method": "GET", "path": "/x"}), r"operations\[1\]: missing name, operation_id"),
        (document(entry(method="FETCH")), "'FETCH' is not an HTTP method"),
        (document(entry(path="projects")), "must start with '/'"),
        (document(entry(name="list-projects")), "must be a lower-case Python identifier"),
        (document(entry(), entry(method="get", name="other", operation_id="o")), "same method and path .* twice"),
        (document(entry(), entry(path="/p", operation_id="o")), "same name is listed twice: list_projects"),
        (document(entry(), entry(path="/p", name="n")), "same operation_id is listed twice: get_projects"),
        (document(entry(), tags=[]), "watch.tags must be a non-empty list"),
        (document(entry(), path_prefix="v2"), "watch.path_prefix must be a path"),
    ],
)
def test_a_malformed_selection_is_one_clear_error(content: Any, message: str) -> None:
    with pytest.raises(SpecPipelineError, match=f"^ops.yaml: .*{message}"):
        parse_selection(content, "ops.yaml")


def test_an_unreadable_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(SpecPipelineError, match=r"cannot read .*absent\.yaml"):
        load_selection(tmp_path / "absent.yaml")


def test_invalid_yaml_is_named(tmp_path: Path) -> None:
    broken = tmp_path / "ops.yaml"
    broken.write_text("operations: [\n", encoding="utf-8")

    with pytest.raises(SpecPipelineError, match=r"ops\.yaml is neither JSON nor YAML"):
        load_selection(broken)
