"""``ReportDocument``: usage rows made into the report's charts, page and pictures."""

from __future__ import annotations

import datetime
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import attrs

from .._errors import InvalidRequestError
from .._optional import require
from ..resources._calendar import Period
from . import _images
from ._charts import Measure, chart_spec, image_spec
from ._html import render_html
from ._rows import usage_rows
from ._summary import DEFAULT_TOP, UsageSummary, summarize

Description = Mapping[str, object] | str | None


@attrs.frozen
class ReportDocument:
    """A usage report: build it with ``ReportDocument.from_rows``, then write it as HTML, PNG or SVG.

    The figures are computed once, when it is built (see ``UsageSummary``): writing several formats reads
    the rows once.
    """

    summary: UsageSummary
    selection: Description = None
    prices: Description = None
    made_at: datetime.datetime = attrs.field(factory=lambda: datetime.datetime.now(datetime.UTC))

    @classmethod
    def from_rows(
        cls,
        rows: object,
        *,
        selection: Description = None,
        prices: Description = None,
        period: Period | str | None = None,
        top: int = DEFAULT_TOP,
    ) -> ReportDocument:
        """A report over usage rows, one per (project, log stream, period).

        Args:
            rows: a sequence of mappings, a pyarrow Table, a pandas DataFrame or anything with ``.to_arrow()``,
                with the columns in ``REPORT_COLUMNS`` (``<field>_missing`` columns are read when present).
            selection: what the rows cover (names, bounds, zone, period), shown as given.
            prices: the prices behind ``cost_usd``, shown as given; None when there are none.
            period: ``"hour"``, ``"day"``, ``"week"`` or ``"month"``; inferred from the period starts if None.
            top: how many log streams (or projects) get a colour of their own; the rest are summed as one.

        Returns:
            The report, its figures computed.

        Raises:
            InvalidRequestError: a row lacks a column or holds a value of the wrong kind (the message names
                the row and column), or ``period`` or ``top`` is not valid.
        """
        return cls(summarize(usage_rows(rows), period, top), selection, prices)

    def chart(self, measure: Measure = "tokens") -> Any:
        """The ``measure`` chart as an ``altair.Chart``: a notebook shows it inline.

        Args:
            measure: ``"tokens"`` (total tokens per period) or ``"cost"`` (USD per period; needs priced rows).

        Returns:
            An ``altair.Chart`` (its ``to_dict()`` is the Vega-Lite specification the page and pictures draw).

        Raises:
            InvalidRequestError: ``measure`` is neither, or is ``"cost"`` and no row had a cost.
            ModuleNotFoundError: altair is not installed (``pip install 'galileo-insights[report]'``).
        """
        if measure not in ("tokens", "cost"):
            raise InvalidRequestError(f"measure must be 'tokens' or 'cost', got {measure!r}")
        if measure == "cost" and not self.summary.priced:
            raise InvalidRequestError("measure: 'cost' needs rows with cost_usd (usage computed with prices)")
        altair = require("altair", "a usage chart")
        return altair.Chart.from_dict(chart_spec(self.summary, measure))

    def html(self) -> str:
        """The report as one self-contained HTML page: the Vega JavaScript, the data and the tables are inline,
        so nothing is fetched when it is opened and it works offline.

        Returns:
            The page's HTML text: about 0.9 MB of chart library, then per-period sums, never records (1.2 MB in
            all for 50 log streams x 365 days).

        Raises:
            ModuleNotFoundError: vl-convert-python is not installed (``pip install 'galileo-insights[report]'``).
        """
        return render_html(self.summary, selection=self.selection, prices=self.prices, made_at=self.made_at)

    def png(self) -> bytes:
        """The charts (tokens, and cost when priced) as one PNG picture, for mail and slides.

        Drawn by vl-convert in the process, without a browser, at twice the chart's size for sharp screens.

        Returns:
            The PNG file's bytes.

        Raises:
            ModuleNotFoundError: vl-convert-python is not installed (``pip install 'galileo-insights[report]'``).
        """
        return _images.png(image_spec(self.summary))

    def svg(self) -> str:
        """The same picture as ``png()``, as SVG: it scales without blurring and its text stays text.

        Returns:
            The SVG document's text.

        Raises:
            ModuleNotFoundError: vl-convert-python is not installed (``pip install 'galileo-insights[report]'``).
        """
        return _images.svg(image_spec(self.summary))

    def write_html(self, path: str | os.PathLike[str]) -> Path:
        """Write ``html()`` to ``path``, replacing what is there.

        The page is written to a temporary file beside ``path`` and renamed over it, so that whoever opens or
        serves ``path`` sees the old report or the new one, never half of one. The directory must exist.

        Args:
            path: the file to write.

        Returns:
            ``path``, as a ``Path``.

        Raises:
            InvalidRequestError: the file cannot be written (the message says why); ``path`` is left as it was.
            ModuleNotFoundError: vl-convert-python is not installed (``pip install 'galileo-insights[report]'``).
        """
        return _write(Path(path), self.html().encode("utf-8"))

    def write_png(self, path: str | os.PathLike[str]) -> Path:
        """Write ``png()`` to ``path``, replacing what is there, never leaving half a picture (as ``write_html``).

        Args:
            path: the file to write; its directory must exist.

        Returns:
            ``path``, as a ``Path``.

        Raises:
            InvalidRequestError: the file cannot be written (the message says why); ``path`` is left as it was.
            ModuleNotFoundError: vl-convert-python is not installed (``pip install 'galileo-insights[report]'``).
        """
        return _write(Path(path), self.png())

    def write_svg(self, path: str | os.PathLike[str]) -> Path:
        """Write ``svg()`` to ``path``, replacing what is there, never leaving half a picture (as ``write_html``).

        Args:
            path: the file to write; its directory must exist.

        Returns:
            ``path``, as a ``Path``.

        Raises:
            InvalidRequestError: the file cannot be written (the message says why); ``path`` is left as it was.
            ModuleNotFoundError: vl-convert-python is not installed (``pip install 'galileo-insights[report]'``).
        """
        return _write(Path(path), self.svg().encode("utf-8"))


def usage_chart(
    rows: object, measure: Measure = "tokens", *, period: Period | str | None = None, top: int = DEFAULT_TOP
) -> Any:
    """The report's chart of ``rows`` as an ``altair.Chart``, for a notebook: ``ReportDocument.from_rows(...).chart()``.

    Args:
        rows: usage rows, as ``ReportDocument.from_rows`` takes them.
        measure: ``"tokens"`` (total tokens per period) or ``"cost"`` (USD per period; needs priced rows).
        period: the rows' period; inferred when None.
        top: how many log streams (or projects) get a colour of their own.

    Returns:
        An ``altair.Chart`` (its ``to_dict()`` is the Vega-Lite specification).

    Raises:
        InvalidRequestError: the rows are not usage rows, or ``"cost"`` was asked of rows without cost.
        ModuleNotFoundError: altair is not installed (``pip install 'galileo-insights[report]'``).
    """
    return ReportDocument.from_rows(rows, period=period, top=top).chart(measure)


def _write(path: Path, data: bytes) -> Path:
    """``data`` at ``path``, never half a file: written beside it, then renamed over it."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        temporary.write_bytes(data)
        temporary.replace(path)
    except OSError as exc:
        temporary.unlink(missing_ok=True)
        raise InvalidRequestError(f"cannot write {path} ({exc.strerror})") from None
    return path
