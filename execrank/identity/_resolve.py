"""Resolve an import's ids to the records already stored, before anything is written.

A contact is the same person as a stored contact with the same email
(case-folded); a company is the same company as one with the same domain, the same normalized
name, or a normalized name at least NAME_SIMILARITY_THRESHOLD similar that differs in no number,
direction or word (`may_be_one_company`). Such a row takes the
existing id, and its own id is kept as an alias, so that later files naming it (events of that
contact, contacts of that company) land on the one record. Ids that are aliases of a merged or
resolved record are translated everywhere they appear: as a row's own id and in its contact_id and
company_id fields.

An import resolves with set-based SQL over its table of good rows (`translated_ids`,
`resolve_new_ids`); only the rows that took another record's id, usually none, are merged with
that record in Python (`merge_into_records`). Rows of one file with different ids are different
records in that CRM: they are not matched to each other (`execrank dedupe` finds such pairs for
review), only to stored records, each new id by its first row in the file.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from rapidfuzz import fuzz, process

from execrank.identity._names import (
    NAME_SIMILARITY_THRESHOLD,
    block_of,
    company_name_key,
    domain_key,
    may_be_one_company,
)
from execrank.store import FACT_COLUMNS, Store

RECORD_TABLES = {"contact_id": "contacts", "company_id": "companies"}
"""The id fields that name a contact or a company, and the table that holds those records."""

OWN_KEYS = {table: key for key, table in RECORD_TABLES.items()}
"""The key field of each record table: contacts -> contact_id, companies -> company_id."""


EXACT_SCORE = 100.0
"""A match on an exact key (email, domain, normalized name), on the fuzzy matches' 0-100 scale."""


@dataclass(frozen=True)
class Match:
    """A stored record a row was found to be, why, and how sure (0-100)."""

    record_id: str
    reason: str
    score: float


@dataclass(frozen=True)
class Alias:
    """An id that names a record stored under another id, and why."""

    kind: str
    alias_id: str
    canonical_id: str
    reason: str
    score: float  # 0-100, as the Match's; below EXACT_SCORE the alias is a similarity merge


def load_aliases(store: Store, ids: Sequence[str] | None = None) -> dict[str, dict[str, str]]:
    """kind (contacts, companies) -> alias id -> canonical id; of these alias ids only, when
    given."""
    found: dict[str, dict[str, str]] = {table: {} for table in OWN_KEYS}
    where = f"WHERE alias_id IN ({', '.join('?' * len(ids))})" if ids else ""  # by the key index
    for kind, alias_id, canonical_id in store.query(
        f"SELECT kind, alias_id, canonical_id FROM aliases {where}", list(ids or [])
    ):
        found.setdefault(kind, {})[alias_id] = canonical_id
    return found


@dataclass
class _Known:
    """The stored records of one kind by id and by identifying key."""

    by_key: dict[str, str] = field(default_factory=dict)  # "email:…", "domain:…", "name:…" -> id
    names_by_block: dict[str, list[str]] = field(default_factory=dict)  # name keys, for fuzzy
    names: dict[str, str] = field(default_factory=dict)  # name key -> the name as given

    def add(self, record_id: str, values: dict[str, Any], keys: Sequence[str]) -> None:
        for key in keys:
            if key not in self.by_key:
                self.by_key[key] = record_id
                if key.startswith("name:"):
                    name = key.removeprefix("name:")
                    self.names_by_block.setdefault(block_of(name), []).append(name)
                    self.names[name] = values["name"]


def identity_keys(kind: str, values: dict[str, Any]) -> list[str]:
    """The keys that identify a contact (its email) or a company (domain, normalized name)."""
    if kind == "contacts":
        email = values.get("email")
        return [f"email:{email.casefold()}"] if email else []
    keys = []
    domain = domain_key(values.get("domain"))
    if domain:
        keys.append(f"domain:{domain}")
    name = company_name_key(values.get("name"))
    if name:
        keys.append(f"name:{name}")
    return keys


_IDENTIFYING_COLUMNS = {
    "contacts": "contact_id, email, NULL, NULL",
    "companies": "company_id, NULL, domain, name",
}


def _add_stored_keys(store: Store, kind: str, known: _Known) -> None:
    columns = _IDENTIFYING_COLUMNS[kind]
    for record_id, email, domain, name in store.query(f"SELECT {columns} FROM {kind} ORDER BY 1"):
        values = {"email": email, "domain": domain, "name": name}
        known.add(record_id, values, identity_keys(kind, values))


class Resolver:
    """Finds which remembered record a company's or contact's values identify (enrichment and
    merge review remember records, then ask `match`)."""

    def __init__(self, kind: str, known: _Known):
        self.kind = kind
        self.known = known

    @classmethod
    def empty(cls, kind: str) -> Resolver:
        """A resolver that knows no record yet (to compare stored records with each other)."""
        return cls(kind, _Known())

    @classmethod
    def stored(cls, store: Store, kind: str) -> Resolver:
        """A resolver that knows every stored record of `kind` by its identifying keys."""
        resolver = cls.empty(kind)
        _add_stored_keys(store, kind, resolver.known)
        return resolver

    def remember(self, record_id: str, values: dict[str, Any]) -> None:
        """Let later rows match record_id by the keys of values."""
        assert self.known is not None
        self.known.add(record_id, values, identity_keys(self.kind, values))

    def match(self, values: dict[str, Any]) -> Match | None:
        """The record remembered so far that values identify: by an exact key, else by a
        normalized name at least NAME_SIMILARITY_THRESHOLD similar whose name may be one
        company with values' (`may_be_one_company`: no number, direction or word differs)."""
        assert self.known is not None
        keys = identity_keys(self.kind, values)
        for key in keys:
            if key in self.known.by_key:
                kind, _, value = key.partition(":")
                return Match(self.known.by_key[key], f"same {kind} {value}", EXACT_SCORE)
        name = next((k.removeprefix("name:") for k in keys if k.startswith("name:")), None)
        if name is None:
            return None
        candidates = self.known.names_by_block.get(block_of(name), [])
        similar_names = process.extract(
            name, candidates, scorer=fuzz.ratio, score_cutoff=NAME_SIMILARITY_THRESHOLD, limit=None
        )
        best = next(
            (
                (similar, similarity)
                for similar, similarity, _ in similar_names
                if may_be_one_company(values["name"], self.known.names[similar])
            ),
            None,
        )
        if best is None:
            return None
        similar, similarity = best
        return Match(
            self.known.by_key[f"name:{similar}"],
            f"similar name {similar} ~ {name} ({similarity:.1f})",
            float(similarity),
        )


def translated_ids(fields: Sequence[str]) -> tuple[dict[str, str], list[str]]:
    """(field -> SQL expression, joins) that give each of `fields` naming a contact or a
    company the record it names (its alias's canonical id), reading the rows as `v`."""
    expressions, joins = {}, []
    for index, name in enumerate(f for f in fields if f in RECORD_TABLES):
        joins.append(
            f"LEFT JOIN aliases a{index} ON a{index}.kind = '{RECORD_TABLES[name]}' "
            f"AND a{index}.alias_id = v.{name}"
        )
        expressions[name] = f"coalesce(a{index}.canonical_id, v.{name})"
    return expressions, joins


def canonical_ids(store: Store, values: dict[str, Any]) -> dict[str, Any]:
    """One row's values with each id naming a contact or a company given the record it names
    (an alias's canonical id), as `translated_ids` gives an import's rows."""
    named = {name: values[name] for name in RECORD_TABLES if values.get(name) is not None}
    aliases = load_aliases(store, list(named.values()))
    return {
        **values,
        **{name: aliases[RECORD_TABLES[name]].get(v, v) for name, v in named.items()},
    }


def resolve_new_ids(store: Store, kind: str, table: str) -> list[Alias]:
    """Give the rows of `table` (an import's rows of contacts or companies, with `row`) whose id
    names no stored record the id of the stored record their first row's keys identify; return
    the aliases that makes (not yet saved)."""
    key = OWN_KEYS[kind]
    firsts = (
        f"SELECT g.* FROM {table} g JOIN (SELECT {key}, min(row) AS row FROM {table} GROUP BY 1) "
        f"f USING (row) ANTI JOIN {kind} s ON s.{key} = g.{key}"
    )
    if kind == "contacts":
        # the email key of the stored contacts, each the first id (in order) that holds it
        found = store.query(
            f"SELECT n.contact_id, k.contact_id, n.email FROM ({firsts}) n JOIN "
            "(SELECT lower(email) AS email, min(contact_id) AS contact_id FROM contacts "
            "WHERE email IS NOT NULL GROUP BY 1) k USING (email) ORDER BY 1"
        )
        made = [
            Alias(kind, new, stored, f"same email {email}", EXACT_SCORE)
            for new, stored, email in found
        ]
    else:
        new = store.query(f"SELECT {key}, domain, name FROM ({firsts}) n ORDER BY 1")
        made = []
        if new and store.count(kind):
            resolver = Resolver.stored(store, kind)
            for record_id, domain, name in new:
                match = resolver.match({"domain": domain, "name": name})
                if match is not None:
                    made.append(Alias(kind, record_id, match.record_id, match.reason, match.score))
    if made:
        store.load_columns(
            "import_new_aliases",
            {
                "alias_id": [a.alias_id for a in made],
                "canonical_id": [a.canonical_id for a in made],
            },
        )
        store.execute(
            f"UPDATE {table} SET {key} = a.canonical_id FROM import_new_aliases a "
            f"WHERE {table}.{key} = a.alias_id"
        )
        store.execute("DROP TABLE import_new_aliases")
    return made


def merge_into_records(
    store: Store, kind: str, rows: list[dict[str, Any]], incoming: list[str]
) -> list[dict[str, Any]]:
    """Rows (in file order) of the records some row of an import was resolved to, `incoming`
    holding each row's own id as the file gave it: a row that took another record's id keeps
    that record's stored values where it has blanks; a later row of a record already seen fills
    the first row's blanks and becomes a copy of it (so the import counts it as a repeat)."""
    key = OWN_KEYS[kind]
    first_of: dict[str, dict[str, Any]] = {}
    merged = []
    for values, own in zip(rows, incoming, strict=True):
        record_id = values[key]
        first = first_of.get(record_id)
        if first is None:
            first_of[record_id] = values
            if record_id != own:
                _fill_from_stored(store, kind, record_id, values)
        elif record_id != own:
            first.update({k: v for k, v in values.items() if first.get(k) is None and k != "row"})
            values = {**first, "row": values["row"]}
        merged.append(values)
    return merged


def _fill_from_stored(store: Store, kind: str, record_id: str, values: dict[str, Any]) -> None:
    """Blanks of a row that is a stored record under another id keep the stored values."""
    key = OWN_KEYS[kind]
    columns = [c for c in FACT_COLUMNS[kind] if c in values and c not in (key, "source_file")]
    rows = store.query(f"SELECT {', '.join(columns)} FROM {kind} WHERE {key} = ?", [record_id])
    for column, stored in zip(columns, rows[0] if rows else (), strict=False):
        if values[column] is None:
            values[column] = stored


def save_aliases(store: Store, made: Sequence[Alias], now: datetime, *, file: str) -> int:
    """Record the aliases an import of `file` made, for records it stored, and each one made on a
    similar name as a merge (so `execrank merges` lists it for review); call inside the import's
    transaction. Returns how many aliases it recorded."""
    stored = store.existing_ids(made[0].kind, [a.canonical_id for a in made]) if made else set()
    kept = [a for a in made if a.canonical_id in stored]
    for alias in kept:
        record_alias(store, (alias.kind, alias.alias_id, alias.canonical_id), alias.reason, now)
        if alias.score < EXACT_SCORE:
            record_merge(
                store,
                (alias.kind, alias.canonical_id, alias.alias_id),
                reason=f"import of {file}: {alias.reason}",
                score=alias.score,
                moved=({}, 0),
                actor=IMPORT_ACTOR,
                now=now,
            )
    return len(kept)


def record_alias(
    store: Store,
    ids: tuple[str, str, str],
    reason: str,
    now: datetime,
    *,
    email: str | None = None,
) -> None:
    """Add (or replace) an `aliases` row: ids is (kind, alias id, canonical id); email is a
    merged-away contact's, case-folded, for `erase --email` to find the contact it is now."""
    store.execute(
        "INSERT OR REPLACE INTO aliases (kind, alias_id, canonical_id, reason, created_at, email) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        [*ids, reason, now, email],
    )


IMPORT_ACTOR = "import"
"""The actor of the merges an import makes (a row resolved to a stored record by a similar name)."""


def record_merge(
    store: Store,
    records: tuple[str, str, str],
    *,
    reason: str,
    score: float | None,
    moved: tuple[dict[str, int], int],
    actor: str,
    now: datetime,
) -> int:
    """Add a `merges` row: records is (kind, kept id, merged id), moved (rows moved per table,
    rows dropped). Returns its merge_id."""
    merge_id = int(store.query("SELECT nextval('merge_ids')")[0][0])
    detail, dropped = moved
    store.execute(
        "INSERT INTO merges VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            merge_id,
            *records,
            reason,
            score,
            sum(detail.values()),
            dropped,
            json.dumps(detail, sort_keys=True),
            actor,
            now,
        ],
    )
    return merge_id
