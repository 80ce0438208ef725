"""``client.usage``: token usage across many log streams, with names, in one call (sync and async).

``select()`` turns names, ids or ``all=True`` into ``LogStreamTarget`` values (see ``_selection``);
``by_period()`` walks every selected log stream's records once, concurrently (``concurrency`` bounds the requests
in flight: one per log stream, and with both created bounds the log streams after the last whole round of
``concurrency`` share them as parallel windows, see ``_request_shares``), sums them per period of ``tz``'s
calendar and returns a ``UsageReport``. What is counted: the records are the tokens Galileo spent generating
Logstream Insights for each log stream (the spec's ``TokenUsage``: "Token usage information for insights
generation"), not the application's own LLM traffic.
"""

from __future__ import annotations

import dataclasses
import datetime
import functools
import uuid
from collections.abc import AsyncIterator, Iterable, Iterator
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Generic, TypeVar, Unpack

from ..._concurrent import ordered_in_tasks, ordered_in_threads
from ..._constants import DEFAULT_USAGE_CONCURRENCY
from ..._errors import InvalidRequestError
from ..._request_shares import in_tasks_by_share, in_threads_by_share, shares_of
from .._calendar import Period, as_period
from .._group_by import GroupBy, as_group_by
from ..token_usage._data._periods import PeriodAccumulator, as_zone
from ..token_usage._query import LowerBound, as_aware_datetime, check_concurrency, check_paging
from ..token_usage._record_fields import as_utc, token_counts
from ._arguments import PeriodArguments, RecordArguments, UsageArguments
from ._prices import ModelPrices, Pricing, as_pricing
from ._rows import TargetUsage, UsageReport, build_rows
from ._selection import AsyncSelectionResolver, LogStreamSelection, LogStreamTarget, SelectionResolver

if TYPE_CHECKING:
    from galileo_insights_api.models.log_stream_insight_token_usage_db import LogStreamInsightTokenUsageDB

    from ..token_usage import AsyncTokenUsageResource, TokenUsageResource

USAGE_PAGE_SIZE = 1000
IdOrName = str | uuid.UUID
Names = IdOrName | Iterable[IdOrName]


@dataclasses.dataclass(frozen=True, slots=True)
class _Walk:
    """What every selected log stream's walk reads: checked bounds, order and paging, and how many at once."""

    since: datetime.datetime | None
    until: datetime.datetime | None
    updated: tuple[datetime.datetime | None, datetime.datetime | None]
    ascending: bool
    concurrency: int
    page_size: int

    @classmethod
    def of(cls, arguments: UsageArguments, zone: datetime.tzinfo, *, ascending: bool) -> _Walk:
        page_size = arguments.get("page_size", USAGE_PAGE_SIZE)
        concurrency = arguments.get("concurrency", DEFAULT_USAGE_CONCURRENCY)
        check_paging(page_size, None, 0)
        check_concurrency(concurrency)
        since = _bound(arguments.get("created_since"), "created_since", zone)
        until = _bound(arguments.get("created_before"), "created_before", zone)
        updated_since = _bound(arguments.get("updated_since"), "updated_since", zone)
        updated_before = _bound(arguments.get("updated_before"), "updated_before", zone)
        for low, high, low_name, high_name in (
            (since, until, "created_since", "created_before"),
            (updated_since, updated_before, "updated_since", "updated_before"),
        ):
            if low is not None and high is not None and low >= high:
                raise InvalidRequestError(
                    f"{low.isoformat()} must be earlier than {high_name} ({high.isoformat()})", argument=low_name
                )
        return cls(since, until, (updated_since, updated_before), ascending, concurrency, page_size)

    @property
    def read_ahead(self) -> int:
        """Records held for the consumer over all log streams: a page for each walk in flight."""
        return self.concurrency * self.page_size

    def shares(self, log_streams: int) -> list[int]:
        """Requests in flight per log stream (see ``_request_shares``): more than one needs both created bounds,
        which a parallel walk splits into windows."""
        if self.since is None or self.until is None:
            return [1] * log_streams
        return shares_of(log_streams, self.concurrency)

    def list_arguments(self, windows: int = 1) -> dict[str, Any]:
        arguments: dict[str, Any] = {
            "created_since": self.since,
            "created_before": self.until,
            "updated_since": self.updated[0],
            "updated_before": self.updated[1],
            "ascending": self.ascending,
            "page_size": self.page_size,
        }
        if windows > 1:
            arguments["concurrency"] = windows
        return arguments


def _bound(value: LowerBound | None, name: str, zone: datetime.tzinfo) -> datetime.datetime | None:
    return None if value is None else as_aware_datetime(value, name, zone=zone, durations=name.endswith("since"))


@dataclasses.dataclass(frozen=True, slots=True)
class _UsagePlan:
    """A ``by_period`` call checked, before anything is sent."""

    selection: LogStreamSelection
    period: Period
    zone: datetime.tzinfo
    group_by: GroupBy
    pricing: Pricing | None
    walk: _Walk

    @classmethod
    def of(cls, period: Period | str, selection: LogStreamSelection, arguments: PeriodArguments) -> _UsagePlan:
        zone = as_zone(arguments.get("tz", "UTC"))
        return cls(
            selection,
            as_period(period),
            zone,
            as_group_by(arguments.get("group_by", GroupBy.LOG_STREAM)),
            as_pricing(arguments.get("prices")),
            _Walk.of(arguments, zone, ascending=True),
        )

    def accumulator(self) -> _Meter:
        return _Meter(PeriodAccumulator(self.period, self.zone), self.pricing)

    def report(self, targets: list[LogStreamTarget], meters: list[_Meter]) -> UsageReport:
        """Rows over the range asked for; without bounds, over the periods any selected log stream has records in,
        so every log stream gets the same periods."""
        since, until = self.walk.since, self.walk.until
        if since is None or until is None:
            spans = [row for meter in meters for row in meter.grouping.rows()]
            if spans:
                since = since or min(row.start for row in spans)
                until = until or max(row.end for row in spans)
        usages = [
            TargetUsage(target, meter.grouping.rows(since, until), meter.costs)
            for target, meter in zip(targets, meters, strict=True)
        ]
        rows = build_rows(usages, self.group_by, self.pricing)
        description = None if self.pricing is None else self.pricing.describe()
        return UsageReport(rows, self.period, self.zone, self.group_by, targets, description)


@dataclasses.dataclass(slots=True)
class _Meter:
    """One log stream's sums per period, and with model prices the cost of each period's records."""

    grouping: PeriodAccumulator
    pricing: Pricing | None
    costs: dict[datetime.datetime, Decimal] = dataclasses.field(default_factory=dict)

    def add(self, item: LogStreamInsightTokenUsageDB) -> None:
        start = self.grouping.add(item)
        if isinstance(self.pricing, ModelPrices):
            cost = self.pricing.record_cost(token_counts(item), as_utc(item.created_at))
            self.costs[start] = self.costs.get(start, Decimal(0)) + cost


ResourceT = TypeVar("ResourceT", "TokenUsageResource", "AsyncTokenUsageResource")
ResolverT = TypeVar("ResolverT", SelectionResolver, AsyncSelectionResolver)


class _UsageBase(Generic[ResourceT, ResolverT]):
    def __init__(self, token_usage: ResourceT, resolver: ResolverT) -> None:
        self._token_usage: ResourceT = token_usage
        self._resolver: ResolverT = resolver


class UsageResource(_UsageBase["TokenUsageResource", SelectionResolver]):
    """``client.usage``."""

    def select(self, projects: Names = (), log_streams: Names = (), *, all: bool = False) -> list[LogStreamTarget]:
        """The log streams these names or ids cover (see ``LogStreamSelection``), with both names and ids: what
        ``by_period`` and ``records`` would read, to check a selection before a long call.

        Nothing named: the ``GALILEO_PROJECT_ID``/``GALILEO_PROJECT`` project (its ``GALILEO_LOG_STREAM*`` log
        stream if set, else all of them). A value that parses as a UUID is an id, anything else a name.

        Args:
            projects: project names or ids; alone, every log stream of these projects.
            log_streams: log stream names or ids, looked for in ``projects``.
            all: every log stream of every project the credentials can see (no ``projects``/``log_streams``).

        Returns:
            One ``LogStreamTarget`` per log stream, each once, in the order given (``all``: by project name, then
            log stream name).

        Raises:
            InvalidRequestError: the selection contradicts itself, or names nothing and no ``GALILEO_PROJECT*``
                variable names a project; nothing was sent.
            NameResolutionError: a name or id matches no project or log stream, or a name matches two in one
                project (``.found`` lists what was there).
            GalileoInsightsError: a lookup failed (its subclasses say how), after the retries.
        """
        return self._resolver.targets(LogStreamSelection.of(projects, log_streams, all=all))

    def by_period(
        self,
        period: Period | str = Period.DAY,
        projects: Names = (),
        log_streams: Names = (),
        *,
        all: bool = False,
        **arguments: Unpack[PeriodArguments],
    ) -> UsageReport:
        """Token usage per ``period`` ("hour", "day", "week", "month" of ``tz``'s calendar) for every selected log
        stream: one ``UsageRow`` per (project, log stream, period) with names and ids, or summed per project
        (``group_by="project"``) or overall (``"none"``). Every period of ``[created_since, created_before)`` has
        a row, empty ones included (``updated_*`` bounds filter records, as ``token_usage.list`` does).
        ``prices`` (a ``Prices``, a mapping of the four kinds, or ``ModelPrices``) fills ``cost_usd``.
        Everything is checked before anything is sent.

        Args:
            period: ``"hour"``, ``"day"``, ``"week"`` (from Monday) or ``"month"`` of ``tz``'s calendar.
            projects: project names or ids; alone, every log stream of these projects.
            log_streams: log stream names or ids, looked for in ``projects``.
            all: every log stream of every project the credentials can see (no ``projects``/``log_streams``).
            **arguments: the bounds (``created_since``, ``created_before``, ``updated_*``), ``tz``, ``group_by``,
                ``prices``, ``concurrency`` (requests in flight) and ``page_size``: see ``PeriodArguments``.

        Returns:
            A ``UsageReport``: the rows, what they cover and the prices used, with ``to_pandas()``,
            ``to_polars()``, ``to_arrow()`` and ``plot()``.

        Raises:
            InvalidRequestError: an argument is not valid (named in the message), before anything is sent.
            NameResolutionError: a name matches no project or log stream, or several.
            GalileoInsightsError: the API failed (its subclasses say how), after the retries.
        """
        plan = _UsagePlan.of(period, LogStreamSelection.of(projects, log_streams, all=all), arguments)
        targets = self._resolver.targets(plan.selection)
        walks = [_SyncWalk(self._token_usage, plan, target) for target in targets]
        meters = in_threads_by_share(walks, plan.walk.shares(len(walks)), plan.walk.concurrency)
        return plan.report(targets, meters)

    def records(
        self,
        projects: Names = (),
        log_streams: Names = (),
        *,
        all: bool = False,
        **arguments: Unpack[RecordArguments],
    ) -> Iterator[tuple[LogStreamTarget, LogStreamInsightTokenUsageDB]]:
        """Every selected log stream's records with the log stream they belong to (names and ids), log stream
        after log stream in ``select()``'s order, each newest first unless ``ascending``. ``concurrency`` log
        streams are read at once, at most ``concurrency x page_size`` records held ahead of the consumer.

        Args:
            projects: project names or ids; alone, every log stream of these projects.
            log_streams: log stream names or ids, looked for in ``projects``.
            all: every log stream of every project the credentials can see.
            **arguments: the bounds, ``ascending``, ``concurrency`` and ``page_size``: see ``RecordArguments``.

        Returns:
            An iterator of ``(LogStreamTarget, record)`` pairs; iterating it raises the API's errors.

        Raises:
            InvalidRequestError: an argument is not valid (named in the message), before anything is sent.
            NameResolutionError: a name matches no project or log stream, or several.
            GalileoInsightsError: looking the selection up failed (its subclasses say how), after the retries.
        """
        selection = LogStreamSelection.of(projects, log_streams, all=all)
        walk = _Walk.of(arguments, datetime.UTC, ascending=arguments.get("ascending", False))
        targets = self._resolver.targets(selection)
        segments = [functools.partial(self._records_of, walk, target) for target in targets]
        return ordered_in_threads(segments, walk.concurrency, walk.read_ahead)

    def _records_of(
        self, walk: _Walk, target: LogStreamTarget
    ) -> Iterator[tuple[LogStreamTarget, LogStreamInsightTokenUsageDB]]:
        for item in self._token_usage.list(target.project_id, target.log_stream_id, **walk.list_arguments()):
            yield target, item


class AsyncUsageResource(_UsageBase["AsyncTokenUsageResource", AsyncSelectionResolver]):
    """``client.usage`` on the async client."""

    async def select(
        self,
        projects: Names = (),
        log_streams: Names = (),
        *,
        all: bool = False,
    ) -> list[LogStreamTarget]:
        """The log streams these names or ids cover, with both names and ids (await it): what ``by_period`` and
        ``records`` would read, to check a selection before a long call.

        The same rules as ``UsageResource.select``; the log-stream listings of the selected projects are
        requested concurrently.

        Args:
            projects: project names or ids; alone, every log stream of these projects.
            log_streams: log stream names or ids, looked for in ``projects``.
            all: every log stream of every project the credentials can see (no ``projects``/``log_streams``).

        Returns:
            One ``LogStreamTarget`` per log stream, each once, in the order given (``all``: by project name, then
            log stream name).

        Raises:
            InvalidRequestError: the selection contradicts itself, or names nothing and no ``GALILEO_PROJECT*``
                variable names a project; nothing was sent.
            NameResolutionError: a name or id matches no project or log stream, or a name matches two in one
                project (``.found`` lists what was there).
            GalileoInsightsError: a lookup failed (its subclasses say how), after the retries.
        """
        return await self._resolver.targets(LogStreamSelection.of(projects, log_streams, all=all))

    async def by_period(
        self,
        period: Period | str = Period.DAY,
        projects: Names = (),
        log_streams: Names = (),
        *,
        all: bool = False,
        **arguments: Unpack[PeriodArguments],
    ) -> UsageReport:
        """Token usage per ``period`` ("hour", "day", "week", "month" of ``tz``'s calendar) for every selected log
        stream (await it): the rows ``UsageResource.by_period`` returns, read without blocking the event loop.

        One ``UsageRow`` per (project, log stream, period) with names and ids, or summed per project
        (``group_by="project"``) or overall (``"none"``); every period of ``[created_since, created_before)`` has
        a row, empty ones included. The log streams are read as tasks and ``concurrency`` bounds the requests this
        call has open (as ``UsageResource.by_period`` shares them). Everything is checked when the
        call is awaited, before anything is sent.

        Args:
            period: ``"hour"``, ``"day"``, ``"week"`` (from Monday) or ``"month"`` of ``tz``'s calendar.
            projects: project names or ids; alone, every log stream of these projects.
            log_streams: log stream names or ids, looked for in ``projects``.
            all: every log stream of every project the credentials can see (no ``projects``/``log_streams``).
            **arguments: the bounds (``created_since``, ``created_before``, ``updated_*``), ``tz``, ``group_by``,
                ``prices``, ``concurrency`` (requests in flight) and ``page_size``: see ``PeriodArguments``.

        Returns:
            A ``UsageReport``: the rows, what they cover and the prices used, with ``to_pandas()``,
            ``to_polars()``, ``to_arrow()`` and ``plot()``.

        Raises:
            InvalidRequestError: an argument is not valid (named in the message), before anything is sent.
            NameResolutionError: a name matches no project or log stream, or several.
            GalileoInsightsError: the API failed (its subclasses say how), after the retries.
        """
        plan = _UsagePlan.of(period, LogStreamSelection.of(projects, log_streams, all=all), arguments)
        targets = await self._resolver.targets(plan.selection)
        walks = [_AsyncWalk(self._token_usage, plan, target) for target in targets]
        meters = await in_tasks_by_share(walks, plan.walk.shares(len(walks)), plan.walk.concurrency)
        return plan.report(targets, meters)

    def records(
        self,
        projects: Names = (),
        log_streams: Names = (),
        *,
        all: bool = False,
        **arguments: Unpack[RecordArguments],
    ) -> AsyncIterator[tuple[LogStreamTarget, LogStreamInsightTokenUsageDB]]:
        """Every selected log stream's records with the log stream they belong to (names and ids), for
        ``async for``: log stream after log stream in ``select()``'s order, each newest first unless ``ascending``.

        Call it without ``await``. The arguments are checked at the call; the selection is looked up when the
        iteration starts. ``concurrency`` log streams are read at once as tasks, and at most ``concurrency x
        page_size`` records are held ahead of the consumer, so a slow consumer does not make memory grow.

        Args:
            projects: project names or ids; alone, every log stream of these projects.
            log_streams: log stream names or ids, looked for in ``projects``.
            all: every log stream of every project the credentials can see.
            **arguments: the bounds, ``ascending``, ``concurrency`` and ``page_size``: see ``RecordArguments``.

        Returns:
            An async iterator of ``(LogStreamTarget, record)`` pairs. Iterating it raises what looking the
            selection up raises (``NameResolutionError`` for a name that matches no project or log stream, or
            several; ``InvalidRequestError`` when nothing is named and no ``GALILEO_PROJECT*`` variable names a
            project) and the API's errors (``GalileoInsightsError`` and its subclasses).

        Raises:
            InvalidRequestError: an argument is not valid (named in the message); nothing was sent.
        """
        selection = LogStreamSelection.of(projects, log_streams, all=all)
        return self._records(selection, _Walk.of(arguments, datetime.UTC, ascending=arguments.get("ascending", False)))

    async def _records(
        self, selection: LogStreamSelection, walk: _Walk
    ) -> AsyncIterator[tuple[LogStreamTarget, LogStreamInsightTokenUsageDB]]:
        targets = await self._resolver.targets(selection)
        segments = [functools.partial(self._records_of, walk, target) for target in targets]
        async for pair in ordered_in_tasks(segments, walk.concurrency, walk.read_ahead):
            yield pair

    async def _records_of(
        self, walk: _Walk, target: LogStreamTarget
    ) -> AsyncIterator[tuple[LogStreamTarget, LogStreamInsightTokenUsageDB]]:
        async for item in self._token_usage.list(target.project_id, target.log_stream_id, **walk.list_arguments()):
            yield target, item


class _SyncWalk:
    """One log stream's records summed into a ``_Meter``, read with ``windows`` requests in flight."""

    def __init__(self, token_usage: TokenUsageResource, plan: _UsagePlan, target: LogStreamTarget) -> None:
        self._token_usage = token_usage
        self._plan = plan
        self._target = target

    def __call__(self, windows: int) -> _Meter:
        meter = self._plan.accumulator()
        pager = self._token_usage.list(
            self._target.project_id, self._target.log_stream_id, **self._plan.walk.list_arguments(windows)
        )
        for item in pager:
            meter.add(item)
        return meter


class _AsyncWalk:
    """The async twin of ``_SyncWalk``."""

    def __init__(self, token_usage: AsyncTokenUsageResource, plan: _UsagePlan, target: LogStreamTarget) -> None:
        self._token_usage = token_usage
        self._plan = plan
        self._target = target

    async def __call__(self, windows: int) -> _Meter:
        meter = self._plan.accumulator()
        pager = self._token_usage.list(
            self._target.project_id, self._target.log_stream_id, **self._plan.walk.list_arguments(windows)
        )
        async for item in pager:
            meter.add(item)
        return meter
