"""The store: one DuckDB file holding facts, derived tables, models and score snapshots.

This module owns every statement of the storage kind (schema, upserts, reads); the scoring
module owns the scoring query text, which the service runs through `Store.query`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import duckdb

from execrank.errors import ExecrankError, InputError, StoreError

SCHEMA_VERSION = "1"
_LOCK_HELD = re.compile(r"Could not set lock on file .*\(PID (?P<pid>\d+)\)")
"""DuckDB's words when another process has the file open (one process may write it)."""

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key VARCHAR PRIMARY KEY, value VARCHAR);
CREATE TABLE IF NOT EXISTS companies (
    company_id VARCHAR PRIMARY KEY, name VARCHAR, domain VARCHAR, revenue_usd DOUBLE,
    employees BIGINT, industry VARCHAR, region VARCHAR, country VARCHAR,
    source_file VARCHAR, ingested_at TIMESTAMP NOT NULL);
CREATE TABLE IF NOT EXISTS contacts (
    contact_id VARCHAR PRIMARY KEY, name VARCHAR, email VARCHAR, title VARCHAR,
    company_id VARCHAR, owner VARCHAR, source_file VARCHAR, ingested_at TIMESTAMP NOT NULL);
CREATE TABLE IF NOT EXISTS titles (
    title VARCHAR PRIMARY KEY, seniority VARCHAR NOT NULL, function VARCHAR NOT NULL,
    flags VARCHAR[] NOT NULL, confidence DOUBLE NOT NULL, classifier_version VARCHAR NOT NULL);
CREATE TABLE IF NOT EXISTS events (
    event_id VARCHAR PRIMARY KEY, contact_id VARCHAR NOT NULL, event_type VARCHAR NOT NULL,
    asset VARCHAR, occurred_at TIMESTAMP NOT NULL, source VARCHAR, source_file VARCHAR,
    ingested_at TIMESTAMP NOT NULL);
CREATE TABLE IF NOT EXISTS signals (
    signal_id VARCHAR PRIMARY KEY, contact_id VARCHAR, company_id VARCHAR, kind VARCHAR NOT NULL,
    occurred_at TIMESTAMP NOT NULL, url VARCHAR, title VARCHAR, text VARCHAR, source VARCHAR,
    source_file VARCHAR, ingested_at TIMESTAMP NOT NULL);
CREATE TABLE IF NOT EXISTS signal_matches (
    topics_hash VARCHAR NOT NULL, signal_id VARCHAR NOT NULL, topic VARCHAR NOT NULL,
    phrase VARCHAR NOT NULL, snippet VARCHAR NOT NULL, PRIMARY KEY (topics_hash, signal_id, topic));
CREATE TABLE IF NOT EXISTS signal_matching_done (
    topics_hash VARCHAR NOT NULL, signal_id VARCHAR NOT NULL, PRIMARY KEY (topics_hash, signal_id));
CREATE TABLE IF NOT EXISTS signal_duplicates (
    topics_hash VARCHAR NOT NULL, signal_id VARCHAR NOT NULL, duplicate_of VARCHAR NOT NULL,
    similarity DOUBLE NOT NULL, PRIMARY KEY (topics_hash, signal_id));
CREATE TABLE IF NOT EXISTS relationships (
    relationship_id VARCHAR PRIMARY KEY, contact_id VARCHAR NOT NULL, kind VARCHAR NOT NULL,
    occurred_at TIMESTAMP NOT NULL, referrer VARCHAR, note VARCHAR, source VARCHAR,
    source_file VARCHAR, ingested_at TIMESTAMP NOT NULL);
CREATE TABLE IF NOT EXISTS opportunities (
    opportunity_id VARCHAR PRIMARY KEY, company_id VARCHAR, name VARCHAR, stage VARCHAR,
    is_closed BOOLEAN, is_won BOOLEAN, amount DOUBLE, currency VARCHAR, created_at TIMESTAMP,
    closed_at TIMESTAMP, owner VARCHAR, source VARCHAR, source_file VARCHAR,
    ingested_at TIMESTAMP NOT NULL);
CREATE TABLE IF NOT EXISTS opportunity_contacts (
    opportunity_contact_id VARCHAR PRIMARY KEY, opportunity_id VARCHAR NOT NULL,
    contact_id VARCHAR NOT NULL, role VARCHAR, is_primary BOOLEAN, source VARCHAR,
    source_file VARCHAR, ingested_at TIMESTAMP NOT NULL);
CREATE TABLE IF NOT EXISTS models (
    model_hash VARCHAR PRIMARY KEY, name VARCHAR NOT NULL, yaml VARCHAR NOT NULL,
    stored_at TIMESTAMP NOT NULL);
CREATE SEQUENCE IF NOT EXISTS snapshot_ids START 1;
CREATE TABLE IF NOT EXISTS snapshots (
    snapshot_id INTEGER PRIMARY KEY, as_of TIMESTAMP NOT NULL, known_at TIMESTAMP NOT NULL,
    model_hash VARCHAR NOT NULL, contacts INTEGER NOT NULL, duration_ms DOUBLE NOT NULL,
    created_at TIMESTAMP NOT NULL);
CREATE TABLE IF NOT EXISTS scores (
    snapshot_id INTEGER NOT NULL, contact_id VARCHAR NOT NULL, total DOUBLE NOT NULL,
    role DOUBLE NOT NULL, fit DOUBLE NOT NULL, engagement DOUBLE NOT NULL, intent DOUBLE NOT NULL,
    network DOUBLE NOT NULL, heat DOUBLE NOT NULL, profile DOUBLE NOT NULL,
    rank INTEGER NOT NULL, tier VARCHAR NOT NULL, PRIMARY KEY (snapshot_id, contact_id));
CREATE TABLE IF NOT EXISTS aliases (
    kind VARCHAR NOT NULL, alias_id VARCHAR NOT NULL, canonical_id VARCHAR NOT NULL,
    reason VARCHAR NOT NULL, created_at TIMESTAMP NOT NULL, PRIMARY KEY (kind, alias_id));
CREATE SEQUENCE IF NOT EXISTS merge_ids START 1;
CREATE TABLE IF NOT EXISTS merges (
    merge_id INTEGER PRIMARY KEY, kind VARCHAR NOT NULL, kept_id VARCHAR NOT NULL,
    merged_id VARCHAR NOT NULL, reason VARCHAR NOT NULL, score DOUBLE, rows_moved INTEGER NOT NULL,
    rows_dropped INTEGER NOT NULL, detail VARCHAR NOT NULL, actor VARCHAR NOT NULL,
    merged_at TIMESTAMP NOT NULL);
CREATE TABLE IF NOT EXISTS company_matches (
    company_id VARCHAR NOT NULL, reference_file VARCHAR NOT NULL, reference_name VARCHAR,
    method VARCHAR NOT NULL, confidence DOUBLE NOT NULL, fields_filled VARCHAR NOT NULL,
    matched_at TIMESTAMP NOT NULL, PRIMARY KEY (company_id, reference_file));
CREATE TABLE IF NOT EXISTS adjustments (
    adjustment_id VARCHAR PRIMARY KEY, contact_id VARCHAR NOT NULL, dimension VARCHAR NOT NULL,
    points DOUBLE NOT NULL, reason VARCHAR NOT NULL, actor VARCHAR NOT NULL,
    created_at TIMESTAMP NOT NULL, expires_at TIMESTAMP, ingested_at TIMESTAMP NOT NULL);
CREATE TABLE IF NOT EXISTS live_scores (
    snapshot_id INTEGER NOT NULL, contact_id VARCHAR NOT NULL, as_of TIMESTAMP NOT NULL,
    known_at TIMESTAMP NOT NULL, total DOUBLE NOT NULL, role DOUBLE NOT NULL, fit DOUBLE NOT NULL,
    engagement DOUBLE NOT NULL, intent DOUBLE NOT NULL, network DOUBLE NOT NULL,
    heat DOUBLE NOT NULL, profile DOUBLE NOT NULL, tier VARCHAR NOT NULL,
    PRIMARY KEY (snapshot_id, contact_id));
CREATE TABLE IF NOT EXISTS assignments (
    contact_id VARCHAR PRIMARY KEY, tier VARCHAR NOT NULL, rep VARCHAR NOT NULL,
    reason VARCHAR NOT NULL, snapshot_id INTEGER NOT NULL, assigned_at TIMESTAMP NOT NULL);
CREATE TABLE IF NOT EXISTS routing_log (
    contact_id VARCHAR NOT NULL, tier VARCHAR NOT NULL, previous_tier VARCHAR,
    previous_rep VARCHAR, rep VARCHAR, reason VARCHAR NOT NULL, snapshot_id INTEGER NOT NULL,
    routed_at TIMESTAMP NOT NULL);
CREATE TABLE IF NOT EXISTS routing_cursors (tier VARCHAR PRIMARY KEY, next_rep INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS tokens (
    token_hash VARCHAR PRIMARY KEY, role VARCHAR NOT NULL, owner VARCHAR NOT NULL,
    created_at TIMESTAMP NOT NULL);
-- A live update reads one contact's facts by these (execrank.scoring Scope); a full rescore
-- does not use them. Built on first open of a store from before them (~2 min at 1M contacts).
CREATE INDEX IF NOT EXISTS events_by_contact ON events (contact_id);
CREATE INDEX IF NOT EXISTS signals_by_contact ON signals (contact_id);
CREATE INDEX IF NOT EXISTS signals_by_company ON signals (company_id);
CREATE INDEX IF NOT EXISTS relationships_by_contact ON relationships (contact_id);
CREATE INDEX IF NOT EXISTS opportunity_contacts_by_contact ON opportunity_contacts (contact_id);
CREATE INDEX IF NOT EXISTS adjustments_by_contact ON adjustments (contact_id);
"""

# `ranked` looks names up by key for lists up to this long, and joins for longer ones
_LOOKUP_AT_MOST = 1000

# Prepared statements a connection keeps: one per model and number of contacts and companies a
# live update scores (`save_live_scores`), each holding its parsed ~20 KB query.
_PREPARED_AT_MOST = 16

# Columns added after a table was first released, with their types: stores written before get
# them on open (ALTER TABLE ... ADD COLUMN IF NOT EXISTS); new stores get them the same way.
_ADDED_COLUMNS = (
    ("companies", "revenue_text", "VARCHAR"),  # the revenue cell as typed, e.g. "$1.2M"
    ("companies", "employees_text", "VARCHAR"),  # the head count as typed, e.g. "51-200"
    # e.g. active_customer, churned_customer: scales a referral's network points
    ("relationships", "referrer_standing", "VARCHAR"),
    # who asked for a snapshot: an API token's owner, or `schedule`; NULL from the CLI
    ("snapshots", "started_by", "VARCHAR"),
    # the email (case-folded) of a contact merged into another, for `erase --email` to find
    ("aliases", "email", "VARCHAR"),
)

FACT_TABLES = (
    "companies",
    "contacts",
    "events",
    "signals",
    "relationships",
    "opportunities",
    "opportunity_contacts",
)

# The columns a caller writes for each fact table (ingested_at is set by the store).
FACT_COLUMNS: dict[str, tuple[str, ...]] = {
    "companies": (
        "company_id",
        "name",
        "domain",
        "revenue_usd",
        "employees",
        "industry",
        "region",
        "country",
        "revenue_text",
        "employees_text",
        "source_file",
    ),
    "contacts": ("contact_id", "name", "email", "title", "company_id", "owner", "source_file"),
    "events": (
        "event_id",
        "contact_id",
        "event_type",
        "asset",
        "occurred_at",
        "source",
        "source_file",
    ),
    "signals": (
        "signal_id",
        "contact_id",
        "company_id",
        "kind",
        "occurred_at",
        "url",
        "title",
        "text",
        "source",
        "source_file",
    ),
    "relationships": (
        "relationship_id",
        "contact_id",
        "kind",
        "occurred_at",
        "referrer",
        "note",
        "source",
        "referrer_standing",
        "source_file",
    ),
    "opportunities": (
        "opportunity_id",
        "company_id",
        "name",
        "stage",
        "is_closed",
        "is_won",
        "amount",
        "currency",
        "created_at",
        "closed_at",
        "owner",
        "source",
        "source_file",
    ),
    # keyed by a hash of (opportunity_id, contact_id, role), see ingest NATURAL_KEYS
    "opportunity_contacts": (
        "opportunity_contact_id",
        "opportunity_id",
        "contact_id",
        "role",
        "is_primary",
        "source",
        "source_file",
    ),
}

# Columns compared to decide whether a re-imported row changes anything (provenance excluded).
_COMPARED = {
    table: tuple(c for c in cols[1:] if c != "source_file") for table, cols in FACT_COLUMNS.items()
}
# A row of these tables names exactly one of these columns (validated), so the row's columns
# replace the stored ones together, blanks included: a signal moved from a company to a
# contact must not keep its company as well.
_ONE_OF = {"signals": ("contact_id", "company_id")}

# DuckDB list types used to pass a column of Python values in one parameter.
_LIST_TYPES = {
    "revenue_usd": "DOUBLE[]",
    "employees": "BIGINT[]",
    "occurred_at": "TIMESTAMP[]",
    "similarity": "DOUBLE[]",
    "amount": "DOUBLE[]",
    "created_at": "TIMESTAMP[]",
    "closed_at": "TIMESTAMP[]",
    "is_closed": "BOOLEAN[]",
    "is_won": "BOOLEAN[]",
    "is_primary": "BOOLEAN[]",
}

# A snapshot's score columns in table order, and the run columns beside them in a scores folder
# written by another engine (`execrank spark-score`), with their DuckDB types.
SCORE_COLUMNS = (
    "contact_id",
    "total",
    "role",
    "fit",
    "engagement",
    "intent",
    "network",
    "heat",
    "profile",
    "rank",
    "tier",
)
RUN_COLUMNS = ("as_of", "known_at", "model_hash")
_EXCHANGED_TYPES = {
    "contact_id": {"VARCHAR"},
    **{c: {"DOUBLE"} for c in SCORE_COLUMNS[1:9]},
    "rank": {"INTEGER", "BIGINT"},
    "tier": {"VARCHAR"},
    "as_of": {"TIMESTAMP"},
    "known_at": {"TIMESTAMP"},
    "model_hash": {"VARCHAR"},
}


def _quoted(path: Path | str) -> str:
    return "'" + str(path).replace("'", "''") + "'"


@dataclass(frozen=True)
class UpsertCounts:
    """What an upsert did: rows new to the store, rows whose values changed, rows already equal,
    and (when blanks clear) the stored values a blank cleared."""

    inserted: int
    updated: int
    unchanged: int
    cleared: int = 0


def _open_failure(where: str, error: duckdb.Error, memory_limit: str | None) -> StoreError:
    """The sentence for a store DuckDB would not open: another process holding its lock (DuckDB
    lets one process write a file), or DuckDB's own words."""
    held = _LOCK_HELD.search(str(error))
    if isinstance(error, duckdb.IOException) and held:
        return StoreError(
            f"{where}: another execrank process (e.g. `execrank serve`, PID {held['pid']}) has "
            "the store open; stop it, or post through its API"
        )
    limit = f" with memory limit {memory_limit!r}" if memory_limit else ""
    return StoreError(f"{where}: cannot open the store{limit}: {error}")


class Store:
    """An open execrank store. Use `Store.open(path)`; close it (or use `with`)."""

    def __init__(self, connection: duckdb.DuckDBPyConnection, path: str) -> None:
        self._con = connection
        self.path = path
        self._statements: dict[str, str] = {}  # prepared statement text -> name (`_prepared`)
        self._prepared_count = 0

    @classmethod
    def open(
        cls, path: str | Path, *, create: bool = True, memory_limit: str | None = None
    ) -> Store:
        """Open the store at path, creating it when `create` (its folder must exist);
        ':memory:' gives a throw-away store. `memory_limit` (e.g. "1GB") caps DuckDB's memory:
        bigger work spills to disk, slower but within the cap; default: DuckDB's own (80% of
        RAM)."""
        where = str(path)
        if where != ":memory:":
            file = Path(where)
            if file.is_dir():
                raise StoreError(
                    f"{where} is a folder; name a store file, e.g. {file}/execrank.duckdb"
                )
            if not create and not file.exists():
                raise StoreError(f"{where}: no such store; run `execrank init --db {where}` first")
            if not file.parent.is_dir():
                raise StoreError(f"{where}: the folder {file.parent} does not exist")
        config: dict[str, str | bool | int | float | list[str]] = (
            {"memory_limit": memory_limit} if memory_limit else {}
        )
        try:
            connection = duckdb.connect(where, config=config)
        except duckdb.Error as error:
            raise _open_failure(where, error, memory_limit) from error
        connection.execute("SET enable_progress_bar = false")
        store = cls(connection, where)
        store._migrate()
        return store

    def _migrate(self) -> None:
        tables = {row[0] for row in self._con.execute("SHOW TABLES").fetchall()}
        if tables and "meta" not in tables:
            raise StoreError(
                f"{self.path}: a DuckDB file that is not an execrank store (it holds "
                f"{', '.join(sorted(tables)[:5])}); choose another --db"
            )
        try:
            self._con.execute(_SCHEMA)
            for table, column, type_ in _ADDED_COLUMNS:
                self._con.execute(f"ALTER TABLE {table} ADD COLUMN IF NOT EXISTS {column} {type_}")
        except duckdb.Error as error:
            raise StoreError(f"{self.path}: not an execrank store: {error}") from error
        found = self._con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        if found is None:
            self._con.execute("INSERT INTO meta VALUES ('schema_version', ?)", [SCHEMA_VERSION])
        elif found[0] != SCHEMA_VERSION:
            raise StoreError(
                f"{self.path}: store schema version {found[0]} is not {SCHEMA_VERSION}; "
                "use the execrank release that wrote it"
            )

    def close(self) -> None:
        self._con.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """All writes inside commit together or not at all."""
        self._con.execute("BEGIN TRANSACTION")
        try:
            yield
        except BaseException:
            self._con.execute("ROLLBACK")
            raise
        self._con.execute("COMMIT")

    def query(self, sql: str, parameters: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        """Run a read-only statement (such as the scoring query) and return all rows."""
        return self._con.execute(sql, list(parameters)).fetchall()

    def execute(self, sql: str, parameters: Sequence[Any] = ()) -> None:
        """Run a statement for its effect (used by the service for derived tables)."""
        self._con.execute(sql, list(parameters))

    def _load_batch(self, name: str, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
        """Create temp table `name` holding rows of `columns`, cast to the columns' types."""
        values = list(zip(*rows, strict=True)) if rows else [() for _ in columns]
        types = {c: _LIST_TYPES.get(c, "VARCHAR[]").removesuffix("[]") for c in columns}
        self.load_columns(name, dict(zip(columns, values, strict=True)), types)

    def load_columns(
        self, name: str, columns: Mapping[str, Sequence[Any]], types: dict[str, str] | None = None
    ) -> None:
        """Create temp table `name` from columns of Python values (name -> values, all of one
        length), handed to DuckDB as one Arrow table (a quarter of the time of one list
        parameter per column, at a million rows); a column is cast to its DuckDB type in
        `types`, else VARCHAR."""
        import pyarrow  # a dependency; loaded on first use, not by every command's start

        loaded_columns = pyarrow.table(  # noqa: F841 - the query below reads it by its name
            {f"c{i}": pyarrow.array(values) for i, values in enumerate(columns.values())}
        )
        selects = ", ".join(
            f'CAST(c{i} AS {(types or {}).get(c, "VARCHAR")}) AS "{c}"'
            for i, c in enumerate(columns)
        )
        self._con.execute(
            f"CREATE OR REPLACE TEMP TABLE {name} AS SELECT {selects} FROM loaded_columns"
        )

    def upsert(
        self,
        table: str,
        rows: Sequence[Sequence[Any]],
        ingested_at: datetime,
        supplied: Sequence[str] | None = None,
    ) -> UpsertCounts:
        """Insert new rows and update changed ones by natural key; equal rows change nothing.

        Rows hold FACT_COLUMNS[table] in order (a posted event); a None keeps the stored value,
        as a blank cell of an import does: this is the import's `upsert_from`. Call inside
        `transaction()`.
        """
        self._load_batch("incoming", FACT_COLUMNS[table], rows)
        try:
            return self.upsert_from(table, "incoming", ingested_at, supplied)
        finally:
            self._con.execute("DROP TABLE incoming")

    def upsert_from(
        self,
        table: str,
        source: str,
        ingested_at: datetime,
        supplied: Sequence[str] | None = None,
        *,
        clear_blanks: bool = False,
    ) -> UpsertCounts:
        """Upsert the rows of `source` (a table or view with the columns FACT_COLUMNS[table],
        one row per key) with INSERT ... SELECT: new keys are inserted, changed rows updated.

        Only the `supplied` columns (default: all) of an existing row are compared and updated,
        so a file without a column leaves the stored values of that column alone. A NULL (a
        blank cell) keeps the stored value too, as CRM import tools do, unless `clear_blanks`:
        then it clears it, and the count says how many stored values it cleared. The subject
        columns of a signal (`_ONE_OF`) are replaced together, blanks included. Call inside
        `transaction()`.
        """
        columns = FACT_COLUMNS[table]
        key = columns[0]
        one_of = _ONE_OF.get(table, ())
        compared = [
            c
            for c in _COMPARED[table]
            if supplied is None or c in supplied or (c in one_of and set(one_of) & set(supplied))
        ]
        kept = [] if clear_blanks else [c for c in (*compared, "source_file") if c not in one_of]

        def differs(old: str, new: str) -> str:
            tests = [
                f"{old}.{c} IS DISTINCT FROM {new}.{c}"
                + (f" AND {new}.{c} IS NOT NULL" if c in kept else "")
                for c in compared
            ]
            return " OR ".join(f"({test})" for test in tests) or "false"

        cleared = (
            " + ".join(
                f"count(*) FILTER (WHERE i.{c} IS NULL AND t.{c} IS NOT NULL)" for c in compared
            )
            if clear_blanks and compared
            else "0"
        )
        # One join counts both (an anti join would scan the whole table: ~70 ms for one posted
        # event against 2M stored ones, where the join looks the keys up)
        total = self._scalar(f"SELECT count(*) FROM {source}")
        found = self._con.execute(
            f"SELECT count(*), count(*) FILTER (WHERE {differs('t', 'i')}), {cleared} "
            f"FROM {source} i JOIN {table} t USING ({key})"
        ).fetchone()
        matched, changed, blanked = (int(n) for n in found or (0, 0, 0))
        fresh = total - matched
        updates = ", ".join(
            f"{c} = coalesce(excluded.{c}, {table}.{c})" if c in kept else f"{c} = excluded.{c}"
            for c in (*compared, "source_file")
        )
        self._con.execute(
            f"INSERT INTO {table} ({', '.join(columns)}, ingested_at) "
            f"SELECT {', '.join(columns)}, ?::TIMESTAMP FROM {source} "
            f"ON CONFLICT ({key}) DO UPDATE SET {updates}, ingested_at = excluded.ingested_at "
            f"WHERE {differs(table, 'excluded')}",
            [ingested_at],
        )
        return UpsertCounts(fresh, changed, total - fresh - changed, blanked)

    def _scalar(self, sql: str, parameters: Sequence[Any] = ()) -> int:
        row = self._con.execute(sql, list(parameters)).fetchone()
        return int(row[0]) if row and row[0] is not None else 0

    def existing_ids(self, table: str, ids: Sequence[str]) -> set[str]:
        """Which of ids exist as keys of a fact table."""
        key = FACT_COLUMNS[table][0]
        self._load_batch("wanted", ("id",), [(i,) for i in ids])
        found = self._con.execute(
            f"SELECT w.id FROM wanted w SEMI JOIN {table} t ON t.{key} = w.id"
        ).fetchall()
        self._con.execute("DROP TABLE wanted")
        return {row[0] for row in found}

    def kind_counts(self, table: str) -> dict[str, int]:
        """How many events (by event_type) or relationships (by kind) of each kind are stored."""
        column = {"events": "event_type", "relationships": "kind"}[table]
        rows = self._con.execute(f"SELECT {column}, count(*) FROM {table} GROUP BY 1").fetchall()
        return {kind: int(n) for kind, n in rows}

    def count(self, table: str) -> int:
        return self._scalar(f"SELECT count(*) FROM {table}")

    # The catalog: found generically, so tables added later are covered -----------------------

    def tables_with_column(self, column: str) -> list[str]:
        """The store's tables (not temporary ones) that have a column of this name."""
        rows = self._con.execute(
            "SELECT table_name FROM duckdb_columns() WHERE column_name = ? "
            "AND database_name = current_database() AND schema_name = 'main' AND NOT internal "
            "AND table_oid IN (SELECT table_oid FROM duckdb_tables()) "
            "ORDER BY table_name",
            [column],
        ).fetchall()
        return [row[0] for row in rows]

    def text_columns(self) -> dict[str, list[str]]:
        """Every table of the store with its VARCHAR columns."""
        rows = self._con.execute(
            "SELECT table_name, column_name FROM duckdb_columns() WHERE data_type = 'VARCHAR' "
            "AND database_name = current_database() AND schema_name = 'main' AND NOT internal "
            "AND table_oid IN (SELECT table_oid FROM duckdb_tables()) "
            "ORDER BY table_name, column_index"
        ).fetchall()
        found: dict[str, list[str]] = {}
        for table, column in rows:
            found.setdefault(table, []).append(column)
        return found

    def primary_key(self, table: str) -> tuple[str, ...]:
        """The primary key columns of a table (empty when it has none)."""
        row = self._con.execute(
            "SELECT constraint_column_names FROM duckdb_constraints() "
            "WHERE table_name = ? AND constraint_type = 'PRIMARY KEY' "
            "AND database_name = current_database() AND schema_name = 'main'",
            [table],
        ).fetchone()
        return tuple(row[0]) if row else ()

    # Derived tables -------------------------------------------------------------------------

    def unclassified_titles(self, classifier_version: str) -> list[str]:
        """Distinct contact titles with no classification by this classifier version."""
        rows = self._con.execute(
            "SELECT DISTINCT c.title FROM contacts c LEFT JOIN titles t ON t.title = c.title "
            "WHERE c.title IS NOT NULL AND (t.title IS NULL OR t.classifier_version <> ?) "
            "ORDER BY 1",
            [classifier_version],
        ).fetchall()
        return [row[0] for row in rows]

    def save_titles(self, rows: Sequence[tuple[str, str, str, list[str], float, str]]) -> None:
        """Store title classifications (title, seniority, function, flags, confidence, version)."""
        if rows:
            self._con.executemany("INSERT OR REPLACE INTO titles VALUES (?, ?, ?, ?, ?, ?)", rows)

    def signals_to_match(self, topics_hash: str) -> list[tuple[Any, ...]]:
        """Every signal about a subject (contact or company) that has a signal not yet matched
        against this topic set: (signal_id, subject, kind, occurred_at, title, text, pending),
        pending being true for the unmatched ones. The others are context for duplicates."""
        return self._con.execute(
            "WITH s AS (SELECT *, coalesce('contact:' || contact_id, 'company:' || company_id) "
            "  AS subject FROM signals), "
            "pending AS (SELECT s.signal_id, s.subject FROM s ANTI JOIN signal_matching_done d "
            "  ON d.signal_id = s.signal_id AND d.topics_hash = ?) "
            "SELECT s.signal_id, s.subject, s.kind, s.occurred_at, s.title, s.text, "
            "  s.signal_id IN (SELECT signal_id FROM pending) "
            "FROM s SEMI JOIN pending p ON p.subject = s.subject ORDER BY s.signal_id",
            [topics_hash],
        ).fetchall()

    def save_signal_matches(
        self,
        topics_hash: str,
        signal_ids: Sequence[str],
        matches: Sequence[tuple[str, str, str, str]],
        duplicates: Sequence[tuple[str, str, float]] = (),
    ) -> None:
        """Replace what is stored for signal_ids under this topic set by (signal_id, topic,
        phrase, snippet) matches and (signal_id, duplicate_of, similarity) duplicates, and mark
        signal_ids as matched."""
        self._load_batch("done", ("signal_id",), [(s,) for s in signal_ids])
        for table in ("signal_matches", "signal_duplicates"):
            self._con.execute(
                f"DELETE FROM {table} WHERE topics_hash = ? "
                "AND signal_id IN (SELECT signal_id FROM done)",
                [topics_hash],
            )
        self._load_batch("matched", ("signal_id", "topic", "phrase", "snippet"), matches)
        self._con.execute(
            "INSERT OR REPLACE INTO signal_matches "
            "SELECT ?, signal_id, topic, phrase, snippet FROM matched",
            [topics_hash],
        )
        self._load_batch(
            "repeats",
            ("signal_id", "duplicate_of", "similarity"),
            duplicates,
        )
        self._con.execute(
            "INSERT OR REPLACE INTO signal_duplicates "
            "SELECT ?, signal_id, duplicate_of, similarity FROM repeats",
            [topics_hash],
        )
        self._con.execute(
            "INSERT OR IGNORE INTO signal_matching_done SELECT ?, signal_id FROM done",
            [topics_hash],
        )
        self._con.execute("DROP TABLE matched; DROP TABLE done; DROP TABLE repeats")

    # Models and snapshots ---------------------------------------------------------------------

    def setting(self, key: str) -> str | None:
        """A value kept in the store's meta table (e.g. the active model's hash)."""
        found = self._con.execute("SELECT value FROM meta WHERE key = ?", [key]).fetchone()
        return None if found is None else str(found[0])

    def set_setting(self, key: str, value: str) -> None:
        self._con.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", [key, value])

    def delete_setting(self, key: str) -> None:
        self._con.execute("DELETE FROM meta WHERE key = ?", [key])

    def models(self) -> list[tuple[str, str, datetime]]:
        """Every stored model: (model_hash, name, stored_at), oldest first."""
        rows = self._con.execute(
            "SELECT model_hash, name, stored_at FROM models ORDER BY stored_at, model_hash"
        ).fetchall()
        return [(str(h), str(n), t) for h, n, t in rows]

    def save_model(self, model_hash: str, name: str, yaml_text: str, stored_at: datetime) -> None:
        self._con.execute(
            "INSERT OR IGNORE INTO models VALUES (?, ?, ?, ?)",
            [model_hash, name, yaml_text, stored_at],
        )

    def save_snapshot(self, scores_sql: str, meta: SnapshotMeta) -> int:
        """Run the scoring query (yielding the `scores` columns after snapshot_id) and store its
        rows as a new snapshot; return its id."""
        snapshot_id = self._scalar("SELECT nextval('snapshot_ids')")
        self._con.execute(f"INSERT INTO scores SELECT ?, * FROM ({scores_sql})", [snapshot_id])
        contacts = self._scalar("SELECT count(*) FROM scores WHERE snapshot_id = ?", [snapshot_id])
        self._con.execute(
            "INSERT INTO snapshots (snapshot_id, as_of, known_at, model_hash, contacts, "
            "duration_ms, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            [
                snapshot_id,
                meta.as_of,
                meta.known_at,
                meta.model_hash,
                contacts,
                meta.duration_ms,
                meta.created_at,
            ],
        )
        return snapshot_id

    def set_snapshot_duration(self, snapshot_id: int, duration_ms: float) -> None:
        self._con.execute(
            "UPDATE snapshots SET duration_ms = ? WHERE snapshot_id = ?", [duration_ms, snapshot_id]
        )

    def set_snapshot_starter(self, snapshot_id: int, started_by: str) -> None:
        """Record who asked for a snapshot (the API's rescore, the schedule)."""
        self._con.execute(
            "UPDATE snapshots SET started_by = ? WHERE snapshot_id = ?", [started_by, snapshot_id]
        )

    def latest_snapshot(self) -> tuple[Any, ...] | None:
        return self._con.execute(
            "SELECT snapshot_id, as_of, known_at, model_hash, contacts, duration_ms, created_at "
            "FROM snapshots ORDER BY snapshot_id DESC LIMIT 1"
        ).fetchone()

    def ranked(
        self, snapshot_id: int, top: int | None, tier: str | None, owner: str | None = None
    ) -> list[tuple[Any, ...]]:
        """Scores of a snapshot joined to contact and company names, in rank order; only the
        contacts of `owner` when given. Contacts no longer stored (merged away since) are
        left out."""
        if top is not None and top <= _LOOKUP_AT_MOST:
            found = self._top_ranked(snapshot_id, top, tier, owner)
            if found is not None:
                return found
        return self._con.execute(
            "SELECT s.contact_id, c.name, c.title, co.name, s.total, s.rank, s.tier, "
            "s.role, s.fit, s.engagement, s.intent, s.network "
            f"FROM {self._current_scores(snapshot_id)} s "
            "JOIN contacts c USING (contact_id) LEFT JOIN companies co USING (company_id) "
            "WHERE s.snapshot_id = ? AND (?::VARCHAR IS NULL OR s.tier = ?) "
            "AND (?::VARCHAR IS NULL OR c.owner = ?) ORDER BY s.rank LIMIT ?",
            [snapshot_id, tier, tier, owner, owner, top if top is not None else 2**62],
        ).fetchall()

    def _names(self, table: str, ids: Sequence[str]) -> dict[str, tuple[Any, ...]]:
        """id -> the other columns of `names` rows looked up by key (contacts: name, title,
        company_id; companies: name)."""
        columns = {"contacts": "name, title, company_id", "companies": "name"}[table]
        key = FACT_COLUMNS[table][0]
        rows = self._con.execute(
            f"SELECT {key}, {columns} FROM {table} WHERE {key} IN (SELECT unnest(?::VARCHAR[]))",
            [list(ids)],
        ).fetchall()
        return {row[0]: row[1:] for row in rows}

    def _top_ranked(
        self, snapshot_id: int, top: int, tier: str | None, owner: str | None
    ) -> list[tuple[Any, ...]] | None:
        """`ranked` for a short list: the first `top` scores, then their names looked up by key
        (joining a million contacts first costs ~100 times more). None when one of them is no
        longer a stored contact: then `ranked` joins first, which skips it."""
        scores = self._first_by_rank(snapshot_id, top, tier, owner)
        contacts = self._names("contacts", [row[0] for row in scores])
        if len(contacts) < len(scores):
            return None
        companies = self._names("companies", [c[2] for c in contacts.values() if c[2]])
        rows = []
        for contact_id, total, rank, tier_, *dimensions in scores:
            name, title, company_id = contacts[contact_id]
            company = companies.get(company_id, (None,))[0]
            rows.append((contact_id, name, title, company, total, rank, tier_, *dimensions))
        return rows

    def _first_by_rank(
        self, snapshot_id: int, top: int, tier: str | None, owner: str | None
    ) -> list[tuple[Any, ...]]:
        """(contact_id, total, rank, tier, role, fit, engagement, intent, network) of the first
        `top` contacts of the current view of a snapshot (of one tier or owner when given).
        With live rows, only the rows down to the last one chosen are ranked (all that can be
        ahead of it), not the whole view."""
        owned, parameters = self._owned(owner)
        columns = "contact_id, total, rank, tier, role, fit, engagement, intent, network"
        live = self._scalar("SELECT count(*) FROM live_scores WHERE snapshot_id = ?", [snapshot_id])
        if not live:
            return self._con.execute(
                f"SELECT {columns} FROM scores WHERE snapshot_id = ? "
                f"AND (?::VARCHAR IS NULL OR tier = ?) {owned} ORDER BY rank LIMIT ?",
                [snapshot_id, tier, tier, *parameters, top],
            ).fetchall()
        # The live rows replace their contacts' rows: the first top + live rows of the snapshot
        # hold the first `top` of those it keeps. Their ranks count the view's rows down to the
        # last one chosen in the full order (total, heat, contact_id), a bound passed as values
        # so that the scan reads only the rows with a total as high: no pass over the whole view.
        measures = "total, heat, tier, role, fit, engagement, intent, network"
        wanted = f"(?::VARCHAR IS NULL OR tier = ?) {owned}"
        order = "total DESC, heat DESC, contact_id"
        chosen = self._con.execute(
            f"WITH live AS (SELECT contact_id, {measures} FROM live_scores WHERE snapshot_id = ?) "
            f"SELECT * FROM (SELECT * FROM (SELECT contact_id, {measures} FROM scores "
            f"    WHERE snapshot_id = ? AND {wanted} ORDER BY rank LIMIT ?) "
            "  WHERE contact_id NOT IN (SELECT contact_id FROM live) "
            f"  UNION ALL SELECT * FROM live WHERE {wanted}) ORDER BY {order} LIMIT ?",
            [
                *(snapshot_id, snapshot_id, tier, tier),
                *parameters,
                top + live,
                *(tier, tier),
                *parameters,
                top,
            ],
        ).fetchall()
        if not chosen:
            return []
        last_id, last_total, last_heat = chosen[-1][:3]
        ranks = dict(
            self._con.execute(
                f"SELECT contact_id, CAST(row_number() OVER (ORDER BY {order}) AS INTEGER) FROM ("
                "  SELECT contact_id, total, heat FROM scores WHERE snapshot_id = $snapshot "
                "    AND total >= $total AND (total > $total OR heat > $heat "
                "      OR (heat = $heat AND contact_id <= $contact)) "
                "    AND contact_id NOT IN "
                "      (SELECT contact_id FROM live_scores WHERE snapshot_id = $snapshot) "
                "  UNION ALL SELECT contact_id, total, heat FROM live_scores "
                "    WHERE snapshot_id = $snapshot)",
                {
                    "snapshot": snapshot_id,
                    "total": last_total,
                    "heat": last_heat,
                    "contact": last_id,
                },
            ).fetchall()
        )
        return sorted(
            ((c, total, ranks[c], *rest) for c, total, _, *rest in chosen), key=lambda r: r[2]
        )

    def contributions(self, contributions_sql: str) -> list[tuple[Any, ...]]:
        """Run a contributions query: (contact_id, dimension, rule, points, evidence) rows, each
        contact's biggest first."""
        return self._con.execute(
            f"SELECT * FROM ({contributions_sql}) "
            "ORDER BY contact_id, abs(points) DESC, dimension, rule, evidence"
        ).fetchall()

    def model_yaml(self, model_hash: str) -> str:
        """The YAML of a model a snapshot was scored with."""
        row = self._con.execute("SELECT yaml FROM models WHERE model_hash = ?", [model_hash])
        found = row.fetchone()
        if found is None:
            raise StoreError(f"{self.path}: model {model_hash} is not stored")
        return str(found[0])

    def contact_score(self, snapshot_id: int, contact_id: str) -> tuple[Any, ...] | None:
        return self._con.execute(
            "SELECT s.contact_id, c.name, c.title, co.name, s.total, s.rank, s.tier, "
            "s.role, s.fit, s.engagement, s.intent, s.network "
            f"FROM {self._current_scores(snapshot_id)} s "
            "JOIN contacts c USING (contact_id) LEFT JOIN companies co USING (company_id) "
            "WHERE s.snapshot_id = ? AND s.contact_id = ?",
            [snapshot_id, contact_id],
        ).fetchone()

    # Live layer and manual adjustments (execrank.live) ----------------------------------------

    def _live_overlay(self, snapshot_id: int) -> str:
        """A snapshot's rows with the contacts updated live since then replaced by their live
        rows: the `scores` columns without snapshot_id and rank."""
        sid = int(snapshot_id)
        columns = ", ".join(c for c in SCORE_COLUMNS if c != "rank")
        return (
            f"(SELECT {columns} FROM scores WHERE snapshot_id = {sid} AND contact_id NOT IN "
            f"(SELECT contact_id FROM live_scores WHERE snapshot_id = {sid}) "
            f"UNION ALL SELECT {columns} FROM live_scores WHERE snapshot_id = {sid})"
        )

    def _current_scores(self, snapshot_id: int) -> str:
        """`scores`, or when contacts were updated live since the snapshot, its rows overlaid
        by the live rows and ranked again as a full rescore ranks (total, heat, contact_id)."""
        live = self._scalar("SELECT count(*) FROM live_scores WHERE snapshot_id = ?", [snapshot_id])
        if not live:
            return "scores"
        return (
            f"(SELECT {int(snapshot_id)} AS snapshot_id, *, CAST(row_number() OVER "
            "(ORDER BY total DESC, heat DESC, contact_id) AS INTEGER) AS rank "
            f"FROM {self._live_overlay(snapshot_id)})"
        )

    def save_live_scores(self, snapshot_id: int, scores_statement: str, arguments: str) -> None:
        """Store the rows of a scores statement for a few contacts (`scoring.scores_statement`:
        text with parameters, and `name := value` arguments) as their live rows on a snapshot,
        at the statement's `$as_of` and `$known_at`, replacing earlier ones. The statement is
        prepared once per connection (see `_prepared`)."""
        measures = ", ".join(SCORE_COLUMNS[1:9])
        name = self._prepared(
            f"INSERT OR REPLACE INTO live_scores (snapshot_id, contact_id, as_of, known_at, "
            f"{measures}, tier) SELECT $snapshot, contact_id, $as_of, $known_at, {measures}, "
            f"tier FROM ({scores_statement})"
        )
        self._con.execute(f"EXECUTE {name}(snapshot := {int(snapshot_id)}, {arguments})")

    def _prepared(self, statement: str) -> str:
        """The name of `statement` prepared on this connection: PREPAREd the first time, so
        that its text is parsed once. Arguments are given as SQL text (`EXECUTE name(a := 1)`):
        DuckDB takes no client-side parameters for EXECUTE. The most recently used
        _PREPARED_AT_MOST statements are kept; older ones are deallocated."""
        name = self._statements.pop(statement, None)
        if name is None:
            if len(self._statements) >= _PREPARED_AT_MOST:
                oldest = next(iter(self._statements))
                self._con.execute(f"DEALLOCATE {self._statements.pop(oldest)}")
            self._prepared_count += 1
            name = f"prepared_{self._prepared_count}"
            self._con.execute(f"PREPARE {name} AS {statement}")
        self._statements[statement] = name  # the most recently used last
        return name

    def live_rank(self, snapshot_id: int, contact_id: str) -> tuple[Any, ...] | None:
        """(total, rank, tier, as_of, known_at) of a contact's live row on a snapshot, its rank
        counted among the snapshot's rows overlaid by the live ones; None without a live row."""
        row = self._con.execute(
            "SELECT total, heat, tier, as_of, known_at FROM live_scores "
            "WHERE snapshot_id = ? AND contact_id = ?",
            [snapshot_id, contact_id],
        ).fetchone()
        if row is None:
            return None
        total, heat, tier, as_of, known_at = row
        # The rows ahead in three ranges of simple tests, which the scan applies by itself (one
        # OR-ed test over every row costs twice as much at 1M contacts); only those rows are
        # checked against the live contacts.
        found = self._con.execute(
            "SELECT (SELECT count(*) FROM ("
            "  SELECT contact_id FROM scores WHERE snapshot_id = $snapshot AND total > $total"
            "  UNION ALL SELECT contact_id FROM scores WHERE snapshot_id = $snapshot"
            "    AND total = $total AND heat > $heat"
            "  UNION ALL SELECT contact_id FROM scores WHERE snapshot_id = $snapshot"
            "    AND total = $total AND heat = $heat AND contact_id < $contact) "
            "  WHERE contact_id NOT IN "
            "    (SELECT contact_id FROM live_scores WHERE snapshot_id = $snapshot)) "
            "+ (SELECT count(*) FROM live_scores WHERE snapshot_id = $snapshot "
            "  AND (total > $total OR (total = $total "
            "    AND (heat > $heat OR (heat = $heat AND contact_id < $contact)))))",
            {"snapshot": snapshot_id, "total": total, "heat": heat, "contact": contact_id},
        ).fetchone()
        ahead = int(found[0]) if found else 0
        return total, ahead + 1, tier, as_of, known_at

    def live_times(self, snapshot_id: int, contact_id: str) -> tuple[datetime, datetime] | None:
        """(as_of, known_at) of a contact's live row on a snapshot, if it has one."""
        row = self._con.execute(
            "SELECT as_of, known_at FROM live_scores WHERE snapshot_id = ? AND contact_id = ?",
            [snapshot_id, contact_id],
        ).fetchone()
        return None if row is None else (row[0], row[1])

    def stored_values(self, table: str, key: str, columns: Sequence[str]) -> dict[str, Any] | None:
        """These columns of the stored row of a fact table with this key (looked up by key),
        or None when no row has it."""
        row = self._con.execute(
            f"SELECT {', '.join(columns)} FROM {table} WHERE {FACT_COLUMNS[table][0]} = ?", [key]
        ).fetchone()
        return None if row is None else dict(zip(columns, row, strict=True))

    def companies_of(self, contact_ids: Sequence[str]) -> list[str]:
        """The companies of these contacts (looked up by key)."""
        if not contact_ids:
            return []
        rows = self._con.execute(  # a list of values, not unnest(?): the key index finds them
            "SELECT DISTINCT company_id FROM contacts "
            f"WHERE contact_id IN ({', '.join('?' * len(contact_ids))}) AND company_id IS NOT NULL",
            list(contact_ids),
        ).fetchall()
        return [row[0] for row in rows]

    def contacts_of_company(self, company_id: str) -> list[str]:
        rows = self._con.execute(
            "SELECT contact_id FROM contacts WHERE company_id = ? ORDER BY 1", [company_id]
        ).fetchall()
        return [row[0] for row in rows]

    def contacts_changed_after(self, moment: datetime) -> list[tuple[str, datetime]]:
        """(contact, newest ingested_at) of contacts with events, relationships, adjustments
        or signals (on them or on their company) ingested after moment."""
        return self._con.execute(
            "SELECT contact_id, max(ingested_at) FROM ("
            "SELECT contact_id, ingested_at FROM events WHERE ingested_at > $m "
            "UNION ALL SELECT contact_id, ingested_at FROM relationships WHERE ingested_at > $m "
            "UNION ALL SELECT contact_id, ingested_at FROM adjustments WHERE ingested_at > $m "
            "UNION ALL SELECT coalesce(s.contact_id, c.contact_id), s.ingested_at FROM signals s "
            "LEFT JOIN contacts c ON s.contact_id IS NULL AND c.company_id = s.company_id "
            "WHERE s.ingested_at > $m) WHERE contact_id IS NOT NULL GROUP BY 1 ORDER BY 1",
            {"m": moment},
        ).fetchall()

    def add_adjustment(self, row: Sequence[Any]) -> None:
        """Store one adjustment: the `adjustments` columns in table order."""
        self._con.execute("INSERT INTO adjustments VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", list(row))

    def adjustments(self, contact_id: str) -> list[tuple[Any, ...]]:
        """Every adjustment of a contact, expired ones included, oldest first."""
        return self._con.execute(
            "SELECT * FROM adjustments WHERE contact_id = ? ORDER BY created_at, adjustment_id",
            [contact_id],
        ).fetchall()

    def history(self, contact_id: str) -> list[tuple[Any, ...]]:
        """(snapshot_id, as_of, total, rank, tier, model_hash) of a contact in every snapshot
        that scored it, oldest first."""
        return self._con.execute(
            "SELECT n.snapshot_id, n.as_of, s.total, s.rank, s.tier, n.model_hash "
            "FROM scores s JOIN snapshots n USING (snapshot_id) WHERE s.contact_id = ? "
            "ORDER BY n.snapshot_id",
            [contact_id],
        ).fetchall()

    # Dashboard reads and API tokens -----------------------------------------------------------

    def snapshots(self) -> list[tuple[Any, ...]]:
        """Every snapshot, newest first: the `latest_snapshot` columns, the model's name and
        who asked for it."""
        return self._con.execute(
            "SELECT s.snapshot_id, s.as_of, s.known_at, s.model_hash, s.contacts, s.duration_ms, "
            "s.created_at, m.name, s.started_by "
            "FROM snapshots s LEFT JOIN models m USING (model_hash) "
            "ORDER BY s.snapshot_id DESC"
        ).fetchall()

    def snapshot_as_of(self, until: datetime) -> tuple[Any, ...] | None:
        """The newest snapshot scored at or before `until` (`latest_snapshot` columns)."""
        return self._con.execute(
            "SELECT snapshot_id, as_of, known_at, model_hash, contacts, duration_ms, created_at "
            "FROM snapshots WHERE as_of <= ? ORDER BY as_of DESC, snapshot_id DESC LIMIT 1",
            [until],
        ).fetchone()

    @staticmethod
    def _owned(owner: str | None, column: str = "contact_id") -> tuple[str, list[Any]]:
        """A condition keeping only the rows whose `column` names one of `owner`'s contacts
        (none when owner is None), so that unfiltered reads do not join the contacts table."""
        if owner is None:
            return "", []
        return f"AND {column} IN (SELECT contact_id FROM contacts WHERE owner = ?)", [owner]

    def tier_counts(self, snapshot_id: int, owner: str | None) -> dict[str, int]:
        """How many contacts (of `owner`, when given) each tier holds in a snapshot as scored
        (live rows aside: see `live_tier_moves`)."""
        owned, parameters = self._owned(owner)
        rows = self._con.execute(
            f"SELECT tier, count(*) FROM scores WHERE snapshot_id = ? {owned} GROUP BY tier",
            [snapshot_id, *parameters],
        ).fetchall()
        return {tier: int(n) for tier, n in rows}

    def live_tier_moves(self, snapshot_id: int, owner: str | None) -> list[tuple[Any, ...]]:
        """(snapshot tier or None, live tier) of each contact (of `owner`, when given) updated
        live since a snapshot: what turns its tier counts into the current view's."""
        owned, parameters = self._owned(owner, "l.contact_id")
        return self._con.execute(
            "SELECT s.tier, l.tier FROM live_scores l LEFT JOIN scores s "
            "ON s.snapshot_id = l.snapshot_id AND s.contact_id = l.contact_id "
            f"WHERE l.snapshot_id = ? {owned}",
            [snapshot_id, *parameters],
        ).fetchall()

    def ranked_ids(self, snapshot_id: int, top: int, owner: str | None) -> list[str]:
        """The ids of a snapshot's first `top` contacts by rank (of `owner`, when given)."""
        return [row[0] for row in self._first_by_rank(snapshot_id, top, None, owner)]

    def live_version(self, snapshot_id: int) -> tuple[Any, ...]:
        """A value that changes whenever the live rows on a snapshot change (their count,
        newest time and a checksum of contact and tier)."""
        row = self._con.execute(
            "SELECT count(*), max(known_at), sum(hash(contact_id, tier)) "
            "FROM live_scores WHERE snapshot_id = ?",
            [snapshot_id],
        ).fetchone()
        return tuple(row) if row else ()

    def weekly_snapshots(self, until: datetime, weeks: int) -> list[tuple[int, datetime]]:
        """(snapshot_id, as_of) of the newest snapshot of each of the `weeks` weeks ending at
        `until` that has one, oldest first."""
        return self._con.execute(
            "SELECT snapshot_id, as_of FROM snapshots "
            "WHERE as_of <= $until AND date_diff('second', as_of, $until) < $weeks * 604800 "
            "QUALIFY row_number() OVER (PARTITION BY date_diff('second', as_of, $until) // 604800"
            "  ORDER BY as_of DESC, snapshot_id DESC) = 1 ORDER BY as_of",
            {"until": until, "weeks": weeks},
        ).fetchall()

    def mean_heat(
        self, snapshot_ids: Sequence[int], owner: str | None
    ) -> dict[int, tuple[float, int]]:
        """snapshot_id -> (mean heat, contacts) over the contacts (of `owner`, when given) each
        of these snapshots scored."""
        owned, parameters = self._owned(owner)
        rows = self._con.execute(
            "SELECT snapshot_id, avg(heat), count(*) FROM scores "
            f"WHERE snapshot_id IN (SELECT unnest(?::INTEGER[])) {owned} GROUP BY snapshot_id",
            [list(snapshot_ids), *parameters],
        ).fetchall()
        return {int(sid): (float(mean), int(n)) for sid, mean, n in rows}

    def contact_owner(self, contact_id: str) -> tuple[str | None] | None:
        """(owner,) of a stored contact, or None when there is no such contact."""
        return self._con.execute(
            "SELECT owner FROM contacts WHERE contact_id = ?", [contact_id]
        ).fetchone()

    def save_token(self, token_hash: str, role: str, owner: str, created_at: datetime) -> None:
        self._con.execute(
            "INSERT INTO tokens VALUES (?, ?, ?, ?)", [token_hash, role, owner, created_at]
        )

    def token(self, token_hash: str) -> tuple[str, str] | None:
        """(role, owner) of a stored token hash, or None."""
        return self._con.execute(
            "SELECT role, owner FROM tokens WHERE token_hash = ?", [token_hash]
        ).fetchone()

    def session(self) -> Store:
        """Another connection to the same open database, for use in another thread (DuckDB
        connections must not be shared between threads; cursors may run side by side)."""
        return Store(self._con.cursor(), self.path)

    # Parquet exchange with other engines ------------------------------------------------------

    def export_parquet(self, folder: Path, tables: Sequence[str]) -> dict[str, int]:
        """Write each table as `folder/<table>.parquet` (replacing it); return the row counts.
        Call inside `transaction()` so that every file shows the same moment."""
        if folder.exists() and not folder.is_dir():
            raise ExecrankError(f"{folder} is a file; name a folder for the Parquet files")
        try:
            folder.mkdir(parents=True, exist_ok=True)
            for table in tables:
                target = _quoted(folder / f"{table}.parquet")
                self._con.execute(f"COPY {table} TO {target} (FORMAT parquet)")
        except (OSError, duckdb.Error) as error:
            raise ExecrankError(f"{folder}: cannot write the Parquet files: {error}") from error
        return {table: self.count(table) for table in tables}

    def _scores_source(self, folder: Path) -> str:
        if not folder.is_dir() or not any(folder.glob("*.parquet")):
            raise InputError(
                f"{folder}: no .parquet files; write scores there with "
                f"`execrank spark-score --out {folder}`"
            )
        return f"read_parquet({_quoted(folder / '*.parquet')})"

    def scores_run(self, folder: Path) -> ScoresRun:
        """Check a folder of scores as Parquet (as `execrank spark-score` writes them): the score
        and run columns with their types, one run, one row per contact of this store, ranks 1
        to n. Raises InputError naming the first problem."""
        source = self._scores_source(folder)
        described = self._con.execute(f"DESCRIBE SELECT * FROM {source}").fetchall()
        types = {row[0]: row[1] for row in described}
        missing = [c for c in _EXCHANGED_TYPES if c not in types]
        if missing:
            raise InputError(
                f"{folder}: no column {', '.join(missing)}; scores need "
                f"{', '.join(_EXCHANGED_TYPES)}"
            )
        for column, allowed in _EXCHANGED_TYPES.items():
            if types[column] not in allowed:
                raise InputError(
                    f"{folder}: column {column} is {types[column]}, expected "
                    f"{' or '.join(sorted(allowed))}"
                )
        nulls = " OR ".join(f"{c} IS NULL" for c in _EXCHANGED_TYPES)
        row = self._con.execute(
            f"SELECT count(*), count(DISTINCT contact_id), count(DISTINCT rank), min(rank), "
            f"max(rank), count(*) FILTER (WHERE {nulls}), "
            "count(DISTINCT (as_of, known_at, model_hash)), min(as_of), min(known_at), "
            f"min(model_hash), (SELECT min(contact_id) FROM {source} "
            "  WHERE contact_id NOT IN (SELECT contact_id FROM contacts)) "
            f"FROM {source}"
        ).fetchone()
        assert row is not None  # an aggregate always yields a row
        rows, ids, ranks, low, high, empty, runs, as_of, known_at, model_hash, stranger = row
        checks = [
            (rows == 0, "holds no scores"),
            (empty > 0, f"{empty} rows have empty values"),
            (ids != rows, f"{rows - ids} contact ids appear more than once"),
            ((ranks, low, high) != (rows, 1, rows), f"ranks are not 1 to {rows}, each once"),
            (runs != 1, f"holds {runs} runs (as_of, known_at, model_hash); one folder per run"),
            (
                stranger is not None,
                f"contact {stranger!r} is not in this store; load scores into the store whose "
                "facts were exported",
            ),
        ]
        problem = next((message for failed, message in checks if failed), None)
        if problem:
            raise InputError(f"{folder}: {problem}")
        return ScoresRun(as_of, known_at, model_hash, rows)

    def save_parquet_snapshot(self, folder: Path, meta: SnapshotMeta) -> int:
        """Store a scores folder checked by `scores_run` as a new snapshot; return its id."""
        columns = ", ".join(SCORE_COLUMNS)
        return self.save_snapshot(f"SELECT {columns} FROM {self._scores_source(folder)}", meta)

    # Routing (execrank.routing) and the account view (execrank.accounts) ----------------------

    def routable(self, snapshot_id: int) -> list[tuple[Any, ...]]:
        """(contact_id, company_id, owner, tier) of a snapshot's contacts (live rows included)
        that are in a tier or hold an assignment, best rank first."""
        return self._con.execute(
            "SELECT s.contact_id, c.company_id, c.owner, s.tier "
            f"FROM {self._current_scores(snapshot_id)} s JOIN contacts c USING (contact_id) "
            "WHERE s.snapshot_id = ? AND (s.tier <> '-' OR s.contact_id IN "
            "(SELECT contact_id FROM assignments)) ORDER BY s.rank",
            [snapshot_id],
        ).fetchall()

    def assignments(self) -> list[tuple[Any, ...]]:
        """(contact_id, company_id, tier, rep) of every current assignment."""
        return self._con.execute(
            "SELECT a.contact_id, c.company_id, a.tier, a.rep FROM assignments a "
            "LEFT JOIN contacts c USING (contact_id) ORDER BY a.contact_id"
        ).fetchall()

    def assigned_reps(self, contact_ids: Sequence[str]) -> dict[str, str]:
        """contact_id -> rep for those of contact_ids that are assigned."""
        self._load_batch("wanted", ("id",), [(i,) for i in contact_ids])
        rows = self._con.execute(
            "SELECT a.contact_id, a.rep FROM assignments a "
            "SEMI JOIN wanted w ON w.id = a.contact_id"
        ).fetchall()
        self._con.execute("DROP TABLE wanted")
        return dict(rows)

    def account_members(self, snapshot_id: int) -> list[tuple[Any, ...]]:
        """(company_id, company name, contact_id, name, title, seniority, function, title
        flags, tier, total, engagement, stated opportunity roles) of every contact with a company
        in a snapshot (live rows included)."""
        return self._con.execute(
            "SELECT c.company_id, co.name, s.contact_id, c.name, c.title, t.seniority, "
            "t.function, coalesce(t.flags, []), s.tier, s.total, s.engagement, "
            "coalesce(r.roles, []) "
            f"FROM {self._current_scores(snapshot_id)} s JOIN contacts c USING (contact_id) "
            "LEFT JOIN companies co ON co.company_id = c.company_id "
            "LEFT JOIN titles t ON t.title = c.title "
            "LEFT JOIN (SELECT contact_id, list(DISTINCT role ORDER BY role) AS roles "
            "  FROM opportunity_contacts WHERE role IS NOT NULL GROUP BY contact_id) r "
            "  ON r.contact_id = s.contact_id "
            "WHERE s.snapshot_id = ? AND c.company_id IS NOT NULL ORDER BY c.company_id, s.rank",
            [snapshot_id],
        ).fetchall()

    def routing_cursors(self) -> dict[str, int]:
        """tier -> index of the rep its round robin tries next."""
        return dict(self._con.execute("SELECT tier, next_rep FROM routing_cursors").fetchall())

    def save_routing(
        self,
        moves: Sequence[tuple[str, str, str | None, str | None, str | None, str]],
        cursors: dict[str, int],
        *,
        snapshot_id: int,
        now: datetime,
    ) -> None:
        """Apply moves (contact_id, tier, previous_tier, previous_rep, rep, reason): a rep
        assigns, None unassigns; log each change; store the round-robin cursors."""
        columns = ("contact_id", "tier", "previous_tier", "previous_rep", "rep", "reason")
        self._load_batch("moves", columns, moves)
        self._con.execute(
            "DELETE FROM assignments WHERE contact_id IN (SELECT contact_id FROM moves)"
        )
        self._con.execute(
            "INSERT INTO assignments SELECT contact_id, tier, rep, reason, ?, ? FROM moves "
            "WHERE rep IS NOT NULL",
            [snapshot_id, now],
        )
        self._con.execute(
            "INSERT INTO routing_log SELECT *, ?, ? FROM moves "
            "WHERE rep IS NOT NULL OR previous_rep IS NOT NULL",
            [snapshot_id, now],
        )
        self._con.execute("DROP TABLE moves")
        for tier, index in cursors.items():
            self._con.execute("INSERT OR REPLACE INTO routing_cursors VALUES (?, ?)", [tier, index])


@dataclass(frozen=True)
class ScoresRun:
    """The run a scores folder came from, and how many contacts it scored."""

    as_of: datetime
    known_at: datetime
    model_hash: str
    contacts: int


@dataclass(frozen=True)
class SnapshotMeta:
    """What a snapshot records besides its rows."""

    as_of: datetime
    known_at: datetime
    model_hash: str
    created_at: datetime
    duration_ms: float = 0.0
