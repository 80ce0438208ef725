"""``galileo_insights`` against Prism: parsing, the pagination loop guard, credentials and error mapping."""

from __future__ import annotations

import itertools
import uuid
from collections.abc import Callable

import httpx
import pytest

from galileo_insights import AuthenticationError, BasicAuth, GalileoInsights, PaginationError
from galileo_insights_api.models.log_stream_insight_token_usage_db import LogStreamInsightTokenUsageDB

from .prism_server import PRISM_BIN, SETUP_HINT, PrismServer
from .raw_requests import (
    API_KEY,
    DYNAMIC,
    LOG_STREAM_ID,
    PROJECT_ID,
    post_token_usage,
    read_like_the_client,
    token_usage_url,
)

pytestmark = [pytest.mark.prism, pytest.mark.skipif(not PRISM_BIN.exists(), reason=SETUP_HINT)]

DYNAMIC_WALKS = 20
MAX_PAGES_PER_WALK = 10


class CountingClient(httpx.Client):
    """An httpx client that counts what it sends, to see retries (or their absence) on the wire."""

    def __init__(self, headers: dict[str, str] | None = None) -> None:
        super().__init__(timeout=10.0, headers=headers, event_hooks={"request": [self._count]})
        self.sent = 0

    def _count(self, request: httpx.Request) -> None:
        self.sent += 1


def test_the_wrapper_parses_prisms_static_page(prism: PrismServer) -> None:
    """The page parser the clients use accepts Prism's example and yields generated items."""
    page = read_like_the_client(post_token_usage(token_usage_url(prism.base_url), {"limit": 10}))

    assert [type(item) for item in page.items] == [LogStreamInsightTokenUsageDB]
    assert page.next_starting_token == 0


def test_walking_the_static_mock_stops_at_the_loop_guard(prism: PrismServer) -> None:
    """Prism's static example answers starting_token=0, limit=100 and next_starting_token=0 to every request.

    Asked for pages of 100 at 0, its echo matches; following its token would repeat the page forever, so the
    pager raises when it is about to: the first page's items are delivered, then PaginationError, after one
    request.
    """
    with (
        CountingClient() as http,
        GalileoInsights(api_key=API_KEY, base_url=prism.base_url, http_client=http) as client,
    ):
        pager = client.token_usage.list(PROJECT_ID, LOG_STREAM_ID, page_size=100)
        seen: list[LogStreamInsightTokenUsageDB] = []
        with pytest.raises(PaginationError, match=r"next_starting_token=0 .* starting_token=0"):
            seen.extend(pager)

    assert [type(item) for item in seen] == [LogStreamInsightTokenUsageDB]
    assert http.sent == 1


def test_walks_over_random_pages_end_cleanly_or_in_a_pagination_error(prism: PrismServer) -> None:
    """Prism's dynamic mode draws every field at random, the echo of ``starting_token``/``limit`` included, so a
    page almost never says it is the page asked for: the pager asks once more on a fresh connection, then raises
    PaginationError instead of using it. Whatever Prism draws, the wrapper raises nothing else (no
    ResponseValidationError on valid data), and any page it does use holds generated items.
    """
    outcomes: list[str] = []
    items: list[LogStreamInsightTokenUsageDB] = []
    with (
        CountingClient(headers=DYNAMIC) as http,
        GalileoInsights(api_key=API_KEY, base_url=prism.base_url, http_client=http, max_retries=0) as client,
    ):
        for _ in range(DYNAMIC_WALKS):
            pages = client.token_usage.list(PROJECT_ID, LOG_STREAM_ID, page_size=3).pages()
            walked = 0
            try:
                for page in itertools.islice(pages, MAX_PAGES_PER_WALK):
                    walked += 1
                    items.extend(page.items)
            except PaginationError:
                outcomes.append("refused")
                continue
            outcomes.append("ended" if walked < MAX_PAGES_PER_WALK else "capped")

    assert "refused" in outcomes, outcomes
    assert all(isinstance(item, LogStreamInsightTokenUsageDB) for item in items)
    assert http.sent >= 2 * outcomes.count("refused")  # a refused page was asked for twice


MakeClient = Callable[[str, httpx.Client], GalileoInsights]


@pytest.mark.parametrize(
    "make_client",
    [
        pytest.param(lambda url, http: GalileoInsights(base_url=url, http_client=http, api_key=API_KEY), id="api-key"),
        pytest.param(lambda url, http: GalileoInsights(base_url=url, http_client=http, jwt_token="a.b.c"), id="bearer"),
        pytest.param(
            lambda url, http: GalileoInsights(base_url=url, http_client=http, auth=BasicAuth("user", "secret")),
            id="basic",
        ),
    ],
)
def test_each_credential_kind_satisfies_the_spec_security(prism: PrismServer, make_client: MakeClient) -> None:
    """Reaching the loop guard means a 200 page came back, so Prism accepted the credentials."""
    with CountingClient() as http, make_client(prism.base_url, http) as client, pytest.raises(PaginationError):
        list(client.token_usage.list(PROJECT_ID, LOG_STREAM_ID))


@pytest.mark.parametrize(
    "make_client",
    [
        # httpx.Auth itself is the no-op flow: it sends the request unchanged.
        pytest.param(lambda url, http: GalileoInsights(base_url=url, http_client=http, auth=httpx.Auth()), id="none"),
        pytest.param(
            lambda url, http: GalileoInsights(
                base_url=url, http_client=http, api_key=API_KEY, api_key_header="X-Api-Key"
            ),
            id="key-in-an-undeclared-header",
        ),
    ],
)
def test_missing_credentials_raise_authentication_error_without_retrying(
    prism: PrismServer, make_client: MakeClient
) -> None:
    """Prism answers 401 (problem+json) when no security requirement is met; the spec itself declares no 401."""
    with (
        CountingClient() as http,
        make_client(prism.base_url, http) as client,
        pytest.raises(AuthenticationError) as raised,
    ):
        list(client.token_usage.list(PROJECT_ID, LOG_STREAM_ID))

    error = raised.value
    assert error.status_code == 401
    assert error.response.headers["content-type"] == "application/problem+json"
    assert isinstance(error.body, dict)
    assert error.body["title"] == "Invalid security scheme used"
    assert http.sent == 1


def test_ids_are_sent_as_uuids_prism_accepts(prism: PrismServer) -> None:
    """``uuid.UUID`` and upper-case strings are both normalized into ids that pass ``format: uuid``."""
    with GalileoInsights(api_key=API_KEY, base_url=prism.base_url) as client, pytest.raises(PaginationError):
        list(client.token_usage.list(str(PROJECT_ID).upper(), uuid.UUID(str(LOG_STREAM_ID))))
