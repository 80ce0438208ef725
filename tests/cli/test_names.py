"""``--project NAME`` / ``--log-stream NAME``: the same records as the ids, from flags or ``GALILEO_*`` names;
an id and a name together is a usage error, and a name that matches nothing or several is exit 7."""

from __future__ import annotations

import json
import uuid
from pathlib import Path

import pytest

from galileo_insights.testing import EMPTY_LOG_STREAM_NAME, TWIN_PROJECT_IDS, TWIN_PROJECT_NAME, FakeGalileo
from tests.cli.harness import Invoke, one_line_error, stored_records
from tests.cli.test_pipelines import dataset_rows, server_rows

NAME_NOT_FOUND = 7


def by_name(fake: FakeGalileo) -> tuple[str, ...]:
    return ("--project", fake.project_name, "--log-stream", fake.log_stream_name)


def lookups(fake: FakeGalileo) -> list[str]:
    return [request.path for request in fake.requests if request.method == "GET"]


@pytest.mark.parametrize("output", [["--format", "jsonl", "--ascending"], ["--totals", "--format", "json"]])
def test_names_give_the_same_output_as_ids(
    cli: Invoke, ids: tuple[str, str], fake: FakeGalileo, output: list[str]
) -> None:
    with_ids = cli("token-usage", *ids, *output)
    with_names = cli("token-usage", *by_name(fake), *output)

    assert with_ids.exit_code == 0, with_ids.stderr
    assert with_names.exit_code == 0, with_names.stderr
    assert with_names.stdout == with_ids.stdout
    if "jsonl" in output:
        assert len(with_names.stdout.splitlines()) == len(stored_records(fake))
    assert len(lookups(fake)) == 2  # one lookup per name, for the name run only


def test_names_from_the_environment(
    cli: Invoke, ids: tuple[str, str], fake: FakeGalileo, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GALILEO_PROJECT", fake.project_name)
    monkeypatch.setenv("GALILEO_LOG_STREAM", fake.log_stream_name)

    result = cli("token-usage", "--totals", "--format", "json")

    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["records"] == len(stored_records(fake))


def test_a_name_on_the_command_line_wins_over_an_id_in_the_environment(
    cli: Invoke, fake: FakeGalileo, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GALILEO_PROJECT_ID", str(uuid.uuid4()))  # another project's: must not be read
    monkeypatch.setenv("GALILEO_LOG_STREAM_ID", str(fake.log_stream_id))

    result = cli(
        "token-usage", "--project", fake.project_name, "--log-stream", fake.log_stream_name, "--totals", "-f", "json"
    )

    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["records"] == len(stored_records(fake))


@pytest.mark.parametrize("command", [["token-usage"], ["export", "--to", "unused-dir"]])
@pytest.mark.parametrize(("flag", "argument"), [("--project", "PROJECT_ID"), ("--log-stream", "LOG_STREAM_ID")])
def test_an_id_and_a_name_together_is_a_usage_error(
    cli: Invoke,
    ids: tuple[str, str],
    fake: FakeGalileo,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    command: list[str],
    flag: str,
    argument: str,
) -> None:
    monkeypatch.chdir(tmp_path)
    result = cli(*command, *ids, flag, "some-name")

    assert result.exit_code == 2
    assert flag in result.stderr
    assert argument in result.stderr
    assert "not both" in result.stderr
    assert fake.requests == []
    assert not Path("unused-dir").exists()


def test_a_lone_id_beside_project_is_read_as_the_project_id_and_says_so(
    cli: Invoke, fake: FakeGalileo, ids: tuple[str, str]
) -> None:
    result = cli("token-usage", "--project", fake.project_name, ids[1])

    assert result.exit_code == 2
    assert "a single argument is PROJECT_ID" in " ".join(result.stderr.split())
    assert fake.requests == []


def test_a_project_alone_covers_its_log_streams_per_period(cli: Invoke, fake: FakeGalileo) -> None:
    result = cli("token-usage", "--project", fake.project_name, "--by", "month", "-f", "json")

    assert result.exit_code == 0, result.stderr
    rows = json.loads(result.stdout)
    assert {row["log_stream"] for row in rows} == {fake.log_stream_name, EMPTY_LOG_STREAM_NAME}
    assert sum(row["records"] for row in rows) == len(stored_records(fake))


def test_a_project_alone_lists_the_records_of_its_log_streams_with_names(cli: Invoke, fake: FakeGalileo) -> None:
    result = cli("token-usage", "--project", fake.project_name, "-f", "jsonl", "--ascending")

    assert result.exit_code == 0, result.stderr
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [row["id"] for row in rows] == [str(record.id) for record in stored_records(fake)]
    assert {(row["project"], row["log_stream"]) for row in rows} == {(fake.project_name, fake.log_stream_name)}
    assert {key for key in rows[0] if key not in ("project", "log_stream")} == set(stored_records(fake)[0].to_dict())


def test_totals_of_several_log_streams_says_to_use_by(cli: Invoke, fake: FakeGalileo) -> None:
    result = cli("token-usage", "--project", fake.project_name, "--totals")

    assert result.exit_code == 2
    assert "Invalid value for --totals: reads one log stream" in " ".join(result.stderr.replace("│", " ").split())
    assert fake.requests == []


def test_no_log_stream_at_all_names_the_flags_and_variables(cli: Invoke, fake: FakeGalileo) -> None:
    result = cli("token-usage")

    assert result.exit_code == 2
    line = one_line_error(result)
    assert "--project" in line or "PROJECT_ID" in line
    assert "GALILEO_PROJECT" in line
    assert fake.requests == []


def test_a_missing_project_name_lists_nothing_found(cli: Invoke, fake: FakeGalileo) -> None:
    result = cli("token-usage", "--project", "no-such-project", "--log-stream", fake.log_stream_name)

    assert result.exit_code == NAME_NOT_FOUND
    line = one_line_error(result)
    assert "no project named 'no-such-project'" in line
    assert lookups(fake) == ["/projects"]  # nothing read


def test_a_missing_log_stream_name_lists_the_projects_log_streams(cli: Invoke, fake: FakeGalileo) -> None:
    result = cli("token-usage", "--project", fake.project_name, "--log-stream", "production")

    assert result.exit_code == NAME_NOT_FOUND
    line = one_line_error(result)
    assert f"no log stream named 'production' in project {fake.project_id}" in line
    assert f"'{fake.log_stream_name}'" in line
    assert "'empty-log-stream'" in line


def test_an_ambiguous_project_name_lists_the_ids_and_asks_for_one(cli: Invoke, fake: FakeGalileo) -> None:
    result = cli("token-usage", "--project", TWIN_PROJECT_NAME, "--log-stream", fake.log_stream_name)

    assert result.exit_code == NAME_NOT_FOUND
    line = one_line_error(result)
    assert f"2 projects visible to these credentials are named '{TWIN_PROJECT_NAME}'" in line
    assert all(str(twin) in line for twin in TWIN_PROJECT_IDS)
    assert "pass its id instead" in line


def test_export_by_name_writes_the_dataset_keyed_by_ids(
    cli: Invoke, ids: tuple[str, str], fake: FakeGalileo, tmp_path: Path
) -> None:
    by_names = cli("export", *by_name(fake), "--to", str(tmp_path))
    then_by_ids = cli("export", *ids, "--to", str(tmp_path))

    assert by_names.exit_code == 0, by_names.stderr
    assert by_names.stdout.startswith(f"wrote {len(stored_records(fake))} records in ")
    assert then_by_ids.stdout.startswith("wrote 0 records in 0 day files")  # the same dataset
    assert dataset_rows(tmp_path) == server_rows(fake)
    state = json.loads(
        (tmp_path / f"project_id={ids[0]}" / f"log_stream_id={ids[1]}" / "_export_state.json").read_text()
    )
    assert (state["project_id"], state["log_stream_id"]) == ids


def test_export_of_a_missing_name_creates_nothing(cli: Invoke, fake: FakeGalileo, tmp_path: Path) -> None:
    result = cli("export", "--project", fake.project_name, "--log-stream", "nope", "--to", str(tmp_path / "dataset"))

    assert result.exit_code == NAME_NOT_FOUND
    assert "no log stream named 'nope'" in one_line_error(result)
    assert not (tmp_path / "dataset").exists()
