"""``openapi/operations.yaml``: the operations this SDK ships, and the rule that finds new candidates.

Selection is by method and path (the route the SDK calls); each entry also records upstream's operationId,
which ``normalize`` checks before renaming the operation to the entry's short ``name``. See the file's own
comments for why.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import SpecPipelineError
from .parse import parse_json_or_yaml

HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
OPERATIONS_FILE = Path(__file__).resolve().parents[1] / "operations.yaml"


@dataclass(frozen=True)
class SelectedOperation:
    method: str  # lower case, as the key in a path item
    path: str
    operation_id: str  # upstream's, as of the pin
    name: str  # the generated module and function name

    @property
    def key(self) -> str:
        """How reports name the operation: ``GET /projects``."""
        return f"{self.method.upper()} {self.path}"


@dataclass(frozen=True)
class WatchRule:
    """Operations matching this are worth knowing about when they appear; they are never generated unlisted."""

    tags: frozenset[str]
    path_prefix: str

    def matches(self, path: str, operation: Mapping[str, Any]) -> bool:
        tags = operation.get("tags")
        return path.startswith(self.path_prefix) and bool(
            self.tags.intersection(tags if isinstance(tags, list) else [])
        )


@dataclass(frozen=True)
class Selection:
    operations: tuple[SelectedOperation, ...]
    watch: WatchRule

    def find(self, method: str, path: str) -> SelectedOperation | None:
        return next((op for op in self.operations if (op.method, op.path) == (method, path)), None)


def load_selection(path: Path = OPERATIONS_FILE) -> Selection:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise SpecPipelineError(f"cannot read {path}: {exc.strerror}") from None
    return parse_selection(parse_json_or_yaml(raw, str(path)), str(path))


def parse_selection(document: Any, source: str) -> Selection:
    """Check the file's shape, so a typo is one message naming the entry, not a KeyError in the pipeline."""
    top = _mapping(document, source, {"operations", "watch"})
    entries = top["operations"]
    if not isinstance(entries, list) or not entries:
        raise SpecPipelineError(f"{source}: 'operations' must be a non-empty list")
    operations = tuple(_operation(entry, f"{source}: operations[{index}]") for index, entry in enumerate(entries))
    for what, values in (
        ("method and path", [op.key for op in operations]),
        ("operation_id", [op.operation_id for op in operations]),
        ("name", [op.name for op in operations]),
    ):
        duplicates = sorted({value for value in values if values.count(value) > 1})
        if duplicates:
            raise SpecPipelineError(f"{source}: the same {what} is listed twice: {', '.join(duplicates)}")
    watch = _mapping(top["watch"], f"{source}: watch", {"tags", "path_prefix"})
    tags, prefix = watch["tags"], watch["path_prefix"]
    if not isinstance(tags, list) or not tags or not all(isinstance(tag, str) and tag for tag in tags):
        raise SpecPipelineError(f"{source}: watch.tags must be a non-empty list of tag names")
    if not isinstance(prefix, str) or not prefix.startswith("/"):
        raise SpecPipelineError(f"{source}: watch.path_prefix must be a path starting with '/'")
    return Selection(operations, WatchRule(frozenset(tags), prefix))


def _operation(entry: Any, where: str) -> SelectedOperation:
    fields = _mapping(entry, where, {"method", "path", "operation_id", "name"})
    if not all(isinstance(value, str) and value for value in fields.values()):
        raise SpecPipelineError(f"{where}: method, path, operation_id and name must be non-empty strings")
    method = fields["method"].lower()
    if method not in HTTP_METHODS:
        raise SpecPipelineError(f"{where}: {fields['method']!r} is not an HTTP method")
    if not fields["path"].startswith("/"):
        raise SpecPipelineError(f"{where}: path {fields['path']!r} must start with '/'")
    if not fields["name"].isidentifier() or fields["name"] != fields["name"].lower():
        raise SpecPipelineError(f"{where}: name {fields['name']!r} must be a lower-case Python identifier")
    return SelectedOperation(method, fields["path"], fields["operation_id"], fields["name"])


def _mapping(node: Any, where: str, keys: set[str]) -> dict[str, Any]:
    if not isinstance(node, dict):
        raise SpecPipelineError(f"{where}: expected a mapping with {', '.join(sorted(keys))}")
    if node.keys() != keys:
        missing, unknown = sorted(keys - node.keys()), sorted(node.keys() - keys)
        problems = [f"missing {', '.join(missing)}"] * bool(missing) + [f"unknown {', '.join(unknown)}"] * bool(unknown)
        raise SpecPipelineError(f"{where}: {'; '.join(problems)}")
    return node


def operations_in(paths: Mapping[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    """(method, path, operation) for every operation of a ``paths`` object, in document order."""
    for path, item in paths.items():
        if isinstance(item, dict):
            for method, operation in item.items():
                if method in HTTP_METHODS and isinstance(operation, dict):
                    yield method, path, operation
