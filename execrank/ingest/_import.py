"""Import one file of one kind into the store: read, map, validate, upsert, in one transaction.

Good rows are kept and bad rows are reported with file, row, column, value and what was
expected; with `strict`, one bad row keeps the whole file out. Re-importing the same file changes
nothing: rows are keyed by their id, or by a hash of their natural key when the file gives no id.
A crash (even kill -9) before the commit leaves the store as it was: DuckDB discards an
uncommitted transaction, including data it had already written to the file.
"""

from __future__ import annotations

import csv
import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from execrank.errors import InputError, ValueParseError
from execrank.identity import Resolver
from execrank.ingest._derived import refresh_titles
from execrank.ingest._formats import read_table
from execrank.ingest._mapping import AUTO, Mapping, detect, identity_mapping, load_mapping, resolve
from execrank.ingest._readers import Row, Table
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


@dataclass(frozen=True)
class _Cell:
    """How one field of a row is read under a mapping, worked out once per file."""

    spec: Field
    headers: tuple[str, ...]  # the file's columns joined into it
    column: str  # how errors name them
    constant: str  # the value when the file gives none
    kept_text: str | None  # the stored column that keeps the cell as typed
    scale: float | None


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


def _validate_row(
    mapping: Mapping,
    row: Row,
    columns: dict[str, tuple[str, ...]],
    file: str,
    plan: list[_Cell] | None = None,
) -> tuple[dict[str, Any] | None, list[RowError]]:
    """A row's values by field, or the problems with it; `plan` (from `_plan`) saves working
    out the mapping again for every row of a file."""
    if row.problem is not None:
        return None, [RowError(file, row.number, WHOLE_ROW, "", row.problem)]
    values: dict[str, Any] = {}
    errors = []
    cells = row.values
    for cell in plan or _plan(mapping, columns):
        spec = cell.spec
        if len(cell.headers) == 1:
            text = cells.get(cell.headers[0], "")
        else:
            text = " ".join(t for t in (cells.get(h, "") for h in cell.headers) if t)
        text = text or cell.constant
        if cell.kept_text:
            values[cell.kept_text] = text or None
        try:
            values[spec.name] = _scaled(_parse_cell(spec, text), cell.scale)
        except ValueParseError as error:
            errors.append(RowError(file, row.number, cell.column, text, f"is not {error.expected}"))
            continue
        if spec.required and values[spec.name] is None:
            reason = f"is empty; {spec.name} is required"
            errors.append(RowError(file, row.number, cell.column, text, reason))
    errors.extend(_whole_row_problems(mapping.kind, values, row, file))
    return (None if errors else values), errors


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
        if name.startswith("(extra") and text
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
    records, problems = [], []
    for row in table.rows:
        values, errors = _validate_row(chosen, row, columns, path.name)
        problems.extend(errors)
        if values is not None:
            records.append(values)
    return records, problems, chosen


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
    rejects report still written. See ImportReport."""
    table = read_table(path, encoding=encoding, delimiter=delimiter, sheet=sheet)
    chosen = choose_mapping(kind, mapping, table)
    kind = chosen.kind
    columns = resolve(chosen, table.header, path.name)
    used = {header for headers in columns.values() for header in headers}
    report = ImportReport(
        str(path),
        kind,
        table.encoding,
        chosen.name,
        rows_read=len(table.rows),
        ignored_columns=[h for h in table.header if h not in used],
    )
    good: list[tuple[int, dict[str, Any]]] = []
    resolver = Resolver.load(store, kind)  # ids of records already stored, and aliases
    plan = _plan(chosen, columns)
    for index, row in enumerate(table.rows, start=1):
        values, errors = _validate_row(chosen, row, columns, path.name, plan)
        report.rejected.extend(errors)
        if values is not None:
            values = resolver.resolve(values)
            if NATURAL_KEYS.get(kind) and values.get(FACT_COLUMNS[kind][0]) is None:
                values[FACT_COLUMNS[kind][0]] = _natural_id(kind, values)
            values["source_file"] = path.name
            good.append((row.number, values))
        if progress:
            progress(index, len(table.rows))
    good, report.duplicates_in_file, errors = _dedupe(kind, good, path.name, columns)
    report.rejected.extend(errors)
    with store.transaction():
        errors = _unknown_references(kind, store, good, path.name, columns)
        report.rejected.extend(errors)
        bad_rows = {e.row for e in errors}
        keep = [v for n, v in good if n not in bad_rows]
        report.refused = strict and bool(report.rejected)
        if not report.refused:
            report.counts = store.upsert(
                kind,
                [tuple(v[c] for c in FACT_COLUMNS[kind]) for v in keep],
                ingested_at,
                supplied=_supplied(kind, [*columns, *chosen.constants]),
            )
            report.resolved = resolver.save(store, ingested_at)
        if kind == "contacts" and not report.refused:
            refresh_titles(store)
    report.rejected.sort(key=lambda e: (e.row, e.column))
    report.rejected_rows = len({e.row for e in report.rejected})
    if report.rejected:
        report.rejects_path = (rejects_dir or Path.cwd()) / f"{path.stem}.{kind}.rejected.csv"
        write_rejects(report, table, report.rejects_path)
    return report


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
    values, errors = _validate_row(mapping, row, {f.name: (f.name,) for f in KINDS[kind]}, source)
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
