"""Which log streams a command covers, written once for every command that reads many: the options and their rules.

``token-usage``, ``export`` and ``report`` take the same ``PROJECT_ID LOG_STREAM_ID`` arguments and the same
``--all`` / ``--project`` / ``--log-stream`` options (repeatable, names or ids); ``selection()`` turns them into a
``LogStreamSelection`` (the library's rules, ``galileo_insights.LogStreamSelection``) or refuses a contradiction
as a usage error naming the flag. ``flag_of()`` names the flag behind a name that matched nothing.
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Annotated

import attrs
import typer

from galileo_insights import NameResolutionError

if TYPE_CHECKING:
    from galileo_insights import LogStreamSelection

TARGET_PANEL = "Which log streams"

ProjectArgument = Annotated[
    str | None,
    typer.Argument(
        metavar="[PROJECT_ID]",
        help="Project UUID, or give --project. [dim]\\[default: GALILEO_PROJECT_ID, else GALILEO_PROJECT][/]",
        show_default=False,
    ),
]
LogStreamArgument = Annotated[
    str | None,
    typer.Argument(
        metavar="[LOG_STREAM_ID]",
        help="Log stream UUID, or give --log-stream. "
        "[dim]\\[default: GALILEO_LOG_STREAM_ID, else GALILEO_LOG_STREAM][/]",
        show_default=False,
    ),
]
AllOption = Annotated[
    bool,
    typer.Option(
        "--all",
        help="Every log stream of every project these credentials can see.",
        rich_help_panel=TARGET_PANEL,
    ),
]
ProjectsOption = Annotated[
    list[str] | None,
    typer.Option(
        "--project",
        metavar="NAME|ID",
        help="A project by name or id; repeat for several. Without --log-stream: all its log streams.",
        show_default=False,
        rich_help_panel=TARGET_PANEL,
    ),
]
LogStreamsOption = Annotated[
    list[str] | None,
    typer.Option(
        "--log-stream",
        metavar="NAME|ID",
        help="A log stream by name or id, looked for in each --project; repeat for several.",
        show_default=False,
        rich_help_panel=TARGET_PANEL,
    ),
]

_FLAGS = {"project": "--project", "log_stream": "--log-stream"}


@attrs.frozen
class SelectionArguments:
    """What the command line said about log streams, before any rule is applied."""

    project_id: str | None
    log_stream_id: str | None
    projects: tuple[str, ...]
    log_streams: tuple[str, ...]
    all: bool

    @classmethod
    def of(
        cls,
        project_id: str | None,
        log_stream_id: str | None,
        projects: list[str] | None,
        log_streams: list[str] | None,
        all_: bool,
    ) -> SelectionArguments:
        return cls(project_id, log_stream_id, tuple(projects or ()), tuple(log_streams or ()), all_)

    @property
    def single(self) -> bool:
        """One log stream named explicitly or by the environment: no --all and at most one of each kind."""
        projects = len(self.projects) + (self.project_id is not None)
        streams = len(self.log_streams) + (self.log_stream_id is not None)
        return not self.all and projects <= 1 and streams <= 1 and (projects == 0 or streams == 1)

    def selection(self) -> LogStreamSelection:
        """The library's selection, or a usage error naming the flag that contradicts another."""
        from galileo_insights import LogStreamSelection  # noqa: PLC0415 - when a command runs, not for --help

        if self.all:
            for given, flag in (
                (self.log_streams or self.log_stream_id, "--log-stream"),
                (self.projects or self.project_id, "--project"),
            ):
                if given:
                    raise typer.BadParameter(
                        f"--all covers every log stream of every project; drop {flag} or --all.", param_hint="--all"
                    )
        self._check_ids_and_flags()
        projects = (*((self.project_id,) if self.project_id else ()), *self.projects)
        streams = (*((self.log_stream_id,) if self.log_stream_id else ()), *self.log_streams)
        for flag, values in (("--project", projects), ("--log-stream", streams)):
            if any(not value.strip() for value in values):
                raise typer.BadParameter("needs a name or an id, got an empty value.", param_hint=flag)
        return LogStreamSelection(projects, streams, self.all)

    def _check_ids_and_flags(self) -> None:
        """An id argument and the flag for the same thing contradict each other."""
        for given_id, values, argument, flag in (
            (self.project_id, self.projects, "PROJECT_ID", "--project"),
            (self.log_stream_id, self.log_streams, "LOG_STREAM_ID", "--log-stream"),
        ):
            if given_id is not None and values:
                lone = (
                    " (a single argument is PROJECT_ID)" if argument == "PROJECT_ID" and not self.log_stream_id else ""
                )
                raise typer.BadParameter(
                    f"give {argument} or {flag}, not both (got {given_id!r}{lone} and {flag} {values[0]!r}).",
                    param_hint=flag,
                )

    def single_target(self) -> tuple[str | None, str | None, str | None, str | None]:
        """For one log stream: ``(project_id, log_stream_id, project, log_stream)`` as ``token_usage.list`` takes
        them (the arguments are ids; a flag's value that is a UUID is an id); None for the ``GALILEO_*`` defaults."""
        self._check_ids_and_flags()
        project_id, project = (self.project_id, None) if self.project_id else _split(next(iter(self.projects), None))
        log_stream_id, log_stream = (
            (self.log_stream_id, None) if self.log_stream_id else _split(next(iter(self.log_streams), None))
        )
        return project_id, log_stream_id, project, log_stream


def _split(value: str | None) -> tuple[str | None, str | None]:
    """``(id, None)`` for a UUID, ``(None, name)`` otherwise."""
    if value is None:
        return None, None
    try:
        uuid.UUID(value)
    except ValueError:
        return None, value
    return value, None


def flag_of(error: NameResolutionError) -> str:
    """The option whose value ``error`` could not resolve."""
    return _FLAGS.get(error.kind, "--project")
