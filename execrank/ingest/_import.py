"""Import one file of one kind into the store: stage, map, validate, resolve, upsert, in one
transaction, with set-based SQL over the staged rows (see _staging and _validate).

Good rows are kept and bad rows are reported with file, row, column, value and what was
expected; with `strict`, one bad row keeps the whole file out. Re-importing the same file changes
nothing: rows are keyed by their id, or by a hash of their natural key when the file gives no id.
A crash (even kill -9) before the commit leaves the store as it was: DuckDB discards an
uncommitted transaction, including data it had already written to the file.
"""

from __future__ import annotations

import csv
import hashlib
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from execrank.countries import is_country_code
from execrank.errors import InputError
from execrank.identity import (
    OWN_KEYS,
    Alias,
    canonical_ids,
    merge_into_records,
    resolve_new_ids,
    save_aliases,
    translated_ids,
)
from execrank.ingest._derived import refresh_titles
from execrank.ingest._mapping import AUTO, Mapping, detect, identity_mapping, load_mapping, resolve
from execrank.ingest._readers import UNSAVED_FORMULA
from execrank.ingest._schema import KINDS, NATURAL_KEYS, REFERENCES
from execrank.ingest._staging import STAGED, Staged, sql_literal, stage
from execrank.ingest._validate import (
    KEPT_TEXT,
    VALUES,
    Cell,
    Progress,
    cell_problems,
    column_label,
    plan,
    signal_problems,
    signal_row_problems,
    validate,
)
from execrank.model import ScoringModel
from execrank.output import csv_row
from execrank.store import FACT_COLUMNS, Store, UpsertCounts

GOOD = "import_good"
"""The temporary table of the rows that passed validation: `row`, the stored columns (ids
resolved, key filled in) and, for contacts and companies, `incoming_id` (the id as the file
gave it)."""
UNIQUE = "import_unique"
"""GOOD without repeats of a key: the first row of each key."""
TEMPORARY = (STAGED, VALUES, GOOD, UNIQUE, "import_chunk", "import_rejected", "import_merged")
KIND_COLUMNS = {"events": ("event_type", "event types"), "relationships": ("kind", "kinds")}
"""The column of a fact table the model scores by, and what its values are called."""
IDS_NAMED = 5
"""How many unknown ids (or rows) a warning names; the count says how many there are."""
REJECTS_OWNER = "rejects report:"
"""The meta key, before a report's path, whose value is the input file the report describes."""
REJECTS_ENCODING = "utf-8-sig"
"""The rejected-rows report's: with a byte-order mark, as the exports, so Excel reads Chinese."""


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
    stale_rejects_removed: Path | None = None  # an earlier import's report of the same file
    ignored_columns: list[str] = field(default_factory=list)
    refused: bool = False  # --strict and some row was bad: nothing was stored
    resolved: int = 0  # rows that were a stored record under another id (see identity)
    warnings: list[str] = field(default_factory=list)  # stored rows the user should look at


def _natural_id(kind: str, values: dict[str, Any]) -> str:
    """The key of a row whose file gives no id: a hash of its natural key (NATURAL_KEYS)."""
    parts = [str(values.get(name) or "") for name in NATURAL_KEYS[kind]]
    if kind == "signals" and values.get("url"):
        parts = [
            str(values.get("contact_id") or ""),
            str(values.get("company_id") or ""),
            str(values["url"]),
        ]
    return kind[:3] + "-" + hashlib.sha1("\x1f".join(parts).encode()).hexdigest()[:16]


def _text_of(name: str) -> str:
    """SQL giving what str() gives for a stored value of the column, '' for NULL."""
    if name == "occurred_at":  # str(datetime): 2025-03-01 10:00:00[.123456]
        return (
            f"coalesce(lpad(year({name})::VARCHAR, 4, '0') || strftime({name}, '-%m-%d %H:%M:%S')"
            f" || CASE WHEN strftime({name}, '%f') <> '000000' THEN '.' || strftime({name}, '%f')"
            " ELSE '' END, '')"
        )
    return f"coalesce({name}, '')"


def natural_id_sql(kind: str) -> str:
    """SQL computing `_natural_id` of a row of `kind` (a test holds the two together)."""

    def hashed(names: Sequence[str]) -> str:
        joined = " || chr(31) || ".join(_text_of(name) for name in names)
        return f"'{kind[:3]}-' || left(sha1({joined}), 16)"

    if kind == "signals":
        by_url = hashed(("contact_id", "company_id", "url"))
        return (
            f"CASE WHEN coalesce(url, '') <> '' THEN {by_url} ELSE {hashed(NATURAL_KEYS[kind])} END"
        )
    return hashed(NATURAL_KEYS[kind])


def _supplied(kind: str, fields: list[str]) -> list[str]:
    """The stored columns a file with these fields sets: the fields and their kept text."""
    kept = [KEPT_TEXT[f] for f in fields if KEPT_TEXT.get(f) in FACT_COLUMNS[kind]]
    return [*fields, *kept]


def _problems(store: Store, staged: Staged, kind: str, cells: Sequence[Cell]) -> list[RowError]:
    """Every bad cell and unreadable row of the staged file, and every row-level problem. A
    cell holding a formula with no saved value is reported as that, not as the blank it was
    staged as (e.g. "is empty; contact_id is required")."""
    read = {header for cell in cells for header in cell.headers}
    unsaved = [
        (row, name, formula) for row, name, formula in staged.unsaved_formulas if name in read
    ]
    unknown = {(row, name) for row, name, _ in unsaved}
    headers = {cell.column: cell.headers for cell in cells}
    found = [
        (row, column, text, reason)
        for row, column, text, reason in cell_problems(store, staged, cells)
        if not any((row, header) in unknown for header in headers.get(column, ()))
    ]
    if kind == "signals":
        found += signal_problems(store)
    found += [
        (row, name, text, "is an extra cell beyond the header's columns")
        for row, name, text in staged.extra_cells
    ]
    found += [(row, name, formula, UNSAVED_FORMULA) for row, name, formula in unsaved]
    file = staged.path.name
    return [RowError(file, row, column, text, reason) for row, column, text, reason in found]


def _keep_good(store: Store, kind: str, cells: Sequence[Cell], bad: set[int]) -> None:
    """Create GOOD: the validated rows without a problem, ids translated from their aliases."""
    store.load_columns("import_rejected", {"row": sorted(bad)}, {"row": "BIGINT"})
    fields = [cell.spec.name for cell in cells] + [c.kept_text for c in cells if c.kept_text]
    translated, joins = translated_ids(fields)
    selects = ["v.row"] + [
        f"{translated.get(column, f'v.{column}' if column in fields else 'NULL::VARCHAR')} "
        f"AS {column}"
        for column in FACT_COLUMNS[kind]
        if column != "source_file"
    ]
    if kind in OWN_KEYS:
        selects.append(f"v.{OWN_KEYS[kind]} AS incoming_id")
    store.execute(
        f"CREATE OR REPLACE TEMP TABLE {GOOD} AS SELECT {', '.join(selects)} FROM {VALUES} v "
        f"{' '.join(joins)} ANTI JOIN import_rejected r ON r.row = v.row"
    )


def _resolve_records(store: Store, kind: str) -> list[Alias]:
    """Give GOOD's rows that are stored records under another id that record's id (see
    identity); returns the aliases made."""
    made = resolve_new_ids(store, kind, GOOD)
    key = OWN_KEYS[kind]
    affected = f"SELECT {key} FROM {GOOD} WHERE {key} <> incoming_id"
    columns = store.query(f"SELECT column_name, column_type FROM (DESCRIBE {GOOD})")
    names = [name for name, _ in columns]
    rows = [
        dict(zip(names, row, strict=True))
        for row in store.query(f"SELECT * FROM {GOOD} WHERE {key} IN ({affected}) ORDER BY row")
    ]
    if not rows:
        return made
    incoming = [values.pop("incoming_id") for values in rows]
    merged = merge_into_records(store, kind, rows, incoming)
    for values, own in zip(merged, incoming, strict=True):
        values["incoming_id"] = own
    store.load_columns(
        "import_merged", {n: [values[n] for values in merged] for n in names}, dict(columns)
    )
    store.execute(f"DELETE FROM {GOOD} WHERE row IN (SELECT row FROM import_merged)")
    store.execute(f"INSERT INTO {GOOD} BY NAME SELECT * FROM import_merged")
    return made


def _dedupe(
    store: Store, kind: str, file: str, columns: dict[str, tuple[str, ...]]
) -> tuple[int, list[RowError]]:
    """Create UNIQUE, the first row of each key in GOOD; count exact repeats of a row and
    reject rows that reuse a key with other values."""
    key = FACT_COLUMNS[kind][0]
    if NATURAL_KEYS.get(kind):
        store.execute(f"UPDATE {GOOD} SET {key} = {natural_id_sql(kind)} WHERE {key} IS NULL")
    if store.query(f"SELECT count(*) = count(DISTINCT {key}) FROM {GOOD}")[0][0]:
        store.execute(f"ALTER TABLE {GOOD} RENAME TO {UNIQUE}")  # no key repeats
        return 0, []
    store.execute(
        f"CREATE OR REPLACE TEMP TABLE {UNIQUE} AS SELECT * FROM {GOOD} "
        f"WHERE row IN (SELECT min(row) FROM {GOOD} GROUP BY {key})"
    )
    compared = [c for c in FACT_COLUMNS[kind] if c not in (key, "source_file")]
    same = " AND ".join(f"g.{c} IS NOT DISTINCT FROM u.{c}" for c in compared) or "true"
    later = (
        f"SELECT g.row, u.row AS first_row, g.{key}, {same} AS same "
        f"FROM {GOOD} g JOIN {UNIQUE} u USING ({key}) WHERE g.row <> u.row"
    )
    repeats = store.query(f"SELECT count(*) FROM ({later}) WHERE same")[0][0]
    errors = [
        RowError(
            file,
            row,
            column_label(columns, key),
            str(value),
            f"repeats the {key} of row {first} with other values",
        )
        for row, first, value, _ in store.query(f"SELECT * FROM ({later}) WHERE NOT same")
    ]
    return int(repeats), errors


def _unknown_references(
    store: Store, kind: str, file: str, columns: dict[str, tuple[str, ...]]
) -> list[RowError]:
    """Rows of UNIQUE naming a record (contact, company, opportunity) the store does not hold."""
    errors = []
    for name, table in REFERENCES.get(kind, {}).items():
        key = FACT_COLUMNS[table][0]
        errors += [
            _unknown_reference(file, row, column_label(columns, name), value, table)
            for row, value in store.query(
                f"SELECT u.row, u.{name} FROM {UNIQUE} u ANTI JOIN {table} t ON t.{key} = u.{name}"
                f" WHERE u.{name} IS NOT NULL ORDER BY 1"
            )
        ]
    return errors


def _unknown_reference(file: str, row: int, column: str, value: str, table: str) -> RowError:
    return RowError(file, row, column, value, f"names no record in {table}; import {table} first")


def write_rejects(report: ImportReport, store: Store, staged: Staged, path: Path) -> None:
    """Write the rejected rows, with the reason for each bad cell, as CSV to fix and re-import:
    UTF-8 with a byte-order mark (so Excel reads Chinese text) and every cell through the formula
    guard, as the exports are."""
    cells = ", ".join(staged.column(header) for header in staged.header)
    originals = {
        row[0]: list(row[1:])
        for row in store.query(
            f"SELECT row, {cells} FROM {STAGED} WHERE row IN (SELECT unnest(?::BIGINT[]))",
            [sorted({e.row for e in report.rejected})],
        )
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding=REJECTS_ENCODING, newline="") as out:
        writer = csv.writer(out)
        writer.writerow(csv_row(["row", "column", "value", "reason", *staged.header]))
        for error in report.rejected:
            original = originals.get(error.row, [])
            writer.writerow(
                csv_row([error.row, error.column, error.value, error.reason, *original])
            )


def choose_mapping(
    kind: str | None, mapping: str | None, header: tuple[str, ...], path: Path
) -> Mapping:
    """The mapping named (a shipped name, a file, or `auto` to recognise the header), or
    execrank's own column names; without a kind, the mapping says which kind the file holds."""
    if mapping == AUTO:
        return detect(header, kind, path.name)
    if mapping:
        return load_mapping(mapping, kind)
    if kind is None:
        raise InputError(
            f"{path}: name what the file holds ({', '.join(KINDS)}) or pass --mapping auto"
        )
    return identity_mapping(kind)


@contextmanager
def _temporary_tables(store: Store) -> Iterator[None]:
    """Drop the import's temporary tables when it is done, whatever happened."""
    try:
        yield
    finally:
        for name in TEMPORARY:
            store.execute(f"DROP TABLE IF EXISTS {name}")


@dataclass
class _Prepared:
    """A staged file validated into UNIQUE: what the import stores, and what it found."""

    errors: list[RowError]
    repeats: int
    aliases: list[Alias]


def _prepare(
    store: Store,
    staged: Staged,
    chosen: Mapping,
    columns: dict[str, tuple[str, ...]],
    progress: Progress | None = None,
) -> _Prepared:
    """Validate the staged rows, resolve their ids, fill in keys and drop repeats: UNIQUE."""
    kind, file = chosen.kind, staged.path.name
    cells = plan(chosen, columns)
    validate(store, staged, cells, progress)
    errors = _problems(store, staged, kind, cells)
    _keep_good(store, kind, cells, {e.row for e in errors})
    aliases = _resolve_records(store, kind) if kind in OWN_KEYS else []
    repeats, conflicts = _dedupe(store, kind, file, columns)
    return _Prepared(errors + conflicts, repeats, aliases)


def read_records(
    path: Path, kind: str, *, mapping: str | None = AUTO, encoding: str | None = None
) -> tuple[list[dict[str, Any]], list[RowError], Mapping]:
    """Read and validate a file as `kind` rows without storing them (e.g. a reference list for
    enrichment): the good rows' values, the problems, and the mapping used."""
    with Store.open(":memory:") as scratch:
        staged = stage(scratch, path, encoding=encoding)
        chosen = choose_mapping(kind, mapping, staged.header, path)
        columns = resolve(chosen, staged.header, path.name)
        cells = plan(chosen, columns)
        validate(scratch, staged, cells)
        problems = _problems(scratch, staged, kind, cells)
        _keep_good(scratch, kind, cells, {e.row for e in problems})
        fields = [c.spec.name for c in cells] + [c.kept_text for c in cells if c.kept_text]
        rows = scratch.query(f"SELECT {', '.join(fields)} FROM {GOOD} ORDER BY row")
    return [dict(zip(fields, row, strict=True)) for row in rows], problems, chosen


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
    clear_blanks: bool = False,
    model: ScoringModel | None = None,
    rejects_dir: Path | None = None,
    progress: Progress | None = None,
) -> ImportReport:
    """Import path as `kind` facts (kind None: the one its mapping names); one transaction;
    idempotent. A blank cell leaves a stored record's value alone; with `clear_blanks` it
    clears it (`report.counts.cleared` says how many values). With `strict`, any bad row keeps
    the whole file out (`report.refused`), the rejects report still written. The rejected rows
    are always in `report.rejected`; they are also written as `<file name>.<kind>.rejected.csv`
    (e.g. `ev.jsonl.events.rejected.csv`) in `rejects_dir` when one is given (the CLI gives the
    store's folder), never in a folder the caller did not name; an import without rejected rows
    removes that file if an earlier import left it (`report.stale_rejects_removed`).
    `progress` hears (rows validated, rows) as validation goes.
    `report.warnings` names stored rows that are kept but may not be what the user meant:
    event types or relationship kinds `model` (the CLI gives the active one) does not score,
    referrer standings it does not list, contacts naming a company_id no stored company has.
    See ImportReport."""
    with _temporary_tables(store):
        staged = stage(store, path, encoding=encoding, delimiter=delimiter, sheet=sheet)
        chosen = choose_mapping(kind, mapping, staged.header, path)
        columns = resolve(chosen, staged.header, path.name)
        used = {header for headers in columns.values() for header in headers}
        report = ImportReport(
            str(path),
            chosen.kind,
            staged.encoding,
            chosen.name,
            rows_read=staged.rows,
            ignored_columns=[h for h in staged.header if h not in used],
        )
        prepared = _prepare(store, staged, chosen, columns, progress)
        report.rejected.extend(prepared.errors)
        report.duplicates_in_file = prepared.repeats
        with store.transaction():
            _store_rows(
                store,
                chosen,
                columns,
                report,
                prepared,
                ingested_at,
                strict=strict,
                clear_blanks=clear_blanks,
            )
            if not report.refused:
                report.warnings = _warnings(store, chosen.kind, model, columns)
        report.rejected.sort(key=lambda e: (e.row, e.column))
        report.rejected_rows = len({e.row for e in report.rejected})
        if rejects_dir is not None:
            # the input's full name, so that ev.jsonl's and ev.parquet's reports both stay
            name = f"{path.name}.{chosen.kind}.rejected.csv"
            _report_rejects(report, store, staged, path, rejects_dir / name)
    return report


def _report_rejects(
    report: ImportReport, store: Store, staged: Staged, source: Path, path: Path
) -> None:
    """Write the rejected rows to path, or, when there are none, remove the report an earlier
    import of the same file (source) left there: it would describe rows this import no longer
    has. The store remembers which file each report describes, so that a clean import of
    another folder's file of the same name leaves that file's report alone."""
    owner = f"{REJECTS_OWNER}{path.resolve()}"
    if report.rejected:
        report.rejects_path = path
        write_rejects(report, store, staged, path)
        store.set_setting(owner, str(source.resolve()))
    elif path.is_file() and store.setting(owner) == str(source.resolve()):
        path.unlink()
        store.delete_setting(owner)
        report.stale_rejects_removed = path


def _store_rows(
    store: Store,
    chosen: Mapping,
    columns: dict[str, tuple[str, ...]],
    report: ImportReport,
    prepared: _Prepared,
    ingested_at: datetime,
    *,
    strict: bool,
    clear_blanks: bool,
) -> None:
    """Check references and upsert UNIQUE (nothing with `strict` and any problem; blanks clear
    stored values with `clear_blanks`). Call inside the import's transaction."""
    kind, file = chosen.kind, Path(report.file).name
    errors = _unknown_references(store, kind, file, columns)
    report.rejected.extend(errors)
    report.refused = strict and bool(report.rejected)
    if report.refused:
        return
    if errors:
        store.execute(
            f"DELETE FROM {UNIQUE} WHERE row IN (SELECT unnest(?::BIGINT[]))",
            [sorted({e.row for e in errors})],
        )
    stored = ", ".join(c for c in FACT_COLUMNS[kind] if c != "source_file")
    report.counts = store.upsert_from(
        kind,
        f"(SELECT {stored}, {sql_literal(file)} AS source_file FROM {UNIQUE})",
        ingested_at,
        supplied=_supplied(kind, [*columns, *chosen.constants]),
        clear_blanks=clear_blanks,
    )
    report.resolved = save_aliases(store, prepared.aliases, ingested_at, file=file)
    if kind == "contacts":
        refresh_titles(store)


ValueCounts = Callable[[str], list[tuple[Any, int]]]
"""Each value a column of the rows in question holds (none for NULL), with how many rows hold
it, most rows first."""


def _unique_counts(store: Store) -> ValueCounts:
    """The value counts of UNIQUE's rows (the ones an import stores)."""

    def counts(column: str) -> list[tuple[Any, int]]:
        return store.query(
            f"SELECT {column}, count(*) FROM {UNIQUE} WHERE {column} IS NOT NULL "
            "GROUP BY 1 ORDER BY 2 DESC, 1"
        )

    return counts


def _unknown_values(counted: list[tuple[Any, int]], known: set[str]) -> tuple[int, str]:
    """How many rows have a value not in known, and those values with their counts
    ("gold (2), churned (1)"); (0, "") when there are none."""
    unknown = [(name, n) for name, n in counted if name not in known]
    return sum(n for _, n in unknown), ", ".join(f"{name} ({n})" for name, n in unknown)


def _model_warnings(kind: str, model: ScoringModel, counts: ValueCounts) -> list[str]:
    """Sentences about rows of `kind` the model reads other than the user may have meant: kinds
    it does not score, referrer standings it does not list."""
    found = []
    if kind in KIND_COLUMNS:
        column, called = KIND_COLUMNS[kind]
        known = model.scored_kinds()[kind]
        rows, named = _unknown_values(counts(column), known)
        if rows:
            found.append(
                f"{rows} {kind} rows have {called} the model {model.name!r} does not score, so "
                f"they earn no points: {named}; it scores {', '.join(sorted(known))}"
            )
    if kind == "relationships":
        standings = model.network.known_standings()
        rows, named = _unknown_values(counts("referrer_standing"), standings)
        if rows:
            found.append(
                f"{rows} relationships rows have a referrer_standing the model {model.name!r} "
                f"does not list, so they count as unknown_standing "
                f"(×{model.network.unknown_standing}): {named}; it lists "
                f"{', '.join(sorted(standings)) or 'none'}"
            )
    return found


def record_warnings(kind: str, model: ScoringModel, values: dict[str, Any]) -> list[str]:
    """What an import of a file holding only this row (values as `validate_record` gives them)
    warns about the model: a kind it does not score, a referrer standing it does not list."""
    return _model_warnings(
        kind, model, lambda column: [] if values.get(column) is None else [(values[column], 1)]
    )


def _warnings(
    store: Store, kind: str, model: ScoringModel | None, columns: dict[str, tuple[str, ...]]
) -> list[str]:
    """Sentences about UNIQUE's rows (the ones stored): kinds the model does not score,
    standings it does not list, contacts naming a company the store does not hold, and
    countries execrank does not know."""
    found = _model_warnings(kind, model, _unique_counts(store)) if model is not None else []
    if kind == "contacts":
        missing = store.query(
            f"SELECT company_id, count(*) FROM {UNIQUE} u ANTI JOIN companies c USING (company_id)"
            " WHERE company_id IS NOT NULL GROUP BY 1 ORDER BY 1"
        )
        if missing:
            ids = _first_few([str(company) for company, _ in missing])
            found.append(
                f"{sum(n for _, n in missing)} contacts name a company_id no stored company "
                f"has: {ids}; import those companies, or these contacts have no company data"
            )
    if kind == "companies":
        found += _unknown_countries(store, column_label(columns, "country"))
    return found


def _first_few(names: Sequence[str]) -> str:
    """The first IDS_NAMED names, and how many more there are."""
    more = f" and {len(names) - IDS_NAMED} more" if len(names) > IDS_NAMED else ""
    return ", ".join(names[:IDS_NAMED]) + more


def _unknown_countries(store: Store, column: str) -> list[str]:
    """A sentence per distinct country of UNIQUE that is no ISO code and that the file gave
    (VALUES; not one a row kept from the stored record it was matched to): its text names no
    country execrank knows (see execrank.countries), so it was kept as typed."""
    return [
        f"column {column!r}: {text!r} names no country execrank knows, so it is stored as typed "
        f"and meets no region criterion (models name countries by ISO code, e.g. US, CN); "
        f"{'row' if len(rows) == 1 else 'rows'} {_first_few([str(row) for row in rows])}"
        for text, rows in store.query(
            f"SELECT u.country, list(row ORDER BY row) FROM {UNIQUE} u JOIN {VALUES} v "
            "USING (row) WHERE u.country = v.country GROUP BY 1 ORDER BY 1"
        )
        if not is_country_code(text)
    ]


def validate_record(
    store: Store, kind: str, fields: dict[str, Any], source: str
) -> tuple[dict[str, Any] | None, list[RowError]]:
    """Check one row given as field -> value (an event or signal posted to the service) as
    an import checks a file's row: the same parsers, required fields and references, in
    Python (a few milliseconds, where staging one row in SQL takes tens). Returns the values
    to store (key filled in, `source_file` = source) or the problems, each naming its field;
    `source` stands for the file in them."""
    names = {spec.name for spec in KINDS[kind]}
    errors = [
        RowError(source, 1, name, str(fields[name]), f"is no {kind} field")
        for name in sorted(set(fields) - names)
    ]
    values: dict[str, Any] = {}
    for cell in plan(identity_mapping(kind), {name: (name,) for name in names}):
        text = "" if fields.get(cell.spec.name) is None else str(fields[cell.spec.name])
        if cell.kept_text:
            values[cell.kept_text] = text or None
        values[cell.spec.name], problem = cell.problem(text)
        if problem is not None:
            errors.append(RowError(source, 1, cell.column, text, problem))
    if kind == "signals":
        found = signal_row_problems(
            *(values[n] for n in ("contact_id", "company_id", "text", "title"))
        )
        errors += [RowError(source, 1, *problem) for problem in found]
    if errors:
        return None, errors
    values = canonical_ids(store, values)  # a merged record's id names the record it joined
    key = FACT_COLUMNS[kind][0]
    if NATURAL_KEYS.get(kind) and values.get(key) is None:
        values[key] = _natural_id(kind, values)
    errors = [
        _unknown_reference(source, 1, name, values[name], table)
        for name, table in REFERENCES.get(kind, {}).items()
        if values[name] is not None and not store.existing_ids(table, [values[name]])
    ]
    return (None, errors) if errors else ({**values, "source_file": source}, [])
