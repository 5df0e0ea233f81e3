"""The dashboard's read use cases: each page and its JSON twin are built from one of these.

Every function takes the `Viewer`, and a rep's view is filtered in the store query itself
(`owner`), so a rep never receives another owner's contact.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from typing import Any

from execrank import service
from execrank.errors import InputError, NotFoundError
from execrank.store import Store
from execrank.web._tokens import Viewer

TOP_SIZE = 10  # the overview's top list
TREND_WEEKS = 12  # the heat trend's span
PREVIOUS_WEEK = timedelta(days=7)  # new entrants are compared with a snapshot this much older
QUEUE_TIERS = ("A", "B", "C")
TIERS = (*QUEUE_TIERS, "-")  # "-": the contacts no tier rule takes
QUEUE_SIZE = 100  # contacts per queue page, and the ranks the API gives by default
MAX_RANKS = 10_000  # the most ranks one API call returns
DECIMALS = service.JSON_DECIMALS


def snapshot_dict(snapshot: service.Snapshot) -> dict[str, Any]:
    return {
        "snapshot_id": snapshot.snapshot_id,
        "as_of": snapshot.as_of.isoformat(),
        "known_at": snapshot.known_at.isoformat(),
        "model_hash": snapshot.model_hash,
        "contacts": snapshot.contacts,
    }


def _snapshot(row: tuple[Any, ...]) -> service.Snapshot:
    snapshot_id, as_of, known_at, model_hash, contacts, duration_ms = row[:6]
    return service.Snapshot(snapshot_id, as_of, known_at, model_hash, contacts, duration_ms)


@dataclass(frozen=True)
class TrendPoint:
    """The newest snapshot of one week: its mean heat over the contacts the viewer sees."""

    as_of: datetime
    snapshot_id: int
    mean_heat: float
    contacts: int

    def to_dict(self) -> dict[str, Any]:
        return {
            **asdict(self),
            "as_of": self.as_of.isoformat(),
            "mean_heat": round(self.mean_heat, DECIMALS),
        }


@dataclass(frozen=True)
class Overview:
    snapshot: service.Snapshot
    previous: service.Snapshot | None
    top: list[service.RankedContact]
    entrants: list[service.RankedContact]
    tier_counts: dict[str, int]
    heat_trend: list[TrendPoint]

    def to_dict(self) -> dict[str, Any]:
        return {
            "snapshot": snapshot_dict(self.snapshot),
            "previous_snapshot": snapshot_dict(self.previous) if self.previous else None,
            "top": [c.to_dict() for c in self.top],
            "new_entrants": [c.to_dict() for c in self.entrants],
            "tier_counts": self.tier_counts,
            "heat_trend": [p.to_dict() for p in self.heat_trend],
        }


class Aggregates:
    """Figures over a whole snapshot, computed once per app: mean heat and tier counts per
    (snapshot, owner), which never change (a snapshot's scores are written once; live updates
    go beside them), and the tier counts of the current view per version of the live rows.
    It grows by an entry per snapshot and owner asked for, and per version of the live rows
    seen (a few numbers each)."""

    def __init__(self) -> None:
        self._heat: dict[tuple[int, str | None], tuple[float, int]] = {}
        self._tiers: dict[tuple[Any, ...], dict[str, int]] = {}

    def mean_heat(
        self, store: Store, snapshot_ids: list[int], owner: str | None
    ) -> dict[int, tuple[float, int]]:
        missing = [s for s in snapshot_ids if (s, owner) not in self._heat]
        if missing:
            for snapshot_id, found in store.mean_heat(missing, owner).items():
                self._heat[(snapshot_id, owner)] = found
        return {s: self._heat.get((s, owner), (0.0, 0)) for s in snapshot_ids}

    def tier_counts(self, store: Store, snapshot_id: int, owner: str | None) -> dict[str, int]:
        """The tier counts of the current view: the snapshot's, with each contact updated
        live since moved from its snapshot tier to its live one."""
        scored = (snapshot_id, owner)
        if scored not in self._tiers:
            counts = store.tier_counts(snapshot_id, owner)
            self._tiers[scored] = {tier: counts.get(tier, 0) for tier in TIERS}
        current = (*scored, *store.live_version(snapshot_id))
        if current not in self._tiers:
            counts = dict(self._tiers[scored])
            for before, now in store.live_tier_moves(snapshot_id, owner):
                if before is not None:
                    counts[before] -= 1
                counts[now] += 1
            self._tiers[current] = counts
        return self._tiers[current]


def _trend(
    store: Store, snapshot: service.Snapshot, owner: str | None, cache: Aggregates
) -> list[TrendPoint]:
    weekly = store.weekly_snapshots(snapshot.as_of, TREND_WEEKS)
    means = cache.mean_heat(store, [snapshot_id for snapshot_id, _ in weekly], owner)
    return [TrendPoint(as_of, sid, *means[sid]) for sid, as_of in weekly]


def overview(
    store: Store, viewer: Viewer, *, top: int = TOP_SIZE, cache: Aggregates | None = None
) -> Overview:
    """The top contacts now, those new to the top list since the snapshot a week before, the
    tier counts and the mean heat of each of the last weeks."""
    owner = viewer.sees_only
    aggregates = cache or Aggregates()
    snapshot = service.latest_snapshot(store)
    leaders = service.rank(store, top=top, owner=owner, snapshot=snapshot)
    found = store.snapshot_as_of(snapshot.as_of - PREVIOUS_WEEK)
    previous = _snapshot(found) if found else None
    before = set(store.ranked_ids(previous.snapshot_id, top, owner)) if previous else set()
    entrants = [c for c in leaders if previous and c.contact_id not in before]
    tiers = aggregates.tier_counts(store, snapshot.snapshot_id, owner)
    trend = _trend(store, snapshot, owner, aggregates)
    return Overview(snapshot, previous, leaders, entrants, tiers, trend)


@dataclass(frozen=True)
class Ranking:
    """Contacts in rank order: a tier's queue, or the ranks of every tier (`tier` None)."""

    tier: str | None
    owner: str | None
    snapshot: service.Snapshot
    contacts: list[service.RankedContact]

    def to_dict(self) -> dict[str, Any]:
        return {
            "tier": self.tier,
            "owner": self.owner,
            "snapshot": snapshot_dict(self.snapshot),
            "contacts": [c.to_dict() for c in self.contacts],
        }


def ranks(
    store: Store,
    viewer: Viewer,
    *,
    tier: str | None = None,
    owner: str | None = None,
    size: int = QUEUE_SIZE,
) -> Ranking:
    """The first `size` contacts in rank order, of one tier and one owner when asked (a rep:
    always their own)."""
    if tier is not None and tier not in TIERS:
        raise NotFoundError(f"no tier {tier!r}; tiers are {', '.join(TIERS)}")
    if not 1 <= size <= MAX_RANKS:
        raise InputError(f"size {size} is not between 1 and {MAX_RANKS}")
    chosen = viewer.sees_only or owner or None
    snapshot = service.latest_snapshot(store)
    contacts = service.rank(store, top=size, tier=tier, owner=chosen, snapshot=snapshot)
    return Ranking(tier, chosen, snapshot, contacts)


def queue(store: Store, viewer: Viewer, tier: str, *, owner: str | None = None) -> Ranking:
    """A tier's contacts in rank order (A, B or C), of one owner when asked."""
    if tier not in QUEUE_TIERS:
        raise NotFoundError(f"no queue {tier!r}; queues are {', '.join(QUEUE_TIERS)}")
    return ranks(store, viewer, tier=tier, owner=owner)


@dataclass(frozen=True)
class ContactPage:
    explanation: service.Explanation
    owner: str | None
    history: list[Any]
    adjustments: list[Any]

    def to_dict(self) -> dict[str, Any]:
        return {
            **self.explanation.to_dict(),
            "owner": self.owner,
            "history": [_plain(point) for point in self.history],
            "adjustments": [_plain(item) for item in self.adjustments],
        }


def _plain(item: Any) -> dict[str, Any]:
    """A record of the service as JSON-ready values (times as ISO text)."""
    values = item.to_dict() if hasattr(item, "to_dict") else asdict(item)
    return {k: v.isoformat() if isinstance(v, datetime) else v for k, v in values.items()}


def visible_owner(store: Store, viewer: Viewer, contact_id: str) -> str | None:
    """The contact's owner; NotFoundError when it does not exist or the viewer may not see it
    (a rep is not told that another owner's contact exists)."""
    found = store.contact_owner(contact_id)
    if found is None or not viewer.may_see(found[0]):
        raise NotFoundError(f"no contact {contact_id!r}")
    return found[0]


def contact(store: Store, viewer: Viewer, contact_id: str) -> ContactPage:
    """One contact: score, tier, rank, every contribution, score history, adjustments."""
    owner = visible_owner(store, viewer, contact_id)
    return ContactPage(
        service.explain(store, contact_id),
        owner,
        service.history(store, contact_id),
        service.adjustments(store, contact_id),
    )


def explanation(store: Store, viewer: Viewer, contact_id: str) -> service.Explanation:
    """Every contribution to one contact's total, with its evidence, and its adjustments."""
    visible_owner(store, viewer, contact_id)
    return service.explain(store, contact_id)


def history(store: Store, viewer: Viewer, contact_id: str) -> list[service.HistoryPoint]:
    """The contact in every snapshot, and its live row when it was updated since."""
    visible_owner(store, viewer, contact_id)
    return service.history(store, contact_id)


@dataclass(frozen=True)
class SnapshotEntry:
    snapshot: service.Snapshot
    model_name: str | None
    created_at: datetime
    started_by: str | None  # a token's owner (API), `schedule`, or None (the CLI)

    def to_dict(self) -> dict[str, Any]:
        return {
            **snapshot_dict(self.snapshot),
            "duration_ms": round(self.snapshot.duration_ms, 1),
            "model_name": self.model_name,
            "created_at": self.created_at.isoformat(),
            "started_by": self.started_by,
        }


def snapshots(store: Store) -> list[SnapshotEntry]:
    """Every scoring run, newest first, with its model's hash and name and who asked for it."""
    return [SnapshotEntry(_snapshot(row), row[7], row[6], row[8]) for row in store.snapshots()]


@dataclass(frozen=True)
class Endpoint:
    method: str
    path: str
    summary: str
    description: str


def endpoints(schema: dict[str, Any]) -> list[Endpoint]:
    """The API's operations as its OpenAPI document lists them, for the offline docs page."""
    return [
        Endpoint(method.upper(), path, item.get("summary", ""), item.get("description", ""))
        for path, operations in schema["paths"].items()
        for method, item in operations.items()
    ]
