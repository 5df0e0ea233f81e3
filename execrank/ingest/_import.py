"""Import one file of one kind into the store: read, map, validate, upsert, in one transaction.

Good rows are kept and bad rows are reported with file, row, column, value and what was
expected. Re-importing the same file changes nothing: rows are keyed by their id, or by a hash of
their natural key when the file gives no id.
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

from execrank.errors import ValueParseError
from execrank.ingest._derived import refresh_titles
from execrank.ingest._mapping import Mapping, identity_mapping, load_mapping, resolve
from execrank.ingest._readers import Row, Table, read_csv
from execrank.ingest._schema import KINDS, NATURAL_KEYS, REFERENCES, Field
from execrank.ingest._values import clean_text, parse_datetime, parse_int, parse_number
from execrank.store import FACT_COLUMNS, Store, UpsertCounts

Progress = Callable[[int, int], None]
CODE_PATTERN = re.compile(r"^[a-z][a-z0-9_]*$")
FOREIGN_CURRENCY = re.compile(r"[¥￥€£元]|\b(?:RMB|CNY|EUR|GBP|JPY)\b", re.IGNORECASE)
EMAIL_PATTERN = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


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


def _parse_cell(spec: Field, text: str) -> Any:
    parsers: dict[str, Callable[[str], Any]] = {
        "number": parse_number,
        "integer": parse_int,
        "datetime": parse_datetime,
    }
    if spec.type in parsers:
        value = parsers[spec.type](text)
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
    kind: str, row: Row, columns: dict[str, tuple[str, ...]], file: str
) -> tuple[dict[str, Any] | None, list[RowError]]:
    values: dict[str, Any] = {}
    errors = []
    for spec in KINDS[kind]:
        headers = columns.get(spec.name, ())
        header = " + ".join(headers)
        text = " ".join(t for t in (row.values.get(h, "") for h in headers) if t)
        try:
            values[spec.name] = _parse_cell(spec, text)
        except ValueParseError as error:
            errors.append(
                RowError(file, row.number, header or spec.name, text, f"is not {error.expected}")
            )
            continue
        if spec.required and values[spec.name] is None:
            errors.append(
                RowError(
                    file,
                    row.number,
                    header or spec.name,
                    text,
                    f"is empty; {spec.name} is required",
                )
            )
    errors.extend(_whole_row_problems(kind, values, row, file))
    return (None if errors else values), errors


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


def _dedupe(
    kind: str, rows: list[tuple[int, dict[str, Any]]], file: str
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
                    key,
                    str(values[key]),
                    f"repeats the {key} of row {seen[0]} with other values",
                )
            )
    return list(first.values()), repeats, errors


def _unknown_references(
    kind: str, store: Store, rows: list[tuple[int, dict[str, Any]]], file: str
) -> list[RowError]:
    errors: list[RowError] = []
    for name, table in REFERENCES.get(kind, {}).items():
        wanted = sorted({v[name] for _, v in rows if v.get(name) is not None})
        known = store.existing_ids(table, wanted)
        errors.extend(
            RowError(
                file,
                number,
                name,
                values[name],
                f"names no record in {table}; import {table} first",
            )
            for number, values in rows
            if values.get(name) is not None and values[name] not in known
        )
    return errors


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


def import_file(
    store: Store,
    kind: str,
    path: Path,
    *,
    ingested_at: datetime,
    mapping: str | None = None,
    encoding: str | None = None,
    rejects_dir: Path | None = None,
    progress: Progress | None = None,
) -> ImportReport:
    """Import path as `kind` facts; one transaction; idempotent. See ImportReport."""
    table = read_csv(path, encoding)
    chosen: Mapping = load_mapping(mapping, kind) if mapping else identity_mapping(kind)
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
    for index, row in enumerate(table.rows, start=1):
        values, errors = _validate_row(kind, row, columns, path.name)
        report.rejected.extend(errors)
        if values is not None:
            if NATURAL_KEYS.get(kind) and values[FACT_COLUMNS[kind][0]] is None:
                values[FACT_COLUMNS[kind][0]] = _natural_id(kind, values)
            values["source_file"] = path.name
            good.append((row.number, values))
        if progress:
            progress(index, len(table.rows))
    good, report.duplicates_in_file, errors = _dedupe(kind, good, path.name)
    report.rejected.extend(errors)
    with store.transaction():
        errors = _unknown_references(kind, store, good, path.name)
        report.rejected.extend(errors)
        bad_rows = {e.row for e in errors}
        keep = [v for n, v in good if n not in bad_rows]
        report.counts = store.upsert(
            kind,
            [tuple(v[c] for c in FACT_COLUMNS[kind]) for v in keep],
            ingested_at,
            supplied=list(columns),
        )
        if kind == "contacts":
            refresh_titles(store)
    report.rejected.sort(key=lambda e: (e.row, e.column))
    report.rejected_rows = len({e.row for e in report.rejected})
    if report.rejected:
        report.rejects_path = (rejects_dir or Path.cwd()) / f"{path.stem}.{kind}.rejected.csv"
        write_rejects(report, table, report.rejects_path)
    return report
