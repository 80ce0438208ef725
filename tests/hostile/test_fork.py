"""A client shared across ``os.fork()``: the child never reads from the parent's connections."""

from __future__ import annotations

import json
import os

import httpx
import pytest

from galileo_insights import ClientStateError, GalileoInsights
from tests.hostile.paging_servers import LOG_STREAM_ID, PROJECT_ID, ChangingData, serving, spread

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="POSIX only")
KEY = "fork-safety-key"  # a test credential


def in_child(run: object) -> dict[str, object]:
    """Run ``run()`` in a forked child; return what it reported (its result, or the name of its error)."""
    reader, writer = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: report and leave without running the parent's cleanup
        try:
            report = {"result": run()}  # type: ignore[operator]
        except Exception as exc:  # reported to the parent, which asserts on it
            report = {"error": type(exc).__name__, "message": str(exc)}
        os.write(writer, json.dumps(report).encode())
        os._exit(0)
    os.close(writer)
    with os.fdopen(reader, "rb") as pipe:
        data = pipe.read()
    os.waitpid(pid, 0)
    return json.loads(data)  # type: ignore[no-any-return]


@pytest.mark.filterwarnings("ignore::DeprecationWarning")  # fork() in a process with threads (the test server's)
def test_a_forked_child_walks_on_fresh_connections_of_its_own() -> None:
    data = ChangingData(spread(250))
    with serving(data) as server, GalileoInsights(api_key=KEY, base_url=server.url) as client:
        parent = [str(item.id) for item in client.token_usage.list(PROJECT_ID, LOG_STREAM_ID, page_size=100)]
        before = server.connections  # the parent keeps its connection alive in the pool
        child = in_child(
            lambda: [str(item.id) for item in client.token_usage.list(PROJECT_ID, LOG_STREAM_ID, page_size=100)]
        )
        again = [str(item.id) for item in client.token_usage.list(PROJECT_ID, LOG_STREAM_ID, page_size=100)]
        after = server.connections
    assert child == {"result": parent}
    assert again == parent
    assert after == before + 1  # the child's own connection; the parent's was never used by the child


@pytest.mark.filterwarnings("ignore::DeprecationWarning")
def test_a_client_on_your_transport_refuses_to_send_in_a_forked_child() -> None:
    with GalileoInsights(api_key=KEY, base_url="http://127.0.0.1:9", transport=httpx.HTTPTransport()) as client:
        child = in_child(lambda: list(client.token_usage.list(PROJECT_ID, LOG_STREAM_ID)))
    assert child["error"] == ClientStateError.__name__
    assert "os.fork()" in str(child["message"])
