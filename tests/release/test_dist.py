"""What the wheel and the sdist may hold (`make dist-check` builds them and applies this)."""

from __future__ import annotations

from scripts.check_dist import SDIST_TOP, WHEEL_TOP, unexpected


def test_the_sdist_holds_the_sources_spec_and_documents_only() -> None:
    shipped = [
        "wrapper/galileo_insights/_client.py",
        "wrapper/_galileo_insights_pytest.py",
        "generated/galileo_insights_api/client.py",
        "openapi/openapi.json",
        "openapi/README.md",
        *("generator-config.yaml", "README.md", "CHANGELOG.md", "LICENSE", "pyproject.toml", "PKG-INFO"),
    ]
    swept_in = [
        "tests/wrapper/test_auth.py",  # what an unanchored "wrapper/" pattern matched
        "tests/fixtures/README.md",
        "benchmarks/README.md",
        ".venv-py3.12/lib/python3.12/site-packages/x/generated/y.py",
        "wrapper/galileo_insights/__pycache__/_client.cpython-311.pyc",
    ]
    assert unexpected(shipped + swept_in, SDIST_TOP) == sorted(swept_in)


def test_the_wheel_holds_the_two_packages_the_plugin_and_its_metadata() -> None:
    shipped = [
        "galileo_insights/__init__.py",
        "galileo_insights_api/__init__.py",
        "_galileo_insights_pytest.py",
        "galileo_insights-0.1.0.dist-info/METADATA",
    ]
    assert unexpected([*shipped, "tests/conftest.py", "galileo_insights/x.pyc"], WHEEL_TOP) == [
        "galileo_insights/x.pyc",
        "tests/conftest.py",
    ]
