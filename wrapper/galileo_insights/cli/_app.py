"""The typer app: ``token-usage`` (export, totals, per-period chart) and ``fake-server``.

Every command builds its client through ``build_client``, the one seam tests replace to plug in the
in-process fake. Expected failures end in ``_failures`` as one stderr line and an exit code.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Annotated

import attrs
import typer
from rich.console import Console

from galileo_insights import GalileoInsights, GalileoInsightsError, TokenUsagePager, TotalsAccumulator, __version__

from ._failures import EXIT_CODES_HELP, ExitCode, describe, exit_code_for
from ._output import OutputFormat, write_periods, write_records, write_totals
from ._periods import Period, PeriodAggregator
from ._progress import page_progress, progress_console

PROG_NAME = "galileo-insights"
_CONNECTION = "Connection"

_EXAMPLES = """[bold]Examples:[/]

  [cyan]galileo-insights token-usage $PROJECT $STREAM --since 2025-06-01T00:00Z --until 2025-07-01T00:00Z[/]

  [cyan]galileo-insights token-usage $PROJECT $STREAM --format csv > usage.csv[/]

  [cyan]galileo-insights token-usage $PROJECT $STREAM --totals --format json[/]

  [cyan]galileo-insights token-usage $PROJECT $STREAM --by day --since 2025-06-01T00:00+02:00[/]
"""

_CONNECTION_HELP = (
    "[bold]Connection:[/] --api-key and --base-url win over GALILEO_API_KEY, GALILEO_JWT_TOKEN, "
    "GALILEO_USERNAME + GALILEO_PASSWORD, GALILEO_API_URL and GALILEO_CONSOLE_URL (default https://api.galileo.ai)."
)

_COMMAND_HELP = (
    "List a log stream's token-usage records, newest first; or sum them ([bold]--totals[/]); "
    "or chart them ([bold]--by[/] day|hour).\n\n"
    "Records are selected on created_at in the half-open range [bold]--since <= created_at < --until[/], "
    "so back-to-back ranges neither overlap nor miss a record. Times are ISO-8601 and need a timezone "
    "(2025-06-01T00:00Z, 2025-06-01T02:00+02:00); a time without one is an error.\n\n"
    "[bold]--totals[/] reports, per token field, the sum, how many records had a value (counted) and how many "
    "had a null or no token usage (missing): a table, or JSON with --format json.\n\n"
    "[bold]--by[/] sums input and output tokens per UTC day or hour (total = input + output; nulls are left out "
    "and flagged), with a bar scaled to the busiest period; it works with every --format."
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


@attrs.frozen
class Connection:
    """Where and as whom to connect; unset fields fall back to the ``GALILEO_*`` environment."""

    api_key: str | None = attrs.field(repr=False)
    base_url: str | None
    timeout: float | None
    max_retries: int


def build_client(connection: Connection) -> GalileoInsights:
    """The client every command uses (tests replace this to add a fake transport)."""
    return GalileoInsights(
        api_key=connection.api_key,
        base_url=connection.base_url,
        timeout=connection.timeout,
        max_retries=connection.max_retries,
    )


def _show_version(value: bool) -> None:
    if value:
        typer.echo(f"{PROG_NAME} {__version__}")
        raise typer.Exit


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_show_version, is_eager=True, help="Print the version and exit."),
    ] = False,
) -> None:
    """Read Galileo Logstream Insights token usage: export records, sum them, or chart them per day or hour."""


class _ConsoleLogHandler(logging.Handler):
    """One unwrapped line per record on the stderr console (which keeps it clear of the progress line)."""

    def __init__(self, console: Console) -> None:
        super().__init__()
        self._console = console

    def emit(self, record: logging.LogRecord) -> None:
        line = f"{record.levelname.lower()}: {record.getMessage()}"
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


@app.command(
    "token-usage",
    help=_COMMAND_HELP,
    epilog=_EPILOG,
    no_args_is_help=True,
)
def token_usage(
    project_id: Annotated[str, typer.Argument(metavar="PROJECT_ID", help="Project UUID.", show_default=False)],
    log_stream_id: Annotated[str, typer.Argument(metavar="LOG_STREAM_ID", help="Log stream UUID.", show_default=False)],
    *,
    since: Annotated[
        str | None,
        typer.Option(metavar="ISO", help="Created at or after this time ([bold]inclusive[/]).", show_default=False),
    ] = None,
    until: Annotated[
        str | None,
        typer.Option(metavar="ISO", help="Created before this time ([bold]exclusive[/]).", show_default=False),
    ] = None,
    ascending: Annotated[bool, typer.Option("--ascending", help="Oldest first (default: newest first).")] = False,
    max_items: Annotated[
        int | None, typer.Option(min=0, metavar="N", help="Stop after N records.", show_default=False)
    ] = None,
    page_size: Annotated[int, typer.Option(min=1, metavar="N", help="Records per request.")] = 100,
    output_format: Annotated[OutputFormat, typer.Option("--format", "-f", help="Output format.")] = OutputFormat.TABLE,
    totals: Annotated[
        bool, typer.Option("--totals", help="Counts and sums per token field instead of records.")
    ] = False,
    by: Annotated[
        Period | None,
        typer.Option(help="Usage per UTC day or hour, with bars, instead of records.", show_default=False),
    ] = None,
    progress: Annotated[
        bool | None,
        typer.Option(
            "--progress/--no-progress",
            help="Items, pages and rate on stderr. [dim]\\[default: when stderr is a terminal][/]",
            show_default=False,
        ),
    ] = None,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Log requests and retries to stderr.")] = False,
    api_key: Annotated[
        str | None,
        typer.Option(
            metavar="KEY",
            help="Galileo API key. [dim]\\[default: GALILEO_API_KEY][/]",
            hide_input=True,
            show_default=False,
            rich_help_panel=_CONNECTION,
        ),
    ] = None,
    base_url: Annotated[
        str | None,
        typer.Option(
            metavar="URL",
            help="Galileo API URL. [dim]\\[default: GALILEO_API_URL][/]",
            show_default=False,
            rich_help_panel=_CONNECTION,
        ),
    ] = None,
    timeout: Annotated[
        float | None,
        typer.Option(
            min=0.001,
            metavar="SECONDS",
            help="Per-request timeout. [dim]\\[default: 60, connect 5][/]",
            show_default=False,
            rich_help_panel=_CONNECTION,
        ),
    ] = None,
    max_retries: Annotated[
        int,
        typer.Option(
            min=0, metavar="N", help="Retries after network errors, 429 and 5xx.", rich_help_panel=_CONNECTION
        ),
    ] = 2,
) -> None:
    """Export, sum or chart one log stream's token usage (see ``_COMMAND_HELP``)."""
    if totals and by is not None:
        raise typer.BadParameter("cannot be combined with --by; pick one.", param_hint="--totals")
    if totals and output_format not in (OutputFormat.TABLE, OutputFormat.JSON):
        raise typer.BadParameter("prints a table or, with --format json, a JSON object.", param_hint="--totals")
    connection = Connection(api_key=api_key, base_url=base_url, timeout=timeout, max_retries=max_retries)
    stderr = progress_console(progress)
    base: str | None = None
    with _sdk_logging(verbose, stderr):
        try:
            with build_client(connection) as client:
                base = client.base_url
                pager = client.token_usage.list(
                    project_id,
                    log_stream_id,
                    created_since=since,
                    created_before=until,
                    ascending=ascending,
                    max_items=max_items,
                    page_size=page_size,
                )
                _print(pager, output_format, totals=totals, by=by, stderr=stderr, progress=progress)
        except GalileoInsightsError as error:
            sys.stdout.flush()
            typer.echo(describe(error, base), err=True)
            raise typer.Exit(exit_code_for(error)) from None


def _print(
    pager: TokenUsagePager,
    output_format: OutputFormat,
    *,
    totals: bool,
    by: Period | None,
    stderr: Console,
    progress: bool | None,
) -> None:
    """Walk ``pager`` once (progress on ``stderr``) into records, totals or periods on stdout."""
    if totals:
        accumulator = TotalsAccumulator()
        with page_progress(stderr, progress) as tracker:
            for item in tracker.items_of(pager):
                accumulator.add(item)
        write_totals(accumulator.result(), output_format, sys.stdout)
    elif by is not None:
        aggregator = PeriodAggregator(by)
        with page_progress(stderr, progress) as tracker:
            for item in tracker.items_of(pager):
                aggregator.add(item)
        write_periods(aggregator.rows(), by, output_format, sys.stdout)
    else:
        with page_progress(stderr, progress) as tracker:
            write_records(tracker.items_of(pager), output_format, sys.stdout)


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
    try:
        code = fake_main(ctx.args)  # its options are written once, in galileo_insights.testing._cli
    except ModuleNotFoundError as exc:
        typer.echo(
            f"error: fake-server needs the 'server' extra ({exc.name} is missing): "
            "pip install 'galileo-insights[server]'",
            err=True,
        )
        raise typer.Exit(ExitCode.USAGE) from None
    raise typer.Exit(code)


def run(argv: Sequence[str] | None = None) -> int:
    """Run the app on ``argv`` (default ``sys.argv[1:]``) and return its exit code instead of exiting."""
    try:
        app(args=list(argv) if argv is not None else None, prog_name=PROG_NAME)
    except SystemExit as exit_:
        code = exit_.code
        if code is None:
            return ExitCode.OK
        return code if isinstance(code, int) else ExitCode.UNEXPECTED
    return ExitCode.OK
