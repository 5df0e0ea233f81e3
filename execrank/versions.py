"""Model versions: every applied model is stored with its content hash; one is active (used by
`execrank score` when no --model is given); any two can be compared, field by field; and a
what-if run shows how ranks and tiers would move under a proposed model before it is applied.

A version is named by `active`, `default` (the shipped model), a YAML file, or the hash (or a
unique prefix of it) of a stored model.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from execrank import model as scoring_model
from execrank import scoring
from execrank.errors import NotFoundError
from execrank.ingest import refresh_signal_matches, refresh_titles
from execrank.model import ScoringModel
from execrank.service import latest_snapshot, model_yaml
from execrank.store import Store

ACTIVE_SETTING = "active_model"
ACTIVE, DEFAULT = "active", "default"
YAML_SUFFIXES = (".yaml", ".yml")


@dataclass(frozen=True)
class Change:
    """One field that differs between two models: its YAML path and both values."""

    path: str
    before: Any
    after: Any

    def __str__(self) -> str:
        return f"{self.path}: {_shown(self.before)} -> {_shown(self.after)}"


def _shown(value: Any) -> str:
    return "(absent)" if value is None else str(value)


def active(store: Store) -> ScoringModel:
    """The model `execrank model use` made active; the shipped default when none was."""
    chosen = store.setting(ACTIVE_SETTING)
    if chosen is None:
        return scoring_model.default()
    return scoring_model.parse(store.model_yaml(chosen), chosen)


def resolve(store: Store, name: str) -> ScoringModel:
    """The model a version name stands for (see the module's doc)."""
    if name == ACTIVE:
        return active(store)
    if name == DEFAULT:
        return scoring_model.default()
    path = Path(name)
    if path.suffix in YAML_SUFFIXES:
        return scoring_model.load(path)
    found = [h for h, _, _ in store.models() if h.startswith(name)]
    if len(found) != 1:
        known = ", ".join(f"{h} ({n})" for h, n, _ in store.models()) or "none"
        problem = "matches no stored model" if not found else "matches several stored models"
        raise NotFoundError(
            f"model {name!r} {problem}; name a stored hash (stored: {known}), a YAML file, "
            f"{ACTIVE!r} or {DEFAULT!r}"
        )
    return scoring_model.parse(store.model_yaml(found[0]), found[0])


def use(store: Store, name: str, *, now: datetime) -> ScoringModel:
    """Store the named model (if new) and make it the active one; returns it."""
    chosen = resolve(store, name)
    with store.transaction():
        store.save_model(chosen.content_hash, chosen.name, model_yaml(chosen), now)
        store.set_setting(ACTIVE_SETTING, chosen.content_hash)
    return chosen


def history(store: Store) -> list[tuple[str, str, datetime, bool]]:
    """Every stored model: (hash, name, stored_at, whether it is the active one)."""
    chosen = store.setting(ACTIVE_SETTING)
    return [(h, n, t, h == chosen) for h, n, t in store.models()]


def _flat(data: Any, prefix: str = "") -> dict[str, Any]:
    if isinstance(data, dict):
        flat: dict[str, Any] = {}
        for key, value in data.items():
            flat.update(_flat(value, f"{prefix}{key}."))
        return flat
    return {prefix.rstrip("."): data}


def diff(before: ScoringModel, after: ScoringModel) -> list[Change]:
    """Every field whose value differs, by YAML path (lists compared whole)."""
    old = _flat(before.model_dump(mode="json"))
    new = _flat(after.model_dump(mode="json"))
    return [
        Change(path, old.get(path), new.get(path))
        for path in sorted(old.keys() | new.keys())
        if old.get(path) != new.get(path)
    ]


@dataclass(frozen=True)
class Move:
    """One contact under the current and the proposed model."""

    contact_id: str
    rank_before: int
    rank_after: int
    tier_before: str
    tier_after: str
    total_before: float
    total_after: float


@dataclass(frozen=True)
class WhatIf:
    as_of: datetime
    known_at: datetime
    current: ScoringModel
    proposed: ScoringModel
    moves: list[Move]

    def tier_changes(self) -> dict[tuple[str, str], int]:
        """(tier before, tier after) -> how many contacts, for the contacts whose tier moves."""
        return dict(
            Counter(
                (m.tier_before, m.tier_after) for m in self.moves if m.tier_before != m.tier_after
            )
        )


def whatif(
    store: Store,
    proposed: ScoringModel,
    *,
    current: ScoringModel | None = None,
    as_of: datetime | None = None,
    known_at: datetime | None = None,
) -> WhatIf:
    """Score every contact under the current (default: active) and proposed models on the same
    facts, at the latest snapshot's as_of and known_at unless given; nothing is stored but the
    derived tables."""
    base = current or active(store)
    if as_of is None or known_at is None:
        snapshot = latest_snapshot(store)
        as_of, known_at = as_of or snapshot.as_of, known_at or snapshot.known_at
    ranked = {}
    for label, chosen in (("before", base), ("after", proposed)):
        with store.transaction():
            refresh_titles(store)
            refresh_signal_matches(store, chosen)
        sql = scoring.scores_query(chosen, as_of, known_at)
        ranked[label] = {
            c: (rank, tier, total)
            for c, rank, tier, total in store.query(
                f"SELECT contact_id, rank, tier, total FROM ({sql})"
            )
        }
    moves = [
        Move(c, r0, ranked["after"][c][0], t0, ranked["after"][c][1], s0, ranked["after"][c][2])
        for c, (r0, t0, s0) in ranked["before"].items()
    ]
    moves.sort(key=lambda m: m.rank_after)
    return WhatIf(as_of, known_at, base, proposed, moves)
