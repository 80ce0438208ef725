"""Forward-compatible responses: an enum value a newer server sends is kept and warned about once; requests stay strict.

The committed package is checked where the shipped selection has the shapes (a nullable enum, a list of enums, a
union of twelve enums, an integer enum, an enum shared by a response model and a query parameter); a variant spec
adds what it lacks (one enum in a request-only model and a response model, a union that takes any string).
"""

from __future__ import annotations

import copy
import pickle
import typing
import uuid
import warnings
from pathlib import Path
from typing import Any

import pytest
from openapi_python_client.config import Config, ConfigFile, MetaType
from openapi_python_client.parser import GeneratorData

from galileo_insights_api.api.projects import list_projects
from galileo_insights_api.models import (
    LogstreamInsightTokenUsageCreatedAtFilter,
    LogstreamInsightTokenUsageRequest,
    Permission,
    ProjectDB,
    RunDB,
    UserDB,
)
from galileo_insights_api.types import (
    ModelValidationError,
    UnknownEnumValue,
    UnknownEnumValueWarning,
    UnknownIntEnumValue,
)
from spec_pipeline.generate import CONFIG
from spec_pipeline.jsonfile import load
from spec_pipeline.normalize import normalize_with_report
from spec_pipeline.open_enums import open_response_enums
from spec_pipeline.operations import load_selection

from .generated_package import forget_variant, generate_variant, import_variant, submodule
from .specs import PINNED_SPEC

STAMP = "2026-01-01T00:00:00+00:00"
USER = {"id": str(uuid.UUID(int=7)), "email": "someone@example.com"}


def newer(prefix: str) -> str:
    """A value no spec lists, new to this process: the warning registry is per process, and tests share it."""
    return f"{prefix}_{uuid.uuid4().hex[:8]}"


def project(**fields: Any) -> dict[str, Any]:
    return {
        "id": str(uuid.uuid4()),
        "created_by": USER["id"],
        "created_by_user": USER,
        "runs": [],
        "created_at": STAMP,
        "updated_at": STAMP,
        **fields,
    }


def user_db() -> dict[str, Any]:
    organization = {"organization_id": str(uuid.uuid4()), "organization_name": "org"}
    return {"id": str(uuid.uuid4()), "email": "a@example.com", **organization, "created_at": STAMP, "updated_at": STAMP}


def hints(owner: Any, name: str) -> str:
    return str(typing.get_type_hints(owner, vars(__import__(owner.__module__, fromlist=["_"])))[name])


def test_an_unknown_value_is_kept_typed_and_round_trips() -> None:
    kind, label, action = newer("agent"), newer("pinned"), newer("read_secrets")
    document = project(type=kind, labels=["sample", label], permissions=[{"action": action, "allowed": True}])

    with pytest.warns(UnknownEnumValueWarning):
        parsed = ProjectDB.from_dict(document)

    assert parsed.type_ == kind
    assert isinstance(parsed.type_, UnknownEnumValue)
    assert parsed.type_.enum == "ProjectType"
    assert parsed.labels == ["sample", label]
    assert isinstance(parsed.labels, list)
    assert type(parsed.labels[0]) is str
    assert isinstance(parsed.labels[1], UnknownEnumValue)
    assert parsed.labels[1].enum == "ProjectLabels"
    assert isinstance(parsed.permissions, list)
    assert isinstance(parsed.permissions[0].action, UnknownEnumValue)
    assert "IntegrationAction" in parsed.permissions[0].action.enum.split(" | ")
    assert parsed.to_dict() == document
    assert ProjectDB.from_dict(parsed.to_dict()) == parsed
    assert repr(parsed.type_) == f"UnknownEnumValue({kind!r}, enum='ProjectType')"
    for again in (copy.deepcopy(parsed.type_), pickle.loads(pickle.dumps(parsed.type_))):
        assert (again, type(again), again.enum) == (kind, UnknownEnumValue, "ProjectType")


def test_an_unknown_integer_enum_value_is_kept_as_an_int() -> None:
    run: dict[str, Any] = {
        "name": "r",
        "project_id": None,
        "created_by": USER["id"],
        "num_samples": 0,
        "winner": False,
        "id": str(uuid.uuid4()),
        "created_at": STAMP,
        "updated_at": STAMP,
        "task_type": 90_000 + uuid.uuid4().int % 10_000,
        "last_updated_by": USER["id"],
        "creator": user_db(),
        "logged_splits": [],
        "logged_inference_names": [],
    }
    with pytest.warns(UnknownEnumValueWarning, match=r"RunDB\.task_type: \d+ is not a value of TaskType"):
        parsed = RunDB.from_dict(run)

    assert isinstance(parsed.task_type, UnknownIntEnumValue)
    assert (parsed.task_type, parsed.task_type.enum) == (run["task_type"], "TaskType")
    assert RunDB.from_dict(parsed.to_dict()) == parsed
    with pytest.raises(ModelValidationError, match=r'^task_type: expected TaskType or null, got string "3"$'):
        RunDB.from_dict({**run, "task_type": "3"})


def test_the_warning_comes_once_per_enum_and_value() -> None:
    role, other = newer("auditor"), newer("owner")
    user = {**user_db(), "role": role, "auth_method": role}

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        for _ in range(3):
            UserDB.from_dict(user)
        UserDB.from_dict({**user, "role": other})

    seen = [
        (w.message.enum, w.message.value, w.message.where)
        for w in caught
        if isinstance(w.message, UnknownEnumValueWarning)
    ]
    assert seen == [
        ("AuthMethod", role, "UserDB.auth_method"),
        ("UserRole", role, "UserDB.role"),
        ("UserRole", other, "UserDB.role"),
    ]
    assert "Upgrade the SDK" in str(caught[0].message)


def test_a_value_of_the_wrong_json_type_is_still_an_error_naming_the_enum() -> None:
    with pytest.raises(ModelValidationError, match=r"^role: expected UserRole, got integer 5$"):
        UserDB.from_dict({**user_db(), "role": 5})
    with pytest.raises(ModelValidationError, match=r"^type: expected ProjectType or null, got object \{\}$"):
        ProjectDB.from_dict(project(type={}))
    with pytest.raises(ModelValidationError, match=r"^action: expected AnnotationQueueAction or ApiKeyAction or "):
        Permission.from_dict({"action": ["x"], "allowed": True})


def test_requests_stay_strict() -> None:
    """Request models and parameters are annotated with the known values only (a type checker refuses anything
    else), and a request model's from_dict refuses an unknown value as before."""
    assert "Unknown" not in hints(LogstreamInsightTokenUsageCreatedAtFilter, "operator")
    assert "Unknown" not in str(typing.get_type_hints(list_projects.request_kwargs)["type_"])
    assert "UnknownEnumValue" in hints(ProjectDB, "type_")  # the same enum, read from a response
    body = {"filters": [{"name": "created_at", "operator": "between", "value": STAMP}]}
    with pytest.raises(ModelValidationError, match=r"^filters\[0\]\.operator: Unexpected value 'between'"):
        LogstreamInsightTokenUsageRequest.from_dict(body)


def test_only_the_enums_responses_hold_are_opened(tmp_path: Path, pinned: dict[str, Any]) -> None:
    """One enum in a request-only model and in a response model: open in the response only. A union that takes
    any string gets no unknown member."""
    schemas = pinned["components"]["schemas"]
    schemas["Colour"] = {"type": "string", "enum": ["red", "blue"], "title": "Colour"}
    schemas["LogstreamInsightTokenUsageRequest"]["properties"]["colour"] = {"$ref": "#/components/schemas/Colour"}
    schemas["ProjectDB"]["properties"]["colour"] = {"$ref": "#/components/schemas/Colour"}
    schemas["ProjectDB"]["properties"]["shade"] = {
        "anyOf": [{"$ref": "#/components/schemas/Colour"}, {"type": "string"}]
    }
    package = generate_variant(tmp_path, pinned)
    try:
        import_variant(package, "open_enums_api")
        request_model = submodule("open_enums_api", "models.logstream_insight_token_usage_request")
        response_model = submodule("open_enums_api", "models.project_db").ProjectDB
        value = newer("green")

        with pytest.warns(submodule("open_enums_api", "types").UnknownEnumValueWarning):
            parsed = response_model.from_dict(project(colour=value, shade=value))
        with pytest.raises(
            submodule("open_enums_api", "types").ModelValidationError, match=r"^colour: Unexpected value"
        ):
            request_model.LogstreamInsightTokenUsageRequest.from_dict({"colour": value})

        assert type(parsed.colour).__name__ == "UnknownEnumValue"
        assert type(parsed.shade) is str  # the union's string member takes it, as before
        source = (package / "models" / "project_db.py").read_text()
        assert "colour: Colour | UnknownEnumValue | Unset" in source
        assert "shade: Colour | str | Unset" in source
        assert "Unknown" not in (package / "models" / "logstream_insight_token_usage_request.py").read_text()
    finally:
        forget_variant("open_enums_api")


def test_the_shipped_selection_opens_the_enums_get_projects_returns() -> None:
    """Every enum place of the models responses reach, and nothing a request alone uses (the filters' operator)."""
    normalized, _ = normalize_with_report(load(PINNED_SPEC), load_selection())
    config = Config.from_sources(
        ConfigFile.load_from_path(CONFIG), MetaType.NONE, "x", "utf-8", overwrite=False, output_path=None
    )
    openapi = GeneratorData.from_dict(normalized, config=config)
    assert isinstance(openapi, GeneratorData)

    assert open_response_enums(openapi) == [
        "Permission.action",
        "ProjectDB.labels[]",
        "ProjectDB.type",
        "RunDB.task_type",
        "UserDB.auth_method",
        "UserDB.role",
    ]
