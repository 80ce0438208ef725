"""``token-usage`` over a selection of log streams: usage rows per period (``--by``), or records with names."""

from __future__ import annotations

import datetime
import itertools

import attrs
import typer

from galileo_insights import GalileoInsights, GroupBy, LogStreamSelection, ModelPrices, Period, Prices, UsageArguments

from ._named_records import named_record_writer
from ._output import Output, OutputFormat, period_writer
from ._times import TimeRange


@attrs.frozen(kw_only=True)
class ManyLogStreams:
    """The selection and the walk's options; ``until`` is --until, or now for --by with a start (so the rows run to
    now)."""

    selection: LogStreamSelection = attrs.field(kw_only=False)
    bounds: TimeRange = attrs.field(kw_only=False)
    until: datetime.datetime | None = attrs.field(kw_only=False)
    zone: datetime.tzinfo = attrs.field(kw_only=False)
    ascending: bool
    concurrency: int
    page_size: int
    max_items: int | None

    def write(
        self,
        client: GalileoInsights,
        out: Output,
        output_format: OutputFormat,
        *,
        by: Period | None,
        group_by: GroupBy,
        prices: Prices | ModelPrices | None,
    ) -> None:
        selection, bounds = self.selection, self.bounds
        walk: UsageArguments = {
            "created_since": bounds.since,
            "created_before": self.until,
            "updated_since": bounds.updated_since,
            "updated_before": bounds.updated_before,
            "concurrency": self.concurrency,
            "page_size": self.page_size,
        }
        if by is None:
            pairs = client.usage.records(
                selection.projects, selection.log_streams, all=selection.all, ascending=self.ascending, **walk
            )
            named_record_writer(output_format)(itertools.islice(pairs, self.max_items), out)
            return
        report = client.usage.by_period(
            by,
            selection.projects,
            selection.log_streams,
            all=selection.all,
            tz=self.zone,
            group_by=group_by,
            prices=prices,
            **walk,
        )
        period_writer(output_format)(report, out)
        if report.prices and output_format is not OutputFormat.TABLE:  # the table's caption says it already
            typer.echo(f"cost_usd: {report.prices}", err=True)
