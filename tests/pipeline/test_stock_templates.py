"""A template override whose stock base changed (another generator version) stops generation, naming the template."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from spec_pipeline.errors import SpecPipelineError
from spec_pipeline.stock_templates import BASES, STOCK, TEMPLATES, changed_lines, check_bases, overrides


def test_the_committed_overrides_match_the_installed_generator() -> None:
    check_bases()

    assert "model.py.jinja" in overrides()
    assert changed_lines("model.py.jinja")[0] > 0


def test_a_moved_stock_base_is_named(tmp_path: Path) -> None:
    stock = shutil.copytree(STOCK, tmp_path / "stock")
    moved = stock / "property_templates" / "union_property.py.jinja"
    moved.write_text(moved.read_text(encoding="utf-8") + "{# upstream fixed something #}\n", encoding="utf-8")

    with pytest.raises(SpecPipelineError) as raised:
        check_bases(TEMPLATES, stock, BASES)

    assert "property_templates/union_property.py.jinja: openapi-python-client" in str(raised.value)
    assert "model.py.jinja" not in str(raised.value)


def test_a_new_override_without_a_recorded_base_is_named(tmp_path: Path) -> None:
    templates = shutil.copytree(TEMPLATES, tmp_path / "templates")
    shutil.copy(STOCK / "client.py.jinja", templates / "client.py.jinja")

    with pytest.raises(SpecPipelineError, match=r"client\.py\.jinja: overrides a stock template but"):
        check_bases(templates, STOCK, BASES)
