"""The monthly review: the deals closed in a month, and what the model said about them.

Each deal is judged by its lead executive (see `_outcomes`) at the start of the week the deal
started. Trajectories recompute that executive's score at the start of the review month and of
each of the `STEPS` months before. High scores that were lost are deals whose executive was in
tier A or in the top decile of the month's closed deals; low-score conversions are won deals
in tier C or unranked. Manual adjustments made by the end of the month are listed with how the
contact's deals closed after them.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from execrank.errors import InputError
from execrank.learning import _metrics as metrics
from execrank.learning._outcomes import (
    Deal,
    Judged,
    deals,
    judge,
    known_at,
    prepare,
    week_start,
)
from execrank.model import DIMENSIONS, ScoringModel
from execrank.store import Store

STEPS = 6  # trajectory points: the review month's start and the 6 months' before it
REASONS_SHOWN = 3  # contributions listed per surprising deal
LOW_TIERS = ("C", "-")
MONTHS_PER_YEAR = 12


@dataclass(frozen=True)
class Point:
    """A deal's lead executive's total at the start of a month."""

    opportunity_id: str
    won: bool
    months_before: int  # months between this point and the review month's start
    days_before_close: int
    contact_id: str
    total: float
    tier: str


@dataclass(frozen=True)
class Adjusted:
    """A manual adjustment and how the contact's deals closed after it."""

    adjustment_id: str
    contact_id: str
    points: float
    reason: str
    actor: str
    created_at: datetime
    expires_at: datetime | None
    won: int
    lost: int
    open: int


@dataclass
class Review:
    month: str
    model: ScoringModel
    start: datetime
    end: datetime
    judged: list[Judged] = field(default_factory=list)  # at each deal's start, with tiers
    trajectories: list[Point] = field(default_factory=list)
    adjustments: list[Adjusted] | None = None  # None: the store has no adjustments table

    @property
    def labels(self) -> list[bool]:
        return [j.deal.won for j in self.judged]

    def tiers(self) -> dict[str, metrics.Rate]:
        return metrics.by_tier(self.labels, [j.tier for j in self.judged])

    def lift(self) -> dict[str, tuple[metrics.Rate, float | None]]:
        return metrics.dimension_lift(self.labels, [j.dimensions for j in self.judged], DIMENSIONS)

    def high_score_lost(self) -> list[Judged]:
        totals = sorted((j.total for j in self.judged), reverse=True)
        top = max(1, round(len(totals) * metrics.TOP_SHARE))
        bar = totals[top - 1] if totals else 0.0
        return [j for j in self.judged if not j.deal.won and (j.tier == "A" or j.total >= bar)]

    def low_score_won(self) -> list[Judged]:
        return [j for j in self.judged if j.deal.won and j.tier in LOW_TIERS]


def month_bounds(month: str) -> tuple[datetime, datetime]:
    """[first instant, first instant of the next month) of a YYYY-MM month."""
    try:
        if not re.fullmatch(r"\d{4}-\d{2}", month):  # strptime also takes 2017-9
            raise ValueError(month)
        start = datetime.strptime(month, "%Y-%m")
    except ValueError:
        raise InputError(
            f"--month {month!r} is not a month written YYYY-MM (e.g. 2026-11)"
        ) from None
    following = start.month % MONTHS_PER_YEAR + 1
    return start, start.replace(year=start.year + start.month // MONTHS_PER_YEAR, month=following)


def review(store: Store, model: ScoringModel, month: str) -> Review:
    """Everything the review reports about the deals closed in month."""
    start, end = month_bounds(month)
    result = Review(month, model, start, end)
    every = deals(store)
    closed = [
        d
        for d in every
        if d.result != "open" and d.closed and start <= d.closed < end and d.contact_ids
    ]
    known = known_at(store)
    prepare(store, model)
    begun = [(d, week_start(d.started or d.closed or start)) for d in closed]
    tiers = judge(store, model, begun, known)
    reasons = judge(store, model, begun, known, rules=True)
    for scored, explained in zip(tiers, reasons, strict=True):
        scored.evidence = sorted(explained.evidence, key=lambda e: -e[2])[:REASONS_SHOWN]
    result.judged = tiers
    result.trajectories = _trajectories(store, model, closed, known, start)
    result.adjustments = _adjustments(store, every, end)
    return result


def month_starts(start: datetime) -> list[datetime]:
    """The first instant of the review month and of the STEPS months before it, newest first:
    the points of every trajectory (one scoring per point serves every deal)."""
    points = [start]
    for _ in range(STEPS):
        previous = points[-1] - timedelta(days=1)
        points.append(previous.replace(day=1))
    return points


def _trajectories(
    store: Store, model: ScoringModel, closed: Sequence[Deal], known: datetime, start: datetime
) -> list[Point]:
    wanted = [(deal, at) for deal in closed for at in month_starts(start)]
    judged = judge(store, model, wanted, known)
    return [
        Point(
            j.deal.opportunity_id,
            j.deal.won,
            months,
            (j.deal.closed - as_of).days if j.deal.closed else 0,
            j.contact_id,
            j.total,
            j.tier,
        )
        for j, (_, as_of), months in zip(
            judged, wanted, [m for _ in closed for m in range(STEPS + 1)], strict=True
        )
    ]


def _adjustments(store: Store, every: Sequence[Deal], end: datetime) -> list[Adjusted] | None:
    """Adjustments made before end, each with the outcomes of its contact's deals that closed
    (or, open, started) after it."""
    tables = {row[0] for row in store.query("SHOW TABLES")}
    if "adjustments" not in tables:
        return None
    rows = store.query(
        "SELECT adjustment_id, contact_id, points, reason, actor, created_at, expires_at "
        "FROM adjustments WHERE created_at < ? ORDER BY created_at, adjustment_id",
        [end],
    )
    found = []
    for adjustment_id, contact_id, points, reason, actor, created_at, expires_at in rows:
        after = Counter(
            d.result
            for d in every
            if contact_id in d.contact_ids and (d.closed or d.started or created_at) >= created_at
        )
        found.append(
            Adjusted(
                adjustment_id, contact_id, points, reason, actor, created_at, expires_at,
                after["won"], after["lost"], after["open"],
            )
        )  # fmt: skip
    return found
