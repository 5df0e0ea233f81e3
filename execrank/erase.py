"""Erase one person (a data-protection request): their contact record and every row about them.

The tables are found in the store's catalog, so tables added later are covered: every table with a
contact_id column (facts, adjustments, snapshot scores…); rows keyed by the ids of the facts
removed (topic matches of their signals…); the aliases and merges naming them; and title
classifications no other contact holds. All in one transaction.
"""

from __future__ import annotations

from dataclasses import dataclass

from execrank.errors import NotFoundError
from execrank.store import Store

PERSON_COLUMN = "contact_id"
IN_LIST = "IN (SELECT unnest(?::VARCHAR[]))"


@dataclass(frozen=True)
class Erasure:
    """Who was erased and how many rows each table lost."""

    email: str
    contact_ids: list[str]
    removed: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.removed.values())


def _person_ids(store: Store, email: str) -> list[str]:
    """The contacts with this email (stored case-folded by the import) or that absorbed a merged
    contact with it (its alias keeps the email), and their aliases."""
    found = [
        row[0]
        for row in store.query(
            "SELECT contact_id FROM contacts WHERE lower(email) = ? UNION "
            "SELECT canonical_id FROM aliases WHERE kind = 'contacts' AND email = ? ORDER BY 1",
            [email, email],
        )
    ]
    if not found:
        raise NotFoundError(f"no contact with email {email!r} in {store.path}; nothing was removed")
    aliases = store.query(
        f"SELECT alias_id FROM aliases WHERE kind = 'contacts' AND canonical_id {IN_LIST} "
        "ORDER BY 1",
        [found],
    )
    return found + [row[0] for row in aliases]


def _delete(store: Store, table: str, condition: str, parameters: list[object]) -> int:
    count = store.query(f"SELECT count(*) FROM {table} WHERE {condition}", parameters)[0][0]
    if count:
        store.execute(f"DELETE FROM {table} WHERE {condition}", parameters)
    return int(count)


def _erase_rows(store: Store, ids: list[str]) -> dict[str, int]:
    """Delete every row with one of ids as contact_id, then the rows keyed by the removed rows'
    own keys in other tables (one level: e.g. signal_id in the topic-match tables)."""
    removed: dict[str, int] = {}
    removed_keys: dict[str, list[str]] = {}
    for table in store.tables_with_column(PERSON_COLUMN):
        key = store.primary_key(table)
        if len(key) == 1 and key[0] != PERSON_COLUMN:
            rows = store.query(
                f"SELECT {key[0]} FROM {table} WHERE {PERSON_COLUMN} {IN_LIST}", [ids]
            )
            removed_keys.setdefault(key[0], []).extend(str(row[0]) for row in rows)
        removed[table] = _delete(store, table, f"{PERSON_COLUMN} {IN_LIST}", [ids])
    for column, keys in removed_keys.items():
        for table in store.tables_with_column(column):
            if keys and table not in removed:
                removed[table] = _delete(store, table, f"{column} {IN_LIST}", [keys])
    return removed


def erase(store: Store, *, email: str) -> Erasure:
    """Remove the contact(s) with this email and every row about them; one transaction."""
    email = email.strip().casefold()
    with store.transaction():
        ids = _person_ids(store, email)
        titles = [
            row[0]
            for row in store.query(f"SELECT title FROM contacts WHERE contact_id {IN_LIST}", [ids])
        ]
        removed = _erase_rows(store, ids)
        removed["aliases"] = _delete(
            store,
            "aliases",
            f"kind = 'contacts' AND (alias_id {IN_LIST} OR canonical_id {IN_LIST})",
            [ids, ids],
        )
        removed["merges"] = _delete(
            store,
            "merges",
            f"kind = 'contacts' AND (kept_id {IN_LIST} OR merged_id {IN_LIST})",
            [ids, ids],
        )
        removed["titles"] = _delete(
            store,
            "titles",
            f"title {IN_LIST} AND title NOT IN "
            "(SELECT title FROM contacts WHERE title IS NOT NULL)",
            [titles],
        )
    return Erasure(email, ids, {t: n for t, n in sorted(removed.items()) if n})
