"""Stage a file in the store: one temporary table of its rows as stripped text, numbered as
the readers number them, from which an import validates and stores with set-based SQL.

A delimited text file is read by DuckDB's own CSV reader (in C++, in parallel) when that gives
exactly what `read_csv` would: the file is decoded and checked first (a file in another encoding
than UTF-8 is written out as UTF-8 for it), and DuckDB's reader is used only when every record
is one line and no line is blank, so that row numbers stay the spreadsheet's, and when it reads
the file without an error. Anything else (a quoted cell spanning lines, a blank line, a row
with more or fewer cells than the header, a broken quote, a workbook, JSON Lines, Parquet)
goes through the Python readers, whose rows are loaded into the same table; `read_csv` then
also names a malformed row.
"""

from __future__ import annotations

import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import duckdb

from execrank.ingest._formats import TEXT_SUFFIXES, read_table
from execrank.ingest._readers import (
    EXTRA_CELL_PREFIX,
    LARGEST_CELL_CHARACTERS,
    CsvText,
    Table,
    open_csv,
)
from execrank.store import Store

STAGED = "staged_rows"
"""The temporary table: `row` (the reader's row number), `problem` (why a row could not be
read whole, e.g. a JSON Lines line that is no object; else NULL) and c0, c1, … (each header
column's stripped text, '' when empty)."""

WHITESPACE = "".join(chr(code) for code in range(sys.maxunicode + 1) if chr(code).isspace())
"""What Python's str.strip() strips, for SQL's trim() to strip the same."""

UTF8 = ("utf-8", "utf-8-sig")
"""Encodings DuckDB's reader is given the file itself in; others are written out as UTF-8."""

LARGEST_LINE_BYTES = LARGEST_CELL_CHARACTERS
"""DuckDB's reader's line length limit (its default is 2 MB). A longer line goes to the Python
reader, which reads any line whose cells hold at most LARGEST_CELL_CHARACTERS and names a cell
that holds more, so DuckDB never stores a cell the Python reader would refuse."""


@dataclass(frozen=True)
class Staged:
    """A staged file: where it came from, how it was read, its header, how many rows it has
    (blank ones not counted), the cells beyond the header (row, "(extra N)", text), and a
    workbook's cells holding a formula with no saved value (row, column, formula), staged
    blank."""

    path: Path
    encoding: str
    header: tuple[str, ...]
    rows: int
    extra_cells: tuple[tuple[int, str, str], ...]
    unsaved_formulas: tuple[tuple[int, str, str], ...] = ()

    def column(self, header: str) -> str:
        """The staged column that holds a header's cells."""
        return f"c{self.header.index(header)}"


def stage(
    store: Store,
    path: Path,
    *,
    encoding: str | None = None,
    delimiter: str | None = None,
    sheet: str | None = None,
) -> Staged:
    """Read path (any format read_table reads) into the STAGED table of the store's session."""
    if path.suffix.lower() in TEXT_SUFFIXES or (path.suffix == "" and path.is_file()):
        source = open_csv(path, encoding, delimiter)
        if _staged_by_duckdb(store, source):
            return Staged(path, source.encoding, source.header, store.count(STAGED), ())
    table = read_table(path, encoding=encoding, delimiter=delimiter, sheet=sheet)
    return stage_rows(store, table)


def stage_rows(store: Store, table: Table) -> Staged:
    """Load a Table read in Python into the STAGED table."""
    width = len(table.header)
    columns: dict[str, list[object]] = {
        "row": [row.number for row in table.rows],
        "problem": [row.problem for row in table.rows],
    }
    for index, header in enumerate(table.header):
        columns[f"c{index}"] = [row.values.get(header, "") for row in table.rows]
    store.load_columns(STAGED, columns, {"row": "BIGINT"})
    extras = tuple(
        (row.number, name, text)
        for row in table.rows
        if len(row.values) > width
        for name, text in row.values.items()
        if name.startswith(EXTRA_CELL_PREFIX) and text
    )
    return Staged(
        table.path, table.encoding, table.header, len(table.rows), extras, table.unsaved_formulas
    )


def _one_line_records(source: CsvText) -> int | None:
    """How many records follow the header when each is one line and no line is blank (so a
    record's row number is its line number); None otherwise, or when the header ends with empty
    cells (the Python reader drops them)."""
    body = source.text.rstrip("\r\n")  # blank lines at the end number no row
    first_line = body.partition("\n")[0]
    if first_line.count('"') % 2 or source.header_cells != len(source.header):
        return None  # a header spanning lines, or ending with empty cells
    if "\n\n" in body or "\n\r\n" in body:
        return None
    if body.count("\r") != body.count("\r\n"):  # a lone CR ends a line for the csv module
        return None
    return body.count("\n")


def _staged_by_duckdb(store: Store, source: CsvText) -> bool:
    """Stage with DuckDB's reader when it reads exactly the records `read_csv` would."""
    records = _one_line_records(source)
    if records is None:
        return False
    with _as_utf8(source) as file:
        names = [f"c{index}" for index in range(len(source.header))]
        types = ", ".join(f"'{name}': 'VARCHAR'" for name in names)
        try:
            store.execute(
                f"CREATE OR REPLACE TEMP TABLE {STAGED}_raw AS SELECT * FROM read_csv("
                f"{sql_literal(str(file))}, columns = {{{types}}}, header = false, skip = 1, "
                f"delim = {sql_literal(source.delimiter)}, quote = '\"', escape = '\"', "
                "auto_detect = false, strict_mode = true, "
                f"max_line_size = {LARGEST_LINE_BYTES}, encoding = 'utf-8')"
            )
        except duckdb.Error:  # a record the csv module reads otherwise, or reports
            return False
    if store.count(f"{STAGED}_raw") != records:
        store.execute(f"DROP TABLE {STAGED}_raw")
        return False
    # trim() with a set of characters is slow: only for cells that start or end with one
    cells = ", ".join(
        f"CASE WHEN contains($1, left(coalesce({name}, ''), 1)) OR contains($1, right({name}, 1))"
        f" THEN trim(coalesce({name}, ''), $1) ELSE {name} END AS {name}"
        for name in names
    )
    blank = " AND ".join(f"{name} = ''" for name in names)
    # rowid follows the file's order (insertion order is kept); the header is row 1
    store.execute(
        f"CREATE OR REPLACE TEMP TABLE {STAGED} AS SELECT * FROM ("
        f"SELECT rowid + 2 AS row, NULL::VARCHAR AS problem, {cells} FROM {STAGED}_raw) "
        f"WHERE NOT ({blank})",
        [WHITESPACE],
    )
    store.execute(f"DROP TABLE {STAGED}_raw")
    return True


def sql_literal(text: str) -> str:
    """Text as an SQL string literal."""
    return "'" + text.replace("'", "''") + "'"


@contextmanager
def _as_utf8(source: CsvText) -> Iterator[Path]:
    """The file itself when it is UTF-8, else a temporary UTF-8 copy of its text."""
    if source.encoding in UTF8:
        yield source.path
        return
    with tempfile.TemporaryDirectory(prefix="execrank-") as folder:
        copy = Path(folder) / "utf8.csv"
        copy.write_text(source.text, encoding="utf-8", newline="")
        yield copy
