"""Our templates against the installed generator's own: what each override changes, and whether its base moved.

Nine files in ``openapi/templates`` replace a stock openapi-python-client template of the same path. Each was written
against one version of that stock file; ``openapi/template-bases.json`` records the SHA-256 of it. When another
generator version ships a different stock file, the override silently drops whatever upstream changed, so
generation stops (``check_bases``, called before rendering) and names the template to rebase.

``make template-diff`` prints, per override, the lines it adds and removes against the installed stock file, so the
diff to carry forward stays small and measured. The upgrade procedure is in openapi/README.md.
"""

from __future__ import annotations

import argparse
import difflib
import hashlib
import json
import sys
from importlib.metadata import version
from pathlib import Path

import openapi_python_client

from .errors import SpecPipelineError

STOCK = Path(openapi_python_client.__file__).resolve().parent / "templates"
TEMPLATES = Path(__file__).resolve().parents[1] / "templates"
BASES = Path(__file__).resolve().parents[1] / "template-bases.json"


def overrides(templates: Path = TEMPLATES, stock: Path = STOCK) -> list[str]:
    """The templates (relative paths) that replace a stock file."""
    return sorted(
        path.relative_to(templates).as_posix()
        for path in templates.rglob("*.jinja")
        if (stock / path.relative_to(templates)).is_file()
    )


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def check_bases(templates: Path = TEMPLATES, stock: Path = STOCK, bases: Path = BASES) -> None:
    """Raise naming every override whose stock file is not the one it was written against (or has no record)."""
    recorded = json.loads(bases.read_text(encoding="utf-8"))
    problems = []
    for name in overrides(templates, stock):
        expected = recorded["bases"].get(name)
        if expected is None:
            problems.append(f"{name}: overrides a stock template but {bases.name} records no base for it")
        elif sha256(stock / name) != expected:
            problems.append(
                f"{name}: openapi-python-client {version('openapi-python-client')}'s stock {name} is not the one it "
                f"was written against (openapi-python-client {recorded['generator']}); rebase it on the new stock file"
            )
    gone = sorted(set(recorded["bases"]) - set(overrides(templates, stock)))
    problems += [f"{name}: recorded in {bases.name} but no longer overrides a stock template" for name in gone]
    if problems:
        raise SpecPipelineError(
            "templates out of step with the generator (openapi/README.md, 'Upgrading the generator'):\n  "
            + "\n  ".join(problems)
        )


def record_bases(templates: Path = TEMPLATES, stock: Path = STOCK, bases: Path = BASES) -> None:
    """After rebasing: record the installed generator's stock files as the bases."""
    record = {
        "generator": version("openapi-python-client"),
        "bases": {name: sha256(stock / name) for name in overrides(templates, stock)},
    }
    bases.write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")


def changed_lines(name: str, templates: Path = TEMPLATES, stock: Path = STOCK) -> tuple[int, int]:
    """(added, removed) lines of our ``name`` against the stock one."""
    ours = (templates / name).read_text(encoding="utf-8").splitlines()
    theirs = (stock / name).read_text(encoding="utf-8").splitlines()
    diff = list(difflib.unified_diff(theirs, ours, lineterm="", n=0))
    added = sum(1 for line in diff if line.startswith("+") and not line.startswith("+++"))
    removed = sum(1 for line in diff if line.startswith("-") and not line.startswith("---"))
    return added, removed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--record", action="store_true", help="record the installed stock templates as the bases")
    args = parser.parse_args(argv)
    if args.record:
        record_bases()
        print(f"recorded the stock templates of openapi-python-client {version('openapi-python-client')} in {BASES}")
        return 0
    print(f"openapi/templates against openapi-python-client {version('openapi-python-client')} ({STOCK})")
    total_added = total_removed = 0
    for name in overrides():
        added, removed = changed_lines(name)
        total_added, total_removed = total_added + added, total_removed + removed
        print(f"  {name:<50} +{added:<4} -{removed}")
    print(f"  {'total':<50} +{total_added:<4} -{total_removed}")
    custom = sorted(p.relative_to(TEMPLATES).as_posix() for p in TEMPLATES.rglob("*.jinja"))
    print(f"  and {len(custom) - len(overrides())} new template(s) of our own")
    try:
        check_bases()
    except SpecPipelineError as exc:
        print(exc, file=sys.stderr)
        return 1
    print("every override matches the stock file it was written against")
    return 0


if __name__ == "__main__":
    sys.exit(main())
