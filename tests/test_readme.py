"""The README's Python examples run as written against the fake Galileo over real HTTP."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from galileo_insights.testing import FakeGalileo

README = Path(__file__).resolve().parents[1] / "README.md"
PYTHON_BLOCK = re.compile(r"```python\n(.*?)```", re.DOTALL)


def test_readme_examples_run_against_the_fake(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    blocks = PYTHON_BLOCK.findall(README.read_text(encoding="utf-8"))
    assert len(blocks) >= 3
    fake = FakeGalileo(records=1_000, seed=7)
    for name in ("GALILEO_JWT_TOKEN", "GALILEO_USERNAME", "GALILEO_PASSWORD", "GALILEO_CONSOLE_URL"):
        monkeypatch.delenv(name, raising=False)
    with fake.serve() as url:
        monkeypatch.setenv("GALILEO_API_URL", url)
        monkeypatch.setenv("GALILEO_API_KEY", fake.api_key)
        namespace: dict[str, Any] = {}
        for block in blocks:
            exec(compile(block, str(README), "exec"), namespace)
    printed = capsys.readouterr().out
    assert str(fake.project_id) == namespace["project_id"]
    assert "1000" in printed  # totals over all records, from both clients
