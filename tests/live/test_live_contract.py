"""``make contract-live``: the live API through the wrapper, every response held to the pinned spec.

Runs only when asked (``GALILEO_LIVE_CONTRACT=1``, set by the make target) and when the account variables
are present; it re-records ``tests/fixtures/cassettes/live/`` with credentials and tokens redacted.
"""

from __future__ import annotations

import os

import httpx
import pytest

from galileo_insights import AuthenticationError, GalileoInsights
from tests.contract.spec import validate_exchange

REQUIRED = ("GALILEO_API_KEY", "GALILEO_PROJECT_ID", "GALILEO_LOG_STREAM_ID")
missing = [name for name in REQUIRED if not os.environ.get(name)]
pytestmark = [
    pytest.mark.skipif(os.environ.get("GALILEO_LIVE_CONTRACT") != "1", reason="live check: run `make contract-live`"),
    pytest.mark.skipif(bool(missing), reason=f"live check needs {', '.join(missing)} set"),
    pytest.mark.vcr,
]


def test_live_pages_match_the_pinned_spec() -> None:
    responses: list[httpx.Response] = []

    def keep(response: httpx.Response) -> None:
        response.read()
        responses.append(response)

    http = httpx.Client(event_hooks={"response": [keep]})
    with http, GalileoInsights(http_client=http, max_retries=1) as client:
        pager = client.token_usage.list(
            os.environ["GALILEO_PROJECT_ID"], os.environ["GALILEO_LOG_STREAM_ID"], page_size=5, max_items=15
        )
        items = list(pager)
    assert responses, "no response was received"
    for response in responses:
        request = response.request
        validate_exchange(
            request.method, request.url.path, request.content, request.headers, response.status_code, response.content
        )
    assert len({item.id for item in items}) == len(items)


def test_live_rejects_a_wrong_key() -> None:
    with GalileoInsights(api_key="not-a-valid-key", max_retries=0) as client, pytest.raises(AuthenticationError):
        next(iter(client.token_usage.list(os.environ["GALILEO_PROJECT_ID"], os.environ["GALILEO_LOG_STREAM_ID"])))
