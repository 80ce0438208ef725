"""``client.token_usage``: the resource users call; one argument surface for sync and async.

``_TokenUsageBase`` turns arguments into a walk plan (queries, paging, request options) without I/O; the
two subclasses only say which pager walks it (the core's ``_paged_call`` fetches its pages) and how a pager is
summed.
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Coroutine, Mapping, Sequence
from typing import Any, Generic, TypeVar, Unpack

import httpx

from galileo_insights_api.api.logstream_insights import get_token_usage

from ..._base_client import AsyncAPIClient, SyncAPIClient
from ..._constants import DEFAULT_PAGE_SIZE, TOTALS_PAGE_SIZE
from ..._options import EffectiveOptions, QueryValue, RequestOptions
from ..._paged_call import PagedPlan, async_fetches, refuse_paging_keys, sync_fetches
from ..._pagination import _Walk
from .._calendar import Period
from .._target_defaults import Target, TargetDefaults
from .._targets import AsyncResolvedOnce, AsyncTargetResolver, ResolvedOnce, TargetResolver
from ._arguments import TokenUsageArguments
from ._data._columnar import parse_columnar_page
from ._data._periods import PeriodAccumulator, PeriodUsage, as_zone
from ._page import AsyncTokenUsagePager, TokenUsagePage, TokenUsagePager, parse_page
from ._query import (
    LowerBound,
    TimeBound,
    TokenUsageFilter,
    TokenUsageQuery,
    as_aware_datetime,
    check_paging,
    default_windows,
    parallel_range,
    split_time_range,
)
from ._totals import TokenUsageTotals, TotalsAccumulator

PagerT = TypeVar("PagerT", TokenUsagePager, AsyncTokenUsagePager)
TotalsT = TypeVar("TotalsT", TokenUsageTotals, Coroutine[Any, Any, TokenUsageTotals])
UsageT = TypeVar("UsageT", list[PeriodUsage], Coroutine[Any, Any, list[PeriodUsage]])
ClientT = TypeVar("ClientT", SyncAPIClient, AsyncAPIClient)
_BOUNDS = ("created_since", "created_before", "updated_since", "updated_before")
_Bounds = tuple[datetime.datetime | None, datetime.datetime | None]


ResolverT = TypeVar("ResolverT", TargetResolver, AsyncTargetResolver)


class _TokenUsageBase(Generic[ClientT, ResolverT, PagerT, TotalsT, UsageT]):
    def __init__(self, client: ClientT, resolver: ResolverT, defaults: TargetDefaults) -> None:
        self._client: ClientT = client
        self._resolver: ResolverT = resolver
        self._defaults = defaults

    def list(
        self,
        project_id: uuid.UUID | str | None = None,
        log_stream_id: uuid.UUID | str | None = None,
        *,
        project: str | None = None,
        log_stream: str | None = None,
        page_size: int = DEFAULT_PAGE_SIZE,
        max_items: int | None = None,
        starting_token: int = 0,
        ascending: bool = False,
        filters: Sequence[TokenUsageFilter] = (),
        created_since: LowerBound | None = None,
        created_before: TimeBound | None = None,
        updated_since: LowerBound | None = None,
        updated_before: TimeBound | None = None,
        concurrency: int = 1,
        windows: int | None = None,
        verify_offsets: bool = True,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, QueryValue] | None = None,
        extra_body: Mapping[str, object] | None = None,
    ) -> PagerT:
        """Token-usage records of one log stream, newest first unless ``ascending=True``: the tokens Galileo spent
        generating Logstream Insights for it (the spec's ``TokenUsage``, "Token usage information for insights
        generation"), not the application's own LLM traffic.

        The log stream is given by ids, or by names (``project=``, ``log_stream=``), else by the
        ``GALILEO_PROJECT_ID``/``GALILEO_PROJECT`` and ``GALILEO_LOG_STREAM_ID``/``GALILEO_LOG_STREAM``
        variables; names are looked up on first use and cached for the client's lifetime.

        Nothing is sent until the pager is iterated. Time bounds are half-open: ``created_since <= created_at <
        created_before`` (same for ``updated_*``). They take aware datetimes, ISO-8601 strings with an offset,
        ``datetime.date`` s and date-only strings (midnight UTC), and the lower bounds a ``timedelta`` or a
        duration string (``"7d"``, ``"24h"``) back from now, read when ``list()`` is called.
        ``filters`` takes the generated filter models as they are and is combined with the bounds.
        ``starting_token`` resumes a walk from a ``next_starting_token`` seen earlier; ``max_items``
        stops after that many records. ``verify_offsets=False`` accepts a server whose next token is not
        ``starting_token + len(items)`` (the walk still refuses tokens that do not advance).

        ``concurrency > 1`` makes it a parallel export: ``[created_since, created_before)`` is split into
        ``windows`` equal time windows (default: 2 to 8 per unit of concurrency, more for larger pages), fetched
        ``concurrency`` at a time and yielded in the requested order, the same records as a sequential walk. What
        is read ahead of the consumer is bounded (120,000 records, however slowly the pager is read). Both bounds
        are required: a fixed upper bound is what keeps records created during the export from shifting offsets,
        so it is only safe for ranges that no longer change.

        ``timeout``, ``max_retries``, ``extra_headers``, ``extra_query`` and ``extra_body`` apply to this
        call's requests only (``extra_body`` keys are merged into each page's JSON body, but may not set
        ``filters``, ``sort``, ``starting_token`` or ``limit``).

        Args:
            project_id: the project's id (else ``project=``, else the ``GALILEO_*`` defaults).
            log_stream_id: the log stream's id (else ``log_stream=``, else the defaults).
            project: the project by name.
            log_stream: the log stream by name, in that project.
            page_size: records per request (1 to 10,000).
            max_items: stop after this many records.
            starting_token: resume from a ``next_starting_token`` seen earlier.
            ascending: oldest first instead of newest first.
            filters: generated filter models, combined with the bounds.
            created_since: ``created_at >= this`` (or a duration back from now).
            created_before: ``created_at < this``.
            updated_since: ``updated_at >= this`` (or a duration back from now).
            updated_before: ``updated_at < this``.
            concurrency: time windows read at once (a parallel export; needs both created bounds above 1).
            windows: how many windows the range is split into.
            verify_offsets: hold the server to ``next_starting_token == starting_token + len(items)``.
            timeout: this call's timeout (seconds or an ``httpx.Timeout``).
            max_retries: this call's retries.
            extra_headers: headers added to this call's requests.
            extra_query: query parameters added to this call's requests.
            extra_body: keys merged into each page's JSON body; never ``filters``, ``sort``, ``starting_token``
                or ``limit``, which the SDK sets on every page.

        Returns:
            A lazy pager (``async for`` on the async client): items, ``pages()``, ``to_arrow()`` and the other
            table methods. Iterating it raises the API's errors (``APIStatusError`` and its subclasses,
            ``APIConnectionError``, ``APITimeoutError``, ``PaginationError``, ``ResponseValidationError``) and
            ``NameResolutionError`` for a name that matches no project or log stream, or several.

        Raises:
            InvalidRequestError: an argument is not valid, or no log stream is given and no ``GALILEO_*``
                default names one (the message says which); nothing was sent.
            ConfigurationError: ``extra_body`` sets a key the SDK sets on a paginated call; nothing was sent.
        """
        target = self._defaults.target(project_id, log_stream_id, project, log_stream)
        check_paging(page_size, max_items, starting_token)
        now = datetime.datetime.now(datetime.UTC)
        created_since, updated_since = (
            None if bound is None else as_aware_datetime(bound, name, now=now, durations=True)
            for bound, name in ((created_since, "created_since"), (updated_since, "updated_since"))
        )
        time_range = parallel_range(concurrency, windows, starting_token, created_since, created_before)
        query = TokenUsageQuery.build(
            ascending=ascending,
            filters=filters,
            created_since=created_since,
            created_before=created_before,
            updated_since=updated_since,
            updated_before=updated_before,
        )
        options = self._client._options.merged(
            RequestOptions(timeout, max_retries, extra_headers, extra_query, extra_body)
        )  # once per call, for every page: bad options are refused now, not at the first page
        refuse_paging_keys(extra_body, query)
        # Walks from the start go by created_at (stable while records come and go); a walk resumed from a token
        # can only go on by offset. Without an upper bound a walk ends at the moment it starts.
        walk = _Walk(page_size, starting_token, max_items, 1, verify_offsets, ascending=ascending)
        walk.keyset = not starting_token
        if time_range is None:
            walk.pin = created_before is None
            return self._pager(target, _plan((query,), walk, options))
        walk.concurrency = concurrency
        ranges = split_time_range(*time_range, windows or default_windows(concurrency, page_size))
        queries = tuple(query.within(start, end) for start, end in (ranges if ascending else reversed(ranges)))
        return self._pager(target, _plan(queries, walk, options))

    def totals(
        self,
        project_id: uuid.UUID | str | None = None,
        log_stream_id: uuid.UUID | str | None = None,
        **arguments: Unpack[TokenUsageArguments],
    ) -> TotalsT:
        """Counts and sums of every token field over the matching records (await it on the async client).

        Takes ``list()``'s arguments (``page_size`` defaults to 1000) and walks oldest first. Streams page by page
        in constant memory; nulls are counted as missing, never as zero.

        Args:
            project_id: the project's id (else ``project=``, else the ``GALILEO_*`` defaults).
            log_stream_id: the log stream's id (else ``log_stream=``, else the defaults).
            **arguments: ``list()``'s keyword arguments: names, filters, bounds, paging and call options.

        Returns:
            ``TokenUsageTotals``: the records read and, per token field, the sum and how many records had the
            count (``counted``) or not (``missing``).

        Raises:
            InvalidRequestError: an argument is not valid (the message names it), before anything is sent.
            NameResolutionError: a name matches no project or log stream, or several.
            GalileoInsightsError: the API failed (its subclasses say how), after the retries.
        """
        return self._sum(self.list(project_id, log_stream_id, ascending=True, **_summing(arguments)))

    def usage_by(
        self,
        period: Period | str,
        project_id: uuid.UUID | str | None = None,
        log_stream_id: uuid.UUID | str | None = None,
        *,
        tz: str | datetime.tzinfo = "UTC",
        fill: bool = False,
        **arguments: Unpack[TokenUsageArguments],
    ) -> UsageT:
        """Records and token totals per ``"hour"``, ``"day"``, ``"week"`` or ``"month"`` of ``tz``'s calendar.

        One ``PeriodUsage`` row per period from the first to the last record's (gaps included), oldest first,
        with aware starts in ``tz``; a daylight-saving day has 23 or 25 hours. ``fill=True`` also lists the empty
        periods between ``created_since`` and ``created_before`` where given, so a month has one row per day.
        Await it on the async client. Takes ``list()``'s arguments (``page_size`` defaults to 1000); date-only
        bounds are midnight in ``tz``. ``period`` and ``tz`` are checked before anything is sent.

        Args:
            period: ``"hour"``, ``"day"``, ``"week"`` (from Monday) or ``"month"``.
            project_id: the project's id (else ``project=``, else the ``GALILEO_*`` defaults).
            log_stream_id: the log stream's id (else ``log_stream=``, else the defaults).
            tz: the zone whose calendar the periods follow (an IANA name or a tzinfo).
            fill: list the empty periods between the created bounds too.
            **arguments: ``list()``'s keyword arguments: names, filters, bounds, paging and call options.

        Returns:
            A list of ``PeriodUsage`` rows, oldest first.

        Raises:
            InvalidRequestError: an argument is not valid (the message names it), before anything is sent.
            NameResolutionError: a name matches no project or log stream, or several.
            GalileoInsightsError: the API failed (its subclasses say how), after the retries, or the records
                span more than ``MAX_PERIODS`` periods.
        """
        grouping = PeriodAccumulator(period, tz)
        zone = as_zone(tz)
        for name in _BOUNDS:
            bound = arguments.get(name)
            if isinstance(bound, datetime.date | str) and not isinstance(bound, datetime.datetime):
                arguments[name] = as_aware_datetime(bound, name, zone=zone, durations=name.endswith("since"))  # type: ignore[literal-required]  # one of _BOUNDS
        since, before = arguments.get("created_since"), arguments.get("created_before")
        bounds: _Bounds = (
            (
                None if since is None else as_aware_datetime(since, "created_since", zone=zone, durations=True),
                None if before is None else as_aware_datetime(before, "created_before", zone=zone),
            )
            if fill
            else (None, None)
        )
        pager = self.list(project_id, log_stream_id, ascending=True, **_summing(arguments))
        return self._group(pager, grouping, bounds)

    def _pager(self, target: Target, plan: PagedPlan[TokenUsagePage]) -> PagerT:
        raise NotImplementedError

    def _sum(self, pager: PagerT) -> TotalsT:
        raise NotImplementedError

    def _group(self, pager: PagerT, grouping: PeriodAccumulator, bounds: _Bounds) -> UsageT:
        raise NotImplementedError


class TokenUsageResource(
    _TokenUsageBase[SyncAPIClient, TargetResolver, TokenUsagePager, TokenUsageTotals, list[PeriodUsage]]
):
    """``client.token_usage``: one log stream's token-usage records as a lazy pager (``list``), summed (``totals``)
    or per period (``usage_by``)."""

    def log_stream_ids(
        self,
        project_id: uuid.UUID | str | None = None,
        log_stream_id: uuid.UUID | str | None = None,
        *,
        project: str | None = None,
        log_stream: str | None = None,
    ) -> tuple[uuid.UUID, uuid.UUID]:
        """The ``(project_id, log_stream_id)`` that ``list()`` with these arguments reads (names looked up once)."""
        return self._resolver.ids(self._defaults.target(project_id, log_stream_id, project, log_stream))

    def _pager(self, target: Target, plan: PagedPlan[TokenUsagePage]) -> TokenUsagePager:
        return TokenUsagePager(sync_fetches(self._client, ResolvedOnce(self._resolver, target).ids, plan), plan.walk)

    def _sum(self, pager: TokenUsagePager) -> TokenUsageTotals:
        accumulator = TotalsAccumulator()
        for page in pager.pages():
            accumulator.add_all(page.items)
        return accumulator.result()

    def _group(self, pager: TokenUsagePager, grouping: PeriodAccumulator, bounds: _Bounds) -> list[PeriodUsage]:
        for item in pager:
            grouping.add(item)
        return grouping.rows(*bounds)


class AsyncTokenUsageResource(
    _TokenUsageBase[
        AsyncAPIClient,
        AsyncTargetResolver,
        AsyncTokenUsagePager,
        Coroutine[Any, Any, TokenUsageTotals],
        Coroutine[Any, Any, list[PeriodUsage]],
    ]
):
    """``client.token_usage`` of the async client: ``TokenUsageResource`` with ``async for`` and ``await``."""

    async def log_stream_ids(
        self,
        project_id: uuid.UUID | str | None = None,
        log_stream_id: uuid.UUID | str | None = None,
        *,
        project: str | None = None,
        log_stream: str | None = None,
    ) -> tuple[uuid.UUID, uuid.UUID]:
        """The ``(project_id, log_stream_id)`` that ``list()`` with these arguments reads (names looked up once)."""
        return await self._resolver.ids(self._defaults.target(project_id, log_stream_id, project, log_stream))

    def _pager(self, target: Target, plan: PagedPlan[TokenUsagePage]) -> AsyncTokenUsagePager:
        path_args = AsyncResolvedOnce(self._resolver, target).ids
        return AsyncTokenUsagePager(async_fetches(self._client, path_args, plan), plan.walk)

    async def _sum(self, pager: AsyncTokenUsagePager) -> TokenUsageTotals:
        accumulator = TotalsAccumulator()
        async for page in pager.pages():
            accumulator.add_all(page.items)
        return accumulator.result()

    async def _group(
        self, pager: AsyncTokenUsagePager, grouping: PeriodAccumulator, bounds: _Bounds
    ) -> list[PeriodUsage]:
        async for item in pager:
            grouping.add(item)
        return grouping.rows(*bounds)


def _summing(arguments: TokenUsageArguments) -> TokenUsageArguments:
    """``arguments`` with the summing methods' larger default page (they keep no page)."""
    return {"page_size": TOTALS_PAGE_SIZE, **arguments}


def _plan(queries: tuple[TokenUsageQuery, ...], walk: _Walk, options: EffectiveOptions) -> PagedPlan[TokenUsagePage]:
    return PagedPlan(queries, walk, options, get_token_usage.request_kwargs, parse_page, parse_columnar_page)
