"""Why execrank exists, shown on your data: the executives the executive model puts in its top N
that a generic click-count model (`scoring.GENERIC_POINTS`: +2 email click, +5 download, +1 page
view) does not, and the other way round. Both rank the latest snapshot's contacts on the same
facts (its as_of and known_at)."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from execrank import scoring
from execrank.service import RankedContact, latest_snapshot, rank
from execrank.store import Store

DEFAULT_TOP = 20
SCORE_DECIMALS = 2


@dataclass(frozen=True)
class Compared:
    """A contact in one model's top N but not the other's, with its place in both."""

    contact_id: str
    name: str | None
    title: str | None
    company: str | None
    executive_rank: int
    executive_total: float
    tier: str
    generic_rank: int
    generic_points: float

    def to_dict(self) -> dict[str, Any]:
        return {
            **asdict(self),
            "executive_total": round(self.executive_total, SCORE_DECIMALS),
            "generic_points": round(self.generic_points, SCORE_DECIMALS),
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


def _compared(contact: RankedContact, generic: tuple[float, int]) -> Compared:
    return Compared(
        contact.contact_id,
        contact.name,
        contact.title,
        contact.company,
        contact.rank,
        contact.total,
        contact.tier,
        generic[1],
        generic[0],
    )


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
    executive_only = [_compared(c, generic[c.contact_id]) for c in contacts[:top]]
    generic_only = [_compared(c, generic[c.contact_id]) for c in contacts]
    return Comparison(
        top,
        len(executive_top & generic_top),
        [c for c in executive_only if c.contact_id not in generic_top],
        sorted(
            (c for c in generic_only if c.contact_id in generic_top - executive_top),
            key=lambda c: c.generic_rank,
        ),
    )
