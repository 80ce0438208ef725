"""Names are looked up once per client, even when eight threads or tasks ask for them at the same time."""

from __future__ import annotations

import asyncio
import threading
from concurrent.futures import ThreadPoolExecutor

import anyio
import httpx

from galileo_insights import AsyncGalileoInsights, GalileoInsights
from galileo_insights.testing import FakeGalileo, FakeTransport

CALLERS = 8
HELD = 0.5  # how long a lookup waits for the others to arrive; the assertion is on counts, never on time


class GatheringLookups(httpx.BaseTransport, httpx.AsyncBaseTransport):
    """The fake, with each lookup (a GET) held until all ``CALLERS`` lookups arrived or ``HELD`` passed: without
    single flight all eight callers are in flight together; with it, one is and the others wait for its answer."""

    def __init__(self, fake: FakeGalileo) -> None:
        self._inner = FakeTransport(fake)
        self._lock = threading.Lock()
        self._arrived = 0
        self._all_in = threading.Event()

    def _arrive(self, request: httpx.Request) -> bool:
        if request.method != "GET":
            return False
        with self._lock:
            self._arrived += 1
            if self._arrived >= CALLERS:
                self._all_in.set()
        return True

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        if self._arrive(request):
            self._all_in.wait(HELD)
        return self._inner.handle_request(request)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if self._arrive(request):
            with anyio.move_on_after(HELD):
                while not self._all_in.is_set():
                    await anyio.sleep(0.01)
        return await self._inner.handle_async_request(request)


def lookups(fake: FakeGalileo) -> list[str]:
    return [request.path for request in fake.requests if request.method == "GET"]


def test_eight_threads_send_one_lookup_per_name() -> None:
    fake = FakeGalileo()
    transport = GatheringLookups(fake)
    with GalileoInsights(api_key=fake.api_key, base_url="http://galileo.test", transport=transport) as client:
        barrier = threading.Barrier(CALLERS)

        def resolve() -> object:
            barrier.wait()
            return client.token_usage.log_stream_ids(project=fake.project_name, log_stream=fake.log_stream_name)

        with ThreadPoolExecutor(CALLERS) as pool:
            answers = list(pool.map(lambda _: resolve(), range(CALLERS)))

    assert set(answers) == {(fake.project_id, fake.log_stream_id)}
    assert lookups(fake) == ["/projects", f"/v2/projects/{fake.project_id}/log_streams/paginated"]


def test_eight_tasks_send_one_lookup_per_name() -> None:
    fake = FakeGalileo()
    transport = GatheringLookups(fake)

    async def main() -> list[object]:
        async with AsyncGalileoInsights(
            api_key=fake.api_key, base_url="http://galileo.test", transport=transport
        ) as client:
            return await asyncio.gather(
                *(
                    client.token_usage.log_stream_ids(project=fake.project_name, log_stream=fake.log_stream_name)
                    for _ in range(CALLERS)
                )
            )

    answers = asyncio.run(main())

    assert set(answers) == {(fake.project_id, fake.log_stream_id)}
    assert lookups(fake) == ["/projects", f"/v2/projects/{fake.project_id}/log_streams/paginated"]
