"""Where a command's output goes, so that a failure or Ctrl-C never leaves half a file.

``--output FILE`` is written to a temporary file beside it and renamed into place only when the command
succeeds. A walk that stops part-way (an error after some records, or Ctrl-C) ends its document cleanly over
what it has, so JSON on stdout stays valid, and ``--output`` keeps it as ``FILE.partial``, never as ``FILE``.
"""

from __future__ import annotations

import contextlib
import io
import os
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from types import TracebackType

from galileo_insights import GalileoInsightsError, InvalidRequestError
from galileo_insights_api.models.log_stream_insight_token_usage_db import LogStreamInsightTokenUsageDB

from ._output import Output

PARTIAL_SUFFIX = ".partial"


class Destination:
    """stdout, or ``path`` through a temporary sibling; use it as a context manager, then ``keep()`` what is done."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self._temporary: Path | None = None
        self._file: io.BufferedWriter | None = None
        self._text: io.TextIOWrapper | None = None

    def __enter__(self) -> Output:
        if self.path is None:
            return Output(sys.stdout, sys.stdout.buffer)
        self._temporary = self.path.with_name(f".{self.path.name}.{os.getpid()}.tmp")
        try:
            self._file = self._temporary.open("wb")
        except OSError as exc:
            self._temporary = None
            raise InvalidRequestError(f"cannot write {self.path} ({exc.strerror})", argument="--output") from None
        self._text = io.TextIOWrapper(self._file, encoding="utf-8", newline="", write_through=True)
        return Output(self._text, self._file)

    def keep(self, suffix: str = "") -> Path | None:
        """Put what was written in place: at ``path`` (or ``path`` + ``suffix``); stdout is only flushed."""
        if self.path is None or self._temporary is None or self._file is None or self._text is None:
            sys.stdout.flush()
            return None
        self._text.flush()
        self._text.detach()
        self._file.flush()
        os.fsync(self._file.fileno())
        self._file.close()
        target = self.path.with_name(self.path.name + suffix)
        self._temporary.replace(target)
        self._temporary = None
        return target

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, traceback: TracebackType | None
    ) -> None:
        if self._temporary is not None and self._file is not None:
            with contextlib.suppress(OSError):  # closing flushes, which fails again on a full disk
                self._file.close()
            self._temporary.unlink(missing_ok=True)


class CountedWalk:
    """The records of a walk, counted as they are handed out.

    A failure (or Ctrl-C) before the first record propagates, so nothing is started; after it, the walk ends
    early, keeps the failure in ``stopped_by`` and lets the writer close its document over ``count`` records.
    """

    def __init__(self, items: Iterable[LogStreamInsightTokenUsageDB]) -> None:
        self._items = items
        self.count = 0
        self.stopped_by: GalileoInsightsError | KeyboardInterrupt | None = None

    def __iter__(self) -> Iterator[LogStreamInsightTokenUsageDB]:
        iterator = iter(self._items)
        while True:
            try:
                item = next(iterator)
            except StopIteration:
                return
            except (GalileoInsightsError, KeyboardInterrupt) as error:
                if not self.count:
                    raise
                self.stopped_by = error
                return
            self.count += 1
            yield item
