"""A new fault is one class with ``apply(answer)``: no change anywhere else in the fake."""

from __future__ import annotations

import attrs
import httpx

from galileo_insights.testing import Answer, FakeGalileo, Latency, Reply


@attrs.frozen
class EmptyPageWithToken:
    """A hostile page: no items, but a next token that keeps advancing."""

    def apply(self, answer: Answer) -> Reply:
        return attrs.evolve(answer(), body=b'{"token_usages": [], "next_starting_token": 999}')


def test_a_user_defined_fault_is_served(client: httpx.Client, fake: FakeGalileo) -> None:
    fake.faults.script(EmptyPageWithToken(), Latency(0.01), None)
    first = client.post(fake.token_usage_path(), json={})
    assert first.json() == {"token_usages": [], "next_starting_token": 999}
    assert len(client.post(fake.token_usage_path(), json={}).json()["token_usages"]) == 100
    assert [request.fault for request in fake.requests] == [EmptyPageWithToken(), Latency(0.01)]
    assert fake.requests[1].delay == 0.01
