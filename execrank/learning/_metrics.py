"""How well scores predicted outcomes: AUC, lift in the top decile, conversion by tier, and lift
per dimension. Pure functions of outcome labels (True = won) and scores."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from itertools import groupby

from execrank.model import TIER_NAMES, UNRANKED_TIER

TOP_SHARE = 0.1  # the top decile


@dataclass(frozen=True)
class Rate:
    """Won out of closed, and their ratio (None when nothing closed)."""

    closed: int
    won: int

    @property
    def rate(self) -> float | None:
        return self.won / self.closed if self.closed else None


def rate(labels: Sequence[bool]) -> Rate:
    return Rate(len(labels), sum(labels))


def auc(labels: Sequence[bool], scores: Sequence[float]) -> float | None:
    """Area under the ROC curve (ties count half); None with only one outcome present."""
    from sklearn.metrics import roc_auc_score  # loaded when used: it is slow to import

    if len(set(labels)) < 2:
        return None
    return float(roc_auc_score([int(x) for x in labels], list(scores)))


def top_share_lift(
    labels: Sequence[bool], scores: Sequence[float], share: float = TOP_SHARE
) -> float | None:
    """Won rate among the top `share` by score over the overall won rate. Ties at the border
    count in proportion (the expected value when ties are broken at random)."""
    overall = rate(labels).rate
    if not overall:
        return None
    room = len(labels) * share
    wins = 0.0
    pairs = sorted(zip(scores, labels, strict=True), key=lambda p: -p[0])
    for _, group in groupby(pairs, key=lambda p: p[0]):
        tied = [won for _, won in group]
        taken = min(room, len(tied))
        wins += sum(tied) * taken / len(tied)
        room -= taken
        if room <= 0:
            break
    return (wins / (len(labels) * share)) / overall


def by_tier(labels: Sequence[bool], tiers: Sequence[str]) -> dict[str, Rate]:
    """Won out of closed for each tier (A, B, C and unranked), every tier listed."""
    return {
        tier: rate([won for won, t in zip(labels, tiers, strict=True) if t == tier])
        for tier in (*TIER_NAMES, UNRANKED_TIER)
    }


def dimension_lift(
    labels: Sequence[bool], dimensions: Sequence[Mapping[str, float]], names: Sequence[str]
) -> dict[str, tuple[Rate, float | None]]:
    """For each dimension: won out of closed among deals whose lead executive had points in
    it (> 0), and that rate over the overall rate (the lift; None when undefined)."""
    overall = rate(labels).rate
    lifts = {}
    for name in names:
        having = rate([won for won, d in zip(labels, dimensions, strict=True) if d[name] > 0])
        lift = having.rate / overall if having.rate is not None and overall else None
        lifts[name] = (having, lift)
    return lifts
