"""``token-usage`` over a selection of log streams: usage rows per period (``--by``), or records with names."""

from __future__ import annotations

import datetime
import itertools

import attrs
import typer

from galileo_insights import (
    GalileoInsights,
    GroupBy,
    LogStreamSelection,
    ModelPrices,
    Period,
    Prices,
    UsageArguments,
    UsageReport,
)

from ._formats import OutputFormat
from ._named_records import named_record_writer
from ._output import Output, period_writer
from ._times import TimeRange


@attrs.frozen
class ManyLogStreams:
    """The selection and the walk's options; ``until`` is --until, or now for --by with a start (so the rows run to
    now)."""

    selection: LogStreamSelection
    bounds: TimeRange
    until: datetime.datetime | None
    zone: datetime.tzinfo
    ascending: bool = attrs.field(kw_only=True)
    concurrency: int = attrs.field(kw_only=True)
    page_size: int = attrs.field(kw_only=True)
    max_items: int | None = attrs.field(kw_only=True)

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
        if by is None:
            pairs = client.usage.records(
                self.selection.projects,
                self.selection.log_streams,
                all=self.selection.all,
                ascending=self.ascending,
                **self._walk(),
            )
            named_record_writer(output_format)(itertools.islice(pairs, self.max_items), out)
            return
        report = self.usage(client, by=by, group_by=group_by, prices=prices)
        period_writer(output_format)(report, out)
        if report.prices and output_format is not OutputFormat.TABLE:  # the table's caption says it already
            typer.echo(f"cost_usd: {report.prices}", err=True)

    def usage(
        self, client: GalileoInsights, *, by: Period, group_by: GroupBy, prices: Prices | ModelPrices | None
    ) -> UsageReport:
        """The usage rows per ``by`` period of the selection (``token-usage --by`` and ``report`` read these)."""
        selection = self.selection
        return client.usage.by_period(
            by,
            selection.projects,
            selection.log_streams,
            all=selection.all,
            tz=self.zone,
            group_by=group_by,
            prices=prices,
            **self._walk(),
        )

    def _walk(self) -> UsageArguments:
        bounds = self.bounds
        return {
            "created_since": bounds.since,
            "created_before": self.until,
            "updated_since": bounds.updated_since,
            "updated_before": bounds.updated_before,
            "concurrency": self.concurrency,
            "page_size": self.page_size,
        }
