"""Resolve an import's ids to the records already stored, before anything is written.

A contact is the same person as a stored contact with the same email
(case-folded); a company is the same company as one with the same domain, the same normalized
name, or a normalized name at least NAME_SIMILARITY_THRESHOLD similar. Such a row takes the
existing id, and its own id is kept as an alias, so that later files naming it (events of that
contact, contacts of that company) land on the one record. Ids that are aliases of a merged or
resolved record are translated everywhere they appear: as a row's own id and in its contact_id and
company_id fields.
"""

from __future__ import annotations

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


def load_aliases(store: Store) -> dict[str, dict[str, str]]:
    """kind (contacts, companies) -> alias id -> canonical id."""
    found: dict[str, dict[str, str]] = {table: {} for table in OWN_KEYS}
    for kind, alias_id, canonical_id in store.query(
        "SELECT kind, alias_id, canonical_id FROM aliases"
    ):
        found.setdefault(kind, {})[alias_id] = canonical_id
    return found


@dataclass
class _Known:
    """The stored records of one kind by id and by identifying key."""

    ids: set[str] = field(default_factory=set)
    by_key: dict[str, str] = field(default_factory=dict)  # "email:…", "domain:…", "name:…" -> id
    names_by_block: dict[str, list[str]] = field(default_factory=dict)  # name keys, for fuzzy

    def add(self, record_id: str, keys: Sequence[str]) -> None:
        self.ids.add(record_id)
        for key in keys:
            if key not in self.by_key:
                self.by_key[key] = record_id
                if key.startswith("name:"):
                    name = key.removeprefix("name:")
                    self.names_by_block.setdefault(block_of(name), []).append(name)


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


def _stored_ids(store: Store, kind: str) -> _Known:
    """The stored ids only: keys are computed when a row with a new id first needs them, so a
    re-import of known records does not normalize every stored name."""
    return _Known(ids={row[0] for row in store.query(f"SELECT {OWN_KEYS[kind]} FROM {kind}")})


def _add_stored_keys(store: Store, kind: str, known: _Known) -> None:
    columns = _IDENTIFYING_COLUMNS[kind]
    for record_id, email, domain, name in store.query(f"SELECT {columns} FROM {kind} ORDER BY 1"):
        known.add(record_id, identity_keys(kind, {"email": email, "domain": domain, "name": name}))


class Resolver:
    """Rewrites the ids of one import's rows; `save` records the aliases it made."""

    def __init__(
        self,
        kind: str,
        aliases: dict[str, dict[str, str]],
        known: _Known | None,
        store: Store | None = None,
    ):
        self.kind = kind
        self.store = store
        self.aliases = aliases
        self.known = known
        self.made: list[Alias] = []
        self.in_file: dict[str, dict[str, Any]] = {}  # record id -> its first row in the file
        self.keys_loaded = False  # the stored records' keys (email, domain, name) are read

    @classmethod
    def load(cls, store: Store, kind: str) -> Resolver:
        """What resolving rows of `kind` needs from the store (read once per import)."""
        known = _stored_ids(store, kind) if kind in OWN_KEYS else None
        return cls(kind, load_aliases(store), known, store)

    @classmethod
    def empty(cls, kind: str) -> Resolver:
        """A resolver that knows no record yet (to compare stored records with each other)."""
        return cls(kind, {}, _Known())

    def canonical(self, table: str, record_id: str) -> str:
        return self.aliases.get(table, {}).get(record_id, record_id)

    def resolve(self, values: dict[str, Any]) -> dict[str, Any]:
        """The row with every contact and company id replaced by the record it names."""
        incoming = values.get(OWN_KEYS.get(self.kind, ""))
        for name, table in RECORD_TABLES.items():
            if values.get(name) is not None:
                values[name] = self.canonical(table, values[name])
        if self.known is None:
            return values
        self._resolve_own(values)
        record_id = values[OWN_KEYS[self.kind]]
        first = self.in_file.get(record_id)
        if first is None:
            self.in_file[record_id] = values
            if record_id != incoming:
                self._fill_from_stored(record_id, values)
        elif record_id != incoming:
            # Two rows of one file are one record: the first row's values, blanks filled from
            # this one; returning an equal row lets the importer count it as a repeat.
            first.update({k: v for k, v in values.items() if first.get(k) is None})
            return dict(first)
        return values

    def _fill_from_stored(self, record_id: str, values: dict[str, Any]) -> None:
        """Blanks of a row that is a stored record under another id keep the stored values."""
        if self.store is None:
            return
        key = OWN_KEYS[self.kind]
        columns = [
            c for c in FACT_COLUMNS[self.kind] if c in values and c not in (key, "source_file")
        ]
        rows = self.store.query(
            f"SELECT {', '.join(columns)} FROM {self.kind} WHERE {key} = ?", [record_id]
        )
        for column, stored in zip(columns, rows[0] if rows else (), strict=False):
            if values[column] is None:
                values[column] = stored

    def _resolve_own(self, values: dict[str, Any]) -> None:
        key_field = OWN_KEYS[self.kind]
        incoming = values[key_field]
        assert self.known is not None
        if incoming not in self.known.ids:
            if self.store is not None and not self.keys_loaded:
                _add_stored_keys(self.store, self.kind, self.known)
                self.keys_loaded = True
            found = self.match(values)
            if found is not None:
                self.made.append(Alias(self.kind, incoming, found.record_id, found.reason))
                self.aliases.setdefault(self.kind, {})[incoming] = found.record_id
                values[key_field] = found.record_id
        # Rows of one file with different ids are different records in that CRM: later rows are
        # not matched to them (`execrank dedupe` finds such pairs for review).
        self.known.ids.add(values[key_field])

    def remember(self, record_id: str, values: dict[str, Any]) -> None:
        """Let later rows match record_id by the keys of values."""
        assert self.known is not None
        self.known.add(record_id, identity_keys(self.kind, values))

    def match(self, values: dict[str, Any]) -> Match | None:
        """The record remembered so far that values identify: by an exact key, else by a
        normalized name at least NAME_SIMILARITY_THRESHOLD similar."""
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
        best = process.extractOne(
            name, candidates, scorer=fuzz.ratio, score_cutoff=NAME_SIMILARITY_THRESHOLD
        )
        if best is None:
            return None
        similar, similarity, _ = best
        return Match(
            self.known.by_key[f"name:{similar}"],
            f"similar name {similar} ~ {name} ({similarity:.1f})",
            float(similarity),
        )

    def save(self, store: Store, now: datetime) -> int:
        """Record the aliases made, for records the import stored; call inside its transaction.
        Returns how many rows took an existing record's id."""
        stored = store.existing_ids(self.kind, [a.canonical_id for a in self.made])
        kept = [a for a in self.made if a.canonical_id in stored]
        for alias in kept:
            store.execute(
                "INSERT OR REPLACE INTO aliases VALUES (?, ?, ?, ?, ?)",
                [alias.kind, alias.alias_id, alias.canonical_id, alias.reason, now],
            )
        return len(kept)
