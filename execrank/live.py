"""Real time: an event, signal or manual adjustment posted one at a time updates its contact's
score, rank and tier at once, without a full rescore.

The live score, exactly: a full rescore (a snapshot) scores every contact at its `as_of`. A
post at time `now` stores the fact (ingested at `now`) and recomputes the contacts it concerns
with the snapshot's model, the same generated SQL, at `as_of = known_at = now`: their live rows
(total, dimensions, heat, profile, tier) equal the rows a full rescore at (now, now) gives them.
The live rows are stored beside the snapshot (`live_scores`); the *current view* of a snapshot
is its rows with the live ones in their place, ranked as a full rescore ranks (total, then heat
descending, then contact_id). A contact's live rank is its position in that view. When nothing
else changed since the snapshot and `now` equals its `as_of`, the view is exactly what a full
rescore at (now, now) would store; otherwise the other contacts keep their snapshot scores
until the next full rescore, which supersedes the live rows (they belong to their snapshot).

Manual adjustments are stored, never deleted: an expired one stops counting (see
`execrank.scoring._adjustments`).
"""

from __future__ import annotations

import functools
import hashlib
import math
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

from execrank import model as scoring_model
from execrank import scoring
from execrank.errors import NotFoundError, RecordError
from execrank.ingest import record_warnings, refresh_signal_matches, validate_record
from execrank.model import ScoringModel
from execrank.scoring._adjustments import ADJUSTED_DIMENSION
from execrank.store import FACT_COLUMNS, Store

POSTED_SOURCE = "posted by {actor}"  # the source_file of a posted row: who wrote it
MAX_ADJUSTMENT_POINTS = 1000  # far beyond any score, far inside the stored points' range


@dataclass(frozen=True)
class LiveScore:
    """A contact's score right after a post: its live row on the latest snapshot."""

    contact_id: str
    total: float
    rank: int
    tier: str
    as_of: datetime
    snapshot_id: int

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "as_of": self.as_of.isoformat()}


@dataclass(frozen=True)
class Adjustment:
    """A manual raise (+) or cut (-) of a contact's intent, with who, when, why and until."""

    adjustment_id: str
    contact_id: str
    dimension: str
    points: float
    reason: str
    actor: str
    created_at: datetime
    expires_at: datetime | None
    ingested_at: datetime

    def active(self, at: datetime) -> bool:
        return self.created_at <= at and (self.expires_at is None or at < self.expires_at)

    def to_dict(self) -> dict[str, Any]:
        return {
            **asdict(self),
            "created_at": self.created_at.isoformat(),
            "expires_at": self.expires_at.isoformat() if self.expires_at else None,
            "ingested_at": self.ingested_at.isoformat(),
        }


@dataclass(frozen=True)
class HistoryPoint:
    """A contact in one snapshot; `live` marks its live row on the latest snapshot."""

    snapshot_id: int
    as_of: datetime
    total: float
    rank: int
    tier: str
    model_hash: str
    live: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "as_of": self.as_of.isoformat()}


def _latest(store: Store) -> tuple[int, ScoringModel]:
    """The latest snapshot's id and model."""
    row = store.latest_snapshot()
    if row is None:
        raise NotFoundError(f"{store.path}: no scores yet; run `execrank score` first")
    model_hash = str(row[3])
    return int(row[0]), _parsed(model_hash, store.model_yaml(model_hash))


@functools.lru_cache(maxsize=8)
def _parsed(model_hash: str, text: str) -> ScoringModel:
    """A stored model, parsed once per process (a post should not re-validate its YAML)."""
    return scoring_model.parse(text, model_hash)


def update(
    store: Store,
    contact_ids: Sequence[str],
    *,
    now: datetime,
    latest: tuple[int, ScoringModel] | None = None,
) -> list[LiveScore]:
    """Recompute these contacts at (now, now) with the latest snapshot's model and store them
    as live rows on it; their scores, live ranks and tiers. `latest` is that snapshot's id and
    model when the caller has read them already (`_latest`). Call inside a transaction."""
    snapshot_id, model = latest or _latest(store)
    companies = store.companies_of(contact_ids)
    store.save_live_scores(
        snapshot_id, *scoring.scores_statement(model, now, now, contact_ids, companies)
    )
    scores = []
    for contact_id in sorted(set(contact_ids)):
        found = store.live_rank(snapshot_id, contact_id)
        if found is not None:
            total, rank, tier, as_of, _ = found
            scores.append(LiveScore(contact_id, total, rank, tier, as_of, snapshot_id))
    return scores


def _validated(store: Store, kind: str, fields: dict[str, Any], actor: str) -> dict[str, Any]:
    """One row of `kind` checked as an import checks a file's row, ready to store."""
    values, problems = validate_record(store, kind, fields, POSTED_SOURCE.format(actor=actor))
    if values is None:
        raise RecordError([f"field {p.column!r}: {p.value!r} {p.reason}" for p in problems])
    return values


SUBJECTS = ("contact_id", "company_id")
"""The fields that say whom a fact is about: a contact, or a company (each of its contacts)."""


def _about(store: Store, values: Mapping[str, Any]) -> set[str]:
    """The contacts a fact's values are about: its contact, and every contact of its company."""
    contacts = {values["contact_id"]} if values.get("contact_id") else set()
    if values.get("company_id"):
        contacts.update(store.contacts_of_company(values["company_id"]))
    return contacts


def _post(
    store: Store, kind: str, fields: dict[str, Any], actor: str, now: datetime
) -> tuple[dict[str, Any], list[LiveScore], ScoringModel]:
    """Validate and store one event or signal and rescore at once the contacts it is about,
    and those the stored row of its id was about before: it leaves them, and they lose its
    points in the same transaction. The values stored, the scores of the contacts it is
    about, and the model that scored them (the latest snapshot's, read once per post)."""
    columns = FACT_COLUMNS[kind]
    with store.transaction():
        values = _validated(store, kind, fields, actor)
        latest = _latest(store)
        before = store.stored_values(
            kind, values[columns[0]], [c for c in SUBJECTS if c in columns]
        )
        store.upsert(kind, [tuple(values.get(c) for c in columns)], now)
        if kind == "signals":
            refresh_signal_matches(store, latest[1])
        about, left = _about(store, values), _about(store, before) if before else set()
        scores = update(store, sorted(about | left), now=now, latest=latest)
    return values, [score for score in scores if score.contact_id in about], latest[1]


def post_event(
    store: Store, fields: dict[str, Any], *, actor: str, now: datetime
) -> tuple[LiveScore, list[str]]:
    """Store one event (fields as in an events file) and rescore its contact at once; an event
    id stored under another contact moves to this one, and that contact is rescored too (it
    loses the event's points). Returns the posted contact's score, and the warnings an import
    of the row would give about the snapshot's model (an event type it does not score)."""
    values, (score,), model = _post(store, "events", fields, actor, now)
    return score, record_warnings("events", model, values)


def post_signal(
    store: Store, fields: dict[str, Any], *, actor: str, now: datetime
) -> list[LiveScore]:
    """Store one signal (fields as in a signals file), match its topics, and rescore at once
    the contact it is about, or every contact of the company it is about; a signal id stored
    about another contact or company moves to this subject, and the contacts it leaves are
    rescored too. Returns the scores of the contacts it is about."""
    return _post(store, "signals", fields, actor, now)[1]


def _checked_adjustment(
    points: float, reason: str, expires_at: datetime | None, now: datetime
) -> list[str]:
    problems = []
    if not math.isfinite(points) or points == 0:
        problems.append(f"points {points!r} is not a non-zero number (e.g. 5 or -3)")
    elif abs(points) > MAX_ADJUSTMENT_POINTS:
        problems.append(
            f"points {points!r} is beyond ±{MAX_ADJUSTMENT_POINTS} (a whole score is ~100 points)"
        )
    if not reason.strip():
        problems.append("reason is empty; say why the intent changes")
    if expires_at is not None and expires_at <= now:
        problems.append(f"expires {expires_at:%Y-%m-%d %H:%M} is not after now ({now:%Y-%m-%d})")
    return problems


def adjust(
    store: Store,
    contact_id: str,
    *,
    points: float,
    reason: str,
    expires_at: datetime | None,
    actor: str,
    now: datetime,
) -> tuple[Adjustment, LiveScore]:
    """Raise (+points) or lower (-points) a contact's intent from now until `expires_at`;
    stored for good (audited), and the contact rescored at once."""
    problems = _checked_adjustment(points, reason, expires_at, now)
    if problems:
        raise RecordError(problems)
    if not store.existing_ids("contacts", [contact_id]):
        raise NotFoundError(f"no contact {contact_id!r}; import it first")
    key = f"{contact_id}\x1f{now.isoformat()}\x1f{actor}\x1f{reason}\x1f{points!r}"
    adjustment = Adjustment(
        "adj-" + hashlib.sha1(key.encode()).hexdigest()[:16],
        contact_id,
        ADJUSTED_DIMENSION,
        float(points),
        reason.strip(),
        actor,
        now,
        expires_at,
        now,
    )
    with store.transaction():
        store.add_adjustment(list(asdict(adjustment).values()))
        (score,) = update(store, [contact_id], now=now)
    return adjustment, score


def adjustments(store: Store, contact_id: str) -> list[Adjustment]:
    """Every adjustment of a contact, oldest first; expired ones included (see `active`)."""
    return [Adjustment(*row) for row in store.adjustments(contact_id)]


def history(store: Store, contact_id: str) -> list[HistoryPoint]:
    """The contact in every snapshot, oldest first, and its live row on the latest snapshot
    as a last point (`live=True`) when it was updated since."""
    points = [HistoryPoint(*row) for row in store.history(contact_id)]
    latest = store.latest_snapshot()
    if latest is not None:
        found = store.live_rank(int(latest[0]), contact_id)
        if found is not None:
            total, rank, tier, as_of, _ = found
            points.append(HistoryPoint(int(latest[0]), as_of, total, rank, tier, latest[3], True))
    if not points and not store.existing_ids("contacts", [contact_id]):
        raise NotFoundError(f"no contact {contact_id!r}")
    return points
