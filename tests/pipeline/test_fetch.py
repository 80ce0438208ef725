"""``make spec``: read a path, file:// URL or HTTP URL; on any failure one line, exit 1, pinned file untouched."""

from __future__ import annotations

import io
import json
import socket
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

from spec_pipeline.fetch import main
from spec_pipeline.jsonfile import dumps
from spec_pipeline.select import select_operations

from .spec_server import SpecServer
from .specs import FIXTURE_OPERATIONS, FULL_SPEC, PINNED_SPEC, TOKEN_USAGE, fixture_selection, load

PREVIOUS = b'{"openapi": "3.1.0", "paths": {}, "previous": true}\n'


def expected_output() -> str:
    return dumps(select_operations(load(FULL_SPEC), fixture_selection()))


def run(source: str, out: Path, operations: Path = FIXTURE_OPERATIONS) -> int:
    return main(["--url", source, "--out", str(out), "--operations", str(operations)])


def closed_port_url() -> str:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}/openapi.json"  # nothing listens there any more: connection refused


def test_reads_a_path(tmp_path: Path) -> None:
    out = tmp_path / "openapi.json"

    assert run(str(FULL_SPEC), out) == 0
    assert out.read_text(encoding="utf-8") == expected_output()


def test_reads_a_file_url(tmp_path: Path) -> None:
    out = tmp_path / "openapi.json"

    assert run(FULL_SPEC.as_uri(), out) == 0
    assert out.read_text(encoding="utf-8") == expected_output()


def test_downloads_over_http(tmp_path: Path, spec_server: SpecServer) -> None:
    spec_server.routes["/openapi.json"] = (200, FULL_SPEC.read_bytes())
    out = tmp_path / "nested" / "openapi.json"

    assert run(spec_server.url("/openapi.json"), out) == 0
    assert out.read_text(encoding="utf-8") == expected_output()


def as_yaml(path: Path) -> bytes:
    buffer = io.StringIO()
    YAML().dump(load(path), buffer)  # round-trip mode keeps the key order
    return buffer.getvalue().encode()


def test_reads_a_yaml_path(tmp_path: Path) -> None:
    source = tmp_path / "openapi.yaml"
    source.write_bytes(as_yaml(FULL_SPEC))
    out = tmp_path / "openapi.json"

    assert run(str(source), out) == 0
    assert out.read_text(encoding="utf-8") == expected_output()


def test_downloads_yaml_over_http(tmp_path: Path, spec_server: SpecServer) -> None:
    spec_server.routes["/openapi.yaml"] = (200, as_yaml(FULL_SPEC))
    out = tmp_path / "openapi.json"

    assert run(spec_server.url("/openapi.yaml"), out) == 0
    assert out.read_text(encoding="utf-8") == expected_output()


def test_output_is_pretty_json_in_upstream_order(tmp_path: Path) -> None:
    out = tmp_path / "openapi.json"

    run(str(FULL_SPEC), out)

    text = out.read_text(encoding="utf-8")
    document: dict[str, Any] = json.loads(text)
    assert text == json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    upstream = load(FULL_SPEC)
    assert list(document) == list(upstream) != sorted(upstream)
    schemas, upstream_schemas = document["components"]["schemas"], upstream["components"]["schemas"]
    assert list(schemas) == [name for name in upstream_schemas if name in schemas] != sorted(schemas)
    for name, schema in schemas.items():
        assert list(schema) == list(upstream_schemas[name])
        assert list(schema.get("properties", {})) == list(upstream_schemas[name].get("properties", {}))


def test_prints_what_it_wrote(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "openapi.json"

    run(str(FULL_SPEC), out)

    captured = capsys.readouterr()
    assert f"wrote {out}: 2 path(s), 13 schema(s)" in captured.out
    assert captured.err == ""


@pytest.mark.parametrize(
    ("route", "status", "body", "message"),
    [
        ("/boom", 500, b"internal error", "HTTP 500"),
        ("/html", 200, b"<html>maintenance</html>", "is not an OpenAPI 3 document"),
        ("/cut-json", 200, b'{"openapi": "3.1.0", "paths": {', "is not a JSON document"),
        ("/bad-yaml", 200, b"openapi: 3.1.0\npaths: [\n", "is neither JSON nor YAML"),
        ("/not-utf8", 200, b"openapi: \xff\n", "is not UTF-8 text"),
        ("/other-json", 200, b'{"hello": "world"}', "is not an OpenAPI 3 document"),
        ("/swagger2", 200, b'{"swagger": "2.0", "paths": {}}', "is not an OpenAPI 3 document"),
        ("/nothing-ours", 200, b'{"openapi": "3.1.0", "paths": {}}', "selected operation(s) not in the document"),
    ],
)
def test_bad_download_leaves_the_pinned_file_alone(
    tmp_path: Path,
    spec_server: SpecServer,
    capsys: pytest.CaptureFixture[str],
    route: str,
    status: int,
    body: bytes,
    message: str,
) -> None:
    spec_server.routes[route] = (status, body)
    out = tmp_path / "openapi.json"
    out.write_bytes(PREVIOUS)

    assert run(spec_server.url(route), out) == 1

    assert_failed_cleanly(out, capsys, message)


def test_offline_leaves_the_pinned_file_alone(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "openapi.json"
    out.write_bytes(PREVIOUS)

    assert run(closed_port_url(), out) == 1

    assert_failed_cleanly(out, capsys, "cannot download")


def test_missing_local_file_leaves_the_pinned_file_alone(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "openapi.json"
    out.write_bytes(PREVIOUS)

    assert run(str(tmp_path / "absent.json"), out) == 1

    assert_failed_cleanly(out, capsys, "cannot read")


def assert_failed_cleanly(out: Path, capsys: pytest.CaptureFixture[str], message: str) -> None:
    captured = capsys.readouterr()
    assert out.read_bytes() == PREVIOUS
    assert sorted(p.name for p in out.parent.iterdir()) == ["openapi.json"]  # no temp file left behind
    assert captured.out == ""
    assert captured.err.endswith("left unchanged)\n")
    assert captured.err.count("\n") == 1
    assert message in captured.err


def test_reports_no_previous_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "openapi.json"

    assert run(str(FULL_SPEC), out) == 0

    assert capsys.readouterr().out.splitlines()[-1] == f"no previous {out}: no change report"


def test_reports_an_unreadable_previous_file_in_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "openapi.json"
    out.write_text('{"<<< merge conflict', encoding="utf-8")

    assert run(str(FULL_SPEC), out) == 0

    assert out.read_text(encoding="utf-8") == expected_output()
    last = capsys.readouterr().out.splitlines()[-1]
    assert last.startswith("no change report: previous ")
    assert "is not a JSON document" in last


def test_rerun_reports_no_changes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "openapi.json"
    run(str(FULL_SPEC), out)
    capsys.readouterr()

    assert run(str(FULL_SPEC), out) == 0

    assert capsys.readouterr().out.splitlines()[1:] == [f"changes since the previous {out}:", "no changes"]


def test_breaking_changes_are_reported_but_do_not_block_the_write(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "openapi.json"
    changed = load(FULL_SPEC)
    del changed["components"]["schemas"]["InsightRow"]["properties"]["token_usage"]
    source = tmp_path / "full.json"
    source.write_text(json.dumps(changed), encoding="utf-8")
    run(str(FULL_SPEC), out)
    capsys.readouterr()

    assert run(str(source), out) == 0

    assert load(out)["components"]["schemas"]["InsightRow"] == changed["components"]["schemas"]["InsightRow"]
    report = capsys.readouterr().out
    assert "BREAKING InsightRow.token_usage: field removed (readers lose it)" in report
    assert "schema removed" in report  # TokenUsage is no longer referenced, so selection dropped it


def test_rewriting_the_pinned_spec_from_itself_changes_nothing(tmp_path: Path) -> None:
    out = tmp_path / "openapi.json"

    assert main(["--url", str(PINNED_SPEC), "--out", str(out)]) == 0  # the committed openapi/operations.yaml
    assert out.read_bytes() == PINNED_SPEC.read_bytes()


def test_watched_operations_that_are_not_listed_are_reported_not_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    operations = tmp_path / "operations.yaml"
    listed = FIXTURE_OPERATIONS.read_text(encoding="utf-8").split("  - method: GET")[0]
    operations.write_text(listed + "watch:\n  tags: [logstream-insights]\n  path_prefix: /v2/\n", encoding="utf-8")
    out = tmp_path / "openapi.json"

    assert run(str(FULL_SPEC), out, operations) == 0

    assert list(load(out)["paths"]) == [TOKEN_USAGE]
    assert capsys.readouterr().out.splitlines()[-2:] == [
        "1 new operation(s) available (tagged logstream-insights under /v2/, not in operations.yaml; not generated):",
        f"  GET {TOKEN_USAGE.removesuffix('token_usage')}summary (summary_get)",
    ]


def test_a_listed_operation_missing_upstream_leaves_the_pinned_file_alone(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    changed = load(FULL_SPEC)
    del changed["paths"][TOKEN_USAGE]
    source = tmp_path / "full.json"
    source.write_text(json.dumps(changed), encoding="utf-8")
    out = tmp_path / "openapi.json"
    out.write_bytes(PREVIOUS)

    assert run(str(source), out) == 1

    captured = capsys.readouterr()
    assert out.read_bytes() == PREVIOUS
    assert sorted(p.name for p in tmp_path.iterdir()) == ["full.json", "openapi.json"]  # no temp file left behind
    assert f"selected operation(s) not in the document: POST {TOKEN_USAGE} (get_token_usage)" in captured.err
    assert captured.err.count("\n") == 1


def test_a_malformed_operations_file_leaves_the_pinned_file_alone(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    operations = tmp_path / "operations.yaml"
    operations.write_text("operations: []\nwatch: {tags: [x], path_prefix: /v2/}\n", encoding="utf-8")
    out = tmp_path / "openapi.json"
    out.write_bytes(PREVIOUS)

    assert run(str(FULL_SPEC), out, operations) == 1

    assert out.read_bytes() == PREVIOUS
    assert "'operations' must be a non-empty list" in capsys.readouterr().err


def test_a_selected_operation_deprecated_upstream_is_reported_every_run(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = load(FULL_SPEC)
    spec["paths"][TOKEN_USAGE]["post"]["deprecated"] = True
    source = tmp_path / "full.json"
    source.write_text(json.dumps(spec), encoding="utf-8")
    out = tmp_path / "openapi.json"

    for _ in range(2):
        assert run(str(source), out) == 0

        printed = capsys.readouterr().out.splitlines()
        at = printed.index("1 selected operation(s) deprecated upstream: move to a supported one")
        assert printed[at + 1] == f"  POST {TOKEN_USAGE}"
