"""The ``fake-server`` command: its options, written once, and ``main``.

``python -m galileo_insights.testing`` and ``galileo-insights fake-server`` both end here: the typer command passes
its arguments through unparsed, so ``SERVER_OPTIONS`` is the one list of options, defaults and help texts.
"""

from __future__ import annotations

import argparse
import datetime
import signal
import sys
import threading
from collections.abc import Sequence
from contextlib import suppress
from types import FrameType

import attrs

from galileo_insights._optional import MissingExtraError
from galileo_insights.testing._auth import Credentials
from galileo_insights.testing._directory import DEFAULT_LOG_STREAM_NAME, DEFAULT_PROJECT_NAME
from galileo_insights.testing._fake import FakeGalileo
from galileo_insights.testing._faults import RandomFaults
from galileo_insights.testing._organisation import Organisation
from galileo_insights.testing._records import GeneratedRecords
from galileo_insights.testing._server import require_server, serve

PROG = "galileo-insights fake-server"


@attrs.frozen
class ServerOption:
    flag: str
    help: str
    type: type[str] | type[int] | type[float] = str
    default: object = None
    metavar: str | None = None


SERVER_OPTIONS = (
    ServerOption("--host", "Interface to listen on.", default="127.0.0.1"),
    ServerOption("--port", "Port; 0 picks a free one.", int, 0, "PORT"),
    ServerOption("--records", "Seeded records in the default log stream (with --projects: in each).", int, 1000, "N"),
    ServerOption(
        "--projects",
        "Seed an organisation instead of the default names: N projects (project-01 ...), each with --log-streams "
        "log streams (log-stream-01 ...).",
        int,
        0,
        "N",
    ),
    ServerOption("--log-streams", "Log streams per project with --projects.", int, 2, "M"),
    ServerOption("--days", "Records lie in the DAYS days before --end.", int, 30, "DAYS"),
    ServerOption(
        "--end", "End of the records' window, an ISO-8601 time with an offset (default: now).", metavar="WHEN"
    ),
    ServerOption("--seed", "Seed of the generated records (same seed, same records).", int, 0, "S"),
    ServerOption("--latency-ms", "Delay every token-usage answer.", float, 0.0, "MS"),
    ServerOption("--api-key", "Accept this API key instead of a random one.", metavar="KEY"),
)


def parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=PROG,
        description=(
            "Run a fake Galileo Logstream Insights API on localhost until Ctrl-C (needs the 'server' extra). "
            "Prints its URL, then the API key, project id, log stream id, project name and log stream name."
        ),
    )
    for option in SERVER_OPTIONS:
        shown = f" (default: {option.default})" if option.default not in (None, "") else ""
        parser.add_argument(
            option.flag, type=option.type, default=option.default, metavar=option.metavar, help=option.help + shown
        )
    parser.add_argument(
        "--print-env",
        action="store_true",
        help=(
            "Print `export GALILEO_...=...` lines to paste instead of plain lines: URL, key and the ids. The names "
            f"work too: GALILEO_PROJECT={DEFAULT_PROJECT_NAME} GALILEO_LOG_STREAM={DEFAULT_LOG_STREAM_NAME}, "
            f"or --project {DEFAULT_PROJECT_NAME} --log-stream {DEFAULT_LOG_STREAM_NAME}."
        ),
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Serve until interrupted. stdout: the URL, then ``api-key: ...``, ``project-id: ...``, ``log-stream-id: ...``,
    ``project: ...``, ``log-stream: ...``."""
    args = parser().parse_args(argv)
    try:
        require_server("the fake server")
    except MissingExtraError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    if args.port < 0 or args.port > 65535 or args.records < 0 or args.latency_ms < 0:
        parser().error("--port must be 0-65535; --records and --latency-ms must be >= 0")
    if args.projects < 0 or args.log_streams < 1 or args.days < 1:
        parser().error("--projects must be >= 0, --log-streams and --days >= 1")
    end = _end(args.end)
    credentials = Credentials([args.api_key] if args.api_key else None)
    if args.projects:
        organisation = Organisation(args.projects, args.log_streams, args.records, args.days, end, args.seed)
        fake = FakeGalileo(credentials=credentials, organisation=organisation)
    else:
        fake = FakeGalileo(credentials=credentials)
        start, stop_at = Organisation(days=args.days, end=end).window()
        fake.store.add_generated(
            GeneratedRecords(
                args.records,
                seed=args.seed,
                start=start,
                span=stop_at - start,
                project_id=fake.project_id,
                log_stream_id=fake.log_stream_id,
            )
        )
    if args.latency_ms > 0:
        fake.faults.set_random(RandomFaults(latency=1.0, latency_seconds=args.latency_ms / 1000))
    stop = threading.Event()

    def on_signal(signum: int, frame: FrameType | None) -> None:
        stop.set()

    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, on_signal)
    with serve(fake, host=args.host, port=args.port) as url:
        if args.print_env:
            print(f"export GALILEO_API_URL={url}", flush=True)
            print(f"export GALILEO_API_KEY={fake.api_key}", flush=True)
            print(f"export GALILEO_PROJECT_ID={fake.project_id}", flush=True)
            print(f"export GALILEO_LOG_STREAM_ID={fake.log_stream_id}", flush=True)
        else:
            print(url, flush=True)
            print(f"api-key: {fake.api_key}", flush=True)
            print(f"project-id: {fake.project_id}", flush=True)
            print(f"log-stream-id: {fake.log_stream_id}", flush=True)
            print(f"project: {fake.project_name}", flush=True)
            print(f"log-stream: {fake.log_stream_name}", flush=True)
        with suppress(KeyboardInterrupt):
            stop.wait()
    return 0


def _end(text: str | None) -> datetime.datetime | None:
    if text is None:
        return None
    try:
        moment = datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        parser().error(f"--end: {text!r} is not an ISO-8601 time")
    if moment.tzinfo is None:
        parser().error(f"--end: {text!r} has no offset; add Z or +01:00")
    return moment


if __name__ == "__main__":
    sys.exit(main())
