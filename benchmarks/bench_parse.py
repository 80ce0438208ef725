"""How much the generated models add to decoding when parsing a token-usage page, garbage collector on and off.

Run ``.venv/bin/python benchmarks/bench_parse.py``. ``--stock`` also generates the package once with
openapi-python-client's stock templates (into a temporary folder) and measures it beside ``generated/``;
``--templates DIR`` does the same with any other template folder, e.g. an older ``openapi/templates``.

Pages look like the server's (``benchmarks/_pages.py``: a fresh uuid4 per row, one project and one log-stream id
shared by every row, about 38 KB per 100 rows). The timed calls cycle through 45,000 distinct rows
(450 pages of 100, 45 of 1000), so no row id repeats within a round and no id memo is ever warm across pages.

Cases: ``json.loads`` alone (the baseline), ``json.loads`` + ``from_dict`` (the default install), and msgspec's
decoder + ``from_dict`` (the ``fast`` extra, when msgspec is installed; the wrapper's ``_json.loads`` gives the same
result). Each is timed with the garbage collector on, as users run it (default thresholds), and off (as ``timeit``
times by default); the cases of one GC setting run back to back in every round, in an order rotated every round,
and ``x loads`` is the median over rounds of the case's time divided by ``json.loads``'s time in the same round.
Times are CPU time of the process (``time.process_time``), which waiting for a busy machine's cores does not add to.
A round starts from a full collection, which leaves out the full collections a long walk sets off now and then (rows
alive while their page parses age into the oldest generation): the "GC on, continuous" rows time whole passes over
every page with nothing collected between rounds, so those collections are paid where they fall. The targets hold
for both GC-on views, per round and continuous.
``rows()`` gives the same numbers for ``generated/`` to ``benchmarks/run.py``'s table, with the targets.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import importlib
import itertools
import json
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, Protocol

import attrs

if __package__ in (None, ""):  # run as ``python benchmarks/bench_parse.py``: make ``benchmarks`` importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks._pages import build_page
from benchmarks._table import interleaved_rounds, ratio_of_medians_per_round

REPO = Path(__file__).resolve().parents[1]
PAGE_SIZES = (100, 1000)
PROJECT_SEED = 20250621
DISTINCT_ROWS = 45_000  # rows cycled through: no row id repeats within a round
# Decode + from_dict within this many times json.loads alone, GC on, by (page size, decoder).
TARGETS = {(100, "json.loads"): 1.9, (100, "msgspec"): 1.9, (1000, "json.loads"): 1.8}
CONTINUOUS_ROUNDS_DIVISOR = 9  # a continuous round is a whole pass (about 0.3 s): fewer of them


class PageModel(Protocol):
    def from_dict(self, src_dict: Any) -> Any: ...


def build_pages(items: int) -> list[bytes]:
    return [build_page(items, seed) for seed in range(DISTINCT_ROWS // items)]


@contextlib.contextmanager
def package_from(templates: Path, name: str) -> Iterator[PageModel]:
    """The response model of the package generated with ``templates`` from the same spec, imported as ``name``."""
    sys.path.insert(0, str(REPO / "openapi"))
    from spec_pipeline import generate  # noqa: PLC0415 - only needed for comparisons

    with tempfile.TemporaryDirectory(prefix="bench-parse-") as tmp:
        workdir = Path(tmp) / "work"
        workdir.mkdir()
        # generate_into reads its template folder from the module; point it elsewhere for this one call.
        saved, generate.TEMPLATES = generate.TEMPLATES, templates
        try:
            package = generate.generate_into(workdir)
        finally:
            generate.TEMPLATES = saved
        shutil.copytree(package, Path(tmp) / name)
        sys.path.insert(0, tmp)
        try:
            yield importlib.import_module(f"{name}.models").LogstreamInsightTokenUsageResponse
        finally:
            sys.path.remove(tmp)


Decode = Callable[[bytes], Any]


def decoders() -> list[tuple[str, Decode]]:
    """``json.loads``, and msgspec's decoder when the ``fast`` extra is installed."""
    found: list[tuple[str, Decode]] = [("json.loads", json.loads)]
    try:
        import msgspec  # noqa: PLC0415 - optional
    except ImportError:
        return found
    return [*found, ("msgspec", msgspec.json.Decoder().decode)]


def cycling(bodies: list[bytes], decode: Decode, model: PageModel | None) -> Callable[[], object]:
    """``decode`` (and ``model.from_dict``) of the next page, round and round."""
    next_body = itertools.cycle(bodies).__next__
    if model is None:
        return lambda: decode(next_body())
    from_dict = model.from_dict
    return lambda: from_dict(decode(next_body()))


def timed(function: Callable[[], object], gc_on: bool, pages: int | None = None) -> Callable[[], float]:
    """A case for ``interleaved_rounds``: each call returns seconds per call of ``function``, with the garbage
    collector on or off while it runs. Seconds of this process's CPU time: time spent waiting for a busy machine's
    cores is not the parser's (there is no I/O here to leave out).

    By default a round lasts about 0.02 s (the load of a shared machine changes little within a short round) and
    starts from a full collection. With ``pages``, a round is that many calls (one pass over every distinct page)
    and nothing is collected first: the collector's state carries over from round to round as in a long walk, so
    the full collections that rows surviving into the oldest generation set off are paid where they fall."""
    number = pages or 0
    if pages is None:
        started = time.process_time()
        while time.process_time() - started < 0.02:
            function()
            number += 1
        number = max(1, number)

    def run() -> float:
        was_enabled = gc.isenabled()
        if pages is None:
            gc.collect()
        (gc.enable if gc_on else gc.disable)()
        try:
            started = time.process_time()
            for _ in range(number):
                function()
            return (time.process_time() - started) / number
        finally:
            (gc.enable if was_enabled else gc.disable)()

    return run


@attrs.frozen
class Timing:
    items: int
    kilobytes: float
    gc_on: bool
    continuous: bool  # passes over every page, no collection between rounds (``timed``'s ``pages``)
    case: str
    decoder: str
    best: float
    median: float
    ratio: float  # median over rounds of this case's time / json.loads's time


def measure(variants: list[tuple[str, PageModel]], repeat: int) -> list[Timing]:
    timings = []
    for items in PAGE_SIZES:
        bodies = build_pages(items)
        kilobytes = statistics.mean(len(body) for body in bodies) / 1000
        for _, model in variants:  # warm up: first-call costs are not what we measure
            model.from_dict(json.loads(bodies[0]))
        cases = [("json.loads", "json.loads", cycling(bodies, json.loads, None))]
        for decoder, decode in decoders():
            for label, model in variants:
                cases.append((f"{decoder} + from_dict ({label})", decoder, cycling(bodies, decode, model)))
        for gc_on, pages in ((True, None), (False, None), (True, len(bodies))):
            cycles = repeat if pages is None else max(3, repeat // CONTINUOUS_ROUNDS_DIVISOR)
            rounds = interleaved_rounds([timed(function, gc_on, pages) for _, _, function in cases], cycles)
            for (case, decoder, _), times in zip(cases, rounds, strict=True):
                ratio = ratio_of_medians_per_round(times, rounds[0])
                median = statistics.median(times)
                continuous = pages is not None
                timings.append(Timing(items, kilobytes, gc_on, continuous, case, decoder, min(times), median, ratio))
    return timings


def rows(repeat: int = 81) -> list[dict[str, Any]]:
    """``generated/``'s timings as rows of ``benchmarks/run.py``'s table."""
    from galileo_insights_api.models import LogstreamInsightTokenUsageResponse  # noqa: PLC0415

    produced = []
    for timing in measure([("generated/", LogstreamInsightTokenUsageResponse)], repeat):
        parses = timing.case != "json.loads"
        judged = parses and timing.gc_on  # per round and continuous: a long walk pays the full collections
        target = TARGETS.get((timing.items, timing.decoder)) if judged else None
        case = timing.case.replace(" (generated/)", "").replace("msgspec", "msgspec decode (`fast` extra)")
        produced.append(
            {
                "what": f"{timing.items} items ({timing.kilobytes:.0f} KB), {_gc_label(timing)}: {case}",
                "median": timing.median * 1e6,
                "unit": "µs",
                "comparison": f"{timing.ratio:.2f}x json.loads" if parses else "",
                "target": f"<= {target}x json.loads" if target else "",
                "met": timing.ratio <= target if target else None,
            }
        )
    return produced


def _gc_label(timing: Timing) -> str:
    if timing.continuous:
        return "GC on, continuous"
    return f"GC {'on' if timing.gc_on else 'off'}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--stock", action="store_true", help="also measure output of the stock templates")
    parser.add_argument("--templates", type=Path, action="append", default=[], help="also measure output of DIR")
    parser.add_argument("--repeat", type=int, default=81, help="rounds per case (default 81)")
    args = parser.parse_args(argv)

    from galileo_insights_api.models import LogstreamInsightTokenUsageResponse  # noqa: PLC0415

    variants: list[tuple[str, PageModel]] = [("generated/", LogstreamInsightTokenUsageResponse)]
    with contextlib.ExitStack() as stack:
        others = [(str(folder), folder) for folder in args.templates]
        if args.stock:
            import openapi_python_client  # noqa: PLC0415

            others.append(("stock templates", Path(openapi_python_client.__file__).parent / "templates"))
        for index, (label, folder) in enumerate(others):
            variants.append((label, stack.enter_context(package_from(folder, f"bench_variant_{index}"))))
        timings = measure(variants, args.repeat)

    header = f"{'items':>5} {'KB':>6} {'GC':<17}  {'case':<50} {'min µs':>9} {'median µs':>10} {'x loads':>8}"
    print(header, "-" * len(header), sep="\n")
    for timing in timings:
        print(
            f"{timing.items:>5} {timing.kilobytes:>6.1f} {_gc_label(timing):<17}  {timing.case:<50}"
            f" {timing.best * 1e6:>9.1f} {timing.median * 1e6:>10.1f} {timing.ratio:>7.2f}x"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
