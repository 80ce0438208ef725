"""A live count of items, pages and items per second on stderr, never on stdout.

Shown when stderr is a terminal (or when forced with ``--progress``); ``--no-progress`` turns it off.
When stdout is the same terminal, rich moves stdout writes above the live line so the two never
interleave; when stdout is piped it is left untouched.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.progress import Progress, ProgressColumn, SpinnerColumn, Task, TaskID, TextColumn, TimeElapsedColumn
from rich.text import Text

from galileo_insights import TokenUsagePager
from galileo_insights_api.models.log_stream_insight_token_usage_db import LogStreamInsightTokenUsageDB


class _RateColumn(ProgressColumn):
    def render(self, task: Task) -> Text:
        speed = task.finished_speed or task.speed
        return Text(f"{speed:,.0f} items/s" if speed else "— items/s", style="progress.data.speed")


class PageProgress:
    """Counts pages and items as a walk advances; a no-op when ``progress`` is None."""

    def __init__(self, progress: Progress | None) -> None:
        self._progress = progress
        self._task: TaskID | None = None
        self.pages = 0
        self.items = 0
        if progress is not None:
            self._task = progress.add_task("token usage", total=None, pages=0)

    def page_done(self, items: int) -> None:
        self.pages += 1
        self.items += items
        if self._progress is not None and self._task is not None:
            self._progress.update(self._task, advance=items, pages=self.pages)

    def items_of(self, pager: TokenUsagePager) -> Iterator[LogStreamInsightTokenUsageDB]:
        """The pager's items, counting each page as it arrives."""
        for page in pager.pages():
            self.page_done(len(page.items))
            yield from page.items


@contextmanager
def page_progress(console: Console, show: bool | None) -> Iterator[PageProgress]:
    """Yield a ``PageProgress``; ``show=None`` means "when the console is a terminal"."""
    if not (console.is_terminal if show is None else show):
        yield PageProgress(None)
        return
    progress = Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        TextColumn("{task.completed:,.0f} items"),
        TextColumn("{task.fields[pages]:,} pages"),
        _RateColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=True,
        redirect_stdout=sys.stdout.isatty(),
        redirect_stderr=False,
    )
    with progress:
        yield PageProgress(progress)
