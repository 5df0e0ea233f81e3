"""Why execrank exists, shown on your data: the executives the executive model puts in its top N
that a generic click-count model (`scoring.GENERIC_POINTS`: +2 email click, +5 download, +1 page
view) does not, and the other way round. Both rank the latest snapshot's contacts on the same
facts (its as_of and known_at)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from execrank import scoring
from execrank.service import JSON_DECIMALS, RankedContact, latest_snapshot, rank
from execrank.store import Store

DEFAULT_TOP = 20


@dataclass(frozen=True)
class Compared:
    """A contact in one model's top N but not the other's: its place in the snapshot (the
    executive model) and under the generic model."""

    contact: RankedContact
    generic_rank: int
    generic_points: float

    def to_dict(self) -> dict[str, Any]:
        c = self.contact
        return {
            "contact_id": c.contact_id,
            "name": c.name,
            "title": c.title,
            "company": c.company,
            "executive_rank": c.rank,
            "executive_total": round(c.total, JSON_DECIMALS),
            "tier": c.tier,
            "generic_rank": self.generic_rank,
            "generic_points": round(self.generic_points, JSON_DECIMALS),
        }


@dataclass(frozen=True)
class Comparison:
    top: int
    both: int  # contacts in both top N
    executive_only: list[Compared]  # in the executive top N only, by executive rank
    generic_only: list[Compared]  # in the generic top N only, by generic rank

    def to_dict(self) -> dict[str, Any]:
        return {
            "top": self.top,
            "both": self.both,
            "executive_only": [c.to_dict() for c in self.executive_only],
            "generic_only": [c.to_dict() for c in self.generic_only],
        }


def compare_generic(store: Store, *, top: int = DEFAULT_TOP) -> Comparison:
    """The latest snapshot's top `top` against the generic model's."""
    snapshot = latest_snapshot(store)
    generic = {
        contact_id: (points, place)
        for contact_id, points, place in store.query(
            scoring.generic_query(snapshot.as_of, snapshot.known_at)
        )
    }
    contacts = rank(store)
    executive_top = {c.contact_id for c in contacts[:top]}
    generic_top = {c for c, (_, place) in generic.items() if place <= top}

    def compared(contact: RankedContact) -> Compared:
        points, place = generic[contact.contact_id]
        return Compared(contact, place, points)

    generic_only = [compared(c) for c in contacts if c.contact_id in generic_top - executive_top]
    return Comparison(
        top,
        len(executive_top & generic_top),
        [compared(c) for c in contacts[:top] if c.contact_id not in generic_top],
        sorted(generic_only, key=lambda c: c.generic_rank),
    )
