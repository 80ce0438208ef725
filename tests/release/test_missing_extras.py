"""Every path that needs an extra fails with one line naming it (exit status 2 on the command line), checked in
fresh environments that lack the extra: one with the `cli` extra only, one with no extra at all."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from importlib.metadata import version
from pathlib import Path

import pytest

from galileo_insights.testing import FakeGalileo
from tests.release.venvs import environ, runtime_venv

pytestmark = pytest.mark.slow  # builds two environments (seconds each, from the package cache)

DATA = "pip install 'galileo-insights[data]'"
SERVER = "pip install 'galileo-insights[server]'"
PRICES = "pip install 'galileo-insights[prices]'"
CLI = "pip install 'galileo-insights[cli]'"


@pytest.fixture(scope="module")
def cli_only(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return runtime_venv(tmp_path_factory.mktemp("cli-only"), ["cli"])


@pytest.fixture(scope="module")
def bare(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return runtime_venv(tmp_path_factory.mktemp("bare"), [])


@pytest.fixture(scope="module")
def served() -> Iterator[tuple[FakeGalileo, str]]:
    fake = FakeGalileo(records=20, seed=4)
    with fake.serve() as url:  # in this test process, which has the server extra
        yield fake, url


def run(python: Path, *args: str, **variables: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(python), *args], capture_output=True, text=True, env=environ(**variables), timeout=60, check=False
    )


def assert_one_line(done: subprocess.CompletedProcess[str], install: str, exit_status: int = 2) -> None:
    assert done.returncode == exit_status, done.stderr
    assert len(done.stderr.strip().splitlines()) == 1, done.stderr
    assert done.stderr.strip().endswith(install), done.stderr


def test_parquet_output_without_the_data_extra(cli_only: Path, served: tuple[FakeGalileo, str]) -> None:
    fake, url = served
    done = run(
        cli_only,
        *(
            "-m",
            "galileo_insights.cli",
            "token-usage",
            str(fake.project_id),
            str(fake.log_stream_id),
            "--format",
            "parquet",
        ),
        GALILEO_API_URL=url,
        GALILEO_API_KEY=fake.api_key,
    )
    assert_one_line(done, DATA)
    assert done.stdout == ""


def test_export_without_the_data_extra(cli_only: Path, served: tuple[FakeGalileo, str], tmp_path: Path) -> None:
    fake, url = served
    done = run(
        cli_only,
        *(
            "-m",
            "galileo_insights.cli",
            "export",
            str(fake.project_id),
            str(fake.log_stream_id),
            "--to",
            str(tmp_path / "out"),
        ),
        GALILEO_API_URL=url,
        GALILEO_API_KEY=fake.api_key,
    )
    assert_one_line(done, DATA)
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def test_model_prices_without_the_prices_extra(cli_only: Path, served: tuple[FakeGalileo, str]) -> None:
    fake, url = served
    done = run(
        cli_only,
        *("-m", "galileo_insights.cli", "token-usage", str(fake.project_id), str(fake.log_stream_id)),
        *("--by", "day", "--model", "claude-sonnet-4"),
        GALILEO_API_URL=url,
        GALILEO_API_KEY=fake.api_key,
    )
    assert_one_line(done, PRICES)


@pytest.mark.parametrize(
    "command",
    [["-m", "galileo_insights.cli", "fake-server"], ["-m", "galileo_insights.testing"]],
    ids=["galileo-insights fake-server", "python -m galileo_insights.testing"],
)
def test_the_fake_server_commands_without_the_server_extra(cli_only: Path, command: list[str]) -> None:
    assert_one_line(run(cli_only, *command), SERVER)


@pytest.mark.parametrize(
    ("call", "line"),
    [
        ("FakeGalileo().app()", f"FakeGalileo.app() needs starlette: {SERVER}"),
        ("FakeGalileo().serve().__enter__()", f"FakeGalileo.serve() needs uvicorn: {SERVER}"),
    ],
)
def test_the_fake_over_asgi_or_http_without_the_server_extra(bare: Path, call: str, line: str) -> None:
    program = (
        "from galileo_insights import GalileoInsightsError\n"
        "from galileo_insights.testing import FakeGalileo\n"
        "try:\n"
        f"    {call}\n"
        "except ModuleNotFoundError as error:\n"
        "    print(type(error).__name__, isinstance(error, GalileoInsightsError), str(error), sep='|')\n"
    )
    done = run(bare, "-c", program)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"MissingExtraError|True|{line}"


def test_the_command_line_without_the_cli_extra(bare: Path) -> None:
    assert_one_line(run(bare, "-m", "galileo_insights.cli", "--help"), CLI)


def with_fake_client(records: int, *body: str) -> str:
    """A program running ``body`` (lines) with ``fake`` and ``client``, a client of the fake in-process (no server)."""
    return "\n".join(
        [
            "from galileo_insights import GalileoInsights",
            "from galileo_insights.testing import FakeGalileo",
            f"fake = FakeGalileo(records={records}, seed=2)",
            "with GalileoInsights(api_key=fake.api_key, transport=fake.transport()) as client:",
            *(f"    {line}" for line in body),
        ]
    )


def test_the_library_and_the_in_process_fake_need_no_extra(bare: Path) -> None:
    program = with_fake_client(25, "print(len(list(client.token_usage.list(fake.project_id, fake.log_stream_id))))")
    done = run(bare, "-c", program)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == ["25"]


def test_pandas_and_polars_frames_need_no_pyarrow(tmp_path: Path) -> None:
    """The frames are built from Python columns; only to_arrow() needs the data extra."""
    frames = [f"{name}=={version(name)}" for name in ("pandas", "polars")]  # the versions under test here
    python = runtime_venv(tmp_path, [], also=frames)
    program = with_fake_client(
        30,
        "pager = client.token_usage.list(fake.project_id, fake.log_stream_id)",
        "print(len(pager.to_polars()), len(pager.to_pandas()))",
        "try:",
        "    pager.to_arrow()",
        "except ModuleNotFoundError as exc:",
        "    print(exc)",
    )
    done = run(python, "-c", program)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == ["30 30", f"to_arrow() needs pyarrow: {DATA}"]
