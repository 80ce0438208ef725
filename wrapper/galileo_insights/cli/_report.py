"""``galileo-insights report``: the usage rows of a selection written as an HTML page, a PNG or an SVG.

The rows come from the same call as ``token-usage --by`` (``client.usage.by_period``); this module only says
what the report shows about the selection and writes the files (needs the ``report`` extra).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from galileo_insights._optional import MissingExtraError, require

from ._failures import ExitCode

if TYPE_CHECKING:
    from galileo_insights import LogStreamSelection, UsageReport

    from ._times import TimeRange

REPORT_HELP = (
    "Write a usage report: tokens (and, with --price or --model, cost) per period, stacked by log stream (or "
    "project with --group-by project), the totals with how many records were counted or missing, the top log "
    "streams, and the selection and prices used.\n\n"
    "[bold]--html FILE[/] is one self-contained page that works offline (the chart library is inside it); "
    "[bold]--png FILE[/] and [bold]--svg FILE[/] are pictures of the charts for mail and slides. Give any of "
    "them. The same selection flags as token-usage: --all, --project, --log-stream, the range and --tz.\n\n"
    "Needs the [bold]report[/] extra: pip install 'galileo-insights\\[report]'."
)
HtmlOption = Annotated[
    Path | None,
    typer.Option(metavar="FILE", help="Write the report as one offline HTML page.", show_default=False, dir_okay=False),
]
PngOption = Annotated[
    Path | None,
    typer.Option(metavar="FILE", help="Write the charts as a PNG picture.", show_default=False, dir_okay=False),
]
SvgOption = Annotated[
    Path | None,
    typer.Option(metavar="FILE", help="Write the charts as an SVG picture.", show_default=False, dir_okay=False),
]
TopOption = Annotated[
    int, typer.Option(min=1, metavar="N", help="Log streams (or projects) with a colour of their own; others summed.")
]
_EXTRA_MODULES = ("altair", "vl_convert")


def require_report_extra() -> None:
    """Stop with a usage error, before anything is read, when the ``report`` extra is not installed."""
    for module in _EXTRA_MODULES:
        try:
            require(module, "report")
        except MissingExtraError as error:
            typer.echo(f"error: {error}", err=True)
            raise typer.Exit(ExitCode.USAGE) from None


def write_report(
    usage: UsageReport, selection: LogStreamSelection, bounds: TimeRange, top: int, outputs: Mapping[str, Path | None]
) -> Iterator[str]:
    """Write each asked output of the report over ``usage``; yields one line per file written."""
    from galileo_insights.report import ReportDocument  # noqa: PLC0415 - the optional extra, once it is checked

    document = ReportDocument.from_rows(
        usage, selection=describe_selection(usage, selection, bounds), prices=usage.prices, period=usage.period, top=top
    )
    writers = {"--html": document.write_html, "--png": document.write_png, "--svg": document.write_svg}
    for flag, path in outputs.items():
        if path is not None:
            written = writers[flag](path)
            yield f"wrote {written} ({written.stat().st_size / 1e6:.2f} MB)"


def describe_selection(usage: UsageReport, selection: LogStreamSelection, bounds: TimeRange) -> dict[str, str]:
    """What the report covers, in words, for its "Selection" section."""
    asked = (
        "every log stream of every project"
        if selection.all
        else "; ".join(
            filter(
                None,
                (
                    f"projects {', '.join(selection.projects)}" if selection.projects else "",
                    f"log streams {', '.join(selection.log_streams)}" if selection.log_streams else "",
                ),
            )
        )
        or "the GALILEO_* defaults"
    )
    projects = {target.project_id for target in usage.targets}
    described = {
        "asked for": asked,
        "covered": f"{len(usage.targets)} log streams in {len(projects)} projects",
        "created": _range(bounds.since, bounds.until),
        "periods": f"{usage.period.value}s of {usage.zone}",
        "rows per": usage.group_by.value,
    }
    if bounds.updated_since or bounds.updated_before:
        described["updated"] = _range(bounds.updated_since, bounds.updated_before)
    return described


def _range(since: datetime.datetime | None, until: datetime.datetime | None) -> str:
    start = since.isoformat() if since else "the first record"
    end = until.isoformat() if until else "now"
    return f"from {start} (inclusive) to {end} (exclusive)"
