"""Merge two stored records that are one person or one company, and review the merges.

`merge` moves every fact of the merged record to the kept one, in one transaction: rows of every
table with a contact_id (or company_id) column, found in the store's catalog so that tables added
later are covered; snapshot history (tables with a snapshot_id) stays as it was scored. A fact
both records hold (same natural key) is kept once. The kept record's empty fields are filled from
the merged one, the merged id becomes an alias of the kept one, and a `merges` row records when,
why, by whom and how many rows moved. Scores are never added up: the next `score` computes the
kept record from the union of the facts.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from execrank.errors import ExecrankError, NotFoundError
from execrank.identity import (
    OWN_KEYS,
    Match,
    Resolver,
    load_aliases,
    record_alias,
    record_merge,
)
from execrank.ingest._import import _natural_id
from execrank.ingest._schema import NATURAL_KEYS
from execrank.store import FACT_COLUMNS, Store

HISTORY_COLUMN = "snapshot_id"
"""Tables with this column hold scores as they were computed; a merge leaves them alone."""


@dataclass(frozen=True)
class MergeRecord:
    """One merge as the `merges` table records it."""

    merge_id: int
    kind: str
    kept_id: str
    merged_id: str
    reason: str
    score: float | None
    rows_moved: int
    rows_dropped: int
    detail: dict[str, int]  # table -> rows moved
    actor: str
    merged_at: datetime


@dataclass(frozen=True)
class Duplicate:
    """Two stored records found to be one: the older (kept) and the newer (merged)."""

    kind: str
    kept_id: str
    merged_id: str
    reason: str
    score: float


def _check(store: Store, kind: str, kept_id: str, merged_id: str) -> str:
    if kind not in OWN_KEYS:
        raise ExecrankError(f"cannot merge {kind!r}: only {' or '.join(OWN_KEYS)}")
    if kept_id == merged_id:
        raise ExecrankError(f"cannot merge {kept_id!r} with itself")
    column = OWN_KEYS[kind]
    missing = [i for i in (kept_id, merged_id) if i not in store.existing_ids(kind, [i])]
    if missing:
        canonical = load_aliases(store)[kind].get(missing[0])
        if canonical is not None:
            raise NotFoundError(
                f"{kind[:-1]} {missing[0]!r} was merged into {canonical!r} already; nothing changed"
            )
        raise NotFoundError(f"no {kind[:-1]} {missing[0]!r} in {store.path}")
    return column


def _rekey(store: Store, table: str, column: str, kept_id: str, merged_id: str) -> int:
    """Give the merged record's rows that are keyed by a hash of their natural key the key they
    would have under the kept id (so re-importing either file still changes nothing); drop a row
    whose new key is already stored (the same fact, held by both). Returns rows dropped."""
    columns = FACT_COLUMNS[table]
    key = columns[0]
    dropped = 0
    for row in store.query(
        f"SELECT {', '.join(columns)} FROM {table} WHERE {column} = ?", [merged_id]
    ):
        values: dict[str, Any] = dict(zip(columns, row, strict=True))
        if values[key] != _natural_id(table, values):
            continue
        new_key = _natural_id(table, {**values, column: kept_id})
        if store.existing_ids(table, [new_key]):
            store.execute(f"DELETE FROM {table} WHERE {key} = ?", [values[key]])
            dropped += 1
        else:
            store.execute(f"UPDATE {table} SET {key} = ? WHERE {key} = ?", [new_key, values[key]])
    return dropped


def _drop_key_clashes(store: Store, table: str, column: str, kept_id: str, merged_id: str) -> int:
    """Delete the merged record's rows whose primary key, with the kept id, is already taken."""
    key = store.primary_key(table)
    if column not in key:
        return 0
    same = " AND ".join(f"k.{c} IS NOT DISTINCT FROM {table}.{c}" for c in key if c != column)
    condition = (
        f"{column} = ? AND EXISTS "
        f"(SELECT 1 FROM {table} k WHERE k.{column} = ? AND {same or 'true'})"
    )
    count = store.query(f"SELECT count(*) FROM {table} WHERE {condition}", [merged_id, kept_id])
    store.execute(f"DELETE FROM {table} WHERE {condition}", [merged_id, kept_id])
    return int(count[0][0])


def _move_facts(
    store: Store, kind: str, column: str, kept_id: str, merged_id: str
) -> tuple[dict[str, int], int]:
    moved: dict[str, int] = {}
    dropped = 0
    history = set(store.tables_with_column(HISTORY_COLUMN))
    for table in store.tables_with_column(column):
        if table == kind or table in history:
            continue
        if table in NATURAL_KEYS and table in FACT_COLUMNS:
            dropped += _rekey(store, table, column, kept_id, merged_id)
        dropped += _drop_key_clashes(store, table, column, kept_id, merged_id)
        count = store.query(f"SELECT count(*) FROM {table} WHERE {column} = ?", [merged_id])
        store.execute(f"UPDATE {table} SET {column} = ? WHERE {column} = ?", [kept_id, merged_id])
        if count[0][0]:
            moved[table] = int(count[0][0])
    return moved, dropped


def _email(store: Store, kind: str, record_id: str) -> str | None:
    """A contact's email, case-folded (None for a company)."""
    if "email" not in FACT_COLUMNS[kind]:
        return None
    found = store.query(f"SELECT lower(email) FROM {kind} WHERE {OWN_KEYS[kind]} = ?", [record_id])
    return str(found[0][0]) if found[0][0] else None


def _absorb_record(store: Store, kind: str, column: str, kept_id: str, merged_id: str) -> None:
    """Fill the kept record's empty fields from the merged one, then delete the merged one."""
    fields = [c for c in FACT_COLUMNS[kind][1:] if c != "source_file"]
    filled = ", ".join(f"{c} = coalesce({kind}.{c}, m.{c})" for c in fields)
    store.execute(
        f"UPDATE {kind} SET {filled} FROM (SELECT * FROM {kind} WHERE {column} = ?) m "
        f"WHERE {kind}.{column} = ?",
        [merged_id, kept_id],
    )
    store.execute(f"DELETE FROM {kind} WHERE {column} = ?", [merged_id])


def merge(
    store: Store,
    kind: str,
    kept_id: str,
    merged_id: str,
    *,
    reason: str,
    actor: str,
    now: datetime,
    score: float | None = None,
) -> MergeRecord:
    """Merge record merged_id into kept_id (kind: contacts or companies); one transaction."""
    with store.transaction():
        column = _check(store, kind, kept_id, merged_id)
        merged_email = _email(store, kind, merged_id)
        moved, dropped = _move_facts(store, kind, column, kept_id, merged_id)
        _absorb_record(store, kind, column, kept_id, merged_id)
        store.execute(
            "UPDATE aliases SET canonical_id = ? WHERE kind = ? AND canonical_id = ?",
            [kept_id, kind, merged_id],
        )
        record_alias(
            store, (kind, merged_id, kept_id), f"merged: {reason}", now, email=merged_email
        )
        merge_id = record_merge(
            store,
            (kind, kept_id, merged_id),
            reason=reason,
            score=score,
            moved=(moved, dropped),
            actor=actor,
            now=now,
        )
    return MergeRecord(
        merge_id,
        kind,
        kept_id,
        merged_id,
        reason,
        score,
        sum(moved.values()),
        dropped,
        moved,
        actor,
        now,
    )


def merges(store: Store) -> list[MergeRecord]:
    """Every merge, oldest first."""
    rows = store.query(
        "SELECT merge_id, kind, kept_id, merged_id, reason, score, rows_moved, rows_dropped, "
        "detail, actor, merged_at FROM merges ORDER BY merge_id"
    )
    return [
        MergeRecord(
            merge_id,
            kind,
            kept,
            merged,
            reason,
            score,
            moved,
            dropped,
            json.loads(detail),
            actor,
            when,
        )
        for merge_id, kind, kept, merged, reason, score, moved, dropped, detail, actor, when in rows
    ]


def find_duplicates(store: Store, kind: str) -> list[Duplicate]:
    """Stored records that are one (same email; same domain, normalized name or a near-identical
    one), each newer record paired with the oldest it matches."""
    if kind not in OWN_KEYS:
        raise ExecrankError(f"cannot look for duplicate {kind!r}: only {' or '.join(OWN_KEYS)}")
    column = OWN_KEYS[kind]
    fields = "email" if kind == "contacts" else "name, domain"
    resolver = Resolver.empty(kind)
    found = []
    rows = store.query(f"SELECT {column}, {fields} FROM {kind} ORDER BY ingested_at, {column}")
    for record_id, *rest in rows:
        values = dict(zip(fields.split(", "), rest, strict=True))
        match: Match | None = resolver.match(values)
        if match is None:
            resolver.remember(record_id, values)
        else:
            found.append(Duplicate(kind, match.record_id, record_id, match.reason, match.score))
    return found


def dedupe(store: Store, kind: str, *, actor: str, now: datetime) -> list[MergeRecord]:
    """Merge every pair `find_duplicates` finds, each in its own transaction."""
    return [
        merge(
            store,
            kind,
            d.kept_id,
            d.merged_id,
            reason=d.reason,
            actor=actor,
            now=now,
            score=d.score,
        )
        for d in find_duplicates(store, kind)
    ]
