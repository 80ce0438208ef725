"""The package's pytest plugin: installed with it, a fake and a client in one fixture each, free when unused."""

from __future__ import annotations

import subprocess
import sys
from importlib.metadata import entry_points

import pytest

pytest_plugins = ["pytester"]


def test_the_plugin_is_registered_with_pytest() -> None:
    registered = {entry.name: entry.value for entry in entry_points(group="pytest11")}
    assert registered["galileo_insights"] == "_galileo_insights_pytest"


@pytest.mark.slow
def test_a_users_suite_gets_the_fake_and_a_client_from_fixtures(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        import pytest
        from galileo_insights import RateLimitError
        from galileo_insights.testing import FakeGalileo, RateLimited

        @pytest.mark.galileo_fake(records=12, seed=3)
        def test_records(galileo_fake, galileo_client):
            assert isinstance(galileo_fake, FakeGalileo)
            listing = galileo_client.token_usage.list(galileo_fake.project_id, galileo_fake.log_stream_id)
            assert len(list(listing)) == 12

        def test_a_fresh_fake_per_test(galileo_fake, galileo_client):
            galileo_fake.faults.script(RateLimited(retry_after=0))
            client = galileo_client.with_options(max_retries=0)
            with pytest.raises(RateLimitError):
                list(client.token_usage.list(galileo_fake.project_id, galileo_fake.log_stream_id))
            assert len(galileo_fake.requests) == 1
        """
    )
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "-p", "no:randomly")
    result.assert_outcomes(passed=2)


def test_a_run_that_uses_no_fixture_imports_nothing_of_the_sdk() -> None:
    program = (
        "import sys, _galileo_insights_pytest\n"
        "print(sorted(m for m in sys.modules if m.startswith(('galileo_insights', 'httpx'))))\n"
    )
    done = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
