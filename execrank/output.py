"""Files the CLI writes for the user (`export --output`, `calibrate --output`): one guard that
refuses to write over a DuckDB store or where no file can be written, and one writer that turns an
operating-system failure (disk full, no permission) into a sentence naming the path.

`csv_row` is the one guard every CSV execrank writes goes through (exports, the CLI's CSV
output, reviews, an import's rejected rows): a text cell that begins with `=`, `+`, `-`, `@`, a
tab or a carriage return gets a leading `'`, so that a spreadsheet shows it as text instead of
running it as a formula (OWASP "CSV injection"); numbers are written as numbers, and so are a
text that is a plain number ("-3.5") and a lone "-" (an unranked tier), which no spreadsheet runs.

A DuckDB database file is recognised by its header (the bytes `DUCK` after an 8-byte checksum),
so a store is refused whatever it is named, and a CSV that happens to end in `.duckdb` is not.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from execrank.errors import InputError

DUCKDB_MAGIC = b"DUCK"
DUCKDB_MAGIC_OFFSET = 8  # the file header starts with an 8-byte checksum
LIST_SEPARATOR = " | "
"""Joins a list written in one CSV cell (an export's reasons)."""
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
"""A cell starting with one of these may run as a formula in Excel, LibreOffice or Sheets."""
FORMULA_GUARD = "'"
PLAIN_NUMBER = re.compile(r"[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
"""A cell a spreadsheet reads as a number, not a formula, though it may start with + or -."""
NOT_A_FORMULA = "-"  # a lone dash: the unranked tier


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


def neutralise(cell: str) -> str:
    """The cell as a spreadsheet shows it as text: a leading `'` when it could start a formula
    (a plain number and a lone "-" cannot)."""
    if not cell.startswith(FORMULA_TRIGGERS) or cell == NOT_A_FORMULA:
        return cell
    return cell if PLAIN_NUMBER.fullmatch(cell) else FORMULA_GUARD + cell


def csv_row(values: Iterable[Any]) -> list[Any]:
    """A row for a CSV file: lists joined with LIST_SEPARATOR, text neutralised."""
    return [_cell(value) for value in values]


def _cell(value: Any) -> Any:
    if isinstance(value, list):
        value = LIST_SEPARATOR.join(value)
    return neutralise(value) if isinstance(value, str) else value
