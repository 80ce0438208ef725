"""Expected failures: one ``error:`` line on stderr, nothing on stdout, no traceback, a documented exit code."""

from __future__ import annotations

import socket

import httpx
import pytest

from galileo_insights.cli import _app
from galileo_insights.testing import FakeGalileo, MalformedJson, ServerError
from tests.cli.harness import Invoke, fake_client_factory, one_line_error, run_cli


def test_missing_credentials_exit_2(cli: Invoke, ids: tuple[str, str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GALILEO_API_KEY")

    result = cli("token-usage", *ids)

    assert result.exit_code == 2
    assert "No Galileo credentials" in one_line_error(result)


def test_bad_project_id_exit_2_before_any_request(cli: Invoke, ids: tuple[str, str], fake: FakeGalileo) -> None:
    result = cli("token-usage", "not-a-uuid", ids[1])

    assert result.exit_code == 2
    assert "PROJECT_ID: must be a UUID" in one_line_error(result)
    assert fake.requests == []


@pytest.mark.parametrize("option", ["--since", "--until"])
def test_naive_datetime_exit_2(cli: Invoke, ids: tuple[str, str], fake: FakeGalileo, option: str) -> None:
    result = cli("token-usage", *ids, option, "2025-01-02T00:00:00")

    assert result.exit_code == 2
    assert "has no timezone" in one_line_error(result)
    assert fake.requests == []


def test_unparsable_datetime_exit_2(cli: Invoke, ids: tuple[str, str]) -> None:
    result = cli("token-usage", *ids, "--since", "yesterday")

    assert result.exit_code == 2
    assert "not an ISO-8601 date-time" in one_line_error(result)


def test_wrong_api_key_exit_3_without_echoing_it(cli: Invoke, ids: tuple[str, str], fake: FakeGalileo) -> None:
    result = cli("token-usage", *ids, "--api-key", "wrong-key-123")

    assert result.exit_code == 3
    line = one_line_error(result)
    assert "authentication failed" in line
    assert "401" in line
    assert "wrong-key-123" not in line
    assert fake.api_key not in line


def test_server_error_after_retries_exit_4(cli: Invoke, ids: tuple[str, str], fake: FakeGalileo) -> None:
    fake.faults.script(ServerError(500), ServerError(500), ServerError(500))

    result = cli("token-usage", *ids, "--max-retries", "2", "-f", "jsonl")

    assert result.exit_code == 4
    assert "returned 500" in one_line_error(result)
    assert [request.status for request in fake.requests] == [500, 500, 500]


def test_a_retried_server_error_is_invisible(cli: Invoke, ids: tuple[str, str], fake: FakeGalileo) -> None:
    fake.faults.script(ServerError(503))

    result = cli("token-usage", *ids, "--max-items", "3", "-f", "jsonl")

    assert result.exit_code == 0
    assert len(result.stdout.splitlines()) == 3
    assert result.stderr == ""


def test_malformed_response_exit_6(cli: Invoke, ids: tuple[str, str], fake: FakeGalileo) -> None:
    fake.faults.script(MalformedJson())

    result = cli("token-usage", *ids, "--max-retries", "0")

    assert result.exit_code == 6
    assert "unexpected response" in one_line_error(result)


@pytest.mark.parametrize(
    ("status", "code"),
    [(403, 3), (404, 4), (422, 4), (429, 4), (502, 4)],
)
def test_status_codes_map_to_exit_codes(
    ids: tuple[str, str], monkeypatch: pytest.MonkeyPatch, status: int, code: int
) -> None:
    def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(status, json={"detail": "nope"}, headers={"x-request-id": "req-42"})

    monkeypatch.setattr(_app, "build_client", fake_client_factory(httpx.MockTransport(answer)))

    result = run_cli(["token-usage", *ids, "--api-key", "k", "--max-retries", "0"])

    assert result.exit_code == code
    line = one_line_error(result)
    assert f"returned {status}" in line
    assert "req-42" in line


def test_connection_refused_exit_5(ids: tuple[str, str]) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    base_url = f"http://127.0.0.1:{port}"

    result = run_cli(["token-usage", *ids, "--api-key", "k", "--base-url", base_url, "--max-retries", "0"])

    assert result.exit_code == 5
    line = one_line_error(result)
    assert f"cannot reach {base_url}" in line


def test_bad_base_url_exit_2(ids: tuple[str, str]) -> None:
    result = run_cli(["token-usage", *ids, "--api-key", "k", "--base-url", "ftp://example"])

    assert result.exit_code == 2
    assert "http:// or https://" in one_line_error(result)


def test_ctrl_c_exits_130_without_a_traceback(ids: tuple[str, str], monkeypatch: pytest.MonkeyPatch) -> None:
    def interrupt(request: httpx.Request) -> httpx.Response:
        raise KeyboardInterrupt

    monkeypatch.setattr(_app, "build_client", fake_client_factory(httpx.MockTransport(interrupt)))

    result = run_cli(["token-usage", *ids, "--api-key", "k"])

    assert result.exit_code == 130
    assert "Traceback" not in result.output


def test_negative_page_size_is_a_usage_error(cli: Invoke, ids: tuple[str, str]) -> None:
    result = cli("token-usage", *ids, "--page-size", "0")

    assert result.exit_code == 2
    assert "--page-size" in result.stderr


def test_a_bad_environment_only_setting_names_the_variable_without_a_flag_hint(
    cli: Invoke, ids: tuple[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GALILEO_EXTRA_HEADERS", "not json")
    result = cli("token-usage", *ids)

    assert result.exit_code == 2
    line = one_line_error(result)
    assert line.startswith("error: GALILEO_EXTRA_HEADERS: must be a JSON object")
    assert "--api-key" not in line
