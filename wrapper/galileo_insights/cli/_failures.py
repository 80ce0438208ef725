"""Expected failures as one line on stderr and an exit code a script can branch on."""

from __future__ import annotations

import enum
import re

from galileo_insights import (
    APIConnectionError,
    APIStatusError,
    APITimeoutError,
    AuthenticationError,
    ConfigurationError,
    GalileoInsightsError,
    InputError,
    InvalidRequestError,
    NameResolutionError,
    PaginationError,
    PermissionDeniedError,
    ResponseValidationError,
)
from galileo_insights._optional import MissingExtraError


class ExitCode(enum.IntEnum):
    OK = 0
    UNEXPECTED = 1
    USAGE = 2
    AUTHENTICATION = 3
    API_ERROR = 4
    NETWORK = 5
    BAD_RESPONSE = 6
    NAME_NOT_FOUND = 7
    INTERRUPTED = 130
    BROKEN_PIPE = 141


EXIT_CODES_HELP = (
    "[bold]Exit codes:[/] 0 ok · 2 usage, configuration or invalid input (missing credentials, bad id, naive time)"
    " · 3 authentication or permission (401/403) · 4 other API error (4xx, or 5xx after retries)"
    " · 5 network error or timeout · 6 unexpected response"
    " · 7 --project / --log-stream name matches no project or log stream, or several · 130 interrupted"
    " · 141 stdout closed early (as by | head; nothing is printed)"
)

# The library names the argument an input error is about (``error.argument``); on the command line the user
# typed these. Arguments not listed (an environment variable, a flag the CLI checked itself) are shown as they are.
_FLAGS = {
    "project_id": "PROJECT_ID",
    "log_stream_id": "LOG_STREAM_ID",
    "project": "--project",
    "log_stream": "--log-stream",
    "created_since": "--since",
    "created_before": "--until",
    "updated_since": "--updated-since",
    "updated_before": "--updated-before",
    "page_size": "--page-size",
    "max_items": "--max-items",
    "starting_token": "--starting-token",
    "concurrency": "--concurrency",
    "base_url": "--base-url",
    "api_key": "--api-key",
    "timeout": "--timeout",
    "max_retries": "--max-retries",
    "directory": "--to",
    "projects": "--project",
    "log_streams": "--log-stream",
    "all": "--all",
    "group_by": "--group-by",
    "prices": "--price",
    "model": "--model",
    "provider": "--provider",
}


# Settings only the environment gives: pointing at --api-key / --base-url would mislead.
_NO_FLAG_FOR = frozenset({"GALILEO_EXTRA_HEADERS", "GALILEO_LOG_LEVEL", "GALILEO_API_KEY_HEADER"})


def flag_for(error: InputError) -> str | None:
    """The command line's name for what ``error`` is about, or None when it is about no one argument."""
    return None if error.argument is None else _FLAGS.get(error.argument, error.argument)


# First match wins: the status errors for 401/403 before the other status errors.
_EXIT_CODES: tuple[tuple[tuple[type[GalileoInsightsError], ...], ExitCode], ...] = (
    ((ConfigurationError, InvalidRequestError, MissingExtraError), ExitCode.USAGE),
    ((AuthenticationError, PermissionDeniedError), ExitCode.AUTHENTICATION),
    ((APIStatusError,), ExitCode.API_ERROR),
    ((APIConnectionError,), ExitCode.NETWORK),
    ((ResponseValidationError, PaginationError), ExitCode.BAD_RESPONSE),
    ((NameResolutionError,), ExitCode.NAME_NOT_FOUND),
)


def exit_code_for(error: GalileoInsightsError) -> ExitCode:
    return next((code for kinds, code in _EXIT_CODES if isinstance(error, kinds)), ExitCode.UNEXPECTED)


def describe(error: GalileoInsightsError, base_url: str | None) -> str:
    """``error`` as one line for a person at a terminal, with a hint where one helps; never a credential."""
    match error:
        case ConfigurationError() if error.argument in _NO_FLAG_FOR:
            text = _input_line(error)
        case ConfigurationError():
            text = f"{_input_line(error)} (on the command line: --api-key / --base-url)"
        case InvalidRequestError():
            text = _input_line(error)
        case AuthenticationError():
            text = f"authentication failed: {error} (check --api-key or GALILEO_API_KEY)"
        case PermissionDeniedError():
            text = f"permission denied: {error}"
        case APITimeoutError():
            text = f"timed out talking to {base_url}: {error}"
        case APIConnectionError():
            text = f"cannot reach {base_url}: {error}"
        case ResponseValidationError() | PaginationError():
            text = f"unexpected response: {error}"
        case _:
            text = str(error)
    if isinstance(error, APIStatusError) and error.request_id:
        text += f" [request id {error.request_id}]"
    return "error: " + terminal_safe(" ".join(text.split()))


def _input_line(error: InputError) -> str:
    flag = flag_for(error)
    return error.reason if flag is None else f"{flag}: {error.reason}"


# C0 and C1 controls (escape sequences start here), DEL, and the bidirectional overrides that reorder a line
_UNSAFE = re.compile(r"[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def terminal_safe(text: str) -> str:
    """``text`` with every control character shown as an escape (``\\x1b``): a server's error detail printed raw
    could clear the screen, set the window title or hide part of the line."""
    return _UNSAFE.sub(lambda match: repr(match.group())[1:-1], text)
