"""Schemathesis holds the HTTP fake to the pinned spec with every check, authenticated by API key.

The spec puts no bounds on ``limit`` and ``starting_token``; the fake deliberately rejects ``limit < 1`` and
``starting_token < 0`` with a 422, so this run states those bounds in its copy of the spec (and the negative cases
check that the fake rejects them), and documents the 404 the fake gives for an unknown project. Every operation
of the pinned spec is run: token usage, the two lookups by name and the insights settings.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from galileo_insights.testing import FakeGalileo

# The plugin loads with this module only (the suite starts with `-p no:schemathesis`): a second of start-up
# that no other test needs.
pytest_plugins = ["schemathesis.pytest.plugin"]
pytestmark = pytest.mark.slow

SPEC = Path(__file__).resolve().parents[2] / "openapi" / "openapi.json"


def _spec_with_the_fakes_bounds() -> dict[str, Any]:
    spec: dict[str, Any] = json.loads(SPEC.read_text())
    request = spec["components"]["schemas"]["LogstreamInsightTokenUsageRequest"]["properties"]
    request["starting_token"]["minimum"] = 0
    request["limit"]["minimum"] = 1
    # The spec documents no 404; the fake answers one for a project it does not hold, as Galileo does.
    log_streams = spec["paths"]["/v2/projects/{project_id}/log_streams/paginated"]["get"]
    log_streams["responses"]["404"] = {
        "description": "No such project",
        "content": {
            "application/json": {
                "schema": {"type": "object", "properties": {"detail": {"type": "string"}}, "required": ["detail"]}
            }
        },
    }
    # The same for insights settings of a run (log stream) the fake does not hold.
    for method in ("get", "patch"):
        operation = spec["paths"]["/v2/projects/{project_id}/runs/{run_id}/insights-settings"][method]
        operation["responses"]["404"] = log_streams["responses"]["404"]
    return spec


schemathesis.openapi.format("uuid4", st.uuids(version=4).map(str))
schema = schemathesis.openapi.from_dict(_spec_with_the_fakes_bounds())


@pytest.fixture(scope="module")
def served() -> Iterator[tuple[FakeGalileo, str]]:
    fake = FakeGalileo(records=120, seed=9)
    with fake.serve() as url:
        yield fake, url


@schema.parametrize()
# The same cases every run (a fixed seed, no example database), so a failure here is a change, not a draw.
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True, database=None)
def test_the_fake_conforms_to_the_pinned_spec(case: schemathesis.Case[Any], served: tuple[FakeGalileo, str]) -> None:
    fake, url = served
    case.call_and_validate(base_url=url, headers={"Galileo-API-Key": fake.api_key})
