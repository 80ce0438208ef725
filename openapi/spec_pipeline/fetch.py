"""``make spec``: download Galileo's published spec (JSON or YAML), keep our operations, rewrite the pinned copy.

The operations kept are the ones ``openapi/operations.yaml`` lists; operations its watch rule matches but
it does not list are printed as available, and not kept.

Any failure (offline, HTTP error, not JSON, nothing selected) prints one line and exits non-zero
before the pinned file is touched: the document is fully downloaded, parsed and selected in memory
and only then written atomically. After the write it prints what changed since the previous pinned
copy (``spec_pipeline.diff``); that report is information only and never fails the command.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any
from urllib.parse import urlparse
from urllib.request import url2pathname

import httpx

from .diff import update_report
from .errors import SpecPipelineError
from .jsonfile import write_atomically
from .operations import OPERATIONS_FILE, Selection, load_selection, operations_in
from .parse import parse_json_or_yaml
from .select import available_operations, select_operations

DEFAULT_SPEC_URL = "https://api.galileo.ai/public/v2/openapi.json"


def read_source(source: str, *, timeout: float = 30.0) -> bytes:
    """Read ``source``: an http(s) URL, a ``file://`` URL or a local path."""
    scheme = urlparse(source).scheme
    if scheme in ("http", "https"):
        try:
            response = httpx.get(source, timeout=timeout, follow_redirects=True)
        except httpx.HTTPError as exc:
            raise SpecPipelineError(f"cannot download {source}: {exc.__class__.__name__}: {exc}") from None
        if response.status_code != 200:
            raise SpecPipelineError(f"cannot download {source}: HTTP {response.status_code}")
        return response.content
    path = Path(url2pathname(urlparse(source).path)) if scheme == "file" else Path(source)
    try:
        return path.read_bytes()
    except OSError as exc:
        raise SpecPipelineError(f"cannot read {source}: {exc.strerror}") from None


def parse_document(raw: bytes, source: str) -> dict[str, Any]:
    """JSON or YAML (Galileo's SDK repository keeps its copy as YAML), and it must be OpenAPI 3."""
    document = parse_json_or_yaml(raw, source)
    if not isinstance(document, dict) or not str(document.get("openapi", "")).startswith("3."):
        raise SpecPipelineError(f"{source} is not an OpenAPI 3 document")
    return document


def fetch_selected(source: str, selection: Selection) -> tuple[dict[str, Any], list[str]]:
    """The selected document, and the watched operations it leaves out."""
    document = parse_document(read_source(source), source)
    return select_operations(document, selection), available_operations(document, selection)


def available_report(available: list[str], selection: Selection, operations_file: str) -> str | None:
    if not available:
        return None
    rule = f"tagged {', '.join(sorted(selection.watch.tags))} under {selection.watch.path_prefix}"
    heading = f"{len(available)} new operation(s) available ({rule}, not in {operations_file}; not generated):"
    return "\n".join([heading, *(f"  {operation}" for operation in available)])


def deprecated_report(selected: dict[str, Any]) -> str | None:
    """The selected operations upstream marks ``deprecated: true``, every run: not only when they become so."""
    deprecated = [
        f"  {method.upper()} {path}"
        for method, path, operation in operations_in(selected.get("paths", {}))
        if operation.get("deprecated") is True
    ]
    if not deprecated:
        return None
    return "\n".join(
        [f"{len(deprecated)} selected operation(s) deprecated upstream: move to a supported one", *deprecated]
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--url", default=DEFAULT_SPEC_URL, help="URL or path of the full spec (JSON or YAML)")
    parser.add_argument("--out", type=Path, default=Path("openapi/openapi.json"))
    parser.add_argument("--operations", type=Path, default=OPERATIONS_FILE, help="the operations to keep")
    args = parser.parse_args(argv)
    try:
        selection = load_selection(args.operations)
        selected, available = fetch_selected(args.url, selection)
    except SpecPipelineError as exc:
        print(f"make spec: {exc} ({args.out} left unchanged)", file=sys.stderr)
        return 1
    try:
        previous: bytes | None = args.out.read_bytes()
    except OSError:
        previous = None
    write_atomically(args.out, selected)
    schemas = selected["components"].get("schemas", {})
    print(f"wrote {args.out}: {len(selected['paths'])} path(s), {len(schemas)} schema(s)")
    print(update_report(previous, selected, str(args.out)))
    for report in (deprecated_report(selected), available_report(available, selection, args.operations.name)):
        if report:
            print(report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
