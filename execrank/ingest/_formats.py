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
from collections.abc import Callable, Iterator
from datetime import date, datetime
from pathlib import Path
from typing import IO, Any
from xml.etree import ElementTree

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
    """The first sheet of an .xlsx workbook (or the one named), header in row 1; cells holding
    a formula with no saved value are blank in the rows and listed in `unsaved_formulas`."""
    import openpyxl  # loaded only for workbooks

    _existing(path)
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises zipfile, KeyError and others on bad files
        raise InputError(f"{path}: not a readable .xlsx workbook ({error})") from None
    try:
        if sheet is not None and sheet not in book.sheetnames:
            raise InputError(f"{path}: no sheet {sheet!r}; sheets: {', '.join(book.sheetnames)}")
        chosen = book[sheet or book.sheetnames[0]]
        unsaved = _unsaved_formulas(chosen._get_source)  # openpyxl's stream of the sheet's XML
        rows = chosen.iter_rows(values_only=True)
        first = next(rows, None)
        header = read_header(path, [cell_text(cell) for cell in first or ()])
        found = (
            make_row(number, header, [cell_text(cell) for cell in cells])
            or (Row(number, dict.fromkeys(header, "")) if number in unsaved else None)
            for number, cells in enumerate(rows, start=2)
        )
        table_rows = tuple(row for row in found if row is not None)
    finally:
        book.close()
    formulas = tuple(
        (number, header[column - 1], formula)
        for number, cells in sorted(unsaved.items())
        for column, formula in cells
        if number > 1 and column <= len(header)
    )
    return Table(path, "xlsx", "", header, table_rows, formulas)


FORMULA_MARKS = (b"<f>", b"<f ", b":f>", b":f ")
"""What a formula's element in a sheet's XML starts with (`<f>`, `<f t="shared" …>`, or with a
namespace prefix, `<x:f>`). A sheet holding none is not parsed a second time for formulas: the
search costs 2% of reading the sheet (100,000 rows of 10 cells, 53 MB of XML, on a busy 2-core
machine: 0.3 s, against 19 s for openpyxl to read the rows). A sheet holding formulas is parsed
again, with ElementTree: 10 s more for one formula in each of those rows."""
SCAN_BYTES = 1 << 20
DIGITS = "0123456789"


def _unsaved_formulas(open_source: Callable[[], IO[bytes]]) -> dict[int, list[tuple[int, str]]]:
    """Row -> (column, formula) of the sheet's cells (numbered from 1) whose formula has no saved
    value: no `<v>` element, or an empty one in a cell not typed as text (Excel saves a formula
    whose value is "" as t="str" with an empty `<v>`; openpyxl writes `<v />` and no type).
    openpyxl's data_only view gives None for both, and reading the workbook again in its
    formula view would not tell them apart, so the XML is parsed here, when it holds a formula."""
    with open_source() as source:
        tail = b""
        while chunk := source.read(SCAN_BYTES):
            across = tail + chunk[:3]  # a mark split between two chunks
            if any(mark in chunk or mark in across for mark in FORMULA_MARKS):
                break
            tail = chunk[-3:]
        else:
            return {}
    from openpyxl.utils.cell import column_index_from_string as column_index

    found: dict[int, list[tuple[int, str]]] = {}
    row = column = 0
    with open_source() as source:
        for event, element in ElementTree.iterparse(source, events=("start", "end")):
            name = element.tag.rpartition("}")[2]
            if event == "start" and name == "row":
                row, column = int(element.get("r") or row + 1), 0
            elif event == "end" and name == "c":
                reference = element.get("r")  # e.g. "B12"; optional, as the row's
                column = column_index(reference.rstrip(DIGITS)) if reference else column + 1
                formula = _unsaved_formula(element)
                if formula is not None:
                    found.setdefault(row, []).append((column, formula))
                element.clear()
            elif event == "end" and name == "row":
                element.clear()
    return found


def _unsaved_formula(cell: ElementTree.Element) -> str | None:
    """The formula of a `<c>` element, as typed in Excel (=…), when it has no saved value."""
    children = {child.tag.rpartition("}")[2]: child for child in cell}
    if "f" not in children:
        return None
    value = children.get("v")
    if value is not None and (value.text or cell.get("t") == "str"):
        return None
    return "=" + (children["f"].text or "(a shared formula)")


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
