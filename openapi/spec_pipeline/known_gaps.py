"""Which generator warnings are known and accepted (``openapi/known-gaps.yaml``), and which stop generation.

openapi-python-client leaves a part out with a warning, not an error (a schema it cannot read, an operation that
uses one). Failing on every warning made one unreadable schema anywhere in 944 operations a failed run; ignoring
them would let a selected operation vanish silently. So:

- a warning about a selected operation (``operations.yaml``) always fails: what the SDK ships must generate whole;
- any other warning fails unless ``known-gaps.yaml`` names it, with the reason it is accepted;
- a named gap that no longer happens is reported, so the list shrinks when the generator or the spec improves.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .codegen import GeneratorWarning
from .errors import SpecPipelineError
from .operations import Selection
from .parse import parse_json_or_yaml

KNOWN_GAPS_FILE = Path(__file__).resolve().parents[1] / "known-gaps.yaml"


def load_known_gaps(path: Path = KNOWN_GAPS_FILE) -> dict[str, str]:
    """``warning -> reason``; each entry must give both."""
    document = parse_json_or_yaml(path.read_bytes(), str(path))
    entries = document.get("gaps") if isinstance(document, dict) else None
    if not isinstance(entries, list):
        raise SpecPipelineError(f"{path}: expected a 'gaps' list")
    known: dict[str, str] = {}
    for index, entry in enumerate(entries):
        warning = entry.get("warning") if isinstance(entry, dict) else None
        reason = entry.get("reason") if isinstance(entry, dict) else None
        if not isinstance(warning, str) or not isinstance(reason, str) or not reason.strip():
            raise SpecPipelineError(f"{path}: gaps[{index}] needs a 'warning' and a non-empty 'reason'")
        known[warning] = reason
    return known


@dataclass(frozen=True)
class GapReport:
    selected: list[GeneratorWarning]  # about an operation the SDK ships: always fatal
    unknown: list[GeneratorWarning]  # not in known-gaps.yaml: fatal
    known: list[GeneratorWarning]
    stale: list[str]  # named in known-gaps.yaml, not seen in this run

    @property
    def fatal(self) -> bool:
        return bool(self.selected or self.unknown)

    def lines(self, *, stale: bool) -> list[str]:
        """What to print: the fatal ones first, each with what to do; stale entries only when asked (a run over a
        part of the spec cannot tell whether a gap elsewhere still happens)."""
        out = [f"selected operation {'dropped' if w.dropped else 'partly generated'}: {w.key}" for w in self.selected]
        out += [f"new generator warning (fix it, or name it in openapi/known-gaps.yaml): {w.key}" for w in self.unknown]
        dropped = sorted({w.subject for w in self.known if w.dropped})
        partial = sorted({w.subject for w in self.known if w.operation and not w.dropped} - set(dropped))
        if self.known:
            out.append(
                f"{len(self.known)} known generator gap(s) (openapi/known-gaps.yaml): "
                f"{len(dropped)} operation(s) left out, {len(partial)} partly generated"
            )
        if stale:
            out += [f"known gap no longer seen (remove it from openapi/known-gaps.yaml): {key}" for key in self.stale]
        return out


def classify(warnings: list[GeneratorWarning], known: dict[str, str], selection: Selection) -> GapReport:
    selected_keys = {operation.key for operation in selection.operations}
    selected = [w for w in warnings if w.operation in selected_keys]
    rest = [w for w in warnings if w.operation not in selected_keys]
    seen = {w.key for w in warnings}
    return GapReport(
        selected=selected,
        unknown=[w for w in rest if w.key not in known],
        known=[w for w in rest if w.key in known],
        stale=sorted(key for key in known if key not in seen),
    )
