"""The pipeline on a spec shaped like Galileo's documentation copy (YAML, "FastAPI 0.1.0", public servers,
top-level ``security: []``, ``{"$ref"}`` discriminator mappings): it selects, and it generates the same
token-usage code as the pinned 1.961.4 export."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from spec_pipeline.diff import diff_specs
from spec_pipeline.fetch import main, parse_document
from spec_pipeline.generate import OUTPUT
from spec_pipeline.operations import Selection, load_selection
from spec_pipeline.select import select_operations

from .generated_package import generate_variant
from .specs import FIXTURES, load

DOCS_SPEC = FIXTURES / "docs_token_usage.yaml"
# Files listing every operation or model (the documentation's copy holds token usage only), and the record of
# which spec made the package
INDEXES = {"models/__init__.py", "provenance.json"}


@pytest.fixture
def token_usage_only() -> Selection:
    committed = load_selection()
    return Selection(committed.operations[:1], committed.watch)


@pytest.fixture
def docs_spec() -> dict[str, Any]:
    return parse_document(DOCS_SPEC.read_bytes(), str(DOCS_SPEC))


def test_the_documentation_copy_is_the_pins_token_usage_with_public_servers(
    docs_spec: dict[str, Any], pinned: dict[str, Any], token_usage_only: Selection
) -> None:
    assert (docs_spec["info"], docs_spec["security"]) == ({"title": "FastAPI", "version": "0.1.0"}, [])

    changes = diff_specs(select_operations(pinned, token_usage_only), select_operations(docs_spec, token_usage_only))

    assert [change.line() for change in changes] == [
        'ok       security scheme OAuth2PasswordBearer: flows.password.tokenUrl "http://localhost:8088/login" -> '
        '"https://api.galileo.ai/login"',
        'ok       servers: ["http://localhost:8088"] -> ["https://api.galileo.ai"]',
    ]


def test_make_spec_reads_the_yaml_copy(
    tmp_path: Path, token_usage_only: Selection, capsys: pytest.CaptureFixture[str]
) -> None:
    [op] = token_usage_only.operations
    operations = tmp_path / "operations.yaml"
    entry = f"{{method: {op.method}, path: '{op.path}', operation_id: {op.operation_id}, name: {op.name}}}"
    operations.write_text(
        f"operations:\n  - {entry}\nwatch: {{tags: [logstream-insights], path_prefix: /v2/}}\n",
        encoding="utf-8",
    )
    out = tmp_path / "openapi.json"

    assert main(["--url", str(DOCS_SPEC), "--out", str(out), "--operations", str(operations)]) == 0

    written = load(out)
    assert list(written["paths"]) == [op.path]
    assert (written["info"]["title"], written["security"]) == ("FastAPI", [])
    assert list(written["paths"][op.path]["post"]["responses"]) == ["200", "422"]
    assert capsys.readouterr().out.startswith(f"wrote {out}: 1 path(s), 9 schema(s)\n")


@pytest.mark.slow
def test_it_generates_the_same_token_usage_code_as_the_pin(
    tmp_path: Path, docs_spec: dict[str, Any], token_usage_only: Selection
) -> None:
    fresh = generate_variant(tmp_path, select_operations(docs_spec, token_usage_only), token_usage_only)

    generated = sorted(path.relative_to(fresh).as_posix() for path in fresh.rglob("*") if path.is_file())
    assert "api/logstream_insights/get_token_usage.py" in generated
    differing = [name for name in generated if (fresh / name).read_bytes() != (OUTPUT / name).read_bytes()]
    assert set(differing) <= INDEXES
