"""``import galileo_insights`` and building a client stay cheap (issue 12): the endpoints, their generated models and
attrs load on first use, and every public name still works as if imported eagerly."""

from __future__ import annotations

import importlib
import subprocess
import sys

import pytest

import galileo_insights
from galileo_insights import GalileoInsights

LOADED = "import sys; print(sorted({m.split('.')[0] for m in sys.modules} & {'attrs', 'galileo_insights_api'}))"


def run(code: str) -> str:
    env = {"GALILEO_API_KEY": "k", "GALILEO_API_URL": "http://127.0.0.1:9", "PATH": ""}
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env).stdout


def test_importing_and_building_a_client_loads_no_generated_model_and_no_attrs() -> None:
    code = "import galileo_insights; galileo_insights.GalileoInsights().close(); " + LOADED
    assert run(code).strip() == "[]"


def test_the_first_use_of_a_resource_loads_what_it_needs() -> None:
    code = (
        "import galileo_insights; client = galileo_insights.GalileoInsights(); "
        "print(type(client.token_usage).__name__); " + LOADED
    )
    assert run(code).split() == ["TokenUsageResource", "['attrs',", "'galileo_insights_api']"]


@pytest.mark.parametrize("name", galileo_insights.__all__)
def test_every_public_name_is_the_object_its_module_defines(name: str) -> None:
    value = getattr(galileo_insights, name)
    module = galileo_insights._MODULE_OF.get(name)
    if module is not None:
        assert value is getattr(importlib.import_module(module, "galileo_insights"), name)
    assert name in dir(galileo_insights)


def test_star_import_gives_every_public_name() -> None:
    namespace: dict[str, object] = {}
    exec("from galileo_insights import *", namespace)  # what `import *` users get
    assert set(galileo_insights.__all__) <= set(namespace)


def test_an_unknown_name_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="module 'galileo_insights' has no attribute 'NoSuchThing'"):
        _ = galileo_insights.NoSuchThing


def test_a_with_options_copy_builds_its_own_resources_bound_to_itself() -> None:
    with GalileoInsights(api_key="k", base_url="http://127.0.0.1:9") as client:
        original = client.token_usage, client.projects, client.with_raw_response
        copy = client.with_options(timeout=3)
        assert copy.token_usage is not original[0]
        assert copy.token_usage._client is copy
        assert copy.projects._client is copy
        assert copy.with_raw_response.projects._resource._client is copy
        assert client.token_usage is original[0]  # the original keeps its own
        assert client.projects is original[1]
