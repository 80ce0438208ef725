"""Bad input to the organisation-wide flags: one clear line naming the flag, the documented exit status, no traceback,
and nothing read."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from typer.testing import Result

from galileo_insights.cli._failures import ExitCode
from galileo_insights.testing import TWIN_PROJECT_NAME, FakeGalileo
from tests.cli.harness import Invoke, one_line_error

BY_DAY = ("token-usage", "--by", "day", "--since", "2025-01-01", "--until", "2025-01-08")


@pytest.fixture
def fake() -> FakeGalileo:
    return FakeGalileo(records=50)


@pytest.fixture
def cli(fake: FakeGalileo, cli_for: Callable[[FakeGalileo], Invoke]) -> Invoke:
    return cli_for(fake)


def usage_error(result: Result) -> str:
    """A typer usage error: exit 2, the flag in the message box, no traceback."""
    assert result.exit_code == ExitCode.USAGE, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    return " ".join(result.stderr.replace("│", " ").split())


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("--all", "--log-stream", "x"), "Invalid value for --all: --all covers every log stream of every project"),
        (("--all", "--project", "x"), "drop --project or --all"),
        (("--project", "p", "--price", "input=3"), "Invalid value for --price: no price for output"),
        (("--project", "p", "--price", "input=three"), "Invalid value for --price: input='three' is not a number"),
        (("--project", "p", "--price", "input=3,output=1,cache-read=1,cache-creation=1", "--model", "x"), "not both"),
        (("--project", "p", "--provider", "anthropic"), "Invalid value for --provider: needs --model"),
        (("--project", "p", "--model", "claude-sonet-4"), "Invalid value for --model: genai-prices has no price"),
        (("--project", "p", "--model", "gpt-4o", "--provider", "opnai"), "Invalid value for --provider"),
        (("--project", "p", "--group-by", "team"), "Invalid value for '--group-by'"),
        (("--project", ""), "Invalid value for --project: needs a name or an id"),
    ],
)
def test_usage_errors_name_the_flag_and_send_nothing(
    cli: Invoke, fake: FakeGalileo, args: tuple[str, ...], expected: str
) -> None:
    message = usage_error(cli(*BY_DAY, *args))
    assert expected in message
    assert fake.requests == []


def test_an_unknown_model_lists_close_matches(cli: Invoke) -> None:
    message = usage_error(cli(*BY_DAY, "--project", "p", "--model", "claude-sonet-4", "--provider", "anthropic"))
    assert "close matches: claude-sonnet-4" in message


@pytest.mark.parametrize("command", [("token-usage", "--by", "day"), ("log-streams",)])
def test_an_unknown_project_name_exits_7_naming_the_flag(cli: Invoke, command: tuple[str, ...]) -> None:
    result = cli(*command, "--project", "no-such-project")
    assert result.exit_code == ExitCode.NAME_NOT_FOUND
    line = one_line_error(result)
    assert line.startswith("error: --project: no project named 'no-such-project'")
    assert "found: 'fake-project'" in line


def test_an_ambiguous_project_name_exits_7_with_both_ids(cli: Invoke) -> None:
    result = cli(*BY_DAY, "--project", TWIN_PROJECT_NAME)
    assert result.exit_code == ExitCode.NAME_NOT_FOUND
    assert "error: --project: 2 projects visible to these credentials are named 'twin-project'" in one_line_error(
        result
    )


def test_an_unknown_log_stream_exits_7_naming_the_flag(cli: Invoke) -> None:
    result = cli(*BY_DAY, "--project", "fake-project", "--log-stream", "prod", "--log-stream", "fake-log-stream")
    assert result.exit_code == ExitCode.NAME_NOT_FOUND
    line = one_line_error(result)
    assert line.startswith("error: --log-stream: no log stream named 'prod' in project 'fake-project'")
