"""The pinned spec as a validator (openapi-core) and as a plain JSON Schema (for hypothesis-jsonschema).

The spec uses ``format: uuid4``, which no validator knows; both views give it the same meaning: the canonical
8-4-4-4-12 hex form with version nibble 4 and the RFC 4122 variant, in either letter case.
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any

from openapi_core import Config, OpenAPI
from openapi_core.testing import MockRequest, MockResponse

REPO_ROOT = Path(__file__).resolve().parents[2]
SPEC_PATH = REPO_ROOT / "openapi" / "openapi.json"
TOKEN_USAGE_PATH = "/v2/projects/{project_id}/log_streams/{log_stream_id}/logstream_insights/token_usage"
UUID4_PATTERN = r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-4[0-9a-fA-F]{3}-[89abAB][0-9a-fA-F]{3}-[0-9a-fA-F]{12}$"
_UUID4 = re.compile(UUID4_PATTERN)
_COMPONENT_REF = "#/components/schemas/"


def is_uuid4(value: object) -> bool:
    """Format check for ``uuid4``; like every JSON Schema format it says nothing about non-strings."""
    return not isinstance(value, str) or _UUID4.fullmatch(value) is not None


@cache
def spec_document() -> dict[str, Any]:
    document: dict[str, Any] = json.loads(SPEC_PATH.read_text(encoding="utf-8"))
    return document


@cache
def openapi_app() -> OpenAPI:
    """openapi-core over the pinned spec: OAS 3.1 schemas, discriminators, ``date-time`` (RFC 3339) and ``uuid4``."""
    return OpenAPI.from_dict(spec_document(), config=Config(extra_format_validators={"uuid4": is_uuid4}))


def spec_server_url() -> str:
    """The spec's only server is Galileo's local development URL; requests are matched on their path alone."""
    servers: list[dict[str, str]] = spec_document()["servers"]
    return servers[0]["url"]


def openapi_request(method: str, path: str, body: bytes | None, headers: Mapping[str, str]) -> MockRequest:
    """A request as openapi-core sees it, presented under the spec's server URL (the host is not part of the
    contract: cassettes name the live host, the pinned spec names localhost)."""
    return MockRequest(
        spec_server_url(),
        method.lower(),
        path,
        headers=dict(headers),
        data=body,
        content_type=headers.get("Content-Type", headers.get("content-type", "application/json")),
    )


def validate_exchange(
    method: str, path: str, request_body: bytes | None, request_headers: Mapping[str, str], status: int, body: bytes
) -> None:
    """Raise openapi-core's error if the request or the response breaks the spec."""
    request = openapi_request(method, path, request_body, request_headers)
    openapi_app().validate_request(request)
    openapi_app().validate_response(request, MockResponse(body, status_code=status))


def _rewrite_refs(node: Any) -> Any:
    if isinstance(node, dict):
        rewritten = {key: _rewrite_refs(value) for key, value in node.items()}
        ref = rewritten.get("$ref")
        if isinstance(ref, str) and ref.startswith(_COMPONENT_REF):
            rewritten["$ref"] = "#/$defs/" + ref.removeprefix(_COMPONENT_REF)
        return rewritten
    if isinstance(node, list):
        return [_rewrite_refs(item) for item in node]
    return node


def component_json_schema(name: str, *, require_discriminator: bool = True) -> dict[str, Any]:
    """A standalone JSON Schema (2020-12) for one component: every component under ``$defs``, refs rewritten.

    ``discriminator`` (an OpenAPI keyword) is left in place and ignored by JSON Schema tools. The filter
    schemas leave their discriminating ``name`` optional (it has a default), but openapi-core, like the OAS
    discriminator rules, rejects a filter without it; with ``require_discriminator`` the generated schema
    requires ``name`` so generated filters are ones the spec accepts.
    """
    schemas = copy.deepcopy(spec_document()["components"]["schemas"])
    if require_discriminator:
        items = schemas["LogstreamInsightTokenUsageRequest"]["properties"]["filters"]["items"]
        for target in items["discriminator"]["mapping"].values():
            branch = schemas[target.removeprefix(_COMPONENT_REF)]
            branch["required"] = sorted({*branch.get("required", []), items["discriminator"]["propertyName"]})
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$ref": f"#/$defs/{name}",
        "$defs": _rewrite_refs(schemas),
    }


def component_schema(name: str) -> dict[str, Any]:
    """The component's schema as written in the spec (refs still pointing into ``#/components/schemas``)."""
    schema: dict[str, Any] = spec_document()["components"]["schemas"][name]
    return schema


def resolve(schema: Mapping[str, Any]) -> Mapping[str, Any]:
    """Follow ``$ref`` chains into ``#/components/schemas`` of the pinned spec."""
    while isinstance(schema.get("$ref"), str):
        schema = component_schema(str(schema["$ref"]).removeprefix(_COMPONENT_REF))
    return schema


def satisfied_security_schemes(headers: Mapping[str, str]) -> list[str]:
    """The operation's security alternatives that ``headers`` carry a credential for.

    openapi-core cannot check this operation: it treats ``oauth2`` as unsupported and lets any request through
    that alternative, so the header schemes the spec declares are checked here instead.
    """
    lowered = {name.lower(): value for name, value in headers.items()}
    schemes: dict[str, dict[str, Any]] = spec_document()["components"]["securitySchemes"]
    operation = spec_document()["paths"][TOKEN_USAGE_PATH]["post"]
    satisfied = []
    for requirement in operation["security"]:
        [name] = requirement
        scheme = schemes[name]
        authorization = lowered.get("authorization", "")
        if scheme["type"] == "apiKey" and scheme["in"] == "header":
            met = bool(lowered.get(scheme["name"].lower()))
        elif scheme["type"] == "http":
            met = authorization.lower().startswith(f"{scheme['scheme'].lower()} ")
        elif scheme["type"] == "oauth2":
            met = authorization.lower().startswith("bearer ")
        else:
            raise AssertionError(f"security scheme {name!r} of type {scheme['type']!r} is not understood here")
        if met:
            satisfied.append(name)
    return satisfied
