"""Use cases shared by the CLI and (later) the web app: import, score, rank, explain, demo.

Callers pass the times explicitly (`as_of`, `now`): nothing below reads a clock except to
measure how long scoring took.
"""

from __future__ import annotations

import threading
import time
from dataclasses import asdict, dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import Any

import yaml

from execrank import live, routing, scoring, titles
from execrank import model as scoring_model
from execrank.errors import BusyError, InputError, NotFoundError
from execrank.identity import load_aliases
from execrank.ingest import (
    ImportReport,
    import_file,
    read_table,
    refresh_signal_matches,
    refresh_titles,
)
from execrank.live import (
    Adjustment,
    HistoryPoint,
    LiveScore,
    adjust,
    adjustments,
    history,
    post_event,
    post_signal,
)
from execrank.model import DIMENSIONS, ScoringModel
from execrank.store import SnapshotMeta, Store

__all__ = [
    "Adjustment",
    "Contribution",
    "Explanation",
    "HistoryPoint",
    "ImportReport",
    "LiveScore",
    "RankedContact",
    "Snapshot",
    "adjust",
    "adjustments",
    "explain",
    "export_facts",
    "history",
    "import_file",
    "load_scores",
    "post_event",
    "post_signal",
    "rank",
    "rescore",
    "route",
    "score",
]


JSON_DECIMALS = 4  # points in JSON output; the store keeps full precision
STALE_TOLERANCE = 1e-6  # points are exact to 1e-6 (scoring.POINT_DECIMALS)


@dataclass(frozen=True)
class Snapshot:
    """A stored scoring run: when it scored for, with which model, and how many contacts."""

    snapshot_id: int
    as_of: datetime
    known_at: datetime
    model_hash: str
    contacts: int
    duration_ms: float
    # (table, kind) -> how many stored facts of a kind the model gives no points
    ignored_kinds: dict[tuple[str, str], int] = field(default_factory=dict)


@dataclass(frozen=True)
class RankedContact:
    contact_id: str
    name: str | None
    title: str | None
    company: str | None
    total: float
    rank: int
    tier: str
    dimensions: dict[str, float]
    rep: str | None = None  # who follows the contact up (execrank route)
    playbook: str | None = None  # the follow-up plan of its tier (model playbooks)

    def to_dict(self) -> dict[str, Any]:
        return {
            **asdict(self),
            "total": round(self.total, JSON_DECIMALS),
            "dimensions": {k: round(v, JSON_DECIMALS) for k, v in self.dimensions.items()},
        }


@dataclass(frozen=True)
class Contribution:
    dimension: str
    rule: str
    points: float
    evidence: str


@dataclass(frozen=True)
class Explanation:
    contact: RankedContact
    snapshot: Snapshot
    total: float
    contributions: list[Contribution]
    playbook_steps: list[str] = field(default_factory=list)  # the tier's follow-up plan
    adjustments: list[Adjustment] = field(default_factory=list)  # all, expired ones too

    @property
    def stale(self) -> bool:
        """True when the contact or company changed after the snapshot, so today's
        contributions no longer add up to the snapshot's total: rescore to explain it."""
        return abs(self.total - self.contact.total) > STALE_TOLERANCE

    def to_dict(self) -> dict[str, Any]:
        return {
            **self.contact.to_dict(),
            "stale": self.stale,
            "as_of": self.snapshot.as_of.isoformat(),
            "model_hash": self.snapshot.model_hash,
            "snapshot_id": self.snapshot.snapshot_id,
            "total": round(self.total, JSON_DECIMALS),
            "contributions": [
                {**asdict(c), "points": round(c.points, JSON_DECIMALS)} for c in self.contributions
            ],
            "playbook_steps": self.playbook_steps,
            "adjustments": [a.to_dict() for a in self.adjustments],
        }


def score(store: Store, model: ScoringModel, *, as_of: datetime, known_at: datetime) -> Snapshot:
    """Score every contact at `as_of` from facts ingested by `known_at`; store a snapshot."""
    started = time.perf_counter()
    with store.transaction():
        refresh_titles(store)
        refresh_signal_matches(store, model)
        store.save_model(model.content_hash, model.name, model_yaml(model), known_at)
        snapshot_id = store.save_snapshot(
            scoring.scores_query(model, as_of, known_at),
            SnapshotMeta(
                as_of=as_of, known_at=known_at, model_hash=model.content_hash, created_at=known_at
            ),
        )
        store.set_snapshot_duration(snapshot_id, (time.perf_counter() - started) * 1000)
    ignored = {
        (table, kind): n
        for table, names in model.scored_kinds().items()
        for kind, n in store.kind_counts(table).items()
        if kind not in names
    }
    return replace(latest_snapshot(store), ignored_kinds=ignored)


RESCORE_LOCK = threading.Lock()  # held while a full rescore runs: one at a time per process


def rescore(store: Store, model: ScoringModel, *, as_of: datetime, now: datetime) -> Snapshot:
    """A full rescore (`score` with known_at = now), refused with BusyError while another runs
    in this process: the scheduler's and the API's. Facts posted while it ran (ingested after
    `now`, so not in the snapshot) are rescored live on the new snapshot at their newest
    ingested_at, so no post is lost from the current view."""
    if not RESCORE_LOCK.acquire(blocking=False):
        raise BusyError("a full rescore is already running; try again when it has finished")
    try:
        snapshot = score(store, model, as_of=as_of, known_at=now)
        changed = store.contacts_changed_after(now)
        if changed:
            newest = max(ingested for _, ingested in changed)
            with store.transaction():
                live.update(store, [contact for contact, _ in changed], now=newest)
        return snapshot
    finally:
        RESCORE_LOCK.release()


def export_facts(store: Store, folder: Path, model: ScoringModel) -> dict[str, int]:
    """Write the tables the scoring queries read as `folder/<table>.parquet`, for Spark or
    another engine: the facts, and the title classes and topic matches for `model`, brought up
    to date first. Returns the row count of each table."""
    with store.transaction():
        refresh_titles(store)
        refresh_signal_matches(store, model)
        return store.export_parquet(folder, scoring.TABLES)


def load_scores(
    store: Store, folder: Path, model: ScoringModel, *, as_of: datetime, now: datetime
) -> Snapshot:
    """Store scores computed elsewhere (`execrank spark-score` writes them as Parquet) as a
    snapshot, after checking that they are one run of `model` at `as_of` over this store's
    contacts. The snapshot records the run's `known_at`, so `explain` sees the same facts."""
    started = time.perf_counter()
    run = store.scores_run(folder)
    if run.as_of != as_of:
        raise InputError(
            f"{folder}: the scores are as of {run.as_of:%Y-%m-%d %H:%M:%S}, not "
            f"{as_of:%Y-%m-%d %H:%M:%S}; pass the as_of they were scored for"
        )
    if run.model_hash != model.content_hash:
        raise InputError(
            f"{folder}: the scores come from model {run.model_hash}, not {model.name!r} "
            f"({model.content_hash}); pass the model file they were scored with"
        )
    with store.transaction():
        store.save_model(model.content_hash, model.name, model_yaml(model), now)
        snapshot_id = store.save_parquet_snapshot(
            folder,
            SnapshotMeta(
                as_of=as_of, known_at=run.known_at, model_hash=run.model_hash, created_at=now
            ),
        )
        store.set_snapshot_duration(snapshot_id, (time.perf_counter() - started) * 1000)
    return latest_snapshot(store)


def model_yaml(model: ScoringModel) -> str:
    """The model as YAML, stored with its hash so a snapshot can be reproduced."""
    return yaml.safe_dump(model.model_dump(mode="json"), allow_unicode=True, sort_keys=False)


def latest_snapshot(store: Store) -> Snapshot:
    row = store.latest_snapshot()
    if row is None:
        raise NotFoundError(f"{store.path}: no scores yet; run `execrank score` first")
    return Snapshot(*row)


def _ranked(row: tuple[Any, ...]) -> RankedContact:
    contact_id, name, title, company, total, rank_, tier, *dims = row
    return RankedContact(
        contact_id,
        name,
        title,
        company,
        total,
        rank_,
        tier,
        dict(zip(DIMENSIONS, dims, strict=True)),
    )


def rank(
    store: Store,
    *,
    top: int | None = None,
    tier: str | None = None,
    owner: str | None = None,
    snapshot: Snapshot | None = None,
) -> list[RankedContact]:
    """Contacts of a snapshot (default: the latest) in rank order, optionally only one tier,
    one owner's contacts or the top N."""
    chosen = snapshot or latest_snapshot(store)
    ranked = [_ranked(row) for row in store.ranked(chosen.snapshot_id, top, tier, owner)]
    return with_follow_up(store, chosen, ranked)


_PARSED_MODELS: dict[str, ScoringModel] = {}  # content hash -> model, parsed once per process


def snapshot_model(store: Store, snapshot: Snapshot) -> ScoringModel:
    """The model a snapshot was scored with (parsed once: its hash names its content, and
    parsing the YAML costs more than the reads a page makes)."""
    found = _PARSED_MODELS.get(snapshot.model_hash)
    if found is None:
        found = scoring_model.parse(store.model_yaml(snapshot.model_hash), snapshot.model_hash)
        _PARSED_MODELS[snapshot.model_hash] = found
    return found


def with_follow_up(
    store: Store, snapshot: Snapshot, contacts: list[RankedContact]
) -> list[RankedContact]:
    """The contacts with their assigned rep and their tier's playbook (the snapshot's model)."""
    model = snapshot_model(store, snapshot)
    reps = store.assigned_reps([c.contact_id for c in contacts])
    plans = {tier: model.playbook_for(tier) for tier in {c.tier for c in contacts}}
    return [
        replace(c, rep=reps.get(c.contact_id), playbook=getattr(plans[c.tier], "plan", None))
        for c in contacts
    ]


def route(store: Store, *, now: datetime, dry_run: bool = False) -> routing.Routing:
    """Route the latest snapshot's contacts to reps (see execrank.routing); with `dry_run`,
    only say what would move."""
    snapshot = latest_snapshot(store)
    model = snapshot_model(store, snapshot)
    return routing.route(store, model, snapshot.snapshot_id, now=now, dry_run=dry_run)


def contributions(
    store: Store, snapshot: Snapshot, contact_ids: list[str]
) -> dict[str, list[Contribution]]:
    """Every contribution to the given contacts' totals in a snapshot, biggest first: the
    snapshot's model recomputed for just these contacts at its `as_of` and `known_at`."""
    model = scoring_model.parse(store.model_yaml(snapshot.model_hash), snapshot.model_hash)
    query = scoring.contributions_query(model, snapshot.as_of, snapshot.known_at, contact_ids)
    found: dict[str, list[Contribution]] = {c: [] for c in contact_ids}
    for contact_id, *item in store.contributions(query):
        found[contact_id].append(Contribution(*item))
    return found


def top_reasons(
    store: Store, contacts: list[RankedContact], per_contact: int
) -> dict[str, list[Contribution]]:
    """The biggest positive contributions of each contact in the latest snapshot."""
    every = contributions(store, latest_snapshot(store), [c.contact_id for c in contacts])
    return {
        contact_id: sorted((c for c in items if c.points > 0), key=lambda c: -c.points)[
            :per_contact
        ]
        for contact_id, items in every.items()
    }


def explain(store: Store, contact_id: str) -> Explanation:
    """Every contribution to one contact's total in the latest snapshot, biggest first."""
    snapshot = latest_snapshot(store)
    row = store.contact_score(snapshot.snapshot_id, contact_id)
    if row is None:
        canonical = load_aliases(store)["contacts"].get(contact_id)
        if canonical is not None:  # files may still use a merged record's id
            raise NotFoundError(
                f"contact {contact_id!r} was merged into {canonical!r}; explain that"
            )
        raise NotFoundError(f"no contact {contact_id!r} in snapshot {snapshot.snapshot_id}")
    live_times = store.live_times(snapshot.snapshot_id, contact_id)  # updated since: its times
    if live_times is not None:
        snapshot = replace(snapshot, as_of=live_times[0], known_at=live_times[1])
    items = contributions(store, snapshot, [contact_id])[contact_id]
    (contact,) = with_follow_up(store, snapshot, [_ranked(row)])
    playbook = snapshot_model(store, snapshot).playbook_for(contact.tier)
    steps = list(playbook.steps) if playbook else []
    total = sum(c.points for c in items)
    return Explanation(contact, snapshot, total, items, steps, adjustments(store, contact_id))


TITLE_COLUMNS = ("seniority", "function", "flags", "confidence")


@dataclass(frozen=True)
class ClassifiedTitles:
    """A file's rows with seniority, function, flags (a list) and confidence (a number) added,
    and how the file was written (encoding, delimiter), so that it can be written back alike."""

    header: list[str]
    rows: list[dict[str, Any]]
    encoding: str  # as read: utf-8, utf-8-sig (a BOM), utf-16, gb18030…, or xlsx
    delimiter: str  # "" for a workbook


def classify_titles(
    path: Path, column: str = "title", encoding: str | None = None
) -> ClassifiedTitles:
    """Read a CSV, TSV or .xlsx file and add seniority, function, flags and confidence to each
    row, classifying each distinct title once. InputError naming the cell when a workbook
    holds a formula with no saved value (its value, which would be written back, is unknown)."""
    table = read_table(path, encoding=encoding)
    table.refuse_unsaved_formulas()  # its cells are written back: none may be unknown
    by_folded = {h.casefold(): h for h in table.header}
    if column.casefold() not in by_folded:
        raise InputError(
            f"{path.name}: no column {column!r}; columns found: {', '.join(table.header)}"
        )
    source = by_folded[column.casefold()]
    header = [*table.header, *(c for c in TITLE_COLUMNS if c not in table.header)]
    known: dict[str, dict[str, Any]] = {}
    rows = []
    for row in table.rows:
        title = row.values.get(source, "")
        if title not in known:
            info = titles.classify(title)
            known[title] = {
                "seniority": info.seniority,
                "function": info.function,
                "flags": list(info.flags),
                "confidence": info.confidence,
            }
        rows.append({**row.values, **known[title]})
    return ClassifiedTitles(header, rows, table.encoding, table.delimiter)


def default_model() -> ScoringModel:
    return scoring_model.default()


def load_model(path: Path | None) -> ScoringModel:
    """The model at path, or the shipped default when path is None."""
    return scoring_model.default() if path is None else scoring_model.load(path)
