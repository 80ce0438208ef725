"""``make spec``: download Galileo's published spec, keep our operations, rewrite the pinned copy.

Any failure (offline, HTTP error, not JSON, nothing selected) prints one line and exits non-zero
before the pinned file is touched: the document is fully downloaded, parsed and selected in memory
and only then written atomically. After the write it prints what changed since the previous pinned
copy (``spec_pipeline.diff``); that report is information only and never fails the command.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any
from urllib.parse import urlparse
from urllib.request import url2pathname

import httpx

from .diff import update_report
from .errors import SpecPipelineError
from .jsonfile import write_atomically
from .select import select_operations

DEFAULT_SPEC_URL = "https://api.galileo.ai/public/v2/openapi.json"
DEFAULT_TAGS = ("logstream-insights",)
DEFAULT_PATH_PREFIX = "/v2/"


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
    try:
        document = json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise SpecPipelineError(f"{source} is not a JSON document: {exc}") from None
    if not isinstance(document, dict) or not str(document.get("openapi", "")).startswith("3."):
        raise SpecPipelineError(f"{source} is not an OpenAPI 3 document")
    return document


def fetch_selected(source: str, *, tags: tuple[str, ...], path_prefix: str) -> dict[str, Any]:
    return select_operations(parse_document(read_source(source), source), tags=tags, path_prefix=path_prefix)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--url", default=DEFAULT_SPEC_URL, help="http(s) URL, file:// URL or path of the full spec")
    parser.add_argument("--out", type=Path, default=Path("openapi/openapi.json"))
    parser.add_argument("--tag", action="append", dest="tags", help="operation tag to keep (repeatable)")
    parser.add_argument("--path-prefix", default=DEFAULT_PATH_PREFIX)
    args = parser.parse_args(argv)
    tags = tuple(args.tags or DEFAULT_TAGS)
    try:
        selected = fetch_selected(args.url, tags=tags, path_prefix=args.path_prefix)
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
    return 0


if __name__ == "__main__":
    sys.exit(main())
