"""The pytest plugin galileo-insights registers: opt-in fixtures over the fake Galileo.

    def test_my_report(galileo_client, galileo_fake):
        galileo_fake.faults.script(RateLimited(retry_after=1))
        assert my_report(galileo_client) == ...

    @pytest.mark.galileo_fake(records=500, seed=7)   # FakeGalileo's keyword arguments
    def test_with_records(galileo_fake): ...

A module outside the package (as hypothesis does) so that a test run that uses no fixture imports nothing of the
SDK. Turn it off with ``-p no:galileo_insights``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from galileo_insights import GalileoInsights
    from galileo_insights.testing import FakeGalileo

_MARKER = "galileo_fake"


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", f"{_MARKER}(**options): FakeGalileo's keyword arguments (records=, seed=, ...) for galileo_fake"
    )


@pytest.fixture
def galileo_fake(request: pytest.FixtureRequest) -> FakeGalileo:
    """A fresh in-memory ``FakeGalileo`` per test; ``@pytest.mark.galileo_fake(...)`` passes its options."""
    from galileo_insights.testing import FakeGalileo  # noqa: PLC0415 - only for tests that ask for the fixture

    marker = request.node.get_closest_marker(_MARKER)
    return FakeGalileo(**(marker.kwargs if marker is not None else {}))


@pytest.fixture
def galileo_client(galileo_fake: FakeGalileo) -> Iterator[GalileoInsights]:
    """A ``GalileoInsights`` client talking to ``galileo_fake`` in-process (no sockets), closed after the test."""
    from galileo_insights import GalileoInsights  # noqa: PLC0415 - only for tests that ask for the fixture

    with GalileoInsights(
        api_key=galileo_fake.api_key, base_url="http://galileo.test", transport=galileo_fake.transport()
    ) as client:
        yield client
