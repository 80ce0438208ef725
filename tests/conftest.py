"""Suite-wide test infrastructure: bytecode caching, hypothesis without timing assertions, and no patch on an
httpx transport outlives its test."""

from __future__ import annotations

import sys
from collections.abc import Generator
from pathlib import Path

import pytest

from tests.transport_patches import TransportMethods

# Compiling sources took half the start-up of a small test file where PYTHONDONTWRITEBYTECODE is set; test modules
# and the SDK imported from here on are cached in the ignored __pycache__ folders instead.
sys.dont_write_bytecode = False

_TRANSPORTS = TransportMethods()
_HYPOTHESIS_PROFILE = "suite"


@pytest.fixture
def anyio_backend() -> str:
    """Async tests run on asyncio, what the SDK's async client is built and documented for (anyio's plugin would
    also run them on trio, which is not installed)."""
    return "asyncio"


def pytest_pycollect_makemodule(module_path: Path, parent: pytest.Collector) -> None:
    """Before the first test module that uses hypothesis is imported, load the suite's profile: no deadline and no
    too-slow health check, which are timing assertions that fail on a busy machine. Runs that use no hypothesis
    never import it (a third of a second)."""
    if "hypothesis" in sys.modules or b"hypothesis" not in module_path.read_bytes():
        return
    from hypothesis import HealthCheck, settings

    settings.register_profile(_HYPOTHESIS_PROFILE, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    settings.load_profile(_HYPOTHESIS_PROFILE)


def pytest_sessionfinish(session: pytest.Session) -> None:
    """A run that never imported hypothesis skips its plugin's summary, which imports it (a third of a second).

    Not under xdist: there the tests (and hypothesis) run in workers, out of this process's sight.
    """
    plugins = session.config.pluginmanager
    if "hypothesis" not in sys.modules and not plugins.has_plugin("dsession"):
        plugin = plugins.get_plugin("hypothesispytest")
        if plugin is not None:
            plugins.unregister(plugin)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None) -> Generator[None]:
    """After every fixture (pytest-recording's cassette too) is torn down, the transports are the originals."""
    yield
    leaked = _TRANSPORTS.restore()
    if leaked:
        pytest.fail(f"{item.nodeid} left a patch on {', '.join(leaked)}; it was undone", pytrace=False)
