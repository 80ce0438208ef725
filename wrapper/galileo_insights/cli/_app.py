"""The typer app: ``token-usage`` (records, totals, usage per period), ``export`` (a Parquet dataset), ``fake-server``.

Every command builds its client through ``build_client``, the one seam tests replace to plug in the
in-process fake. Expected failures end in ``_failures`` as one stderr line and an exit code.

At module level this imports only what declaring the commands needs (typer, the options, their choices and defaults);
the client, the resources and the writers are imported by the command that runs them, so that ``--help`` loads no
HTTP stack and no generated model (``tests/cli/test_startup.py``).
"""

from __future__ import annotations

import datetime
import errno
import logging
import os
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, TypeVar

import attrs
import typer
from rich.console import Console

from galileo_insights import (
    GalileoInsightsError,
    GroupBy,
    InvalidRequestError,
    NameResolutionError,
    Period,
    __version__,
)
from galileo_insights._constants import (
    DEFAULT_CONNECT_TIMEOUT_SECONDS,
    DEFAULT_MAX_RETRIES,
    DEFAULT_PAGE_SIZE,
    DEFAULT_TIMEOUT_SECONDS,
    DEFAULT_USAGE_CONCURRENCY,
    MAX_TIMEOUT_SECONDS,
    TOTALS_PAGE_SIZE,
)

from ._failures import EXIT_CODES_HELP, ExitCode, describe, exit_code_for, terminal_safe
from ._formats import ListFormat, OutputFormat
from ._pricing import GroupByOption, ModelOption, PriceOption, ProviderOption, pricing
from ._report import REPORT_HELP, HtmlOption, PngOption, SvgOption, TopOption, require_report_extra, write_report
from ._selection import (
    AllOption,
    LogStreamArgument,
    LogStreamsOption,
    ProjectArgument,
    ProjectsOption,
    SelectionArguments,
    flag_of,
)
from ._signals import sigterm_as_interrupt

if TYPE_CHECKING:
    from galileo_insights import GalileoInsights
    from galileo_insights_api.models.log_stream_insight_token_usage_db import LogStreamInsightTokenUsageDB

    from ._destination import CountedWalk, Destination
    from ._output import Output

PROG_NAME = "galileo-insights"
_CONNECTION = "Connection"
_RANGE = "Which records"

_EXAMPLES = """[bold]Examples:[/]

  [cyan]galileo-insights token-usage --all --by day --last 7d --price input=3,output=15,cache-read=.3,cache-creation=4\
[/]

  [cyan]galileo-insights token-usage --project support-bot --by month --group-by project --model claude-sonnet-4[/]

  [cyan]galileo-insights token-usage $PROJECT $STREAM --since 2025-06-01 --until 2025-07-01 --tz Europe/Paris[/]

  [cyan]galileo-insights token-usage $PROJECT $STREAM --last 7d --format parquet --output usage.parquet[/]

  [cyan]galileo-insights token-usage $PROJECT $STREAM --totals --format json[/]

  [cyan]galileo-insights token-usage --project my-project --log-stream production --last 7d[/]  (by name)

  [cyan]galileo-insights token-usage --by day --tz America/New_York --last 30d[/]  (ids or names from the environment)

  [cyan]galileo-insights export --all --to usage-dataset/[/]  (or --to s3://bucket/usage)
"""

_CONNECTION_HELP = (
    "[bold]Connection:[/] --api-key and --base-url win over GALILEO_API_KEY, GALILEO_JWT_TOKEN, "
    "GALILEO_USERNAME + GALILEO_PASSWORD, GALILEO_API_URL and GALILEO_CONSOLE_URL (default https://api.galileo.ai). "
    "GALILEO_EXTRA_HEADERS (a JSON object) adds headers to every request; HTTP_PROXY, HTTPS_PROXY, ALL_PROXY and "
    "NO_PROXY are honoured as httpx honours them; GALILEO_LOG_LEVEL=DEBUG (or GALILEO_LOG=debug) logs requests."
)

_COMMAND_HELP = (
    "List a log stream's token-usage records, newest first; or sum them ([bold]--totals[/]); "
    "or sum them per period ([bold]--by[/] hour|day|week|month), over one log stream or many.\n\n"
    "What is counted: the tokens Galileo spent generating Logstream Insights for a log stream (the spec's "
    'TokenUsage, "Token usage information for insights generation"), not your application\'s own LLM traffic.\n\n'
    "Records are selected on created_at in the half-open range [bold]--since <= created_at < --until[/], "
    "so back-to-back ranges neither overlap nor miss a record. A bound is an ISO-8601 time with a timezone "
    "(2025-06-01T00:00Z, 2025-06-01T02:00+02:00), a date (2025-06-01: midnight in --tz) or a duration back "
    "from now (7d, 24h); [bold]--last 24h[/] is --since 24h. A time without a timezone is an error. "
    "A timestamp the server sends without an offset is read as UTC.\n\n"
    "[bold]--totals[/] reports, per token field, the sum, how many records had a value (counted) and how many "
    "had a null or no token usage (missing): a table, or JSON with --format json.\n\n"
    "[bold]--by[/] sums the records per hour, day, week (from Monday) or month of --tz's calendar (a "
    "daylight-saving day has 23 or 25 hours), one row per project, log stream and period with names and ids, "
    "every period of --since/--until included. [bold]--all[/], several [bold]--project[/] / [bold]--log-stream[/] "
    "or a --project alone cover many log streams (--concurrency of them at once); [bold]--group-by[/] sums per "
    "project or overall. total_tokens = input + output + cache read + cache creation (assumes the four are "
    "disjoint). [bold]--price[/] or [bold]--model[/] adds cost_usd: the sum of each kind's tokens times its price "
    "per million. The table charts total tokens with bars; json, jsonl, csv and parquet carry every column and "
    "how many records missed each count.\n\n"
    "[bold]--output FILE[/] writes to a temporary file renamed into place at the end, so a failure leaves no half "
    "file; a walk stopped part-way keeps what it has as FILE.partial and says which --starting-token resumes it."
)

_EXPORT_HELP = (
    "Write (or bring up to date) one Hive-partitioned Parquet dataset of the selected log streams' records: "
    "DIR/project_id=P/log_stream_id=S/date=YYYY-MM-DD/part-0.parquet, one file per log stream and UTC day of "
    "created_at, each with project and log_stream name columns; DuckDB, polars, pyarrow and Spark read DIR with "
    "hive partitioning. DIR may be a path or a URL pyarrow or fsspec knows (s3://bucket/usage, gs://..., "
    "file://...).\n\n"
    "Each run reads only what may have changed: a log stream's days that ended more than --lag ago are closed "
    "(recorded in its folder's _export_state.json) and never read again; later days are rewritten whole, so a "
    "record that reached the server late is picked up and none is written twice. A log stream selected for the "
    "first time (or new since the last --all) is added beside the others. --concurrency bounds the requests in "
    "flight: that many log streams at once, the last ones sharing them as parallel windows. Killed at any point, "
    "DIR holds whole files only, and the next run resumes."
)

_EPILOG = f"{_EXAMPLES}\n\n{_CONNECTION_HELP}\n\n{EXIT_CODES_HELP}"

app = typer.Typer(
    name=PROG_NAME,
    epilog=_EPILOG,
    rich_markup_mode="rich",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)

ApiKeyOption = Annotated[
    str | None,
    typer.Option(
        metavar="KEY",
        help="Galileo API key. [dim]\\[default: GALILEO_API_KEY][/]",
        hide_input=True,
        show_default=False,
        rich_help_panel=_CONNECTION,
    ),
]
BaseUrlOption = Annotated[
    str | None,
    typer.Option(
        metavar="URL",
        help="Galileo API URL. [dim]\\[default: GALILEO_API_URL][/]",
        show_default=False,
        rich_help_panel=_CONNECTION,
    ),
]
TimeoutOption = Annotated[
    float | None,
    typer.Option(
        min=0.001,
        max=MAX_TIMEOUT_SECONDS,
        metavar="SECONDS",
        help=f"Per-request timeout. [dim]\\[default: {DEFAULT_TIMEOUT_SECONDS:g}, "
        f"connect {DEFAULT_CONNECT_TIMEOUT_SECONDS:g}][/]",
        show_default=False,
        rich_help_panel=_CONNECTION,
    ),
]
MaxRetriesOption = Annotated[
    int,
    typer.Option(min=0, metavar="N", help="Retries after network errors, 429 and 5xx.", rich_help_panel=_CONNECTION),
]
ProgressOption = Annotated[
    bool | None,
    typer.Option(
        "--progress/--no-progress",
        help="Items, pages and rate on stderr. [dim]\\[default: when stderr is a terminal][/]",
        show_default=False,
    ),
]
VerboseOption = Annotated[bool, typer.Option("--verbose", "-v", help="Log requests and retries to stderr.")]
ConcurrencyOption = Annotated[
    int,
    typer.Option(
        min=1,
        metavar="N",
        help="Read N time windows of one log stream in parallel (needs a start: --since or --last; --until "
        "defaults to now); with --by over many log streams, N requests in flight: N log streams at once, the last ones "
        "sharing N as windows.",
    ),
]

SinceOption = Annotated[
    str | None,
    typer.Option(
        metavar="WHEN",
        help="Created at or after ([bold]inclusive[/]): ISO time, date (in --tz) or 7d/24h ago.",
        show_default=False,
        rich_help_panel=_RANGE,
    ),
]
UntilOption = Annotated[
    str | None,
    typer.Option(
        metavar="WHEN",
        help="Created before ([bold]exclusive[/]): same forms as --since.",
        show_default=False,
        rich_help_panel=_RANGE,
    ),
]
LastOption = Annotated[
    str | None,
    typer.Option(metavar="DURATION", help="The last 30m, 24h, 7d or 2w (--since DURATION).", rich_help_panel=_RANGE),
]
TzOption = Annotated[
    str,
    typer.Option(metavar="ZONE", help="Zone of --by periods and of date-only bounds.", rich_help_panel=_RANGE),
]
UpdatedSinceOption = Annotated[
    str | None,
    typer.Option(metavar="WHEN", help="Updated at or after (inclusive).", show_default=False, rich_help_panel=_RANGE),
]
UpdatedBeforeOption = Annotated[
    str | None,
    typer.Option(metavar="WHEN", help="Updated before (exclusive).", show_default=False, rich_help_panel=_RANGE),
]


@attrs.frozen
class Connection:
    """Where and as whom to connect; unset fields fall back to the ``GALILEO_*`` environment."""

    api_key: str | None = attrs.field(repr=False)
    base_url: str | None
    timeout: float | None
    max_retries: int


def build_client(connection: Connection) -> GalileoInsights:
    """The client every command uses (tests replace this to add a fake transport)."""
    from galileo_insights import GalileoInsights  # noqa: PLC0415 - when the command runs (module docstring)

    return GalileoInsights(
        api_key=connection.api_key,
        base_url=connection.base_url,
        timeout=connection.timeout,
        max_retries=connection.max_retries,
    )


def _show_version(value: bool) -> None:
    if value:
        from .._provenance import provenance_lines  # noqa: PLC0415 - read only for --version

        typer.echo("\n".join([f"{PROG_NAME} {__version__}", *provenance_lines()]))
        raise typer.Exit


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_show_version, is_eager=True, help="Print the version and exit."),
    ] = False,
) -> None:
    """Read the tokens Galileo spent generating Logstream Insights: export records, sum them, chart and price them
    per period across projects and log streams, keep a Parquet dataset up to date, and turn insights on or off."""


def progress_console(force: bool | None) -> Console:
    """The stderr console for progress and logs; ``force=True`` renders it even when stderr is not a terminal."""
    return Console(stderr=True, force_terminal=True if force else None)


class _ConsoleLogHandler(logging.Handler):
    """One unwrapped line per record on the stderr console (which keeps it clear of the progress line)."""

    def __init__(self, console: Console) -> None:
        super().__init__()
        self._console = console

    def emit(self, record: logging.LogRecord) -> None:
        line = terminal_safe(f"{record.levelname.lower()}: {record.getMessage()}")
        self._console.print(line, soft_wrap=True, markup=False, highlight=False, style="dim")


@contextmanager
def _sdk_logging(verbose: bool, console: Console) -> Iterator[None]:
    """Route the SDK's retry and request log to stderr with ``--verbose``; keep it silent otherwise."""
    logger = logging.getLogger("galileo_insights")
    handler: logging.Handler = _ConsoleLogHandler(console) if verbose else logging.NullHandler()
    previous_level = logger.level
    logger.addHandler(handler)
    if verbose:
        logger.setLevel(logging.DEBUG)
    try:
        yield
    finally:
        logger.removeHandler(handler)
        logger.setLevel(previous_level)


@contextmanager
def _expected_failures(base_url: list[str]) -> Iterator[None]:
    """SDK errors as one stderr line and their exit code; a closed stdout (``| head``) as a quiet exit 141."""
    try:
        yield
    except GalileoInsightsError as error:
        _flush_stdout()
        typer.echo(describe(error, base_url[0] if base_url else None), err=True)
        raise typer.Exit(exit_code_for(error)) from None
    except BrokenPipeError:
        _silence_stdout()
        raise typer.Exit(ExitCode.BROKEN_PIPE) from None
    except OSError as error:
        if error.errno != errno.EPIPE:
            # disk full, a quota, an I/O error: one line, not a traceback (--output has removed its temporary file)
            typer.echo(terminal_safe(f"error: cannot write the output: {error.strerror or error}"), err=True)
            raise typer.Exit(ExitCode.UNEXPECTED) from None
        _silence_stdout()
        raise typer.Exit(ExitCode.BROKEN_PIPE) from None


def _flush_stdout() -> None:
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        _silence_stdout()


def _silence_stdout() -> None:
    """Point stdout at /dev/null so that the interpreter's last flush cannot fail again on the closed pipe."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):  # not a real file (tests capture stdout): nothing to protect
        pass


@app.command("token-usage", help=_COMMAND_HELP, epilog=_EPILOG)
def token_usage(
    project_id: ProjectArgument = None,
    log_stream_id: LogStreamArgument = None,
    *,
    all_log_streams: AllOption = False,
    project: ProjectsOption = None,
    log_stream: LogStreamsOption = None,
    since: SinceOption = None,
    until: UntilOption = None,
    last: LastOption = None,
    tz: TzOption = "UTC",
    updated_since: UpdatedSinceOption = None,
    updated_before: UpdatedBeforeOption = None,
    ascending: Annotated[bool, typer.Option("--ascending", help="Oldest first (default: newest first).")] = False,
    max_items: Annotated[
        int | None, typer.Option(min=0, metavar="N", help="Stop after N records.", show_default=False)
    ] = None,
    starting_token: Annotated[
        int, typer.Option(min=0, metavar="N", help="Skip the first N records (resume a stopped walk).")
    ] = 0,
    page_size: Annotated[
        int,
        typer.Option(min=1, metavar="N", help="Records per request (if a server refuses 1000 with 422: 100)."),
    ] = DEFAULT_PAGE_SIZE,
    concurrency: ConcurrencyOption = 1,
    output_format: Annotated[OutputFormat, typer.Option("--format", "-f", help="Output format.")] = OutputFormat.TABLE,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            metavar="FILE",
            help="Write to FILE (via a temporary file) instead of stdout.",
            show_default=False,
            dir_okay=False,
        ),
    ] = None,
    totals: Annotated[
        bool, typer.Option("--totals", help="Counts and sums per token field instead of records.")
    ] = False,
    by: Annotated[
        Period | None,
        typer.Option(help="Usage per period of --tz's calendar instead of records.", show_default=False),
    ] = None,
    group_by: GroupByOption = GroupBy.LOG_STREAM,
    price: PriceOption = None,
    model: ModelOption = None,
    provider: ProviderOption = None,
    progress: ProgressOption = None,
    verbose: VerboseOption = False,
    api_key: ApiKeyOption = None,
    base_url: BaseUrlOption = None,
    timeout: TimeoutOption = None,
    max_retries: MaxRetriesOption = DEFAULT_MAX_RETRIES,
) -> None:
    """Export, sum or chart token usage (see ``_COMMAND_HELP``)."""
    from galileo_insights import TotalsAccumulator  # noqa: PLC0415 - when the command runs (module docstring)

    from ._destination import Destination  # noqa: PLC0415
    from ._many import ManyLogStreams  # noqa: PLC0415
    from ._output import write_totals  # noqa: PLC0415
    from ._progress import page_progress  # noqa: PLC0415
    from ._times import time_range  # noqa: PLC0415

    chosen = SelectionArguments.of(project_id, log_stream_id, project, log_stream, all_log_streams)
    selection = chosen.selection()
    if totals and by is not None:
        raise typer.BadParameter("cannot be combined with --by; pick one.", param_hint="--totals")
    if totals and output_format not in (OutputFormat.TABLE, OutputFormat.JSON):
        raise typer.BadParameter("prints a table or, with --format json, a JSON object.", param_hint="--totals")
    if output_format is OutputFormat.PARQUET and output is None and sys.stdout.isatty():
        raise typer.BadParameter("writes binary: add --output FILE or redirect stdout.", param_hint="--format parquet")
    prices = pricing(price, model, provider)
    if prices is not None and by is None:
        raise typer.BadParameter("prices usage rows: add --by PERIOD.", param_hint="--model" if model else "--price")
    if by is None and not chosen.single and (totals or starting_token):
        raise typer.BadParameter(
            "reads one log stream; for several, add --by PERIOD (usage rows with names) or list their records.",
            param_hint="--totals" if totals else "--starting-token",
        )
    connection = Connection(api_key=api_key, base_url=base_url, timeout=timeout, max_retries=max_retries)
    stderr = progress_console(progress)
    base: list[str] = []
    with _sdk_logging(verbose, stderr), _expected_failures(base):
        zone = _zone(tz)
        now = datetime.datetime.now(datetime.UTC)
        bounds = time_range(
            since=since,
            until=until,
            last=last,
            updated_since=updated_since,
            updated_before=updated_before,
            zone=zone,
            now=now,
        )
        if by is not None or not chosen.single:
            many = ManyLogStreams(
                selection,
                bounds,
                bounds.until or (now if bounds.since is not None and by is not None else None),
                zone,
                ascending=ascending,
                concurrency=concurrency,
                page_size=page_size,
                max_items=max_items,
            )
            destination = Destination(output)
            with build_client(connection) as client, destination as out:
                base.append(client.base_url)
                _with_flag(lambda: many.write(client, out, output_format, by=by, group_by=group_by, prices=prices))
                destination.keep()
            return
        if concurrency > 1 and bounds.since is None:
            raise InvalidRequestError("a parallel read needs a start: --since or --last", argument="--concurrency")
        target_project_id, target_log_stream_id, target_project, target_log_stream = chosen.single_target()
        with build_client(connection) as client:
            base.append(client.base_url)
            pager = client.token_usage.list(
                target_project_id,
                target_log_stream_id,
                project=target_project,
                log_stream=target_log_stream,
                created_since=bounds.since,
                created_before=bounds.until or (now if concurrency > 1 else None),
                updated_since=bounds.updated_since,
                updated_before=bounds.updated_before,
                ascending=ascending,
                max_items=max_items,
                page_size=page_size,
                starting_token=starting_token,
                concurrency=concurrency,
            )
            destination = Destination(output)
            with page_progress(stderr, progress) as tracker, destination as out:
                if totals:
                    accumulator = TotalsAccumulator()
                    accumulator.add_all(tracker.items_of(pager))
                    write_totals(accumulator.result(), output_format, out)
                else:
                    _write_records(
                        tracker.items_of(pager),
                        destination,
                        out,
                        output_format,
                        starting_token=starting_token,
                        max_items=max_items,
                        resumable=concurrency == 1,
                    )
                destination.keep()


T = TypeVar("T")


def _with_flag(call: Callable[[], T]) -> T:
    """``call()``, with a name that matched nothing reported against the flag that gave it."""
    try:
        return call()
    except NameResolutionError as error:
        raise NameResolutionError(
            f"{flag_of(error)}: {error}", kind=error.kind, name=error.name, found=error.found
        ) from None


def _zone(tz: str) -> datetime.tzinfo:
    from galileo_insights.resources.token_usage import as_zone  # noqa: PLC0415 - when the command runs

    try:
        return as_zone(tz)
    except InvalidRequestError:
        raise InvalidRequestError(
            f"{tz!r} is not an IANA time zone name such as Europe/Paris or UTC", argument="--tz"
        ) from None


def _write_records(
    items: Iterable[LogStreamInsightTokenUsageDB],
    destination: Destination,
    out: Output,
    output_format: OutputFormat,
    *,
    starting_token: int,
    max_items: int | None,
    resumable: bool,
) -> None:
    """Write the walk's records; a walk stopped part-way keeps what it wrote (as FILE.partial with --output), says
    how to go on, and ends the command. Ctrl-C or SIGTERM lands wherever the main thread is: while a record is being
    written (not only while the next one is awaited), it ends the walk the same way, kept and reported."""
    from ._destination import PARTIAL_SUFFIX, CountedWalk  # noqa: PLC0415 - when the command runs (module docstring)
    from ._output import record_writer  # noqa: PLC0415

    walk = CountedWalk(items)
    try:
        record_writer(output_format)(walk, out)
    except KeyboardInterrupt as interrupt:
        if not walk.count:
            raise
        walk.stopped_by = interrupt
    if walk.stopped_by is not None:
        kept = destination.keep(PARTIAL_SUFFIX)
        _report_stopped(walk, kept, starting_token, max_items, resumable=resumable)
        raise typer.Exit(_stopped_code(walk.stopped_by))


def _report_stopped(
    walk: CountedWalk, kept: Path | None, starting_token: int, max_items: int | None, *, resumable: bool
) -> None:
    """Say what a walk stopped part-way wrote, where, and how to go on from there."""
    error = walk.stopped_by
    cause = "interrupted" if isinstance(error, KeyboardInterrupt) else describe(error, None) if error else "stopped"
    where = f"kept in {kept}" if kept is not None else "written to stdout"
    remaining = "" if max_items is None else f" --max-items {max_items - walk.count}"
    resume = (
        f"; resume with --starting-token {starting_token + walk.count}{remaining} (same options otherwise; offsets "
        "hold with --ascending or a fixed --until)"
        if resumable
        else "; run the command again to read the rest"
    )
    typer.echo(f"{cause.removeprefix('error: ')}: stopped after {walk.count:,} records, {where}{resume}", err=True)


def _stopped_code(error: GalileoInsightsError | KeyboardInterrupt) -> ExitCode:
    return ExitCode.INTERRUPTED if isinstance(error, KeyboardInterrupt) else exit_code_for(error)


ListFormatOption = Annotated[ListFormat, typer.Option("--format", "-f", help="Output format.")]


@app.command("projects", epilog=f"{_CONNECTION_HELP}\n\n{EXIT_CODES_HELP}")
def projects(
    *,
    output_format: ListFormatOption = ListFormat.TABLE,
    verbose: VerboseOption = False,
    api_key: ApiKeyOption = None,
    base_url: BaseUrlOption = None,
    timeout: TimeoutOption = None,
    max_retries: MaxRetriesOption = 2,
) -> None:
    """The projects these credentials can see: name, id, type, created_at."""
    from ._listing import PROJECT_COLUMNS, write_listing  # noqa: PLC0415 - when the command runs (module docstring)

    connection = Connection(api_key=api_key, base_url=base_url, timeout=timeout, max_retries=max_retries)
    base: list[str] = []
    with _sdk_logging(verbose, progress_console(None)), _expected_failures(base):
        with build_client(connection) as client:
            base.append(client.base_url)
            found = client.projects.list()
        rows = [
            {
                "project": project.name if isinstance(project.name, str) else None,
                "project_id": str(project.id),
                "type": project.type_ if isinstance(project.type_, str) else None,
                "created_at": project.created_at.isoformat(),
            }
            for project in found
        ]
        write_listing(rows, PROJECT_COLUMNS, output_format, sys.stdout)


@app.command("log-streams", epilog=f"{_CONNECTION_HELP}\n\n{EXIT_CODES_HELP}")
def log_streams(
    *,
    project: ProjectsOption = None,
    output_format: ListFormatOption = ListFormat.TABLE,
    verbose: VerboseOption = False,
    api_key: ApiKeyOption = None,
    base_url: BaseUrlOption = None,
    timeout: TimeoutOption = None,
    max_retries: MaxRetriesOption = 2,
) -> None:
    """The log streams of --project (repeatable; default: every project), with their project, names and ids, and
    whether Galileo generates insights for each (insights: enabled / disabled, insights since: the start time)."""
    from ._listing import LOG_STREAM_COLUMNS, insights_cells, write_listing  # noqa: PLC0415 - when the command runs

    selection = SelectionArguments.of(None, None, project, None, not project).selection()
    connection = Connection(api_key=api_key, base_url=base_url, timeout=timeout, max_retries=max_retries)
    base: list[str] = []
    with _sdk_logging(verbose, progress_console(None)), _expected_failures(base):
        with build_client(connection) as client:
            base.append(client.base_url)
            targets = _with_flag(lambda: client.usage.select(selection.projects, all=selection.all))
            settings = client.insights_settings.retrieve_many(targets)
        rows = [
            {
                "project": target.project,
                "project_id": str(target.project_id),
                "log_stream": target.log_stream,
                "log_stream_id": str(target.log_stream_id),
                **insights_cells(found),
            }
            for target, found in zip(targets, settings, strict=True)
        ]
        write_listing(rows, LOG_STREAM_COLUMNS, output_format, sys.stdout)


@app.command("export", help=_EXPORT_HELP, epilog=f"{_CONNECTION_HELP}\n\n{EXIT_CODES_HELP}")
def export(
    project_id: ProjectArgument = None,
    log_stream_id: LogStreamArgument = None,
    *,
    all_log_streams: AllOption = False,
    project: ProjectsOption = None,
    log_stream: LogStreamsOption = None,
    to: Annotated[
        str,
        typer.Option("--to", metavar="DIR|URL", help="The dataset directory or URL (created if missing)."),
    ],
    lag: Annotated[
        str, typer.Option(metavar="DURATION", help="How late records may reach the server (30m, 2h, 1d).")
    ] = "1h",
    concurrency: Annotated[
        int,
        typer.Option(
            min=1,
            metavar="N",
            help="Requests in flight: N log streams at once, the last ones sharing the N as parallel windows.",
        ),
    ] = 4,
    page_size: Annotated[int, typer.Option(min=1, metavar="N", help="Records per request.")] = 1000,
    verbose: VerboseOption = False,
    api_key: ApiKeyOption = None,
    base_url: BaseUrlOption = None,
    timeout: TimeoutOption = None,
    max_retries: MaxRetriesOption = DEFAULT_MAX_RETRIES,
) -> None:
    """Bring a Parquet dataset up to date (see ``_EXPORT_HELP``)."""
    from galileo_insights import export_dataset  # noqa: PLC0415 - when the command runs (module docstring)
    from galileo_insights.resources.token_usage import parse_duration  # noqa: PLC0415

    selection = SelectionArguments.of(project_id, log_stream_id, project, log_stream, all_log_streams).selection()
    connection = Connection(api_key=api_key, base_url=base_url, timeout=timeout, max_retries=max_retries)
    base: list[str] = []
    with _sdk_logging(verbose, progress_console(None)), _expected_failures(base):
        lag_delta = parse_duration(lag, "--lag")
        with build_client(connection) as client:
            base.append(client.base_url)
            try:
                summary = _with_flag(
                    lambda: export_dataset(
                        client,
                        to,
                        selection.projects,
                        selection.log_streams,
                        all=selection.all,
                        lag=lag_delta,
                        concurrency=concurrency,
                        page_size=page_size,
                    )
                )
            except KeyboardInterrupt:
                typer.echo(f"interrupted: {to} holds whole day files only; run the same command to resume", err=True)
                raise typer.Exit(ExitCode.INTERRUPTED) from None
    typer.echo(
        f"wrote {summary.records:,} records in {summary.files} day files of {len(summary.log_streams)} log streams "
        f"to {summary.directory}"
    )


@app.command("report", help=REPORT_HELP, epilog=f"{_CONNECTION_HELP}\n\n{EXIT_CODES_HELP}")
def report(
    project_id: ProjectArgument = None,
    log_stream_id: LogStreamArgument = None,
    *,
    all_log_streams: AllOption = False,
    project: ProjectsOption = None,
    log_stream: LogStreamsOption = None,
    since: SinceOption = None,
    until: UntilOption = None,
    last: LastOption = None,
    tz: TzOption = "UTC",
    updated_since: UpdatedSinceOption = None,
    updated_before: UpdatedBeforeOption = None,
    by: Annotated[Period, typer.Option(help="One bar per period of --tz's calendar.")] = Period.DAY,
    group_by: GroupByOption = GroupBy.LOG_STREAM,
    price: PriceOption = None,
    model: ModelOption = None,
    provider: ProviderOption = None,
    html: HtmlOption = None,
    png: PngOption = None,
    svg: SvgOption = None,
    top: TopOption = 9,
    concurrency: Annotated[
        int, typer.Option(min=1, metavar="N", help="Log streams read in parallel.")
    ] = DEFAULT_USAGE_CONCURRENCY,
    verbose: VerboseOption = False,
    api_key: ApiKeyOption = None,
    base_url: BaseUrlOption = None,
    timeout: TimeoutOption = None,
    max_retries: MaxRetriesOption = DEFAULT_MAX_RETRIES,
) -> None:
    """Write the usage report as HTML, PNG or SVG (see ``REPORT_HELP``)."""
    from ._many import ManyLogStreams  # noqa: PLC0415 - when the command runs (module docstring)
    from ._times import time_range  # noqa: PLC0415

    outputs = {"--html": html, "--png": png, "--svg": svg}
    if not any(outputs.values()):
        raise typer.BadParameter("give at least one of --html FILE, --png FILE, --svg FILE.", param_hint="--html")
    require_report_extra()
    selection = SelectionArguments.of(project_id, log_stream_id, project, log_stream, all_log_streams).selection()
    prices = pricing(price, model, provider)
    connection = Connection(api_key=api_key, base_url=base_url, timeout=timeout, max_retries=max_retries)
    base: list[str] = []
    with _sdk_logging(verbose, progress_console(None)), _expected_failures(base):
        zone = _zone(tz)
        now = datetime.datetime.now(datetime.UTC)
        bounds = time_range(
            since=since,
            until=until,
            last=last,
            updated_since=updated_since,
            updated_before=updated_before,
            zone=zone,
            now=now,
        )
        many = ManyLogStreams(
            selection,
            bounds,
            bounds.until or (now if bounds.since is not None else None),
            zone,
            ascending=True,
            concurrency=concurrency,
            page_size=TOTALS_PAGE_SIZE,
            max_items=None,
        )
        with build_client(connection) as client:
            base.append(client.base_url)
            usage = _with_flag(lambda: many.usage(client, by=by, group_by=group_by, prices=prices))
        for line in write_report(usage, selection, bounds, top, outputs):
            typer.echo(line)


insights_app = typer.Typer(
    help="Whether Galileo generates Logstream Insights for a log stream (the tokens token-usage counts), and "
    "since when: show, enable or disable.",
    no_args_is_help=True,
)
app.add_typer(insights_app, name="insights-settings")


def _settings_command(
    chosen: SelectionArguments,
    connection: Connection,
    verbose: bool,
    output_format: ListFormat,
    change: tuple[bool, datetime.datetime | None] | None,
) -> None:
    """Read (``change`` None) or set ``(enabled, start_time)`` of one log stream and print them as a listing row."""
    from ._listing import insights_cells, write_listing  # noqa: PLC0415 - when the command runs (module docstring)

    if not chosen.single:
        raise typer.BadParameter("names one log stream: give --project and --log-stream.", param_hint="--project")
    project_id, log_stream_id, project, log_stream = chosen.single_target()
    base: list[str] = []
    with _sdk_logging(verbose, progress_console(None)), _expected_failures(base):
        with build_client(connection) as client:
            base.append(client.base_url)
            settings = client.insights_settings
            found = _with_flag(
                lambda: (
                    settings.retrieve(project_id, log_stream_id, project=project, log_stream=log_stream)
                    if change is None
                    else settings.update(
                        project_id,
                        log_stream_id,
                        project=project,
                        log_stream=log_stream,
                        enabled=change[0],
                        start_time=change[1],
                    )
                )
            )
        row = {"log_stream_id": str(found.run_id), **insights_cells(found)}
        write_listing([row], ("log_stream_id", "insights", "insights_since"), output_format, sys.stdout)


@insights_app.command("show", epilog=f"{_CONNECTION_HELP}\n\n{EXIT_CODES_HELP}")
def insights_show(
    project_id: ProjectArgument = None,
    log_stream_id: LogStreamArgument = None,
    *,
    project: ProjectsOption = None,
    log_stream: LogStreamsOption = None,
    output_format: ListFormatOption = ListFormat.TABLE,
    verbose: VerboseOption = False,
    api_key: ApiKeyOption = None,
    base_url: BaseUrlOption = None,
    timeout: TimeoutOption = None,
    max_retries: MaxRetriesOption = 2,
) -> None:
    """Whether insights are generated for the log stream, and since when."""
    chosen = SelectionArguments.of(project_id, log_stream_id, project, log_stream, False)
    connection = Connection(api_key=api_key, base_url=base_url, timeout=timeout, max_retries=max_retries)
    _settings_command(chosen, connection, verbose, output_format, None)


@insights_app.command("enable", epilog=f"{_CONNECTION_HELP}\n\n{EXIT_CODES_HELP}")
def insights_enable(
    project_id: ProjectArgument = None,
    log_stream_id: LogStreamArgument = None,
    *,
    project: ProjectsOption = None,
    log_stream: LogStreamsOption = None,
    since: Annotated[
        str | None,
        typer.Option(
            metavar="WHEN",
            help="Start time for generating insights (sent as start_time): ISO time, date (UTC) or 7d ago.",
            show_default=False,
        ),
    ] = None,
    output_format: ListFormatOption = ListFormat.TABLE,
    verbose: VerboseOption = False,
    api_key: ApiKeyOption = None,
    base_url: BaseUrlOption = None,
    timeout: TimeoutOption = None,
    max_retries: MaxRetriesOption = 2,
) -> None:
    """Turn insights generation on for the log stream (Galileo then spends tokens on it)."""
    from ._times import time_range  # noqa: PLC0415 - when the command runs (module docstring)

    chosen = SelectionArguments.of(project_id, log_stream_id, project, log_stream, False)
    connection = Connection(api_key=api_key, base_url=base_url, timeout=timeout, max_retries=max_retries)
    start: datetime.datetime | None = None
    if since is not None:
        with _expected_failures([]):
            now = datetime.datetime.now(datetime.UTC)
            start = time_range(
                since=since, until=None, last=None, updated_since=None, updated_before=None, zone=datetime.UTC, now=now
            ).since
    _settings_command(chosen, connection, verbose, output_format, (True, start))


@insights_app.command("disable", epilog=f"{_CONNECTION_HELP}\n\n{EXIT_CODES_HELP}")
def insights_disable(
    project_id: ProjectArgument = None,
    log_stream_id: LogStreamArgument = None,
    *,
    project: ProjectsOption = None,
    log_stream: LogStreamsOption = None,
    output_format: ListFormatOption = ListFormat.TABLE,
    verbose: VerboseOption = False,
    api_key: ApiKeyOption = None,
    base_url: BaseUrlOption = None,
    timeout: TimeoutOption = None,
    max_retries: MaxRetriesOption = 2,
) -> None:
    """Turn insights generation off for the log stream."""
    chosen = SelectionArguments.of(project_id, log_stream_id, project, log_stream, False)
    connection = Connection(api_key=api_key, base_url=base_url, timeout=timeout, max_retries=max_retries)
    _settings_command(chosen, connection, verbose, output_format, (False, None))


@app.command(
    "fake-server",
    context_settings={"allow_extra_args": True, "ignore_unknown_options": True},
    add_help_option=False,
)
def fake_server(ctx: typer.Context) -> None:
    """Run a fake Galileo API on localhost (needs the [bold]server[/] extra) until Ctrl-C; --help lists its options.

    Prints the URL, then the API key, project id and log stream id (and their names) to use with token-usage.
    """
    try:
        from galileo_insights.testing import main as fake_main  # noqa: PLC0415 - optional, heavy, only here
    except ImportError as exc:
        typer.echo(f"error: fake-server needs galileo_insights.testing: {exc}", err=True)
        raise typer.Exit(ExitCode.USAGE) from None
    # Its options are written once, in galileo_insights.testing._cli; so is the line for a missing server extra.
    raise typer.Exit(fake_main(ctx.args))


def run(argv: Sequence[str] | None = None) -> int:
    """Run the app on ``argv`` (default ``sys.argv[1:]``) and return its exit code instead of exiting."""
    try:
        with sigterm_as_interrupt():
            app(args=list(argv) if argv is not None else None, prog_name=PROG_NAME)
    except SystemExit as exit_:
        code = exit_.code
        if code is None:
            return ExitCode.OK
        return code if isinstance(code, int) else ExitCode.UNEXPECTED
    return ExitCode.OK
