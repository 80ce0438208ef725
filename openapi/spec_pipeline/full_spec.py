"""``make check-full-spec``, first step: generate all of Galileo's operations into a scratch folder.

The shipped selection is three operations; the templates, the spec rules and the known gaps are meant for the whole
API. This generates the vendored full export (``openapi/full-spec/``, xz-compressed) with the same rules and
templates, prints the rewrites, the gaps (including known ones no longer seen) and the CPU time, and fails as
``make generate`` does: on a gap in a selected operation or on a warning ``known-gaps.yaml`` does not name. The
Makefile then type-checks the package, imports every module and round-trips every model.
"""

from __future__ import annotations

import argparse
import json
import lzma
import resource
import shutil
import sys
import time
from pathlib import Path
from typing import Any

from .errors import SpecPipelineError
from .generate import PACKAGE, REPO, generate_with_report
from .normalize import rewrite_summary

FULL_SPEC = REPO / "openapi" / "full-spec" / "galileo-api-server-1.961.4.openapi.json.xz"


def load_full_spec(path: Path = FULL_SPEC) -> dict[str, Any]:
    try:
        document: dict[str, Any] = json.loads(lzma.decompress(path.read_bytes()))
    except (OSError, lzma.LZMAError, ValueError) as exc:
        raise SpecPipelineError(f"cannot read {path}: {exc}") from None
    return document


def cpu_seconds() -> float:
    """This process and its finished children (the ruff post-hooks)."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, required=True, help="scratch folder; the package goes in <out>/" + PACKAGE)
    parser.add_argument("--spec", type=Path, default=FULL_SPEC, help="an xz-compressed JSON spec")
    args = parser.parse_args(argv)
    shutil.rmtree(args.out, ignore_errors=True)
    args.out.mkdir(parents=True)
    started = cpu_seconds()
    try:
        spec = load_full_spec(args.spec)
        generation = generate_with_report(args.out, spec)
    except SpecPipelineError as exc:
        print(f"check-full-spec: {exc}", file=sys.stderr)
        return 1
    for line in rewrite_summary(generation.rewrites):
        print(f"spec rule {line}")
    for line in generation.gaps.lines(stale=True):
        print(f"check-full-spec: {line}", file=sys.stderr if generation.gaps.fatal else sys.stdout)
    modules = sum(1 for _ in generation.package.rglob("*.py"))
    api = generation.package / "api"
    operations = sum(1 for path in api.rglob("*.py") if path.name != "__init__.py")
    print(
        f"generated {generation.package}: {modules} modules, {operations} operation modules "
        f"in {cpu_seconds() - started:.1f} CPU-s"
    )
    return 1 if generation.gaps.fatal else 0


if __name__ == "__main__":
    sys.exit(main())
