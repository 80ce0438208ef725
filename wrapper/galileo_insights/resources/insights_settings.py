"""``client.insights_settings``: whether Galileo generates Logstream Insights for a log stream, and since when.

``GET`` and ``PATCH /v2/projects/{project_id}/runs/{run_id}/insights-settings`` (a log stream is a run): the control
beside the meter that ``token_usage`` reads. The log stream is named as ``token_usage.list`` names it (ids, names,
or the ``GALILEO_*`` defaults). ``update`` sends only the fields given; the spec calls the operation an upsert and
does not say whether a field left out keeps its value.
"""

from __future__ import annotations

import dataclasses
import datetime
import uuid
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, Any, Generic, TypeVar, Unpack

import httpx

from .._base_client import AsyncAPIClient, PreparedCall, SyncAPIClient
from .._concurrent import ordered_in_threads
from .._errors import GalileoInsightsError, InvalidRequestError, ResponseValidationError
from .._options import CallOptions, RequestOptions
from ._target_defaults import TargetDefaults
from ._targets import AsyncTargetResolver, TargetResolver
from .token_usage._query import check_concurrency
from .usage._selection import LogStreamTarget

if TYPE_CHECKING:
    from galileo_insights_api.models.run_insights_response import RunInsightsResponse

ClientT = TypeVar("ClientT", SyncAPIClient, AsyncAPIClient)
ResolverT = TypeVar("ResolverT", TargetResolver, AsyncTargetResolver)


def _parse_settings(response: httpx.Response, document: object) -> RunInsightsResponse:
    from galileo_insights_api.models.run_insights_response import RunInsightsResponse  # noqa: PLC0415 - on first use

    if not isinstance(document, dict):
        raise ResponseValidationError(
            f"response body is a JSON {type(document).__name__}, expected an object", response=response
        )
    return RunInsightsResponse.from_dict(document)


@dataclasses.dataclass(frozen=True, slots=True)
class InsightsState:
    """A settings answer as plain values: ``enabled`` (False when absent: the spec's default) and ``start_time``
    (None when absent or null)."""

    log_stream_id: uuid.UUID
    enabled: bool
    start_time: datetime.datetime | None

    @classmethod
    def of(cls, response: RunInsightsResponse) -> InsightsState:
        """The plain values of a settings answer."""
        logstream = getattr(response.insights, "logstream", None)
        enabled = getattr(logstream, "enabled", False)
        start = getattr(logstream, "start_time", None)
        return cls(
            response.run_id,
            enabled is True,
            start if isinstance(start, datetime.datetime) else None,
        )


def settings_body(enabled: bool | None, start_time: datetime.datetime | None) -> dict[str, Any]:
    """The ``RunInsightsRequest`` for the fields given; refuses an empty update and a naive ``start_time``."""
    logstream: dict[str, Any] = {}
    if enabled is not None:
        if not isinstance(enabled, bool):
            raise InvalidRequestError(f"must be True or False, got {enabled!r}", argument="enabled")
        logstream["enabled"] = enabled
    if start_time is not None:
        if not isinstance(start_time, datetime.datetime) or start_time.utcoffset() is None:
            raise InvalidRequestError(f"must be an aware datetime, got {start_time!r}", argument="start_time")
        logstream["start_time"] = start_time.isoformat()
    if not logstream:
        raise InvalidRequestError("update needs enabled= or start_time=")
    return {"insights": {"logstream": logstream}}


class _InsightsSettingsBase(Generic[ClientT, ResolverT]):
    def __init__(self, client: ClientT, resolver: ResolverT, defaults: TargetDefaults) -> None:
        self._client: ClientT = client
        self._resolver: ResolverT = resolver
        self._defaults = defaults

    def _prepare(
        self,
        ids: tuple[uuid.UUID, uuid.UUID],
        write: bool,
        options: CallOptions,
    ) -> PreparedCall:
        from galileo_insights_api.api.run_insights_settings import (  # noqa: PLC0415 - on first use
            get_insights_settings,
            update_insights_settings,
        )

        operation = update_insights_settings if write else get_insights_settings
        return self._client._prepare(
            operation.request_kwargs(*ids), self._client._options.merged(RequestOptions(**options))
        )


class InsightsSettingsResource(_InsightsSettingsBase[SyncAPIClient, TargetResolver]):
    """``client.insights_settings``: whether Galileo generates Logstream Insights for a log stream, and since when
    (``GET``/``PATCH /v2/projects/{project_id}/runs/{run_id}/insights-settings``)."""

    def retrieve(
        self,
        project_id: uuid.UUID | str | None = None,
        log_stream_id: uuid.UUID | str | None = None,
        *,
        project: str | None = None,
        log_stream: str | None = None,
        **options: Unpack[CallOptions],
    ) -> RunInsightsResponse:
        """The log stream's insights settings: ``.insights.logstream.enabled`` and ``.start_time``."""
        target = self._defaults.target(project_id, log_stream_id, project, log_stream)
        return self._client._send(self._prepare(self._resolver.ids(target), False, options), None, _parse_settings)

    def update(
        self,
        project_id: uuid.UUID | str | None = None,
        log_stream_id: uuid.UUID | str | None = None,
        *,
        project: str | None = None,
        log_stream: str | None = None,
        enabled: bool | None = None,
        start_time: datetime.datetime | None = None,
        **options: Unpack[CallOptions],
    ) -> RunInsightsResponse:
        """Turn insights generation on or off (``enabled``) and/or set ``start_time``; returns the new settings."""
        body = settings_body(enabled, start_time)
        target = self._defaults.target(project_id, log_stream_id, project, log_stream)
        return self._client._send(self._prepare(self._resolver.ids(target), True, options), body, _parse_settings)

    def retrieve_many(
        self, targets: Sequence[LogStreamTarget], *, concurrency: int = 8
    ) -> list[RunInsightsResponse | GalileoInsightsError]:
        """Each target's settings, in order, ``concurrency`` requests at a time; a target whose settings could not
        be read gets its error in its place (a listing shows what it can)."""
        check_concurrency(concurrency)

        def one(target: LogStreamTarget) -> Callable[[], Iterator[RunInsightsResponse | GalileoInsightsError]]:
            def read() -> Iterator[RunInsightsResponse | GalileoInsightsError]:
                try:
                    yield self.retrieve(target.project_id, target.log_stream_id)
                except GalileoInsightsError as error:
                    yield error

            return read

        return list(ordered_in_threads([one(target) for target in targets], concurrency, len(targets)))


class AsyncInsightsSettingsResource(_InsightsSettingsBase[AsyncAPIClient, AsyncTargetResolver]):
    """``client.insights_settings`` of the async client: ``InsightsSettingsResource`` with ``await``."""

    async def retrieve(
        self,
        project_id: uuid.UUID | str | None = None,
        log_stream_id: uuid.UUID | str | None = None,
        *,
        project: str | None = None,
        log_stream: str | None = None,
        **options: Unpack[CallOptions],
    ) -> RunInsightsResponse:
        """The log stream's insights settings (await it): ``.insights.logstream.enabled`` and ``.start_time``."""
        target = self._defaults.target(project_id, log_stream_id, project, log_stream)
        ids = await self._resolver.ids(target)
        return await self._client._send(self._prepare(ids, False, options), None, _parse_settings)

    async def update(
        self,
        project_id: uuid.UUID | str | None = None,
        log_stream_id: uuid.UUID | str | None = None,
        *,
        project: str | None = None,
        log_stream: str | None = None,
        enabled: bool | None = None,
        start_time: datetime.datetime | None = None,
        **options: Unpack[CallOptions],
    ) -> RunInsightsResponse:
        """Turn insights generation on or off (``enabled``) and/or set ``start_time``; returns the new settings."""
        body = settings_body(enabled, start_time)
        target = self._defaults.target(project_id, log_stream_id, project, log_stream)
        ids = await self._resolver.ids(target)
        return await self._client._send(self._prepare(ids, True, options), body, _parse_settings)

    async def retrieve_many(
        self, targets: Sequence[LogStreamTarget], *, concurrency: int = 8
    ) -> list[RunInsightsResponse | GalileoInsightsError]:
        """Each target's settings, in order, ``concurrency`` requests at a time; a target whose settings could not
        be read gets its error in its place (a listing shows what it can)."""
        import asyncio  # noqa: PLC0415 - asyncio loads with the first async call, not at import

        check_concurrency(concurrency)
        limit = asyncio.Semaphore(concurrency)

        async def one(target: LogStreamTarget) -> RunInsightsResponse | GalileoInsightsError:
            async with limit:
                try:
                    return await self.retrieve(target.project_id, target.log_stream_id)
                except GalileoInsightsError as error:
                    return error

        return list(await asyncio.gather(*(one(target) for target in targets)))
