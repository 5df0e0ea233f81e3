"""Routing: who follows up each contact, from its tier in the latest snapshot.

The model's `routing` maps a tier to a pool of reps (in round-robin order, each with an optional
capacity in contacts). A contact is routed when it enters a tier: it has no assignment yet, or
its assignment was made for another tier. A contact whose tier did not change keeps its rep,
however often it is rescored, so each tier entry routes exactly once. On entry, in this order:

1. a contact with no assignment yet keeps the owner its CRM gave it (`contacts.owner`), whatever
   the pool: existing owners are respected until the tier changes;
2. account affinity: the rep of the pool who already follows another contact of the same company
   takes it, if within capacity;
3. round robin: the next rep of the pool, from where the last routing of this tier stopped,
   skipping reps at capacity.

A contact that leaves every tier with a pool (tier `-`, or a tier without a pool) is released.
When every rep of the pool is at capacity the contact stays unassigned, is reported, and is
routed by a later run that finds room. `plan` is pure; `route` reads and writes the store.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

from execrank.model import Pool, ScoringModel
from execrank.store import Store

KEPT_OWNER = "existing owner kept"
RELEASED = "released: no pool for tier"
NO_CAPACITY = "no capacity"


@dataclass(frozen=True)
class Routable:
    """A contact as routing sees it: its tier in the snapshot, company and CRM owner."""

    contact_id: str
    company_id: str | None
    owner: str | None
    tier: str


@dataclass(frozen=True)
class Assignment:
    contact_id: str
    company_id: str | None
    tier: str
    rep: str


@dataclass(frozen=True)
class Move:
    """One routing decision: the contact's new rep (None: released or no capacity) and why."""

    contact_id: str
    tier: str
    previous_tier: str | None
    previous_rep: str | None
    rep: str | None
    reason: str


@dataclass
class Plan:
    """Moves in decision order, and where each pool's round robin stands afterwards."""

    moves: list[Move] = field(default_factory=list)
    cursors: dict[str, int] = field(default_factory=dict)


class _Pools:
    """Pool state during one plan: each rep's load and the company -> rep of each tier."""

    def __init__(self, model: ScoringModel, current: dict[str, Assignment]) -> None:
        self.load = Counter(a.rep for a in current.values())
        self.accounts: dict[tuple[str, str | None], str] = {
            (a.tier, a.company_id): a.rep for a in current.values() if a.company_id is not None
        }

    def has_room(self, pool: Pool, rep: str) -> bool:
        capacity = next(r.capacity for r in pool.reps if r.name == rep)
        return capacity is None or self.load[rep] < capacity

    def take(self, assignment: Assignment) -> None:
        self.load[assignment.rep] += 1
        if assignment.company_id is not None:
            self.accounts.setdefault((assignment.tier, assignment.company_id), assignment.rep)

    def drop(self, assignment: Assignment) -> None:
        self.load[assignment.rep] -= 1


def _choose(
    contact: Routable, pool: Pool, pools: _Pools, cursors: dict[str, int], first: bool
) -> tuple[str | None, str]:
    """(rep, reason) for a contact entering `contact.tier`, whose pool is `pool`."""
    if first and contact.owner:
        return contact.owner, KEPT_OWNER
    names = [rep.name for rep in pool.reps]
    account_rep = pools.accounts.get((contact.tier, contact.company_id))
    if account_rep in names and pools.has_room(pool, account_rep):
        return account_rep, f"account {contact.company_id} is with {account_rep}"
    start = cursors.get(contact.tier, 0)
    for step in range(len(names)):
        index = (start + step) % len(names)
        if pools.has_room(pool, names[index]):
            cursors[contact.tier] = (index + 1) % len(names)
            return names[index], f"round robin in the {pool.seniority} pool of tier {contact.tier}"
    return None, f"{NO_CAPACITY}: every rep of the {pool.seniority} pool is full"


def plan(
    model: ScoringModel,
    contacts: list[Routable],
    current: dict[str, Assignment],
    cursors: dict[str, int],
) -> Plan:
    """The moves that bring `current` assignments in line with `contacts` (best rank first)."""
    pools = _Pools(model, current)
    result = Plan(cursors=dict(cursors))
    for contact in contacts:
        held = current.get(contact.contact_id)
        if held is not None and held.tier == contact.tier:
            continue  # routed when it entered this tier: never again while it stays
        pool = model.pool_for(contact.tier)
        if held is not None:
            pools.drop(held)
        was_tier, was_rep = (held.tier, held.rep) if held else (None, None)
        if pool is None:
            if held is not None:
                release = Move(contact.contact_id, contact.tier, was_tier, was_rep, None, RELEASED)
                result.moves.append(release)
            continue
        rep, reason = _choose(contact, pool, pools, result.cursors, first=held is None)
        if rep is not None:
            pools.take(Assignment(contact.contact_id, contact.company_id, contact.tier, rep))
        result.moves.append(Move(contact.contact_id, contact.tier, was_tier, was_rep, rep, reason))
    return result


@dataclass(frozen=True)
class Routing:
    """What `route` did (or, dry, would do) for one snapshot."""

    snapshot_id: int
    moves: list[Move]
    dry_run: bool

    @property
    def assigned(self) -> list[Move]:
        return [m for m in self.moves if m.rep is not None]

    @property
    def waiting(self) -> list[Move]:
        """Contacts in a tier with a pool that found no rep with room."""
        return [m for m in self.moves if m.rep is None and m.reason.startswith(NO_CAPACITY)]


def route(
    store: Store, model: ScoringModel, snapshot_id: int, *, now: datetime, dry_run: bool = False
) -> Routing:
    """Route the contacts of a snapshot with `model`'s pools; store the assignments unless
    `dry_run`. One transaction: a second run with no tier change moves nobody."""
    with store.transaction():
        contacts = [Routable(*row) for row in store.routable(snapshot_id)]
        current = {row[0]: Assignment(*row) for row in store.assignments()}
        done = plan(model, contacts, current, store.routing_cursors())
        if not dry_run:
            store.save_routing(
                [
                    (m.contact_id, m.tier, m.previous_tier, m.previous_rep, m.rep, m.reason)
                    for m in done.moves
                ],
                done.cursors,
                snapshot_id=snapshot_id,
                now=now,
            )
    return Routing(snapshot_id, done.moves, dry_run)
