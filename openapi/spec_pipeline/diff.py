"""``scripts/spec_diff.py OLD NEW``: what changed between two selected specs, and whom it breaks.

Every part of an operation is compared: its operationId (the generated function's name), deprecation,
security requirements, parameters (location, required-ness, serialization, schema), request body
(required-ness, content types, schema), documented response statuses with their content types and
schemas; then the security schemes, the servers and every component schema (``schema_diff`` says how a
schema change breaks callers or readers).
Exit status: 0 no breaking change, 1 at least one breaking change, 2 unusable arguments or input.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from .changes import BOTH, REQUEST, RESPONSE, Change, directed
from .errors import SpecPipelineError
from .operations import HTTP_METHODS
from .parse import parse_json_or_yaml
from .schema_diff import enum_kinds, node_changes
from .select import component_refs

Operation = tuple[dict[str, Any], dict[str, Any]]  # (path item, operation)
_JSON = "application/json"
_CALLERS = frozenset({REQUEST})
_READERS = frozenset({RESPONSE})


_DEPRECATED = "deprecated: move the SDK to a supported operation before it is removed"


def diff_specs(old: dict[str, Any], new: dict[str, Any]) -> list[Change]:
    """Every change from ``old`` to ``new``: operations, security schemes, servers, then schemas, each by name."""
    changes: list[Change] = []
    old_ops, new_ops = _operations(old), _operations(new)
    for key in sorted(old_ops.keys() | new_ops.keys()):
        if key not in new_ops:
            changes.append(Change(key, "operation removed", ("its callers fail",)))
        elif key not in old_ops:
            changes.append(Change(key, "operation added"))
        else:
            changes += _operation_changes(key, old, old_ops[key], new, new_ops[key])
    changes += _security_scheme_changes(old, new)
    changes += _server_changes(old, new)
    old_schemas, new_schemas = _schemas(old), _schemas(new)
    enums = {**enum_kinds(old_schemas), **enum_kinds(new_schemas)}
    old_uses, new_uses = _schema_uses(old), _schema_uses(new)
    for name in sorted(old_schemas.keys() | new_schemas.keys()):
        uses = frozenset(old_uses.get(name, set()) | new_uses.get(name, set())) or BOTH
        if name not in new_schemas:
            gone = "its generated model disappears"
            changes.append(directed(name, "schema removed", uses, request=gone, response=gone))
        elif name not in old_schemas:
            changes.append(Change(name, "schema added"))
        else:
            changes += node_changes(old_schemas[name], new_schemas[name], name, uses, enums)
    return changes


def _operation_changes(
    key: str, old: dict[str, Any], old_op: Operation, new: dict[str, Any], new_op: Operation
) -> list[Change]:
    before, after = old_op[1], new_op[1]
    changes: list[Change] = []
    if before.get("operationId") != after.get("operationId"):
        changes.append(
            Change(
                key,
                f"operationId {before.get('operationId')!r} -> {after.get('operationId')!r}",
                ("the generated function is renamed; update openapi/operations.yaml",),
            )
        )
    if bool(before.get("deprecated")) != bool(after.get("deprecated")):
        what = (
            "deprecated: move the SDK to a supported operation before it is removed"
            if after.get("deprecated")
            else "no longer deprecated"
        )
        changes.append(Change(key, what))
    changes += _security_changes(key, _security(old, before), _security(new, after))
    changes += _parameter_changes(f"{key} parameters", _parameters(old, old_op), _parameters(new, new_op))
    old_body, new_body = _resolve(old, before.get("requestBody")), _resolve(new, after.get("requestBody"))
    changes += _request_body_changes(f"{key} request body", old_body, new_body)
    old_responses, new_responses = _responses(old, before), _responses(new, after)
    for code in sorted(old_responses.keys() | new_responses.keys()):
        where = f"{key} response {code}"
        if code not in new_responses:
            changes.append(Change(where, "response removed", ("readers of it fail",)))
        elif code not in old_responses:
            success = code.startswith("2")
            changes.append(Change(where, "response added", ("readers get a success of a new shape",) * success))
        else:
            changes += _content_changes(where, old_responses[code], new_responses[code], _READERS)
    return changes


def _security_changes(key: str, old: set[str], new: set[str]) -> Iterator[Change]:
    """Alternatives of the effective security requirement (the operation's, else the document's)."""
    for alternative in sorted(old - new):
        yield Change(
            key, f"security {alternative} removed", (f"callers authenticating with {alternative} are refused",)
        )
    for alternative in sorted(new - old):
        yield Change(key, f"security {alternative} added")


def _parameter_changes(where: str, old: dict[str, Any], new: dict[str, Any]) -> list[Change]:
    """Parameters are compared like the fields of a request object, then each one's location and serialization."""
    changes = node_changes(_as_object(old), _as_object(new), where, _CALLERS)
    for name in sorted(old.keys() & new.keys()):
        at = f"{where}.{name}"
        for attribute in ("in", "style", "explode", "allowReserved"):
            before, after = old[name].get(attribute), new[name].get(attribute)
            if before != after:
                changes.append(
                    Change(at, f"{attribute} {_show(before)} -> {_show(after)}", ("callers send it another way",))
                )
        if bool(old[name].get("deprecated")) != bool(new[name].get("deprecated")):
            changes.append(Change(at, "deprecated" if new[name].get("deprecated") else "no longer deprecated"))
    return changes


def _request_body_changes(where: str, old: dict[str, Any], new: dict[str, Any]) -> list[Change]:
    old_content, new_content = _dict(old.get("content")), _dict(new.get("content"))
    required = new.get("required") is True
    if old_content and not new_content:
        return [Change(where, "request body removed", ("callers sending it are rejected",))]
    if new_content and not old_content:
        what = f"{'required' if required else 'optional'} request body added"
        return [Change(where, what, ("callers must now send it",) * required)]
    changes: list[Change] = []
    if required and old.get("required") is not True:
        changes.append(Change(where, "made required", ("callers must now send it",)))
    if old.get("required") is True and not required:
        changes.append(Change(where, "made optional"))
    return changes + _content_changes(where, old_content, new_content, _CALLERS)


def _content_changes(where: str, old: dict[str, Any], new: dict[str, Any], uses: frozenset[str]) -> list[Change]:
    """Media types of a body: callers break when one they send goes, readers when one they may receive comes."""
    changes: list[Change] = []
    for media in sorted(old.keys() - new.keys()):
        changes.append(
            directed(where, f"content type {media} removed", uses, request="callers sending it are rejected")
        )
    for media in sorted(new.keys() - old.keys()):
        changes.append(
            directed(where, f"content type {media} added", uses, response="readers may get a body they do not parse")
        )
    for media in sorted(old.keys() & new.keys(), key=lambda media: (media != _JSON, media)):
        at = where if media == _JSON else f"{where} ({media})"
        changes += node_changes(_dict(old[media]).get("schema", {}), _dict(new[media]).get("schema", {}), at, uses)
    return changes


def _security_scheme_changes(old: dict[str, Any], new: dict[str, Any]) -> Iterator[Change]:
    old_schemes, new_schemes = _security_schemes(old), _security_schemes(new)
    for name in sorted(old_schemes.keys() | new_schemes.keys()):
        where = f"security scheme {name}"
        if name not in new_schemes:
            yield Change(where, "removed", ("callers authenticating with it fail",))
        elif name not in old_schemes:
            yield Change(where, "added")
        else:
            before, after = _flat(old_schemes[name]), _flat(new_schemes[name])
            for part in sorted(before.keys() | after.keys()):
                if before.get(part) != after.get(part):
                    what = f"{part} {_show(before.get(part))} -> {_show(after.get(part))}"
                    # Like servers: the host Galileo exported from, never read (the login URL is the caller's).
                    breaks = (
                        () if part.rpartition(".")[2] in _FLOW_URLS else ("callers authenticating with it may fail",)
                    )
                    yield Change(where, what, breaks)


_FLOW_URLS = frozenset({"tokenUrl", "refreshUrl", "authorizationUrl"})


def _server_changes(old: dict[str, Any], new: dict[str, Any]) -> Iterator[Change]:
    """Informational: the SDK takes its base URL from the caller, never from the spec."""
    before, after = _server_urls(old), _server_urls(new)
    if before != after:
        yield Change("servers", f"{_show(before)} -> {_show(after)}")


def _security(spec: dict[str, Any], operation: dict[str, Any]) -> set[str]:
    """The alternatives a caller may satisfy, e.g. ``{"APIKeyHeader", "HTTPBasic"}``; none required: ``anonymous``."""
    requirements = operation["security"] if "security" in operation else spec.get("security", [])
    alternatives = {" + ".join(sorted(_dict(requirement))) or "anonymous" for requirement in _list(requirements)}
    return alternatives or {"anonymous"}


def _operations(spec: dict[str, Any]) -> dict[str, Operation]:
    return {
        f"{method.upper()} {path}": (item, item[method])
        for path, item in _dict(spec.get("paths")).items()
        if isinstance(item, dict)
        for method in HTTP_METHODS
        if isinstance(item.get(method), dict)
    }


def _parameters(spec: dict[str, Any], operation: Operation) -> dict[str, dict[str, Any]]:
    """name -> parameter object; an operation's parameter overrides the path item's of the same name."""
    item, op = operation
    parameters = [_resolve(spec, p) for p in _list(item.get("parameters")) + _list(op.get("parameters"))]
    return {p["name"]: p for p in parameters if isinstance(p.get("name"), str)}


def _as_object(parameters: dict[str, dict[str, Any]]) -> dict[str, Any]:
    return {
        "type": "object",
        "properties": {name: p.get("schema", {}) for name, p in parameters.items()},
        "required": [name for name, p in parameters.items() if p.get("required") is True],
    }


def _responses(spec: dict[str, Any], operation: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """status -> content (media type -> media object)."""
    return {
        str(code): _dict(_resolve(spec, response).get("content"))
        for code, response in _dict(operation.get("responses")).items()
    }


def _security_schemes(spec: dict[str, Any]) -> dict[str, Any]:
    return _dict(_dict(spec.get("components")).get("securitySchemes"))


def _server_urls(spec: dict[str, Any]) -> list[str]:
    return [str(_dict(server).get("url")) for server in _list(spec.get("servers"))]


def _flat(node: Any, prefix: str = "") -> dict[str, Any]:
    """A nested object as dotted paths to its leaves (``flows.password.tokenUrl``); descriptions left out."""
    if not isinstance(node, dict):
        return {prefix: node}
    flat: dict[str, Any] = {}
    for key, value in node.items():
        if key != "description":
            flat.update(_flat(value, f"{prefix}.{key}" if prefix else key))
    return flat


def _show(value: Any) -> str:
    return json.dumps(value) if value is not None else "(none)"


def _schema_uses(spec: dict[str, Any]) -> dict[str, set[str]]:
    """Schema name -> the directions (request, response) in which some operation reaches it."""
    uses: dict[str, set[str]] = {}
    components = _dict(spec.get("components"))
    for item, op in _operations(spec).values():
        roots = {
            REQUEST: [item.get("parameters"), op.get("parameters"), op.get("requestBody")],
            RESPONSE: [op.get("responses")],
        }
        for direction, nodes in roots.items():
            seen: set[tuple[str, str]] = set()
            pending = list(component_refs(nodes))
            while pending:
                ref = pending.pop()
                if ref in seen:
                    continue
                seen.add(ref)
                section, name = ref
                if section == "schemas":
                    uses.setdefault(name, set()).add(direction)
                pending.extend(component_refs(_dict(components.get(section)).get(name)))
    return uses


def _resolve(spec: dict[str, Any], node: Any) -> dict[str, Any]:
    """Follow one local ``$ref`` (parameters, request bodies and responses may be components)."""
    ref = node.get("$ref") if isinstance(node, dict) else None
    if isinstance(ref, str) and ref.startswith("#/components/"):
        section, _, name = ref.removeprefix("#/components/").partition("/")
        return _dict(_dict(_dict(spec.get("components")).get(section)).get(name))
    return _dict(node)


def _schemas(spec: dict[str, Any]) -> dict[str, Any]:
    return _dict(_dict(spec.get("components")).get("schemas"))


def _dict(node: Any) -> dict[str, Any]:
    return node if isinstance(node, dict) else {}


def _list(node: Any) -> list[Any]:
    return node if isinstance(node, list) else []


def parse_spec(raw: bytes, source: str) -> dict[str, Any]:
    """A spec to compare: JSON or YAML with a ``paths`` object."""
    document = parse_json_or_yaml(raw, source)
    if not isinstance(document, dict) or not isinstance(document.get("paths"), dict):
        raise SpecPipelineError(f"{source} is not an OpenAPI document (no 'paths' object)")
    return document


def text_report(changes: Iterable[Change]) -> str:
    changes = list(changes)
    if not changes:
        return "no changes"
    breaking = sum(change.breaking for change in changes)
    return "\n".join([change.line() for change in changes] + [f"{len(changes)} change(s), {breaking} breaking"])


def markdown_report(changes: Iterable[Change], old_version: str, new_version: str) -> str:
    """A section for CHANGELOG.md: breaking changes first, each with why it breaks."""
    changes = list(changes)
    lines = [f"### API changes (spec {old_version} -> {new_version})", ""]
    if not changes:
        return "\n".join([*lines, "No changes to the operations this SDK ships.", ""])
    breaking = [c for c in changes if c.breaking]
    other = [c for c in changes if not c.breaking]
    if breaking:
        lines += ["**Breaking**", "", *(f"- `{c.where}`: {c.what} ({'; '.join(c.breaks)})" for c in breaking), ""]
    if other:
        lines += ["**Other changes**", "", *(f"- `{c.where}`: {c.what}" for c in other), ""]
    return "\n".join(lines)


def update_report(previous: bytes | None, new: dict[str, Any], name: str) -> str:
    """What ``make spec`` prints after rewriting ``name``: a problem with the old copy is one line, not an error."""
    if previous is None:
        return f"no previous {name}: no change report"
    try:
        changes = diff_specs(parse_spec(previous, f"previous {name}"), new)
    except SpecPipelineError as exc:
        return f"no change report: {exc}"
    return f"changes since the previous {name}:\n{text_report(changes)}"


def _version(spec: dict[str, Any]) -> str:
    return str(_dict(spec.get("info")).get("version", "?"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="scripts/spec_diff.py", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("old", type=Path, help="the previous selected spec, e.g. <(git show HEAD:openapi/openapi.json)")
    parser.add_argument("new", type=Path, help="the new selected spec")
    parser.add_argument("--markdown", action="store_true", help="print a section to paste into CHANGELOG.md")
    args = parser.parse_args(argv)
    try:
        old, new = (parse_spec(_read(path), str(path)) for path in (args.old, args.new))
        changes = diff_specs(old, new)
    except SpecPipelineError as exc:
        print(f"spec-diff: {exc}", file=sys.stderr)
        return 2
    print(markdown_report(changes, _version(old), _version(new)) if args.markdown else text_report(changes))
    return 1 if any(change.breaking for change in changes) else 0


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise SpecPipelineError(f"cannot read {path}: {exc.strerror}") from None


if __name__ == "__main__":
    sys.exit(main())
