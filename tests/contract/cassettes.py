"""The stored HTTP exchanges in ``tests/fixtures/cassettes``, read through vcrpy's own cassette loader."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from typing import Any
from urllib.parse import urlsplit

from vcr.persisters.filesystem import FilesystemPersister
from vcr.serializers import yamlserializer

from .spec import REPO_ROOT

FIXTURES_DIR = REPO_ROOT / "tests" / "fixtures"
CASSETTES_DIR = FIXTURES_DIR / "cassettes"
INVALID_DIR = FIXTURES_DIR / "invalid"
FAKE_API_KEY = "fake-galileo-api-key-not-a-secret"

SCENARIOS = tuple(sorted(path.stem for path in CASSETTES_DIR.glob("*.yaml")))

# Responses Galileo's server sends that the pinned spec does not allow; each maps to the schema error they cause.
SPEC_DEVIATIONS = {
    # FastAPI serializes datetimes from naive columns without an offset; RFC 3339 requires one.
    "timestamps_naive": "is not a 'date-time'",
    # Handler-raised HTTPException(422, detail="...") sends a string where HTTPValidationError has a list.
    "validation_error_detail_string": "is not of type 'array'",
}
CONFORMING_SCENARIOS = tuple(name for name in SCENARIOS if name not in SPEC_DEVIATIONS)


@dataclass(frozen=True)
class Exchange:
    """One recorded request and its response."""

    scenario: str
    method: str
    uri: str
    request_headers: dict[str, str]
    request_body: bytes
    status: int
    response_headers: dict[str, list[str]]
    response_body: bytes

    @property
    def path(self) -> str:
        return urlsplit(self.uri).path

    @property
    def path_ids(self) -> tuple[str, str]:
        """``(project_id, log_stream_id)`` as they appear in the path."""
        parts = self.path.split("/")
        return parts[3], parts[5]

    def request_json(self) -> Any:
        return json.loads(self.request_body)

    def response_json(self) -> Any:
        return json.loads(self.response_body)


@cache
def load_exchange(scenario: str) -> Exchange:
    """The single exchange of a scenario's cassette (one cassette, one scenario, one interaction)."""
    requests, responses = FilesystemPersister.load_cassette(CASSETTES_DIR / f"{scenario}.yaml", yamlserializer)
    assert len(requests) == len(responses) == 1, f"{scenario}: expected exactly one interaction"
    request, response = requests[0], responses[0]
    body = response["body"]["string"]
    return Exchange(
        scenario=scenario,
        method=str(request.method),
        uri=str(request.uri),
        request_headers={str(name): str(value) for name, value in request.headers.items()},
        request_body=bytes(request.body),
        status=int(response["status"]["code"]),
        response_headers={str(name): list(values) for name, values in response["headers"].items()},
        response_body=body.encode() if isinstance(body, str) else bytes(body),
    )
