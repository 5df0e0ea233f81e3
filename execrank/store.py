"""The store: one DuckDB file holding facts, derived tables, models and score snapshots.

This module owns every statement of the storage kind (schema, upserts, reads); the scoring
module owns the scoring query text, which the service runs through `Store.query`.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import duckdb

from execrank.errors import ExecrankError, InputError, StoreError

SCHEMA_VERSION = "1"

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
"""

FACT_TABLES = ("companies", "contacts", "events", "signals", "relationships")

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
        "source_file",
    ),
}

# Columns compared to decide whether a re-imported row changes anything (provenance excluded).
_COMPARED = {
    table: tuple(c for c in cols[1:] if c != "source_file") for table, cols in FACT_COLUMNS.items()
}

# DuckDB list types used to pass a column of Python values in one parameter.
_LIST_TYPES = {
    "revenue_usd": "DOUBLE[]",
    "employees": "BIGINT[]",
    "occurred_at": "TIMESTAMP[]",
    "similarity": "DOUBLE[]",
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
    """What an upsert did: rows new to the store, rows whose values changed, rows already equal."""

    inserted: int
    updated: int
    unchanged: int


class Store:
    """An open execrank store. Use `Store.open(path)`; close it (or use `with`)."""

    def __init__(self, connection: duckdb.DuckDBPyConnection, path: str) -> None:
        self._con = connection
        self.path = path

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
            limit = f" with memory limit {memory_limit!r}" if memory_limit else ""
            raise StoreError(f"{where}: cannot open the store{limit}: {error}") from error
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
        """Create temp table `name` holding rows, passing each column as one list parameter."""
        selects = ", ".join(
            f"unnest(${i + 1}::{_LIST_TYPES.get(c, 'VARCHAR[]')}) AS {c}"
            for i, c in enumerate(columns)
        )
        values = (
            [list(column) for column in zip(*rows, strict=True)] if rows else [[] for _ in columns]
        )
        self._con.execute(f"CREATE OR REPLACE TEMP TABLE {name} AS SELECT {selects}", values)

    def upsert(
        self,
        table: str,
        rows: Sequence[Sequence[Any]],
        ingested_at: datetime,
        supplied: Sequence[str] | None = None,
    ) -> UpsertCounts:
        """Insert new rows and update changed ones by natural key; equal rows change nothing.

        Rows hold FACT_COLUMNS[table] in order. Only the `supplied` columns (default: all) of an
        existing row are compared and updated, so a file without a column leaves the stored
        values of that column alone. Call inside `transaction()`.
        """
        columns = FACT_COLUMNS[table]
        key = columns[0]
        compared = [c for c in _COMPARED[table] if supplied is None or c in supplied]
        self._load_batch("incoming", columns, rows)
        differs = " OR ".join(f"t.{c} IS DISTINCT FROM i.{c}" for c in compared) or "false"
        changed = self._scalar(
            f"SELECT count(*) FROM incoming i JOIN {table} t USING ({key}) WHERE {differs}"
        )
        fresh = self._scalar(f"SELECT count(*) FROM incoming i ANTI JOIN {table} t USING ({key})")
        updates = ", ".join(f"{c} = excluded.{c}" for c in (*compared, "source_file"))
        where = " OR ".join(f"{table}.{c} IS DISTINCT FROM excluded.{c}" for c in compared)
        where = where or "false"
        self._con.execute(
            f"INSERT INTO {table} ({', '.join(columns)}, ingested_at) "
            f"SELECT *, ?::TIMESTAMP FROM incoming "
            f"ON CONFLICT ({key}) DO UPDATE SET {updates}, ingested_at = excluded.ingested_at "
            f"WHERE {where}",
            [ingested_at],
        )
        self._con.execute("DROP TABLE incoming")
        return UpsertCounts(inserted=fresh, updated=changed, unchanged=len(rows) - fresh - changed)

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
            "INSERT INTO snapshots VALUES (?, ?, ?, ?, ?, ?, ?)",
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

    def latest_snapshot(self) -> tuple[Any, ...] | None:
        return self._con.execute(
            "SELECT snapshot_id, as_of, known_at, model_hash, contacts, duration_ms, created_at "
            "FROM snapshots ORDER BY snapshot_id DESC LIMIT 1"
        ).fetchone()

    def ranked(self, snapshot_id: int, top: int | None, tier: str | None) -> list[tuple[Any, ...]]:
        """Scores of a snapshot joined to contact and company names, in rank order."""
        return self._con.execute(
            "SELECT s.contact_id, c.name, c.title, co.name, s.total, s.rank, s.tier, "
            "s.role, s.fit, s.engagement, s.intent, s.network FROM scores s "
            "JOIN contacts c USING (contact_id) LEFT JOIN companies co USING (company_id) "
            "WHERE s.snapshot_id = ? AND (?::VARCHAR IS NULL OR s.tier = ?) "
            "ORDER BY s.rank LIMIT ?",
            [snapshot_id, tier, tier, top if top is not None else 2**62],
        ).fetchall()

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
            "s.role, s.fit, s.engagement, s.intent, s.network FROM scores s "
            "JOIN contacts c USING (contact_id) LEFT JOIN companies co USING (company_id) "
            "WHERE s.snapshot_id = ? AND s.contact_id = ?",
            [snapshot_id, contact_id],
        ).fetchone()

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
