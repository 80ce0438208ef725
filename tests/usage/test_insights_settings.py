"""The control beside the meter: a log stream's insights settings, read and changed by names or ids."""

from __future__ import annotations

import datetime
import json
from collections.abc import Callable

import httpx
import pytest

from galileo_insights import (
    AsyncGalileoInsights,
    GalileoInsights,
    InsightsState,
    InvalidRequestError,
    NotFoundError,
    UnprocessableEntityError,
)
from galileo_insights.cli import _app
from galileo_insights.cli._failures import ExitCode
from galileo_insights.testing import INSIGHTS_SETTINGS_PATH, FakeGalileo, Organisation
from tests.cli.harness import GALILEO_VARIABLES, Invoke, fake_client_factory, one_line_error, run_cli

BASE_URL = "http://galileo.test"
END = datetime.datetime(2026, 11, 1, tzinfo=datetime.UTC)


@pytest.fixture
def fake() -> FakeGalileo:
    return FakeGalileo(organisation=Organisation(projects=2, log_streams=2, records=5, days=10, end=END))


@pytest.fixture
def client(fake: FakeGalileo) -> GalileoInsights:
    return GalileoInsights(api_key=fake.api_key, base_url=BASE_URL, transport=fake.transport())


@pytest.fixture
def cli(fake: FakeGalileo, cli_for: Callable[[FakeGalileo], Invoke]) -> Invoke:
    return cli_for(fake)


def test_retrieve_and_update_by_names(client: GalileoInsights, fake: FakeGalileo) -> None:
    settings = client.insights_settings
    before = InsightsState.of(settings.retrieve(project="project-02", log_stream="log-stream-01"))
    assert before.enabled is True
    assert before.start_time == END - datetime.timedelta(days=10)

    after = InsightsState.of(settings.update(project="project-02", log_stream="log-stream-01", enabled=False))

    assert after.enabled is False
    assert after.start_time == before.start_time  # left as it was
    patch = [request for request in fake.requests if request.method == "PATCH"]
    assert len(patch) == 1
    assert str(after.log_stream_id) in patch[0].path
    again = client.insights_settings.retrieve(fake.directory.projects("project-02")[0].id, after.log_stream_id)
    assert InsightsState.of(again).enabled is False


def test_update_sends_only_what_is_given_with_an_aware_start_time(client: GalileoInsights, fake: FakeGalileo) -> None:
    start = datetime.datetime(2026, 1, 2, 3, 4, 5, tzinfo=datetime.timezone(datetime.timedelta(hours=2)))
    client.insights_settings.update(project="project-01", log_stream="log-stream-02", start_time=start)
    sent = [request.json for request in fake.requests if request.method == "PATCH"]
    assert sent == [{"insights": {"logstream": {"start_time": "2026-01-02T03:04:05+02:00"}}}]
    stored = client.insights_settings.retrieve(project="project-01", log_stream="log-stream-02")
    assert InsightsState.of(stored).start_time == start


def test_update_refuses_nothing_to_change_and_naive_times_before_sending(
    client: GalileoInsights, fake: FakeGalileo
) -> None:
    with pytest.raises(InvalidRequestError, match="update needs enabled= or start_time="):
        client.insights_settings.update(project="project-01", log_stream="log-stream-01")
    with pytest.raises(InvalidRequestError, match="must be an aware datetime") as caught:
        client.insights_settings.update(
            project="project-01", log_stream="log-stream-01", start_time=datetime.datetime(2026, 1, 1)
        )
    assert caught.value.argument == "start_time"
    assert fake.requests == []


def test_the_fake_validates_as_the_spec_says(fake: FakeGalileo) -> None:
    stream = fake.directory.log_streams(fake.project_id)
    assert stream is not None
    path = INSIGHTS_SETTINGS_PATH.format(project_id=fake.project_id, run_id=stream[0].id)
    with httpx.Client(transport=fake.transport(), base_url=BASE_URL, headers={"Galileo-API-Key": fake.api_key}) as http:
        wrong = http.patch(path, json={"insights": {"logstream": {"enabled": "yes", "start_time": "soon"}}})
        bad_id = http.get(INSIGHTS_SETTINGS_PATH.format(project_id="x", run_id=stream[0].id))
        unknown = http.get(INSIGHTS_SETTINGS_PATH.format(project_id=fake.project_id, run_id=fake.project_id))
        default = http.patch(path)  # no body: the spec's default turns insights off
    assert wrong.status_code == 422
    assert [error["loc"][-1] for error in wrong.json()["detail"]] == ["enabled", "start_time"]
    assert bad_id.status_code == 422
    assert unknown.status_code == 404
    assert default.json()["insights"]["logstream"]["enabled"] is False


def test_errors_are_typed(client: GalileoInsights, fake: FakeGalileo) -> None:
    with pytest.raises(NotFoundError):
        client.insights_settings.retrieve(fake.project_id, fake.project_id)
    with pytest.raises(UnprocessableEntityError):
        client.insights_settings.retrieve(fake.project_id, "00000000-0000-1000-8000-000000000000")


@pytest.mark.anyio
async def test_async_reads_and_changes_the_same(fake: FakeGalileo) -> None:
    async with AsyncGalileoInsights(api_key=fake.api_key, base_url=BASE_URL, transport=fake.transport()) as client:
        changed = await client.insights_settings.update(project="project-01", log_stream="log-stream-01", enabled=False)
        targets = await client.usage.select(all=True)
        every = await client.insights_settings.retrieve_many(targets, concurrency=2)
    assert InsightsState.of(changed).enabled is False
    assert [InsightsState.of(found).enabled for found in every if not isinstance(found, Exception)] == [
        False,
        True,
        True,
        True,
    ]


def test_cli_disable_then_enable_shows_in_log_streams(cli: Invoke) -> None:
    off = cli("insights-settings", "disable", "--project", "project-01", "--log-stream", "log-stream-02", "-f", "json")
    on = cli(
        "insights-settings", "enable", "--project", "project-02", "--log-stream", "log-stream-01",
        "--since", "2026-01-01", "-f", "json",
    )  # fmt: skip
    shown = cli("insights-settings", "show", "--project", "project-02", "--log-stream", "log-stream-01", "-f", "json")
    listed = cli("log-streams", "-f", "json")

    assert off.exit_code == on.exit_code == shown.exit_code == listed.exit_code == 0, off.stderr + on.stderr
    assert json.loads(off.stdout)[0]["insights"] == "disabled"
    assert json.loads(shown.stdout) == json.loads(on.stdout)
    assert json.loads(on.stdout)[0]["insights_since"] == "2026-01-01T00:00:00+00:00"
    rows = {(row["project"], row["log_stream"]): row["insights"] for row in json.loads(listed.stdout)}
    assert rows[("project-01", "log-stream-02")] == "disabled"
    assert list(rows.values()).count("enabled") == 3


def test_cli_refuses_more_than_one_log_stream_and_names_unknown_ones(cli: Invoke, fake: FakeGalileo) -> None:
    several = cli("insights-settings", "disable", "--project", "project-01")
    unknown = cli("insights-settings", "show", "--project", "project-01", "--log-stream", "nope")

    assert several.exit_code == ExitCode.USAGE
    assert "Invalid value for --project: names one log stream" in " ".join(several.stderr.replace("│", " ").split())
    assert unknown.exit_code == ExitCode.NAME_NOT_FOUND
    assert one_line_error(unknown).startswith("error: --log-stream: no log stream named 'nope'")
    assert not [request for request in fake.requests if request.method == "PATCH"]


def test_log_streams_still_lists_when_settings_cannot_be_read(
    fake: FakeGalileo, monkeypatch: pytest.MonkeyPatch
) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/insights-settings"):
            return httpx.Response(403, json={"detail": "Not allowed"})
        reply = fake.handle(
            request.method, request.url.path, dict(request.headers), request.content, request.url.query.decode()
        )
        return httpx.Response(reply.status, headers=reply.headers, content=reply.body)

    for name in GALILEO_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr(_app, "build_client", fake_client_factory(httpx.MockTransport(handler)))
    monkeypatch.setenv("GALILEO_API_KEY", fake.api_key)
    listed = run_cli(["log-streams", "-f", "json", "--max-retries", "0"])

    assert listed.exit_code == 0, listed.stderr
    rows = json.loads(listed.stdout)
    assert len(rows) == 4
    assert all(row["insights"].startswith("unknown (permission denied") for row in rows)
