"""Files the CLI writes for the user (`export --output`, `calibrate --output`): one guard that
refuses to write over a DuckDB store or where no file can be written, and one writer that turns an
operating-system failure (disk full, no permission) into a sentence naming the path.

A DuckDB database file is recognised by its header (the bytes `DUCK` after an 8-byte checksum),
so a store is refused whatever it is named, and a CSV that happens to end in `.duckdb` is not.
"""

from __future__ import annotations

from pathlib import Path

from execrank.errors import InputError

DUCKDB_MAGIC = b"DUCK"
DUCKDB_MAGIC_OFFSET = 8  # the file header starts with an 8-byte checksum


def is_duckdb_file(path: Path) -> bool:
    """True when path is a file that starts like a DuckDB database."""
    try:
        with path.open("rb") as handle:
            header = handle.read(DUCKDB_MAGIC_OFFSET + len(DUCKDB_MAGIC))
    except OSError:
        return False
    return header[DUCKDB_MAGIC_OFFSET:] == DUCKDB_MAGIC


def check_output(path: Path, *, store: Path | None = None) -> None:
    """Refuse (InputError) an output path that names a folder or a file in a missing folder,
    where writing would fail, or the store in use or any other DuckDB database, which writing
    would destroy."""
    if path.is_dir():  # '' and '.' too
        raise InputError(f"cannot write {path}: it is a folder; name a file")
    if not path.parent.is_dir():
        raise InputError(f"cannot write {path}: the folder {path.parent} does not exist")
    if store is not None and path.resolve() == store.resolve():
        raise InputError(f"cannot write {path}: it is the store in use; name another file")
    if is_duckdb_file(path):
        raise InputError(f"cannot write {path}: it is a DuckDB store; name another file")


def write_output(path: Path, content: bytes, *, store: Path | None = None) -> None:
    """Write content to path after `check_output`; a failure raises InputError naming the path."""
    check_output(path, store=store)
    try:
        path.write_bytes(content)
    except OSError as error:
        raise InputError(f"cannot write {path}: {error.strerror or error}") from None
