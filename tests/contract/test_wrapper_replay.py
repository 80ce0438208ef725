"""The wrapper's happy path, replayed from the recorded first, middle and last pages (pytest-recording)."""

from __future__ import annotations

import pytest

from galileo_insights import GalileoInsights

from .cassettes import FAKE_API_KEY, load_exchange

PAGES = ("first_page", "middle_page", "last_page")


@pytest.mark.vcr(*(f"{name}.yaml" for name in PAGES))
def test_wrapper_walks_the_recorded_pages_in_order() -> None:
    exchanges = [load_exchange(name) for name in PAGES]
    first = exchanges[0].request_json()
    project_id, log_stream_id = exchanges[0].path_ids
    bounds = {f["name"] + "_" + f["operator"]: f["value"] for f in first["filters"]}

    with GalileoInsights(api_key=FAKE_API_KEY, base_url="https://api.galileo.ai", max_retries=0) as client:
        pager = client.token_usage.list(
            project_id,
            log_stream_id,
            page_size=first["limit"],
            created_since=bounds["created_at_gte"],
            updated_before=bounds["updated_at_lt"],
        )
        # recorded by offset: the first page as a walk asks for it, the rest as get_next_page() asks for them
        page = next(iter(pager.pages()))
        items = list(page.items)
        while page.has_next_page():
            page = page.get_next_page()
            items.extend(page.items)

    expected = [usage["id"] for exchange in exchanges for usage in exchange.response_json()["token_usages"]]
    assert [str(item.id) for item in items] == expected
    assert exchanges[-1].response_json()["next_starting_token"] is None
