"""An SDK released against this spec, talking to a newer server that added enum values to what the lookups return.

Galileo added a value to an enum ``GET /projects`` returns in 8 of 24 consecutive specs. Name resolution reads that
listing, so a refused value would break every call that names a project. Here the server answers with a project
type, a label, a permission action and a run task type no spec lists (and a field the log-stream listing does not
have yet): names still resolve, the values are kept as ``UnknownEnumValue``, and each is warned about once.
"""

from __future__ import annotations

import re
import uuid
import warnings
from typing import Any

import httpx
import pytest

from galileo_insights import AsyncGalileoInsights, GalileoInsights
from galileo_insights_api.types import UnknownEnumValue, UnknownEnumValueWarning, UnknownIntEnumValue
from tests.wrapper.fake_pages import API_KEY, BASE_URL, LOG_STREAM_ID, PROJECT_ID, PageServer, make_records

STAMP = "2026-01-01T00:00:00+00:00"
OTHER_PROJECT = uuid.UUID("11111111-2222-4333-8444-555555555555")


def user() -> dict[str, Any]:
    organization = {"organization_id": str(uuid.UUID(int=9)), "organization_name": "org"}
    return {"id": str(uuid.UUID(int=7)), "email": "someone@example.com", **organization}


class NewerServer:
    """``GET /projects`` and the paginated log-stream listing as a newer server writes them, then token usage."""

    def __init__(self, pages: PageServer) -> None:
        token = uuid.uuid4().hex[:8]  # new to this process: the warnings are once per process
        self.kind, self.label, self.action = f"agent_{token}", f"pinned_{token}", f"read_secrets_{token}"
        self.task_type = 90_000 + int(token, 16) % 10_000
        self.pages = pages

    def project(self, project_id: uuid.UUID, name: str) -> dict[str, Any]:
        run = {
            "name": "run",
            "created_by": user()["id"],
            "num_samples": 0,
            "winner": False,
            "id": str(uuid.uuid4()),
            "created_at": STAMP,
            "updated_at": STAMP,
            "task_type": self.task_type,
            "last_updated_by": user()["id"],
            "creator": {**user(), "role": "admin", "created_at": STAMP, "updated_at": STAMP},
            "logged_splits": [],
            "logged_inference_names": [],
        }
        return {
            "id": str(project_id),
            "name": name,
            "type": self.kind,
            "labels": ["sample", self.label],
            "permissions": [{"action": self.action, "allowed": True}, {"action": "update", "allowed": True}],
            "created_by": user()["id"],
            "created_by_user": {"id": user()["id"], "email": user()["email"]},
            "runs": [run],
            "created_at": STAMP,
            "updated_at": STAMP,
        }

    def __call__(self, request: httpx.Request) -> httpx.Response:
        if request.url.path == "/projects":
            wanted = request.url.params.get("project_name")
            projects = [self.project(PROJECT_ID, "support-bot"), self.project(OTHER_PROJECT, "other")]
            return httpx.Response(200, json=[p for p in projects if wanted in (None, p["name"])])
        if re.fullmatch(r"/v2/projects/[^/]+/log_streams/paginated", request.url.path):
            stream = {"id": str(LOG_STREAM_ID), "name": "production", "project_id": str(PROJECT_ID)}
            stream |= {"created_at": STAMP, "updated_at": STAMP, "status": "archived"}  # a field the spec lacks
            page = {"log_streams": [stream], "starting_token": 0, "limit": 100, "next_starting_token": None}
            return httpx.Response(200, json=page)
        return self.pages(request)

    def expected_warnings(self) -> list[tuple[str, str]]:
        actions = "AnnotationQueueAction | ApiKeyAction | DatasetAction | FineTunedScorerAction | GeneratedScorerAction"
        actions += " | GroupAction | GroupMemberAction | IntegrationAction | OrganizationAction | ProjectAction"
        actions += " | RegisteredScorerAction | UserAction"
        found = [("ProjectType", self.kind), ("ProjectLabels", self.label), (actions, self.action)]
        return sorted([*found, ("TaskType", str(self.task_type))])


def unknown_enum_warnings(caught: list[warnings.WarningMessage]) -> list[tuple[str, str]]:
    """(enum, value) of each UnknownEnumValueWarning, in order of the enum's name."""
    return sorted(
        (w.message.enum, str(w.message.value)) for w in caught if isinstance(w.message, UnknownEnumValueWarning)
    )


@pytest.fixture(autouse=True)
def no_galileo_defaults(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("GALILEO_PROJECT", "GALILEO_PROJECT_ID", "GALILEO_LOG_STREAM", "GALILEO_LOG_STREAM_ID"):
        monkeypatch.delenv(name, raising=False)


def test_names_resolve_when_the_server_added_enum_values_and_each_is_warned_about_once() -> None:
    server = NewerServer(PageServer(make_records(5)))

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        for _ in range(2):  # a second client looks the names up again: no second warning
            with GalileoInsights(api_key=API_KEY, base_url=BASE_URL, transport=httpx.MockTransport(server)) as client:
                items = list(client.token_usage.list(project="support-bot", log_stream="production"))
                projects = client.projects.list()

    assert len(items) == 5
    assert unknown_enum_warnings(caught) == server.expected_warnings()
    kind, labels, runs = projects[0].type_, projects[0].labels, projects[0].runs
    assert isinstance(kind, UnknownEnumValue)
    assert (kind, kind.enum) == (server.kind, "ProjectType")
    assert labels == ["sample", server.label]
    assert isinstance(runs[0].task_type, UnknownIntEnumValue)
    assert projects[0].to_dict()["type"] == server.kind


@pytest.mark.anyio
async def test_the_async_client_resolves_names_against_a_newer_server_too() -> None:
    server = NewerServer(PageServer(make_records(3)))

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        async with AsyncGalileoInsights(
            api_key=API_KEY, base_url=BASE_URL, transport=httpx.MockTransport(server)
        ) as client:
            items = [item async for item in client.token_usage.list(project="support-bot", log_stream="production")]

    assert len(items) == 3
    assert unknown_enum_warnings(caught) == server.expected_warnings()
