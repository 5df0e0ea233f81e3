"""How well scores predicted outcomes: AUC, lift in the top decile (each with a bootstrap
interval), conversion by tier, and lift per dimension. Pure functions of outcome labels
(True = won) and scores."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from execrank.model import TIER_NAMES, UNRANKED_TIER

TOP_SHARE = 0.1  # the top decile
BOOTSTRAP_RESAMPLES = 1000  # resamples of the held-out deals behind each interval
BOOTSTRAP_SEED = 8  # fixed, so that the same backtest gives the same intervals
CONFIDENCE = 0.95  # share of the resampled figures an interval holds


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


def _by_score(
    labels: Sequence[bool], scores: Sequence[float]
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Rows ordered by score, highest first: (the row order, won as 0/1 in that order, the
    position of the first row of each group of equal scores)."""
    values = np.asarray(scores, dtype=float)
    order = np.argsort(-values, kind="stable")
    ordered = values[order]
    starts = np.flatnonzero(np.r_[True, ordered[1:] != ordered[:-1]])
    return order, np.asarray(labels, dtype=float)[order], starts


def _weighted(
    won: np.ndarray, starts: np.ndarray, weights: np.ndarray, share: float
) -> tuple[np.ndarray, np.ndarray]:
    """AUC and top-`share` lift for each row of `weights` (how many times each row, in score
    order, is counted: all ones for the figures themselves, a bootstrap resample's counts
    otherwise); NaN where one outcome is absent. Scores are grouped by value: a won deal beats
    each lost deal of a lower score and ties half with each lost deal of its own score (AUC); the
    top share takes whole groups and, at the border, a proportional part of one (lift)."""
    positive = np.add.reduceat(weights * won, starts, axis=1)
    size = np.add.reduceat(weights, starts, axis=1).astype(float)
    negative = size - positive
    total_won, total_lost = positive.sum(axis=1), negative.sum(axis=1)
    lost_below = total_lost[:, None] - np.cumsum(negative, axis=1)
    pairs = total_won * total_lost
    with np.errstate(divide="ignore", invalid="ignore"):
        area = (positive * (lost_below + negative / 2)).sum(axis=1) / pairs
        room = (total_won + total_lost) * share
        before = np.cumsum(size, axis=1) - size
        taken = np.clip(room[:, None] - before, 0, size)
        wins = np.where(size > 0, positive * taken / size, 0).sum(axis=1)
        lift = (wins / room) / (total_won / (total_won + total_lost))
    return np.where(pairs > 0, area, np.nan), np.where(total_won > 0, lift, np.nan)


def _figure(value: float) -> float | None:
    return None if math.isnan(value) else float(value)


def auc(labels: Sequence[bool], scores: Sequence[float]) -> float | None:
    """Area under the ROC curve (ties count half); None with only one outcome present."""
    if not len(labels):
        return None
    _, won, starts = _by_score(labels, scores)
    return _figure(_weighted(won, starts, np.ones((1, len(won))), TOP_SHARE)[0][0])


def top_share_lift(
    labels: Sequence[bool], scores: Sequence[float], share: float = TOP_SHARE
) -> float | None:
    """Won rate among the top `share` by score over the overall won rate. Ties at the border
    count in proportion (the expected value when ties are broken at random)."""
    if not len(labels):
        return None
    _, won, starts = _by_score(labels, scores)
    return _figure(_weighted(won, starts, np.ones((1, len(won))), share)[1][0])


@dataclass(frozen=True)
class Interval:
    """A percentile bootstrap interval: `low` and `high` bound CONFIDENCE of the resamples."""

    low: float
    high: float

    def __contains__(self, value: float) -> bool:
        return self.low <= value <= self.high


@dataclass(frozen=True)
class Resampled:
    """One scorer's AUC and top-decile lift on each bootstrap resample (NaN where a resample
    held one outcome only); the i-th resample is the same rows for every scorer, so that
    differences between scorers can be taken resample by resample (paired)."""

    auc: np.ndarray
    lift: np.ndarray


def bootstrap(
    labels: Sequence[bool],
    scores: Mapping[str, Sequence[float]],
    *,
    resamples: int = BOOTSTRAP_RESAMPLES,
    seed: int = BOOTSTRAP_SEED,
    share: float = TOP_SHARE,
) -> dict[str, Resampled]:
    """AUC and lift of each scorer on `resamples` resamples of the rows (drawn with
    replacement, as many as there are rows; the same resamples for every scorer). Seeded, so a
    backtest's intervals are reproducible."""
    if not len(labels):
        return {name: Resampled(np.array([]), np.array([])) for name in scores}
    rows = len(labels)
    counts = np.random.default_rng(seed).multinomial(rows, np.full(rows, 1 / rows), resamples)
    found = {}
    for name, values in scores.items():
        order, won, starts = _by_score(labels, values)
        found[name] = Resampled(*_weighted(won, starts, counts[:, order], share))
    return found


def interval(samples: np.ndarray, confidence: float = CONFIDENCE) -> Interval | None:
    """The central `confidence` of the defined samples (None when none is defined)."""
    defined = samples[~np.isnan(samples)]
    if not defined.size:
        return None
    tail = (1 - confidence) / 2
    low, high = np.quantile(defined, [tail, 1 - tail])
    return Interval(float(low), float(high))


def by_tier(labels: Sequence[bool], tiers: Sequence[str]) -> dict[str, Rate]:
    """Won out of closed for each tier (A, B, C and unranked), every tier listed."""
    return {
        tier: rate([won for won, t in zip(labels, tiers, strict=True) if t == tier])
        for tier in (*TIER_NAMES, UNRANKED_TIER)
    }


def top_tier(tiers: Mapping[str, Rate]) -> tuple[str, Rate] | None:
    """The highest of the tiers A, B, C that holds any deal, with its won out of closed (None
    when every deal is unranked): what sales would work first when tier A is empty."""
    return next(((t, tiers[t]) for t in TIER_NAMES if tiers[t].closed), None)


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
