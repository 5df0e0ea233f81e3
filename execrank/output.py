"""Files the CLI writes for the user (`export --output`, `calibrate --output`): one guard that
refuses to write over a DuckDB store.

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
    """Refuse (InputError) an output path that names the store in use or any other DuckDB
    database: writing there would destroy it."""
    if store is not None and path.resolve() == store.resolve():
        raise InputError(f"cannot write {path}: it is the store in use; name another file")
    if is_duckdb_file(path):
        raise InputError(f"cannot write {path}: it is a DuckDB store; name another file")
