"""Recording never writes a secret: the configured key header is redacted, and a cassette still holding any secret
(echoed into a body, a login token repeated elsewhere) is refused before it is written. Runs offline, always."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import vcr

from tests.hostile.servers import RawRequest, RawServer, json_response, page_answer
from tests.live.recording import CassetteLeakError, RecordingSecrets, SecretScanningPersister, vcr_config

API_KEY = "live-key-must-not-be-recorded-0123"  # a test credential
TOKEN = "login-token-must-not-be-recorded-4567"


@pytest.fixture
def server() -> Iterator[RawServer]:
    def handle(request: RawRequest, connection: socket.socket) -> None:
        if request.path == "/login":
            connection.sendall(json_response(200, {"access_token": TOKEN, "token_type": "bearer"}))
        elif request.path == "/echo":
            connection.sendall(json_response(401, {"detail": f"bad key {request.headers.get('x-api-key')}"}))
        elif request.path == "/echo-token":
            connection.sendall(json_response(200, {"seen": TOKEN}))
        else:
            connection.sendall(page_answer(request))

    with RawServer(handle) as raw:
        yield raw


def recorder(environ: dict[str, str]) -> vcr.VCR:
    secrets = RecordingSecrets(environ)
    recording = vcr.VCR(record_mode="all", **vcr_config(environ, secrets))
    recording.register_persister(SecretScanningPersister(recording.persister, secrets))
    return recording


def test_the_configured_key_header_is_redacted(server: RawServer, tmp_path: Path) -> None:
    environ = {"GALILEO_API_KEY": API_KEY, "GALILEO_API_KEY_HEADER": "X-Api-Key"}
    cassette = tmp_path / "page.yaml"
    with recorder(environ).use_cassette(str(cassette)):
        httpx.get(f"{server.url}/page", headers={"X-Api-Key": API_KEY})
    text = cassette.read_text()
    assert API_KEY not in text
    assert "REDACTED" in text


def test_a_key_echoed_into_a_body_stops_the_recording(server: RawServer, tmp_path: Path) -> None:
    environ = {"GALILEO_API_KEY": API_KEY, "GALILEO_API_KEY_HEADER": "X-Api-Key"}
    cassette = tmp_path / "echo.yaml"
    with (  # the error comes as the cassette is written, on leaving the block
        pytest.raises(CassetteLeakError, match="GALILEO_API_KEY") as caught,
        recorder(environ).use_cassette(str(cassette)),
    ):
        httpx.get(f"{server.url}/echo", headers={"X-Api-Key": API_KEY})
    assert API_KEY not in str(caught.value)
    assert not cassette.exists()


def test_a_login_token_is_redacted_and_caught_anywhere_else(server: RawServer, tmp_path: Path) -> None:
    environ = {"GALILEO_USERNAME": "someone", "GALILEO_PASSWORD": "pw-not-recorded"}
    login = tmp_path / "login.yaml"
    with recorder(environ).use_cassette(str(login)):
        httpx.post(f"{server.url}/login", data={"username": "someone", "password": "pw-not-recorded"})
    text = login.read_text()
    assert TOKEN not in text
    assert "pw-not-recorded" not in text
    assert "REDACTED" in text

    echoed = tmp_path / "echoed.yaml"
    with (  # noqa: PT012 - the leak is found as the cassette is written, after both requests
        pytest.raises(CassetteLeakError, match="login token"),
        recorder(environ).use_cassette(str(echoed)) as cassette,
    ):
        httpx.post(f"{server.url}/login", data={"username": "someone", "password": "pw-not-recorded"})
        httpx.get(f"{server.url}/echo-token", headers={"Authorization": f"Bearer {TOKEN}"})
        assert len(cassette.data) == 2
    assert not echoed.exists()
