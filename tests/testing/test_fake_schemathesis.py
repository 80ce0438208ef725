"""Schemathesis holds the HTTP fake to the pinned spec with every check, authenticated by API key.

The spec puts no bounds on ``limit`` and ``starting_token``; the fake deliberately rejects ``limit < 1`` and
``starting_token < 0`` with a 422, so this run states those bounds in its copy of the spec (and the negative cases
check that the fake rejects them). Only the operations the fake serves are run: the project and log stream
lookups are in the pinned spec, and join this run when the fake serves them.
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

SPEC = Path(__file__).resolve().parents[2] / "openapi" / "openapi.json"
SERVED_BY_THE_FAKE = ["/v2/projects/{project_id}/log_streams/{log_stream_id}/logstream_insights/token_usage"]


def _spec_with_the_fakes_bounds() -> dict[str, Any]:
    spec: dict[str, Any] = json.loads(SPEC.read_text())
    request = spec["components"]["schemas"]["LogstreamInsightTokenUsageRequest"]["properties"]
    request["starting_token"]["minimum"] = 0
    request["limit"]["minimum"] = 1
    return spec


schemathesis.openapi.format("uuid4", st.uuids(version=4).map(str))
schema = schemathesis.openapi.from_dict(_spec_with_the_fakes_bounds()).include(path=SERVED_BY_THE_FAKE)


@pytest.fixture(scope="module")
def served() -> Iterator[tuple[FakeGalileo, str]]:
    fake = FakeGalileo(records=120, seed=9)
    with fake.serve() as url:
        yield fake, url


@schema.parametrize()
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
def test_the_fake_conforms_to_the_pinned_spec(case: schemathesis.Case[Any], served: tuple[FakeGalileo, str]) -> None:
    fake, url = served
    case.call_and_validate(base_url=url, headers={"Galileo-API-Key": fake.api_key})
