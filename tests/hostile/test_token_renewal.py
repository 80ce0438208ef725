"""Short-lived login tokens under load: a 401 on a token the SDK obtained itself renews it and resends once.

64 concurrent async walks share one client whose tokens live 1 s while each page takes up to 1 s (0 to 0.5 s on the
way there, 0.5 s on the way back), so tokens expire under in-flight walks all the time, and a token another walk
renewed while this walk's 401 was on its way back may be stale by the time the resend arrives. Every walk must still
finish with every record.

A resend reaches the fake at most 0.5 s after its token was issued, so half a lifetime is left for a loaded machine's
event loop to fall behind. (With up to 0.8 s on the way there, measured resends arrived up to 0.796 s after their
token's login, and one CI run on a busy machine got the second 401 the SDK rightly hands back.)
"""

from __future__ import annotations

import asyncio
import random
import subprocess
import sys

import httpx
import pytest

from galileo_insights import AsyncGalileoInsights
from galileo_insights.testing import Credentials, FakeGalileo, RandomFaults

USERNAME = "walker@example.com"
PASSWORD = "walker-password"  # a test credential
RECORDS = 60  # 3 pages a walk: about 64 expired tokens answered 401 in a run
WALKS = 64


LIFETIME = 1.0  # of a token, in seconds
TRANSIT = 0.5  # a request is checked up to TRANSIT after it was sent, answered TRANSIT later


class Transit(httpx.AsyncBaseTransport):
    """Holds each request 0 to ``seconds`` (seeded) before the fake sees it, as a network on the way there would; the
    spread keeps the walks from moving in lockstep."""

    def __init__(self, inner: httpx.AsyncBaseTransport, seconds: float) -> None:
        self._inner = inner
        self._seconds = seconds
        self._random = random.Random(7)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        await asyncio.sleep(self._random.uniform(0, self._seconds))
        return await self._inner.handle_async_request(request)


def short_lived_fake() -> FakeGalileo:
    credentials = Credentials(users={USERNAME: PASSWORD}, token_ttl=LIFETIME)
    fake = FakeGalileo(records=RECORDS, seed=3, credentials=credentials)
    fake.faults.set_random(RandomFaults(seed=5, latency=1.0, latency_seconds=TRANSIT))
    return fake


@pytest.mark.slow
@pytest.mark.anyio
async def test_64_concurrent_walks_outlive_their_tokens() -> None:
    fake = short_lived_fake()
    async with AsyncGalileoInsights(
        username=USERNAME,
        password=PASSWORD,
        base_url="http://127.0.0.1",
        transport=Transit(fake.transport(), TRANSIT),
        max_retries=0,
    ) as client:
        counts = await asyncio.gather(*(walk(client, fake) for _ in range(WALKS)))
    assert counts == [RECORDS] * WALKS
    expired = sum(request.status == 401 for request in fake.requests)
    assert expired >= WALKS // 2, "tokens did not expire under the walks"


async def walk(client: AsyncGalileoInsights, fake: FakeGalileo) -> int:
    pager = client.token_usage.list(fake.project_id, fake.log_stream_id, page_size=20)
    return len({item.id async for item in pager})


def test_importing_the_sdk_does_not_import_anyio() -> None:
    """anyio (about 15 ms of import time) is needed only by an async client that logs in with a password."""
    code = "import sys, galileo_insights; print('anyio' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"
