"""Where an export's files go: a local directory, or any filesystem pyarrow (or fsspec) knows by URL.

The export needs five operations of a dataset directory, whatever holds it: read a small text file, replace one
atomically, write a Parquet file under a temporary name and put it in place, remove a file, and sweep the
temporaries a killed run left. ``LocalFiles`` does them with ``pathlib`` (fsync, then an atomic rename);
``ArrowFiles`` through a ``pyarrow.fs`` filesystem, where "put in place" is ``move``: a rename on a local disk,
on object storage a server-side copy of the complete object (a reader sees the old object or the new one, never
part of one) and the removal of the temporary. A run killed between the two leaves a temporary, which the next
run sweeps; temporaries and state files start with ``.`` or ``_``, names dataset readers skip. One run at a time
per directory holds ``lock_file``: the directory's own ``.export.lock`` when it is local; for a URL a lock file in
this user's temporary directory named after the URL (object storage offers no lock a run could take), which keeps
runs on this machine apart but not runs on two machines.

``dataset_files(location)`` picks one: a path or ``file://`` URL is local; ``s3://``, ``gs://``, ``hdfs://``...
go to ``pyarrow.fs.FileSystem.from_uri`` (credentials and options as pyarrow reads them: the environment, or
the URL's query such as ``?endpoint_override=...``), and any other scheme to fsspec when it is installed.
"""

from __future__ import annotations

import fnmatch
import hashlib
import os
import posixpath
import tempfile
import urllib.parse
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from ...._errors import InvalidRequestError
from ...._optional import require

if TYPE_CHECKING:
    import pyarrow as pa

TEMPORARY_SUFFIX = ".tmp"


def temporary_name(name: str) -> str:
    """A name beside ``name`` (same folder) that dataset readers skip and a later run knows to sweep."""
    folder, base = posixpath.split(name)
    return posixpath.join(folder, f".{base}.{os.getpid()}{TEMPORARY_SUFFIX}")


class DatasetFiles(Protocol):
    """One dataset directory; every ``name`` is a ``/``-separated path relative to it."""

    def where(self) -> Path | str:
        """The directory as a summary shows it: a ``Path`` on this machine, else its URL."""
        ...

    def child(self, *parts: str) -> DatasetFiles:
        """The directory ``parts`` below this one."""
        ...

    def make_directory(self) -> None:
        """Create it if missing (an InvalidRequestError naming it when that fails)."""
        ...

    def read_text(self, name: str) -> str | None:
        """The file's text, or None when there is no such file."""
        ...

    def replace_text(self, name: str, text: str) -> None:
        """Write ``text`` to ``name`` atomically: a reader sees the old text or the new, never part of one."""
        ...

    def parquet_writer(self, name: str, schema: pa.Schema) -> Any:
        """A ``pyarrow.parquet.ParquetWriter`` writing ``name`` (its folder created as needed)."""
        ...

    def put_in_place(self, temporary: str, name: str) -> None:
        """Make the complete file ``temporary`` the file ``name``, atomically for readers."""
        ...

    def remove(self, name: str) -> None:
        """Remove the file if there is one."""
        ...

    def remove_temporaries(self, pattern: str) -> None:
        """Remove temporaries (``.*.tmp``) in the folders matching ``pattern`` ("" for this one, "date=*")."""
        ...

    def lock_file(self, name: str) -> Path:
        """A file on this machine that stands for ``name`` in this directory, for a ``filelock``: the file itself
        in a local directory; for a URL (object storage has no lock a run could take) a file in this user's
        temporary directory named after the URL, so runs on this machine exclude each other, and no more (runs of
        one process only, for fsspec's ``memory://``, which each process has its own of)."""
        ...


def dataset_files(location: str | os.PathLike[str] | DatasetFiles) -> DatasetFiles:
    """The dataset at ``location``: a path, a ``file://`` URL, a URL pyarrow or fsspec knows, or files as given."""
    if isinstance(location, LocalFiles | ArrowFiles):
        return location
    if isinstance(location, os.PathLike):
        return LocalFiles(Path(location))
    if not isinstance(location, str):
        raise InvalidRequestError(f"must be a path or a URL, got {location!r}", argument="directory")
    scheme = urllib.parse.urlsplit(location).scheme
    if len(scheme) <= 1:  # no scheme, or a Windows drive letter
        return LocalFiles(Path(location))
    if scheme == "file":
        return LocalFiles(Path(urllib.parse.unquote(urllib.parse.urlsplit(location).path)))
    return _remote(location, scheme)


def _remote(url: str, scheme: str) -> ArrowFiles:
    fs = require("pyarrow.fs", f"a dataset at {scheme}://")
    try:
        filesystem, root = fs.FileSystem.from_uri(url)
    except Exception as exc:  # pyarrow raises ArrowInvalid / ValueError / OSError by scheme
        if "Unrecognized filesystem type" not in str(exc):
            raise InvalidRequestError(f"cannot open {_without_query(url)} ({exc})", argument="directory") from None
        return _through_fsspec(url, scheme, fs)
    return ArrowFiles(filesystem, root.rstrip("/"), _without_query(url).rstrip("/"), _endpoint(url))


def _through_fsspec(url: str, scheme: str, fs: Any) -> ArrowFiles:
    try:
        import fsspec  # noqa: PLC0415 - optional: only for schemes pyarrow does not know
    except ImportError:
        raise InvalidRequestError(
            f"pyarrow knows no {scheme}:// filesystem; install fsspec (and its {scheme} package)", argument="directory"
        ) from None
    try:
        filesystem, root = fsspec.core.url_to_fs(url)
    except (ImportError, ValueError) as exc:
        raise InvalidRequestError(f"cannot open {_without_query(url)} ({exc})", argument="directory") from None
    return ArrowFiles(
        fs.PyFileSystem(fs.FSSpecHandler(filesystem)), root.rstrip("/"), _without_query(url).rstrip("/"), _endpoint(url)
    )


def _endpoint(url: str) -> str:
    """The server a URL's query points at (``?endpoint_override=host:port``), "" for the scheme's own."""
    return ",".join(urllib.parse.parse_qs(urllib.parse.urlsplit(url).query).get("endpoint_override", []))


def _without_query(url: str) -> str:
    """The URL as messages show it: a query or a ``user:secret@`` may carry keys, so both are left out."""
    parts = urllib.parse.urlsplit(url)
    return parts._replace(netloc=parts.netloc.rpartition("@")[2], query="", fragment="").geturl()


class LocalFiles:
    """A directory on this machine: files fsynced before an atomic rename, so a power cut keeps whole files."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def __str__(self) -> str:
        return str(self.root)

    def where(self) -> Path:
        return self.root

    def child(self, *parts: str) -> LocalFiles:
        return LocalFiles(self.root.joinpath(*parts))

    def make_directory(self) -> None:
        try:
            self.root.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise InvalidRequestError(
                f"cannot use {self.root} for the dataset ({exc.strerror})", argument="directory"
            ) from None

    def read_text(self, name: str) -> str | None:
        try:
            return (self.root / name).read_text(encoding="utf-8")
        except FileNotFoundError:
            return None

    def replace_text(self, name: str, text: str) -> None:
        temporary = temporary_name(name)
        try:
            (self.root / temporary).write_text(text, encoding="utf-8")
            self.put_in_place(temporary, name)
        finally:
            self.remove(temporary)

    def parquet_writer(self, name: str, schema: pa.Schema) -> Any:
        parquet = require("pyarrow.parquet", "the Parquet export")
        path = self.root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        return parquet.ParquetWriter(path, schema)

    def put_in_place(self, temporary: str, name: str) -> None:
        with (self.root / temporary).open("rb") as written:
            os.fsync(written.fileno())
        (self.root / temporary).replace(self.root / name)

    def remove(self, name: str) -> None:
        (self.root / name).unlink(missing_ok=True)

    def remove_temporaries(self, pattern: str) -> None:
        for leftover in self.root.glob(posixpath.join(pattern, f".*{TEMPORARY_SUFFIX}")):
            leftover.unlink(missing_ok=True)

    def lock_file(self, name: str) -> Path:
        return self.root / name


class ArrowFiles:
    """A directory of a ``pyarrow.fs`` filesystem (object storage included; see the module docstring)."""

    def __init__(self, filesystem: Any, root: str, shown: str, endpoint: str = "") -> None:
        self.filesystem = filesystem
        self.root = root
        self._shown = shown
        self._endpoint = endpoint

    def __str__(self) -> str:
        return self._shown

    def where(self) -> str:
        return self._shown

    def child(self, *parts: str) -> ArrowFiles:
        return ArrowFiles(
            self.filesystem, posixpath.join(self.root, *parts), posixpath.join(self._shown, *parts), self._endpoint
        )

    def _path(self, name: str) -> str:
        return posixpath.join(self.root, name)

    def make_directory(self) -> None:
        try:
            self.filesystem.create_dir(self.root, recursive=True)
        except OSError as exc:
            raise InvalidRequestError(f"cannot use {self} for the dataset ({exc})", argument="directory") from None

    def read_text(self, name: str) -> str | None:
        fs = require("pyarrow.fs", "a dataset on a pyarrow filesystem")
        path = self._path(name)
        if self.filesystem.get_file_info(path).type != fs.FileType.File:
            return None
        with self.filesystem.open_input_stream(path) as stream:
            return bytes(stream.read()).decode("utf-8")

    def replace_text(self, name: str, text: str) -> None:
        temporary = temporary_name(name)
        try:
            with self.filesystem.open_output_stream(self._path(temporary)) as stream:
                stream.write(text.encode("utf-8"))
            self.put_in_place(temporary, name)
        finally:
            self.remove(temporary)

    def parquet_writer(self, name: str, schema: pa.Schema) -> Any:
        parquet = require("pyarrow.parquet", "the Parquet export")
        self.filesystem.create_dir(posixpath.dirname(self._path(name)), recursive=True)
        return parquet.ParquetWriter(self._path(name), schema, filesystem=self.filesystem)

    def put_in_place(self, temporary: str, name: str) -> None:
        self.filesystem.move(self._path(temporary), self._path(name))

    def remove(self, name: str) -> None:
        fs = require("pyarrow.fs", "a dataset on a pyarrow filesystem")
        path = self._path(name)
        if self.filesystem.get_file_info(path).type == fs.FileType.File:
            self.filesystem.delete_file(path)

    def remove_temporaries(self, pattern: str) -> None:
        fs = require("pyarrow.fs", "a dataset on a pyarrow filesystem")
        folder_pattern = posixpath.join(self.root, pattern) if pattern else self.root
        selector = fs.FileSelector(self.root, recursive=bool(pattern), allow_not_found=True)
        for info in self.filesystem.get_file_info(selector):
            folder, base = posixpath.split(info.path)
            if (
                info.type == fs.FileType.File
                and base.startswith(".")
                and base.endswith(TEMPORARY_SUFFIX)
                and fnmatch.fnmatchcase(folder, folder_pattern)
            ):
                self.filesystem.delete_file(info.path)

    def lock_file(self, name: str) -> Path:
        if self.filesystem.type_name == "local":
            return Path(self._path(name))
        key = f"{self._shown}/{name}\n{self._endpoint}"
        if self.filesystem.type_name == _PROCESS_MEMORY:  # other processes cannot see these files: no need to wait
            key += f"\nprocess {os.getpid()}"
        folder = Path(tempfile.gettempdir()) / f"galileo-insights-locks-{_user()}"
        try:
            folder.mkdir(mode=0o700, exist_ok=True)
        except OSError as exc:
            raise InvalidRequestError(
                f"cannot make {folder} for the lock of {self} ({exc.strerror})", argument="directory"
            ) from None
        return folder / f"{hashlib.sha256(key.encode()).hexdigest()[:32]}.lock"


_PROCESS_MEMORY = "py::fsspec+memory"  # fsspec's memory://: one store per process


def _user() -> str:
    """This user's id where there is one (a shared temporary directory, as on Linux and macOS), else ``user``."""
    return str(os.getuid()) if hasattr(os, "getuid") else "user"
