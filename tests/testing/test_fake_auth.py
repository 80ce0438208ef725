"""Credentials: API key, HTTP Basic, ``/login`` bearer tokens with expiry on an injected clock."""

from __future__ import annotations

import httpx
import pytest

from galileo_insights.testing import Credentials, FakeGalileo, ManualClock

BASE_URL = "http://galileo.test"


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


@pytest.fixture
def guarded(clock: ManualClock) -> FakeGalileo:
    credentials = Credentials(["key-1", "key-2"], {"ada": "lovelace"}, token_ttl=60, clock=clock)
    return FakeGalileo(records=5, credentials=credentials)


@pytest.fixture
def anonymous(guarded: FakeGalileo) -> httpx.Client:
    return httpx.Client(transport=guarded.transport(), base_url=BASE_URL)


def post(client: httpx.Client, fake: FakeGalileo, **kwargs: object) -> httpx.Response:
    return client.post(fake.token_usage_path(), json={}, **kwargs)  # type: ignore[arg-type]  # kwargs are headers/auth


def assert_401(response: httpx.Response, challenge: str = "Bearer") -> None:
    assert response.status_code == 401
    assert isinstance(response.json()["detail"], str)
    assert response.headers["www-authenticate"] == challenge


@pytest.mark.parametrize("key", ["key-1", "key-2"])
def test_a_known_api_key_is_accepted(guarded: FakeGalileo, anonymous: httpx.Client, key: str) -> None:
    response = post(anonymous, guarded, headers={"Galileo-API-Key": key})
    assert response.status_code == 200
    assert len(response.json()["token_usages"]) == 5


@pytest.mark.parametrize("headers", [{}, {"Galileo-API-Key": "key-3"}, {"Galileo-API-Key": ""}])
def test_no_or_a_wrong_api_key_is_401(guarded: FakeGalileo, anonymous: httpx.Client, headers: dict[str, str]) -> None:
    assert_401(post(anonymous, guarded, headers=headers))


def test_basic_auth(guarded: FakeGalileo, anonymous: httpx.Client) -> None:
    assert post(anonymous, guarded, auth=("ada", "lovelace")).status_code == 200
    assert_401(post(anonymous, guarded, auth=("ada", "babbage")), "Basic")
    assert_401(post(anonymous, guarded, auth=("bob", "lovelace")), "Basic")
    assert_401(post(anonymous, guarded, headers={"Authorization": "Basic !!!"}), "Basic")


def login(client: httpx.Client, username: str, password: str) -> httpx.Response:
    return client.post("/login", data={"username": username, "password": password, "grant_type": "password"})


def test_login_issues_a_bearer_token_that_expires(
    guarded: FakeGalileo, anonymous: httpx.Client, clock: ManualClock
) -> None:
    response = login(anonymous, "ada", "lovelace")
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"access_token", "token_type"}
    assert body["token_type"] == "bearer"
    bearer = {"Authorization": f"Bearer {body['access_token']}"}
    assert post(anonymous, guarded, headers=bearer).status_code == 200
    clock.advance(59.9)
    assert post(anonymous, guarded, headers=bearer).status_code == 200
    clock.advance(0.1)
    expired = post(anonymous, guarded, headers=bearer)
    assert_401(expired)
    assert expired.json()["detail"] == "Token has expired"
    fresh = login(anonymous, "ada", "lovelace").json()["access_token"]
    assert post(anonymous, guarded, headers={"Authorization": f"Bearer {fresh}"}).status_code == 200


def test_an_unknown_bearer_token_is_401(guarded: FakeGalileo, anonymous: httpx.Client) -> None:
    assert_401(post(anonymous, guarded, headers={"Authorization": "Bearer made-up"}))


def test_login_with_a_wrong_password_is_401_and_without_fields_422(anonymous: httpx.Client) -> None:
    assert_401(login(anonymous, "ada", "wrong"))
    missing = anonymous.post("/login", data={"username": "ada"})
    assert missing.status_code == 422
    assert missing.json()["detail"][0]["loc"] == ["body", "password"]


def test_auth_is_checked_before_validation(guarded: FakeGalileo, anonymous: httpx.Client) -> None:
    assert_401(anonymous.post(guarded.token_usage_path("nope", "nope"), json={"limit": "x"}))


def test_secrets_stay_out_of_reprs_and_the_request_log(guarded: FakeGalileo, anonymous: httpx.Client) -> None:
    token = login(anonymous, "ada", "lovelace").json()["access_token"]
    post(anonymous, guarded, headers={"Authorization": f"Bearer {token}"})
    post(anonymous, guarded, headers={"Galileo-API-Key": "key-1"})
    text = repr(guarded) + repr(guarded.requests) + repr(guarded.transport())
    for secret in ("key-1", "key-2", "lovelace", token):
        assert secret not in text
    assert guarded.requests[-1].headers["galileo-api-key"] == "[redacted]"
    assert guarded.requests[-2].headers["authorization"] == "[redacted]"


def test_a_default_fake_makes_a_random_api_key() -> None:
    assert FakeGalileo().api_key != FakeGalileo().api_key
