"""Import one file of one kind into the store: read, map, validate, upsert, in one transaction.

Good rows are kept and bad rows are reported with file, row, column, value and what was
expected; with `strict`, one bad row keeps the whole file out. Re-importing the same file changes
nothing: rows are keyed by their id, or by a hash of their natural key when the file gives no id.
A crash (even kill -9) before the commit leaves the store as it was: DuckDB discards an
uncommitted transaction, including data it had already written to the file.
"""

from __future__ import annotations

import csv
import gc
import hashlib
import re
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from execrank.errors import InputError, ValueParseError
from execrank.identity import Resolver
from execrank.ingest._derived import refresh_titles
from execrank.ingest._formats import read_table
from execrank.ingest._mapping import AUTO, Mapping, detect, identity_mapping, load_mapping, resolve
from execrank.ingest._readers import EXTRA_CELL_PREFIX, Row, Table
from execrank.ingest._schema import KINDS, NATURAL_KEYS, REFERENCES, Field
from execrank.ingest._values import (
    clean_text,
    parse_bool,
    parse_datetime,
    parse_int,
    parse_number,
)
from execrank.store import FACT_COLUMNS, Store, UpsertCounts

Progress = Callable[[int, int], None]
CODE_PATTERN = re.compile(r"^[a-z][a-z0-9_]*$")
FOREIGN_CURRENCY = re.compile(r"[¥￥€£元]|\b(?:RMB|CNY|EUR|GBP|JPY)\b", re.IGNORECASE)
EMAIL_PATTERN = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
KEPT_TEXT = {"revenue_usd": "revenue_text", "employees": "employees_text"}
"""Fields whose cell is also stored as typed ("$1.2M", "51-200"), in the named column."""
WHOLE_ROW = "(row)"
"""The column a problem with a whole row (not one cell) is reported under."""


@dataclass(frozen=True)
class RowError:
    """One rejected cell: where it is, what it held, and what was expected."""

    file: str
    row: int
    column: str
    value: str
    reason: str

    def __str__(self) -> str:
        return f"{self.file}, row {self.row}, column {self.column!r}: {self.value!r} {self.reason}"


@dataclass
class ImportReport:
    """What an import did; `rejected` is empty when every row was kept."""

    file: str
    kind: str
    encoding: str
    mapping: str
    rows_read: int = 0
    counts: UpsertCounts = field(default_factory=lambda: UpsertCounts(0, 0, 0))
    duplicates_in_file: int = 0
    rejected: list[RowError] = field(default_factory=list)
    rejected_rows: int = 0
    rejects_path: Path | None = None
    ignored_columns: list[str] = field(default_factory=list)
    refused: bool = False  # --strict and some row was bad: nothing was stored
    resolved: int = 0  # rows that were a stored record under another id (see identity)


PARSERS: dict[str, Callable[[str], Any]] = {
    "number": parse_number,
    "integer": parse_int,
    "datetime": parse_datetime,
    "bool": parse_bool,
}


VALIDATION_CHUNK_ROWS = 10_000
"""Rows validated together, a column at a time: enough that each distinct text of a column (a
title, an owner, a company id) is read once for many rows, few enough that progress shows."""


@dataclass(frozen=True)
class _Cell:
    """How one field of a row is read under a mapping, worked out once per file."""

    spec: Field
    headers: tuple[str, ...]  # the file's columns joined into it
    column: str  # how errors name them
    constant: str  # the value when the file gives none
    kept_text: str | None  # the stored column that keeps the cell as typed
    scale: float | None

    def texts(self, rows: Sequence[Row]) -> list[str]:
        """This field's text in each row: its column's cell, its columns' cells joined by a
        space, else the mapping's constant."""
        if len(self.headers) == 1:
            header = self.headers[0]
            texts = [row.values.get(header, "") for row in rows]
        else:
            texts = [
                " ".join(t for t in (row.values.get(h, "") for h in self.headers) if t)
                for row in rows
            ]
        return [text or self.constant for text in texts] if self.constant else texts

    def read(self, text: str) -> Any:
        """The value of a cell's text (parsed and scaled); ValueParseError if it is not one."""
        return _scaled(_parse_cell(self.spec, text), self.scale)


def _plan(mapping: Mapping, columns: dict[str, tuple[str, ...]]) -> list[_Cell]:
    stored = FACT_COLUMNS[mapping.kind]
    return [
        _Cell(
            spec,
            columns.get(spec.name, ()),
            _column(columns, spec.name),
            mapping.constants.get(spec.name, ""),
            KEPT_TEXT[spec.name] if KEPT_TEXT.get(spec.name) in stored else None,
            mapping.scale.get(spec.name),
        )
        for spec in KINDS[mapping.kind]
    ]


def _parse_cell(spec: Field, text: str) -> Any:
    if spec.type in PARSERS:
        value = PARSERS[spec.type](text)
        if spec.name == "revenue_usd" and FOREIGN_CURRENCY.search(text):
            raise ValueParseError(text, "in US dollars (convert other currencies first)")
        if spec.type in ("number", "integer") and value is not None and value < 0:
            raise ValueParseError(text, f"a {spec.name} of 0 or more")
        return value
    value = clean_text(text)
    if not value:
        return None
    if spec.type == "code":
        value = re.sub(r"[\s\-]+", "_", value.lower())
        if not CODE_PATTERN.match(value):
            raise ValueParseError(text, "a code of letters, digits and underscores (e.g. meeting)")
        if spec.choices and value not in spec.choices:
            raise ValueParseError(text, "one of " + ", ".join(spec.choices))
    if spec.type == "email":
        if not EMAIL_PATTERN.match(value):
            raise ValueParseError(text, "an email address (e.g. li.wei@example.com)")
        value = value.casefold()
    return value


def _natural_id(kind: str, values: dict[str, Any]) -> str:
    parts = [str(values.get(name) or "") for name in NATURAL_KEYS[kind]]
    if kind == "signals" and values.get("url"):
        parts = [
            str(values.get("contact_id") or ""),
            str(values.get("company_id") or ""),
            str(values["url"]),
        ]
    return kind[:3] + "-" + hashlib.sha1("\x1f".join(parts).encode()).hexdigest()[:16]


def _validate_rows(
    mapping: Mapping,
    rows: Sequence[Row],
    columns: dict[str, tuple[str, ...]],
    file: str,
    plan: list[_Cell] | None = None,
) -> tuple[list[dict[str, Any] | None], list[RowError]]:
    """Each row's values by field (None for a row with a problem) and the problems. Fields are
    read a column at a time, each distinct text once; `plan` (from `_plan`) saves working out
    the mapping again for every chunk of a file."""
    readable = [row for row in rows if row.problem is None]
    names: list[str] = []
    fields: list[list[Any]] = []
    problems: defaultdict[int, list[RowError]] = defaultdict(list)  # by row number
    for cell in plan or _plan(mapping, columns):
        texts = cell.texts(readable)
        if cell.kept_text:
            names.append(cell.kept_text)
            fields.append([text or None for text in texts])
        names.append(cell.spec.name)
        fields.append(_read_column(cell, texts, readable, file, problems))
    results: list[dict[str, Any] | None] = []
    errors: list[RowError] = []
    read = zip(*fields, strict=True)
    for row in rows:
        if row.problem is not None:
            results.append(None)
            errors.append(RowError(file, row.number, WHOLE_ROW, "", row.problem))
            continue
        values = dict(zip(names, next(read), strict=True))
        found = problems.pop(row.number, [])
        if mapping.kind == "signals" or _has_extra_cells(row):
            found.extend(_whole_row_problems(mapping.kind, values, row, file))
        errors.extend(found)
        results.append(None if found else values)
    return results, errors


def _read_column(
    cell: _Cell,
    texts: list[str],
    rows: Sequence[Row],
    file: str,
    problems: defaultdict[int, list[RowError]],
) -> list[Any]:
    """The value of each row's text for one field, each distinct text read once; a text that is
    no value of the field, or an empty one of a required field, is a problem of its rows."""
    read: dict[str, Any] = {}
    bad: dict[str, str] = {}
    for text in dict.fromkeys(texts):
        try:
            value = read[text] = cell.read(text)
        except ValueParseError as error:
            bad[text] = f"is not {error.expected}"
            continue
        if value is None and cell.spec.required:
            bad[text] = f"is empty; {cell.spec.name} is required"
    if bad:
        for row, text in zip(rows, texts, strict=True):
            if text in bad:
                problems[row.number].append(
                    RowError(file, row.number, cell.column, text, bad[text])
                )
    return [read.get(text) for text in texts]


def _has_extra_cells(row: Row) -> bool:
    """Whether the reader kept cells beyond the header (their keys come last) for this row."""
    return bool(row.values) and next(reversed(row.values)).startswith(EXTRA_CELL_PREFIX)


def _scaled(value: Any, factor: float | None) -> Any:
    """A number times the mapping's scale for its field (revenue in millions -> dollars)."""
    if factor is None or value is None:
        return value
    scaled = value * factor
    return round(scaled) if isinstance(value, int) else scaled


def _whole_row_problems(kind: str, values: dict[str, Any], row: Row, file: str) -> list[RowError]:
    problems = [
        RowError(file, row.number, name, text, "is an extra cell beyond the header's columns")
        for name, text in row.values.items()
        if name.startswith(EXTRA_CELL_PREFIX) and text
    ]
    if kind == "signals":
        if (values.get("contact_id") is None) == (values.get("company_id") is None):
            both = f"{values.get('contact_id') or ''}/{values.get('company_id') or ''}"
            problems.append(
                RowError(
                    file,
                    row.number,
                    "contact_id/company_id",
                    both,
                    "must name exactly one subject: a contact or a company, not both or neither",
                )
            )
        if not values.get("text") and not values.get("title"):
            problems.append(RowError(file, row.number, "text", "", "is empty; a signal needs text"))
    return problems


def _column(columns: dict[str, tuple[str, ...]] | None, name: str) -> str:
    """The file's column(s) a field was read from, as a RowError names them."""
    return " + ".join((columns or {}).get(name, ())) or name


def _dedupe(
    kind: str,
    rows: list[tuple[int, dict[str, Any]]],
    file: str,
    columns: dict[str, tuple[str, ...]] | None = None,
) -> tuple[list[tuple[int, dict[str, Any]]], int, list[RowError]]:
    """Drop exact repeats of a key within the file; reject rows that reuse a key differently."""
    key = FACT_COLUMNS[kind][0]
    first: dict[str, tuple[int, dict[str, Any]]] = {}
    repeats, errors = 0, list[RowError]()
    for number, values in rows:
        seen = first.get(values[key])
        if seen is None:
            first[values[key]] = (number, values)
        elif seen[1] == values:
            repeats += 1
        else:
            errors.append(
                RowError(
                    file,
                    number,
                    _column(columns, key),
                    str(values[key]),
                    f"repeats the {key} of row {seen[0]} with other values",
                )
            )
    return list(first.values()), repeats, errors


def _unknown_references(
    kind: str,
    store: Store,
    rows: list[tuple[int, dict[str, Any]]],
    file: str,
    columns: dict[str, tuple[str, ...]] | None = None,
) -> list[RowError]:
    errors: list[RowError] = []
    for name, table in REFERENCES.get(kind, {}).items():
        wanted = sorted({v[name] for _, v in rows if v.get(name) is not None})
        known = store.existing_ids(table, wanted)
        errors.extend(
            RowError(
                file,
                number,
                _column(columns, name),
                values[name],
                f"names no record in {table}; import {table} first",
            )
            for number, values in rows
            if values.get(name) is not None and values[name] not in known
        )
    return errors


def _supplied(kind: str, fields: list[str]) -> list[str]:
    """The stored columns a file with these fields sets: the fields and their kept text."""
    kept = [KEPT_TEXT[f] for f in fields if KEPT_TEXT.get(f) in FACT_COLUMNS[kind]]
    return [*fields, *kept]


def write_rejects(report: ImportReport, table: Table, path: Path) -> None:
    """Write the rejected rows, with the reason for each bad cell, as CSV to fix and re-import."""
    header = list(table.header)
    table_rows = {row.number: row for row in table.rows}
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["row", "column", "value", "reason", *header])
        for error in report.rejected:
            original = table_rows.get(error.row)
            cells = [original.values.get(h, "") for h in header] if original else []
            writer.writerow([error.row, error.column, error.value, error.reason, *cells])


def choose_mapping(kind: str | None, mapping: str | None, table: Table) -> Mapping:
    """The mapping named (a shipped name, a file, or `auto` to recognise the header), or
    execrank's own column names; without a kind, the mapping says which kind the file holds."""
    if mapping == AUTO:
        return detect(table.header, kind, table.path.name)
    if mapping:
        return load_mapping(mapping, kind)
    if kind is None:
        raise InputError(
            f"{table.path}: name what the file holds ({', '.join(KINDS)}) or pass --mapping auto"
        )
    return identity_mapping(kind)


def read_records(
    path: Path, kind: str, *, mapping: str | None = AUTO, encoding: str | None = None
) -> tuple[list[dict[str, Any]], list[RowError], Mapping]:
    """Read and validate a file as `kind` rows without storing them (e.g. a reference list for
    enrichment): the good rows' values, the problems, and the mapping used."""
    table = read_table(path, encoding=encoding)
    chosen = choose_mapping(kind, mapping, table)
    columns = resolve(chosen, table.header, path.name)
    results, problems = _validate_rows(chosen, table.rows, columns, path.name)
    return [values for values in results if values is not None], problems, chosen


def import_file(
    store: Store,
    kind: str | None,
    path: Path,
    *,
    ingested_at: datetime,
    mapping: str | None = None,
    encoding: str | None = None,
    delimiter: str | None = None,
    sheet: str | None = None,
    strict: bool = False,
    rejects_dir: Path | None = None,
    progress: Progress | None = None,
) -> ImportReport:
    """Import path as `kind` facts (kind None: the one its mapping names); one transaction;
    idempotent. With `strict`, any bad row keeps the whole file out (`report.refused`), the
    rejects report still written. The rejected rows are always in `report.rejected`; they are
    also written as `<file>.<kind>.rejected.csv` in `rejects_dir` when one is given (the CLI
    gives the store's folder), never in a folder the caller did not name. See ImportReport."""
    with _without_cycle_collection():
        table = read_table(path, encoding=encoding, delimiter=delimiter, sheet=sheet)
        chosen = choose_mapping(kind, mapping, table)
        columns = resolve(chosen, table.header, path.name)
        used = {header for headers in columns.values() for header in headers}
        report = ImportReport(
            str(path),
            chosen.kind,
            table.encoding,
            chosen.name,
            rows_read=len(table.rows),
            ignored_columns=[h for h in table.header if h not in used],
        )
        resolver = Resolver.load(store, chosen.kind)  # ids of records stored, and aliases
        good = _validated(table, chosen, columns, resolver, report, progress)
        good, report.duplicates_in_file, errors = _dedupe(chosen.kind, good, path.name, columns)
        report.rejected.extend(errors)
        with store.transaction():
            _store_rows(store, chosen, columns, good, resolver, report, strict, ingested_at)
    report.rejected.sort(key=lambda e: (e.row, e.column))
    report.rejected_rows = len({e.row for e in report.rejected})
    if report.rejected and rejects_dir is not None:
        report.rejects_path = rejects_dir / f"{path.stem}.{chosen.kind}.rejected.csv"
        write_rejects(report, table, report.rejects_path)
    return report


@contextmanager
def _without_cycle_collection() -> Iterator[None]:
    """Pause Python's cycle collector while an import makes its many small, acyclic objects
    (a dict or tuple per row and cell): otherwise it walks all of them again and again, a third
    of a 100,000-row import's time. Memory is still freed by reference counting."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _validated(
    table: Table,
    chosen: Mapping,
    columns: dict[str, tuple[str, ...]],
    resolver: Resolver,
    report: ImportReport,
    progress: Progress | None,
) -> list[tuple[int, dict[str, Any]]]:
    """The good rows (row number, values with ids resolved and the key filled in); the bad
    ones' problems go to the report."""
    kind, file = chosen.kind, table.path.name
    key = FACT_COLUMNS[kind][0]
    keyed_by_content = bool(NATURAL_KEYS.get(kind))
    good: list[tuple[int, dict[str, Any]]] = []
    plan = _plan(chosen, columns)
    total = len(table.rows)
    for start in range(0, total, VALIDATION_CHUNK_ROWS):
        chunk = table.rows[start : start + VALIDATION_CHUNK_ROWS]
        results, errors = _validate_rows(chosen, chunk, columns, file, plan)
        report.rejected.extend(errors)
        for index, (row, values) in enumerate(zip(chunk, results, strict=True), start=start + 1):
            if values is not None:
                values = resolver.resolve(values)
                if keyed_by_content and values.get(key) is None:
                    values[key] = _natural_id(kind, values)
                values["source_file"] = file
                good.append((row.number, values))
            if progress:
                progress(index, total)
    return good


def _store_rows(
    store: Store,
    chosen: Mapping,
    columns: dict[str, tuple[str, ...]],
    good: list[tuple[int, dict[str, Any]]],
    resolver: Resolver,
    report: ImportReport,
    strict: bool,
    ingested_at: datetime,
) -> None:
    """Check references and upsert the good rows (none with `strict` and any problem); call
    inside the import's transaction."""
    kind, file = chosen.kind, Path(report.file).name
    errors = _unknown_references(kind, store, good, file, columns)
    report.rejected.extend(errors)
    bad_rows = {e.row for e in errors}
    report.refused = strict and bool(report.rejected)
    if report.refused:
        return
    stored = FACT_COLUMNS[kind]
    report.counts = store.upsert(
        kind,
        [tuple(v[c] for c in stored) for n, v in good if n not in bad_rows],
        ingested_at,
        supplied=_supplied(kind, [*columns, *chosen.constants]),
    )
    report.resolved = resolver.save(store, ingested_at)
    if kind == "contacts":
        refresh_titles(store)


def validate_record(
    store: Store, kind: str, fields: dict[str, Any], source: str
) -> tuple[dict[str, Any] | None, list[RowError]]:
    """Check one row given as field -> value (an event or signal posted to the service) as
    an import checks a file's row: the same parsing, required fields and references. Returns
    the values to store (key filled in, `source_file` = source) or the problems, each naming
    its field; `source` stands for the file in them."""
    mapping = identity_mapping(kind)
    unknown = sorted(set(fields) - {spec.name for spec in KINDS[kind]})
    row = Row(1, {name: "" if value is None else str(value) for name, value in fields.items()})
    results, errors = _validate_rows(
        mapping, [row], {f.name: (f.name,) for f in KINDS[kind]}, source
    )
    values = results[0]
    errors = [
        *(RowError(source, 1, name, str(fields[name]), f"is no {kind} field") for name in unknown),
        *errors,
    ]
    if values is None or errors:
        return None, errors
    if NATURAL_KEYS.get(kind) and values.get(FACT_COLUMNS[kind][0]) is None:
        values[FACT_COLUMNS[kind][0]] = _natural_id(kind, values)
    values["source_file"] = source
    errors = _unknown_references(kind, store, [(1, values)], source)
    return (None, errors) if errors else (values, [])
