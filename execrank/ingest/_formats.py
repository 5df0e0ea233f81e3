"""Read any supported file into a Table, chosen by its extension: delimited text, an Excel
workbook, JSON Lines or Parquet.

Every format becomes the same thing the CSV reader gives: a header and numbered rows of stripped
text, so that one validator checks them all. Row numbers are what a person finds the row by: the
spreadsheet row in a CSV file or a workbook (header = row 1), the line number in a JSON Lines
file, and the record number (from 1) in a Parquet file. Cell values that are not text are written
the way a CSV export would write them: 1200000 (not 1200000.0), true/false, ISO dates.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any

from execrank.errors import InputError
from execrank.ingest._readers import Row, Table, make_row, read_csv, read_header

TEXT_SUFFIXES = (".csv", ".tsv", ".txt")
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")
JSON_LINES_SUFFIXES = (".jsonl", ".ndjson")
PARQUET_SUFFIXES = (".parquet",)
SUPPORTED = (*TEXT_SUFFIXES, *WORKBOOK_SUFFIXES, *JSON_LINES_SUFFIXES, *PARQUET_SUFFIXES)
REFUSED = {
    ".xls": "an old Excel 97-2003 workbook; save it as .xlsx or CSV",
    ".json": "one JSON document; write one JSON object per line as .jsonl",
    ".gz": "compressed; decompress it first",
    ".zip": "compressed; decompress it first",
}
"""Extensions people try that are not read, with what to do instead."""

PARQUET_BATCH_ROWS = 65_536


def read_table(
    path: Path,
    *,
    encoding: str | None = None,
    delimiter: str | None = None,
    sheet: str | None = None,
) -> Table:
    """Read path by its extension (SUPPORTED); InputError naming the file for any other."""
    if path.is_dir():
        raise InputError(f"{path}: is a folder; name a file in it")
    suffix = path.suffix.lower()
    if suffix in TEXT_SUFFIXES or (suffix == "" and path.is_file()):
        return read_csv(path, encoding, delimiter)
    if suffix in WORKBOOK_SUFFIXES:
        return read_workbook(path, sheet)
    if suffix in JSON_LINES_SUFFIXES:
        return read_json_lines(path)
    if suffix in PARQUET_SUFFIXES:
        return read_parquet(path)
    why = REFUSED.get(suffix, "not a supported kind of file")
    raise InputError(f"{path}: {suffix} files are not read ({why}); use {', '.join(SUPPORTED)}")


def cell_text(value: Any) -> str:
    """A non-text cell as a CSV export writes it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and math.isfinite(value) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return str(value).strip()


def _existing(path: Path) -> None:
    if not path.is_file():
        raise InputError(f"{path}: no such file")


def read_workbook(path: Path, sheet: str | None = None) -> Table:
    """The first sheet of an .xlsx workbook (or the one named), header in row 1."""
    import openpyxl  # loaded only for workbooks

    _existing(path)
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises zipfile, KeyError and others on bad files
        raise InputError(f"{path}: not a readable .xlsx workbook ({error})") from None
    try:
        if sheet is not None and sheet not in book.sheetnames:
            raise InputError(f"{path}: no sheet {sheet!r}; sheets: {', '.join(book.sheetnames)}")
        rows = book[sheet or book.sheetnames[0]].iter_rows(values_only=True)
        first = next(rows, None)
        header = read_header(path, [cell_text(cell) for cell in first or ()])
        found = (
            make_row(number, header, [cell_text(cell) for cell in cells])
            for number, cells in enumerate(rows, start=2)
        )
        table_rows = tuple(row for row in found if row is not None)
    finally:
        book.close()
    return Table(path, "xlsx", "", header, table_rows)


def read_json_lines(path: Path) -> Table:
    """One JSON object per line; the header is every key, in the order first seen.

    A line that is not a JSON object becomes a row with a `problem`, reported by the importer.
    """
    _existing(path)
    parsed: list[tuple[int, dict[str, Any] | None, str]] = []
    with path.open(encoding="utf-8-sig") as lines:
        try:
            for number, line in enumerate(lines, start=1):
                if line.strip():
                    parsed.append((number, *_json_object(line)))
        except UnicodeDecodeError as error:
            raise InputError(f"{path}: JSON Lines must be UTF-8 ({error.reason})") from None
    keys: dict[str, None] = {}
    for _, record, _ in parsed:
        keys.update(dict.fromkeys(record or {}))
    if not keys:
        raise InputError(f"{path}: no JSON object with fields in the file")
    header = read_header(path, list(keys))
    rows = tuple(_json_row(number, header, record, problem) for number, record, problem in parsed)
    return Table(path, "utf-8", "", header, rows)


def _json_object(line: str) -> tuple[dict[str, Any] | None, str]:
    try:
        record = json.loads(line)
    except json.JSONDecodeError as error:
        return None, f"is not JSON ({error.msg} at character {error.pos + 1})"
    if not isinstance(record, dict):
        return None, "is not a JSON object of fields"
    return record, ""


def _json_row(
    number: int, header: tuple[str, ...], record: dict[str, Any] | None, problem: str
) -> Row:
    if record is None:
        return Row(number, dict.fromkeys(header, ""), problem)
    return Row(number, {name: cell_text(record.get(name)) for name in header})


def read_parquet(path: Path) -> Table:
    """Every column of a Parquet file; rows numbered from 1."""
    import pyarrow.parquet as parquet  # loaded only for Parquet

    _existing(path)
    try:
        source = parquet.ParquetFile(path)
    except Exception as error:  # pyarrow raises ArrowInvalid and OSError subclasses
        raise InputError(f"{path}: not a readable Parquet file ({error})") from None
    header = read_header(path, list(source.schema_arrow.names))
    rows = tuple(_parquet_rows(source, header))
    return Table(path, "parquet", "", header, rows)


def _parquet_rows(source: Any, header: tuple[str, ...]) -> Iterator[Row]:
    number = 0
    for batch in source.iter_batches(batch_size=PARQUET_BATCH_ROWS):
        for record in batch.to_pylist():
            number += 1
            row = make_row(number, header, [cell_text(record.get(name)) for name in header])
            if row is not None:
                yield row
