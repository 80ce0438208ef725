"""The same fake over real HTTP: uvicorn on 127.0.0.1 with a free port, and the ``python -m`` entry point."""

from __future__ import annotations

import subprocess
import sys
import uuid
from collections.abc import Iterator

import httpx
import pytest

from galileo_insights.testing import (
    TOKEN_USAGE_PATH,
    DroppedConnection,
    FakeGalileo,
    Latency,
    MalformedJson,
    RateLimited,
)


@pytest.fixture(scope="module")
def served() -> Iterator[tuple[FakeGalileo, str]]:
    fake = FakeGalileo(records=250, seed=2)
    with fake.serve() as url:
        yield fake, url


@pytest.fixture
def http(served: tuple[FakeGalileo, str]) -> Iterator[httpx.Client]:
    fake, url = served
    fake.faults.clear()
    with httpx.Client(base_url=url, headers={"Galileo-API-Key": fake.api_key}, timeout=5) as client:
        yield client


def test_serves_pages_over_http(served: tuple[FakeGalileo, str], http: httpx.Client) -> None:
    fake, url = served
    assert url.startswith("http://127.0.0.1:")
    ids: list[str] = []
    token: int | None = 0
    while token is not None:
        page = http.post(fake.token_usage_path(), json={"starting_token": token, "limit": 60}).json()
        ids += [row["id"] for row in page["token_usages"]]
        token = page["next_starting_token"]
    assert len(ids) == len(set(ids)) == 250


def test_auth_and_validation_over_http(served: tuple[FakeGalileo, str], http: httpx.Client) -> None:
    fake, url = served
    denied = httpx.post(f"{url}{fake.token_usage_path()}", json={})
    assert denied.status_code == 401
    assert denied.headers["www-authenticate"] == "Bearer"
    invalid = http.post(fake.token_usage_path("nope", uuid.uuid4()), json={})
    assert invalid.status_code == 422
    assert invalid.json()["detail"][0]["loc"] == ["path", "project_id"]
    assert http.get(fake.token_usage_path()).status_code == 405


def test_a_dropped_connection_over_http(served: tuple[FakeGalileo, str], http: httpx.Client) -> None:
    fake, _ = served
    fake.faults.script(DroppedConnection(0.4))
    with pytest.raises(httpx.RemoteProtocolError):
        http.post(fake.token_usage_path(), json={})
    assert http.post(fake.token_usage_path(), json={}).status_code == 200


def test_other_faults_over_http(served: tuple[FakeGalileo, str], http: httpx.Client) -> None:
    fake, _ = served
    fake.faults.script(RateLimited(2), MalformedJson(), Latency(0.05))
    limited = http.post(fake.token_usage_path(), json={})
    assert (limited.status_code, limited.headers["retry-after"]) == (429, "2")
    with pytest.raises(ValueError, match=r"Expecting|Unterminated|delimiter"):
        http.post(fake.token_usage_path(), json={}).json()
    assert http.post(fake.token_usage_path(), json={}).status_code == 200


@pytest.mark.slow
def test_python_dash_m_prints_the_url_first_and_serves() -> None:
    command = [sys.executable, "-m", "galileo_insights.testing", "--port", "0", "--records", "1000", "--seed", "4"]
    with subprocess.Popen(command, stdout=subprocess.PIPE, text=True) as process:
        try:
            assert process.stdout is not None
            url = process.stdout.readline().strip()
            assert url.startswith("http://127.0.0.1:")
            lines = dict(process.stdout.readline().strip().split(": ", 1) for _ in range(3))
            path = TOKEN_USAGE_PATH.format(project_id=lines["project-id"], log_stream_id=lines["log-stream-id"])
            response = httpx.post(f"{url}{path}", json={"limit": 1000}, headers={"Galileo-API-Key": lines["api-key"]})
            assert response.status_code == 200
            assert len(response.json()["token_usages"]) == 1000
        finally:
            process.terminate()
            assert process.wait(timeout=10) == 0


def test_importing_the_fake_does_not_need_the_server_extra() -> None:
    code = (
        "import sys, galileo_insights.testing as t; t.FakeGalileo().transport(); "
        "sys.exit(bool({'starlette', 'uvicorn'} & set(sys.modules)))"
    )
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0
