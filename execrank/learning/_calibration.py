"""Calibration: learn the model's points from won and lost deals, and backtest the proposal.

Each closed deal is scored when it started (its lead executive, see `_outcomes`). The features
are the points per *knob* of the YAML model: an event type's points, a topic's points, a
relationship kind's points, and the weight of every other dimension (role, fit, ...). Event types
and relationship kinds that occur in the data but earn nothing yet are features too, at 1 point
each. A regularised logistic regression on the older deals (its strength chosen by
cross-validation in time order within them) gives each knob a coefficient per point; the
proposed model multiplies each knob by its coefficient (negative ones become 0), scaled so that
the older deals keep the same total points on average (an event type's own cap scales with its
points). Manual adjustments can be labels to learn from too. The newer deals
(`HOLDOUT_SHARE`, by start time) measure the current model, the proposal (scored by the real
engine, caps and tiers included), an Odoo-style naive Bayes on the same features and the
generic click model.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import numpy as np

from execrank.learning import _metrics as metrics
from execrank.learning._outcomes import (
    Deal,
    Judged,
    adjustment_labels,
    closed_deals,
    judge,
    known_at,
    prepare,
    week_start,
)
from execrank.model import DIMENSIONS, ScoringModel
from execrank.store import Store

MIN_OUTCOMES_PER_CLASS = 50  # fewer won or lost deals to learn from: propose nothing
HOLDOUT_SHARE = 0.3  # the newest deals, kept out of learning to measure on
# Inverse L2 strengths (scikit-learn's C, on standardised features) tried; the one with the best
# mean AUC over CROSS_VALIDATION_FOLDS time-ordered folds of the older deals is used (the
# stronger regularisation, the smaller C, on a tie).
REGULARISATION_GRID = (0.001, 0.01, 0.1, 1.0, 10.0, 100.0)
CROSS_VALIDATION_FOLDS = 5
# Below this best cross-validated AUC the older deals show no signal a regression could learn
# (0.5 is chance): a proposal would fit noise, so nothing is proposed.
MIN_SIGNAL_AUC = 0.55
NEW_KIND_POINTS = 1.0  # points given to unscored event / relationship kinds to measure them
NAIVE_BAYES_BINS = 3  # positive values of a feature fall into this many quantile bins (+ zero)
NAIVE_BAYES_SMOOTHING = 1.0  # Laplace smoothing, as Odoo's predictive lead scoring does
PROPOSED_DECIMALS = 2
CAP_QUANTILE = 0.99  # a raised cap lets all but the top 1% of the older deals count in full
MAX_POINTS = 1000.0  # the schema's bound on points
MAX_WEIGHT = 100.0  # the schema's bound on a dimension weight
# The generic lead-scoring click model: points per event, no decay, no cap.
GENERIC_POINTS = {"email_click": 2.0, "report_download": 5.0, "page_view": 1.0, "web_visit": 1.0}
CURRENT, CALIBRATED = "current model", "calibrated model"  # the two scorers the engine runs
KNOB_SECTIONS = {"engagement": "events", "intent": "topics", "network": "kinds"}
ADJUSTMENT_RULE = "manual adjustment"  # a person's judgement: a label, not a feature


@dataclass(frozen=True)
class Knob:
    """One number of the YAML model the calibration may change, its current and proposed value
    and the learned coefficient per point (None for a cap, raised to fit, not learned)."""

    path: str
    current: float
    coefficient: float | None
    proposed: float


@dataclass(frozen=True)
class Measured:
    """One scorer's figures on the held-out deals, AUC and top-decile lift each with its
    bootstrap interval (`metrics.CONFIDENCE` of `metrics.BOOTSTRAP_RESAMPLES` resamples)."""

    name: str
    auc: float | None
    top_decile_lift: float | None
    tier_a_precision: float | None = None
    tier_a_deals: int | None = None
    auc_interval: metrics.Interval | None = None
    lift_interval: metrics.Interval | None = None
    # the highest tier holding held-out deals (A when A has some: shown when A is empty), and
    # its won out of closed; None for a scorer without tiers or when every deal is unranked
    top_tier: tuple[str, metrics.Rate] | None = None

    def shown(self) -> tuple[str, str, str, str, str]:
        """AUC, its interval, top-decile lift, its interval and tier A precision (with its deal
        count; with none in A, that of the top tier present, named) as text."""
        if self.tier_a_deals is None:
            precision = "n/a (no tiers)"
        elif self.tier_a_precision is not None:
            precision = f"{self.tier_a_precision:.3f} of {self.tier_a_deals}"
        elif self.top_tier is not None:
            tier, found = self.top_tier
            precision = f"n/a (none in A); {tier}: {found.rate:.3f} of {found.closed}"
        else:
            precision = "n/a (no deal in any tier)"
        return (
            _figure(self.auc, 3),
            _bounds(self.auc_interval, 3),
            _figure(self.top_decile_lift, 2),
            _bounds(self.lift_interval, 2),
            precision,
        )


@dataclass(frozen=True)
class Difference:
    """The calibrated model's AUC and top-decile lift minus another scorer's, as paired
    bootstrap intervals (the same resamples for both): an interval holding 0 is a difference
    within noise."""

    name: str
    auc: metrics.Interval | None
    lift: metrics.Interval | None

    def shown(self) -> tuple[str, str, str]:
        """The two intervals as text, and whether the calibrated model is better, worse or
        within noise by each."""
        verdicts = [
            "n/a"
            if i is None
            else "within noise"
            if 0.0 in i
            else "better"
            if i.low > 0
            else "worse"
            for i in (self.auc, self.lift)
        ]
        return (
            _bounds(self.auc, 3, signed=True),
            _bounds(self.lift, 2, signed=True),
            f"AUC {verdicts[0]}, lift {verdicts[1]}",
        )


def _figure(value: float | None, decimals: int) -> str:
    return "n/a" if value is None else f"{value:.{decimals}f}"


def _bounds(found: metrics.Interval | None, decimals: int, signed: bool = False) -> str:
    sign = "+" if signed else ""
    return (
        "n/a"
        if found is None
        else f"[{found.low:{sign}.{decimals}f}, {found.high:{sign}.{decimals}f}]"
    )


@dataclass
class Calibration:
    """The outcome of `calibrate`: a proposal (or the reason there is none) and the backtest."""

    train: metrics.Rate
    test: metrics.Rate
    skipped: str | None = None  # why nothing is proposed
    knobs: list[Knob] = field(default_factory=list)
    proposed: ScoringModel | None = None
    measured: list[Measured] = field(default_factory=list)
    differences: list[Difference] = field(default_factory=list)  # calibrated minus the others
    split_at: datetime | None = None
    labelled: metrics.Rate = field(default_factory=lambda: metrics.Rate(0, 0))  # raised: won
    # each C of REGULARISATION_GRID with its mean cross-validated AUC (None: no fold had both
    # outcomes), and the C chosen
    cross_validated: list[tuple[float, float | None]] = field(default_factory=list)
    regularisation: float | None = None


def knob(rule: str, dimension: str) -> str:
    """The YAML path a rule's points are set by: a kind's points, else the dimension's weight."""
    prefix, _, name = rule.partition(".")
    if prefix in KNOB_SECTIONS and name and "." not in name:
        return f"{prefix}.{KNOB_SECTIONS[prefix]}.{name}"
    return f"weights.{dimension}"


def exploring(store: Store, model: ScoringModel) -> ScoringModel:
    """The model plus every stored event type and relationship kind it lacks, at
    NEW_KIND_POINTS, so that their effect can be measured."""
    data = model.model_dump(mode="json")
    for kind in store.kind_counts("events"):
        data["engagement"]["events"].setdefault(
            kind, {"points": NEW_KIND_POINTS, "count": "once_per_asset"}
        )
    for kind in store.kind_counts("relationships"):
        data["network"]["kinds"].setdefault(kind, NEW_KIND_POINTS)
    return ScoringModel.model_validate(data)


def _features(judged: Sequence[Judged]) -> tuple[list[str], np.ndarray]:
    rows: list[dict[str, float]] = []
    for item in judged:
        values: dict[str, float] = {}
        for dimension, rule, points, _ in item.evidence:
            if rule != ADJUSTMENT_RULE and rule in item.rules and dimension in DIMENSIONS:
                path = knob(rule, dimension)
                values[path] = values.get(path, 0.0) + points
        rows.append(values)
    names = sorted({name for row in rows for name in row})
    return names, np.array([[row.get(n, 0.0) for n in names] for row in rows], dtype=float)


def _at_start(items: Sequence[Deal]) -> list[tuple[Deal, datetime]]:
    return [(deal, week_start(deal.started)) for deal in items if deal.started is not None]


def calibrate(
    store: Store, model: ScoringModel, *, adjustments_as_labels: bool = False
) -> Calibration:
    """Learn proposed points from the older closed deals and backtest on the newer ones. With
    `adjustments_as_labels`, the manual adjustments made before the held-out deals are
    labels to learn from too (raised: won, lowered: lost); the backtest stays on deals."""
    history = closed_deals(store)
    cut = int(len(history) * (1 - HOLDOUT_SHARE))
    older, newer = history[:cut], history[cut:]
    split_at = newer[0].started if newer else None
    labelled = adjustment_labels(store, split_at) if adjustments_as_labels else []
    learn = [*older, *labelled]
    result = Calibration(
        metrics.rate([d.won for d in learn]),
        metrics.rate([d.won for d in newer]),
        split_at=split_at,
        labelled=metrics.rate([d.won for d in labelled]),
    )
    lost = result.train.closed - result.train.won
    if min(result.train.won, lost) < MIN_OUTCOMES_PER_CLASS or not newer:
        result.skipped = (
            f"too little history: {result.train.won} won and {lost} lost deals to learn from "
            f"(the older {1 - HOLDOUT_SHARE:.0%} of {len(history)} closed deals"
            f"{f', {len(labelled)} adjustments' if labelled else ''}); at least "
            f"{MIN_OUTCOMES_PER_CLASS} of each are needed. Nothing is proposed."
        )
        return result
    known = known_at(store)
    explorer = exploring(store, model)
    prepare(store, explorer)
    judged = judge(store, explorer, _at_start([*learn, *newer]), known, rules=True)
    names, features = _features(judged)
    labels = np.array([j.deal.won for j in judged])
    cut = len(learn)
    in_time = sorted(
        range(cut), key=lambda n: (judged[n].deal.started, judged[n].deal.opportunity_id)
    )
    result.cross_validated = cross_validate(features[in_time], labels[in_time])
    result.regularisation, best = max(result.cross_validated, key=lambda pair: pair[1] or 0.0)
    if best is None or best < MIN_SIGNAL_AUC:
        result.skipped = (
            f"no signal to learn: the best mean AUC of {CROSS_VALIDATION_FOLDS} time-ordered folds "
            f"of the deals learned from is {'n/a' if best is None else f'{best:.3f}'} "
            f"(0.5 is chance; at least {MIN_SIGNAL_AUC} is needed), so points learned from them "
            "would fit noise. Nothing is proposed."
        )
        return result
    coefficients, regression = _regression(features[:cut], labels[:cut], result.regularisation)
    result.knobs = _knobs(model, explorer, names, coefficients, features[:cut])
    result.knobs += _caps(model, names, result.knobs, features[:cut])
    result.proposed = apply_knobs(model, result.knobs)
    result.measured, result.differences = _backtest(
        store, model, result.proposed, newer, known, features, labels, regression, cut
    )
    return result


def _regression(
    features: np.ndarray, labels: np.ndarray, strength: float
) -> tuple[np.ndarray, Any]:
    """Coefficients per point (on the raw scale) of an L2 logistic regression with inverse
    strength C = `strength` on standardised features, and the fit."""
    # scikit-learn loads here, not at module level: importing it costs every CLI command 1.3 s
    from sklearn.linear_model import LogisticRegression
    from sklearn.preprocessing import StandardScaler

    scaler = StandardScaler().fit(features)
    fitted = LogisticRegression(C=strength, max_iter=1000)
    fitted.fit(scaler.transform(features), labels)
    spread = np.where(scaler.scale_ > 0, scaler.scale_, np.inf)
    return fitted.coef_[0] / spread, (scaler, fitted)


def cross_validate(features: np.ndarray, labels: np.ndarray) -> list[tuple[float, float | None]]:
    """Each C of REGULARISATION_GRID with its mean AUC over time-ordered folds: rows in time
    order are cut into CROSS_VALIDATION_FOLDS + 1 blocks; fold k learns from blocks 1..k and is
    measured on block k + 1 (never on an older block). Folds whose learning or measured rows
    hold one outcome only are left out."""
    from sklearn.model_selection import TimeSeriesSplit  # loaded when used, as in _regression

    folds = [
        (learn, check)
        for learn, check in TimeSeriesSplit(CROSS_VALIDATION_FOLDS).split(features)
        if len(set(labels[learn])) == 2 and len(set(labels[check])) == 2
    ]
    found = []
    for strength in REGULARISATION_GRID:
        areas = []
        for learn, check in folds:
            _, (scaler, fitted) = _regression(features[learn], labels[learn], strength)
            odds = fitted.decision_function(scaler.transform(features[check]))
            areas.append(metrics.auc([bool(x) for x in labels[check]], [float(x) for x in odds]))
        defined = [a for a in areas if a is not None]
        found.append((strength, float(np.mean(defined)) if defined else None))
    return found


def _current(model: ScoringModel, path: str) -> float | None:
    node: Any = model.model_dump(mode="json")
    for part in path.split("."):
        node = node.get(part) if isinstance(node, dict) else None
    if isinstance(node, dict):
        node = node.get("points")
    return float(node) if isinstance(node, int | float) else None


def _knobs(
    model: ScoringModel,
    explorer: ScoringModel,
    names: Sequence[str],
    coefficients: np.ndarray,
    features: np.ndarray,
) -> list[Knob]:
    """Proposed value = value x max(coefficient, 0) x scale, for each feature that varies in
    the older deals (one that does not says nothing: its knob stays). The scale keeps the
    older deals' summed points of the varying features."""
    varies = features.std(axis=0) > 0
    kept = np.clip(coefficients, 0, None)
    weighted = float((features[:, varies] * kept[varies]).sum())
    scale = float(features[:, varies].sum()) / weighted if weighted > 0 else 0.0
    knobs = []
    for n, name in enumerate(names):
        if not varies[n]:
            continue
        current = _current(model, name)
        measured = _current(explorer, name) or NEW_KIND_POINTS
        bound = MAX_WEIGHT if name.startswith("weights.") else MAX_POINTS
        proposed = min(round(measured * float(kept[n]) * scale, PROPOSED_DECIMALS), bound)
        knobs.append(Knob(name, current or 0.0, float(coefficients[n]), proposed))
    return knobs


def _caps(
    model: ScoringModel, names: Sequence[str], knobs: Sequence[Knob], features: np.ndarray
) -> list[Knob]:
    """Raised caps: where the proposed points of a capped section would exceed its cap for
    the older deals, the cap becomes their CAP_QUANTILE (a cap every deal hits ranks none)."""
    changed = {k.path: k.proposed / (k.current or NEW_KIND_POINTS) for k in knobs}
    factors = np.array([changed.get(name, 1.0) for name in names])
    raised = []
    for section in KNOB_SECTIONS:
        inside = np.array([n.startswith(f"{section}.") for n in names])
        if not inside.any():
            continue
        sums = (features[:, inside] * factors[inside]).sum(axis=1)
        weight = getattr(model.weights, section)
        current = float(getattr(model, section).cap)
        wanted = math.ceil(float(np.quantile(sums, CAP_QUANTILE)) / weight) if weight else 0
        if wanted > current:
            raised.append(Knob(f"{section}.cap", current, None, min(float(wanted), MAX_POINTS)))
    return raised


def apply_knobs(model: ScoringModel, knobs: Sequence[Knob]) -> ScoringModel:
    """The model with each knob set to its proposed value (new kinds added)."""
    data = model.model_dump(mode="json")
    data["name"] = f"{model.name}-calibrated"
    for item in knobs:
        section, group, name = [*item.path.split("."), ""][:3]
        if group == "cap":
            data[section]["cap"] = item.proposed
        elif section == "weights":
            data["weights"][group] = item.proposed
        elif section == "engagement":
            rule = data["engagement"]["events"].setdefault(name, {"count": "once_per_asset"})
            if rule.get("cap") is not None and rule.get("points") and item.proposed:
                # the type's cap scales with its points, so that the rule keeps the shape the
                # regression measured (5 opens at most stay 5 opens at most)
                scaled = rule["cap"] * item.proposed / rule["points"]
                rule["cap"] = min(round(scaled, PROPOSED_DECIMALS), MAX_POINTS)
            rule["points"] = item.proposed
        elif section == "network" and isinstance(data["network"]["kinds"].get(name), dict):
            data["network"]["kinds"][name]["points"] = item.proposed
        elif section == "network":
            data["network"]["kinds"][name] = item.proposed
        else:
            data["intent"]["topics"][name]["points"] = item.proposed
    return ScoringModel.model_validate(data)


def _backtest(
    store: Store,
    model: ScoringModel,
    proposed: ScoringModel,
    newer: Sequence[Deal],
    known: datetime,
    features: np.ndarray,
    labels: np.ndarray,
    regression: Any,
    cut: int,
) -> tuple[list[Measured], list[Difference]]:
    """Each scorer's figures on the held-out deals, and the calibrated model's differences
    from the others, with bootstrap intervals."""
    truth = [bool(x) for x in labels[cut:]]
    scores: dict[str, list[float]] = {}
    tiers: dict[str, dict[str, metrics.Rate]] = {}
    for name, scorer in ((CURRENT, model), (CALIBRATED, proposed)):
        scores[name], tiers[name] = _engine(store, scorer, newer, known, truth)
    scaler, fitted = regression
    scores["logistic regression (no caps)"] = list(
        fitted.decision_function(scaler.transform(features[cut:]))
    )
    scores["naive Bayes (Odoo-style)"] = list(
        naive_bayes(features[:cut], labels[:cut], features[cut:])
    )
    scores["generic click model"] = generic_scores(store, _at_start(newer), known)
    resampled = metrics.bootstrap(truth, scores)
    measured = [
        Measured(
            name,
            metrics.auc(truth, values),
            metrics.top_share_lift(truth, values),
            tiers[name]["A"].rate if name in tiers else None,
            tiers[name]["A"].closed if name in tiers else None,
            metrics.interval(resampled[name].auc),
            metrics.interval(resampled[name].lift),
            metrics.top_tier(tiers[name]) if name in tiers else None,
        )
        for name, values in scores.items()
    ]
    ours = resampled[CALIBRATED]
    differences = [
        Difference(
            name,
            metrics.interval(ours.auc - theirs.auc),
            metrics.interval(ours.lift - theirs.lift),
        )
        for name, theirs in resampled.items()
        if name != CALIBRATED
    ]
    return measured, differences


def _engine(
    store: Store, scorer: ScoringModel, newer: Sequence[Deal], known: datetime, truth: list[bool]
) -> tuple[list[float], dict[str, metrics.Rate]]:
    """The held-out deals' totals under a model, scored by the engine, and won out of closed
    per tier."""
    prepare(store, scorer)
    judged = judge(store, scorer, _at_start(newer), known)
    return [j.total for j in judged], metrics.by_tier(truth, [j.tier for j in judged])


def naive_bayes(train: np.ndarray, labels: np.ndarray, test: np.ndarray) -> np.ndarray:
    """Odoo-style naive Bayes: each feature becomes a category (zero, or one of
    NAIVE_BAYES_BINS quantile bins of its positive training values), frequencies per outcome
    with Laplace smoothing; returns P(won) for the test rows."""
    from sklearn.naive_bayes import CategoricalNB  # loaded when used, as in _regression

    edges = []
    for column in train.T:
        positive = column[column > 0]
        quantiles = np.linspace(0, 1, NAIVE_BAYES_BINS + 1)[1:-1]
        edges.append(np.unique(np.quantile(positive, quantiles)) if positive.size else np.array([]))

    def categories(rows: np.ndarray) -> np.ndarray:
        return np.array(
            [
                np.where(column > 0, 1 + np.searchsorted(cuts, column, side="right"), 0)
                for column, cuts in zip(rows.T, edges, strict=True)
            ]
        ).T.reshape(len(rows), len(edges))

    fitted = CategoricalNB(alpha=NAIVE_BAYES_SMOOTHING, min_categories=NAIVE_BAYES_BINS + 1)
    fitted.fit(categories(train), labels)
    won = list(fitted.classes_).index(True)
    return np.asarray(fitted.predict_proba(categories(test))[:, won])


def generic_scores(
    store: Store, wanted: Sequence[tuple[Deal, datetime]], known: datetime
) -> list[float]:
    """The generic click model for each (deal, as_of): the best linked contact's sum of
    GENERIC_POINTS over its events by as_of (no decay, no cap)."""
    kinds = list(GENERIC_POINTS)
    rows = store.query(
        "SELECT contact_id, event_type, occurred_at FROM events "
        "WHERE event_type IN (SELECT unnest(?::VARCHAR[])) AND ingested_at <= ?",
        [kinds, known],
    )
    events: dict[str, list[tuple[datetime, float]]] = {}
    for contact_id, kind, occurred_at in rows:
        events.setdefault(contact_id, []).append((occurred_at, GENERIC_POINTS[kind]))
    return [
        max(
            sum(points for when, points in events.get(c, []) if when <= as_of)
            for c in deal.contact_ids
        )
        for deal, as_of in wanted
    ]
