"""Where ``--to`` points: a path, a ``file://`` URL, a filesystem only fsspec knows; bad URLs as typed errors that
never show a key written into the URL."""

from __future__ import annotations

import datetime
import subprocess
import sys
import tempfile
import uuid
from pathlib import Path

import fsspec
import pyarrow.dataset as ds
import pyarrow.fs as pafs
import pytest
from filelock import FileLock

from galileo_insights import GalileoInsights, InvalidRequestError, export_dataset
from galileo_insights.resources.token_usage._data._dataset_files import ArrowFiles, LocalFiles, dataset_files
from galileo_insights.testing import FakeGalileo, Organisation
from tests.data.test_dataset import server_rows

END = datetime.datetime(2026, 3, 1, tzinfo=datetime.UTC)
ORGANISATION = Organisation(projects=3, log_streams=2, records=30, days=4, end=END)


def test_a_path_and_a_file_url_are_the_same_local_directory(tmp_path: Path) -> None:
    for location in (tmp_path, str(tmp_path), tmp_path.as_uri()):
        files = dataset_files(location)
        assert isinstance(files, LocalFiles)
        assert files.where() == tmp_path


def test_a_filesystem_only_fsspec_knows_holds_the_same_dataset() -> None:
    fake = FakeGalileo(organisation=ORGANISATION)
    with GalileoInsights(api_key=fake.api_key, transport=fake.transport()) as client:
        summary = export_dataset(client, "memory://warehouse/org", all=True, now=END)
        again = export_dataset(client, "memory://warehouse/org", all=True, now=END)

    assert summary.directory == "memory://warehouse/org"
    assert summary.records == 6 * 30
    assert again.records < summary.records  # closed days are not written again
    filesystem = pafs.PyFileSystem(pafs.FSSpecHandler(fsspec.filesystem("memory")))
    table = ds.dataset("/warehouse/org", filesystem=filesystem, format="parquet", partitioning="hive").to_table()
    rows = sorted(
        ({k: v for k, v in row.items() if k != "date"} for row in table.to_pylist()),
        key=lambda row: (row["created_at"], row["id"]),
    )
    assert rows == server_rows(fake)


def test_urls_that_cannot_be_used_are_typed_errors_without_the_secret_in_them() -> None:
    with pytest.raises(InvalidRequestError, match=r"directory: cannot open nosuch://bucket/usage \(.*nosuch"):
        dataset_files("nosuch://bucket/usage")
    with pytest.raises(InvalidRequestError, match=r"directory: cannot open s3://bucket/usage \(") as bad:
        dataset_files("s3://AKIAKEY:top-secret@bucket/usage?scheme=gopher")
    assert "top-secret" not in str(bad.value)
    assert "AKIAKEY" not in str(bad.value)


def test_an_s3_url_keeps_its_options_out_of_what_is_shown() -> None:
    files = dataset_files("s3://bucket/usage/?region=eu-west-1&endpoint_override=127.0.0.1:9&scheme=http")
    assert isinstance(files, ArrowFiles)
    assert str(files) == "s3://bucket/usage"
    assert str(files.child("project_id=p")) == "s3://bucket/usage/project_id=p"


def test_the_lock_of_a_url_is_a_file_of_this_machine_named_after_the_url_and_its_endpoint(tmp_path: Path) -> None:
    def lock_of(url: str) -> Path:
        return dataset_files(url).lock_file(".export.lock")

    one = lock_of("s3://bucket/usage?region=eu-west-1&endpoint_override=127.0.0.1:9&scheme=http")
    assert one == lock_of("s3://bucket/usage/?scheme=http&endpoint_override=127.0.0.1:9&region=eu-west-1")
    assert one != lock_of("s3://bucket/usage?region=eu-west-1&endpoint_override=127.0.0.1:10&scheme=http")
    assert one != lock_of("s3://bucket/other?region=eu-west-1&endpoint_override=127.0.0.1:9&scheme=http")
    assert one.parent.parent == Path(tempfile.gettempdir())
    assert "bucket" not in str(one)
    assert dataset_files(tmp_path).lock_file(".export.lock") == tmp_path / ".export.lock"


def test_the_lock_of_a_memory_url_is_this_processs_alone() -> None:
    """Each process has its own ``memory://``: two processes exporting to the same memory path share no files, so
    neither waits for the other (an object store's lock is the same from every process of this machine)."""
    code = "import sys; from {0} import dataset_files; print(dataset_files(sys.argv[1]).lock_file('.export.lock'))"
    module = dataset_files.__module__

    def lock_in_another_process(url: str) -> Path:
        done = subprocess.run(
            [sys.executable, "-c", code.format(module), url], capture_output=True, text=True, check=True
        )
        return Path(done.stdout.strip())

    for url in ("memory://warehouse/org", "s3://bucket/usage?region=eu-west-1"):
        here = dataset_files(url).lock_file(".export.lock")
        assert (here == lock_in_another_process(url)) is url.startswith("s3:"), url


def test_one_export_at_a_time_into_a_url_from_this_machine() -> None:
    fake = FakeGalileo(organisation=ORGANISATION)
    url = f"memory://locked-{uuid.uuid4().hex[:12]}/org"
    with GalileoInsights(api_key=fake.api_key, transport=fake.transport()) as client:
        target = client.usage.select(all=True)[3]
        folder = dataset_files(url).child(f"project_id={target.project_id}", f"log_stream_id={target.log_stream_id}")
        with (
            FileLock(folder.lock_file(".export.lock")),  # what a running export of that log stream holds
            pytest.raises(InvalidRequestError, match=rf"another export into {folder} is running"),
        ):
            export_dataset(client, url, all=True, now=END, wait=0.1)
        export_dataset(client, url, all=True, now=END)

    filesystem = pafs.PyFileSystem(pafs.FSSpecHandler(fsspec.filesystem("memory")))
    table = ds.dataset(url.removeprefix("memory:/"), filesystem=filesystem, format="parquet", partitioning="hive")
    rows = sorted(
        ({k: v for k, v in row.items() if k != "date"} for row in table.to_table().to_pylist()),
        key=lambda row: (row["created_at"], row["id"]),
    )
    assert rows == server_rows(fake)
    filesystem = fsspec.filesystem("memory")
    names = [path.rpartition("/")[2] for path in filesystem.find(url.removeprefix("memory:/"))]
    assert len([name for name in names if name == "_export_state.json"]) == 6
    assert not [name for name in names if name.startswith(".")]  # the lock is not in the dataset
