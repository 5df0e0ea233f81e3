"""Outcomes: closed deals with their executives, and what the scoring model said about them.

A deal is won, lost or open: from `is_won` / `is_closed` when the CRM gives them, otherwise
from its stage ("Won", "Closed Won"; "Lost", "Closed Lost"). A deal's executives are the
contacts linked to it (`opportunity_contacts`); a deal with no linked contact is linked to the
contacts of its company (scoring at the account level). A deal is judged by its *lead
executive*: the linked contact with the highest total when the deal started (`created_at`, or
`closed_at` when the CRM gives no start), ties broken by contact id.

Every score here is recomputed from the stored facts at a past `as_of` with `known_at` the
newest ingest: history imported after the fact counts as known (a backfill).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from execrank import scoring
from execrank.ingest import refresh_signal_matches, refresh_titles
from execrank.model import DIMENSIONS, UNRANKED_TIER, ScoringModel
from execrank.store import Store

WON_STAGES = frozenset({"won", "closed won", "closedwon"})
LOST_STAGES = frozenset({"lost", "closed lost", "closedlost"})
LIMIT_RULE_SUFFIXES = (".cap", ".floor")  # contributions that hold a dimension within bounds
ADJUSTMENT_PREFIX = "adjustment:"  # the id of a manual adjustment used as a label


def outcome(is_closed: bool | None, is_won: bool | None, stage: str | None) -> str:
    """'won', 'lost' or 'open' from the CRM's flags, or from the stage when a flag is missing."""
    words = " ".join((stage or "").split()).casefold()
    if is_won or (is_won is None and words in WON_STAGES):
        return "won"
    closed_by_stage = words in WON_STAGES | LOST_STAGES
    if is_closed or (is_closed is None and closed_by_stage):
        return "lost"
    return "open"


@dataclass(frozen=True)
class Deal:
    """A deal with its outcome, the time it started and closed, and its linked contacts."""

    opportunity_id: str
    result: str  # won, lost or open
    started: datetime | None
    closed: datetime | None
    contact_ids: tuple[str, ...]

    @property
    def won(self) -> bool:
        return self.result == "won"


@dataclass
class Judged:
    """A deal and its lead executive's scores at one `as_of`: total, dimensions, and points
    per rule (caps and floors left out: they are not rules one can weigh)."""

    deal: Deal
    as_of: datetime
    contact_id: str
    total: float
    dimensions: dict[str, float] = field(default_factory=dict)
    tier: str = UNRANKED_TIER
    rules: dict[str, float] = field(default_factory=dict)
    evidence: list[tuple[str, str, float, str]] = field(default_factory=list)


def deals(store: Store) -> list[Deal]:
    """Every stored deal with its outcome and linked contacts, in time order (start, id)."""
    rows = store.query(
        "SELECT o.opportunity_id, o.is_closed, o.is_won, o.stage, "
        "  coalesce(o.created_at, o.closed_at), o.closed_at, "
        "  coalesce((SELECT list(DISTINCT l.contact_id ORDER BY l.contact_id) "
        "            FROM opportunity_contacts l WHERE l.opportunity_id = o.opportunity_id), "
        "           (SELECT list(c.contact_id ORDER BY c.contact_id) FROM contacts c "
        "            WHERE c.company_id = o.company_id), []) "
        "FROM opportunities o ORDER BY 5 NULLS LAST, 1"
    )
    return [
        Deal(opportunity_id, outcome(closed, won, stage), started, ended, tuple(linked))
        for opportunity_id, closed, won, stage, started, ended, linked in rows
    ]


def closed_deals(store: Store) -> list[Deal]:
    """Won and lost deals that have a start time and at least one executive, in time order."""
    return [
        d for d in deals(store) if d.result != "open" and d.started is not None and d.contact_ids
    ]


def adjustment_labels(store: Store, before: datetime | None) -> list[Deal]:
    """Manual adjustments made before `before` (all of them with None) as labels: a person who
    raised a contact (points > 0) judged it worth a deal, one who lowered it judged it not.
    Each is a deal of one contact, id `adjustment:<id>`, won or lost, started when the
    adjustment was made, in time order."""
    rows = store.query(
        "SELECT adjustment_id, contact_id, points > 0, created_at FROM adjustments "
        "WHERE points <> 0 AND (CAST(? AS TIMESTAMP) IS NULL OR created_at < ?) "
        "ORDER BY created_at, adjustment_id",
        [before, before],
    )
    return [
        Deal(f"{ADJUSTMENT_PREFIX}{adjustment_id}", "won" if raised else "lost", at, None, (who,))
        for adjustment_id, who, raised, at in rows
    ]


def known_at(store: Store) -> datetime:
    """The newest ingest of any fact: what a recomputation today knows."""
    tables = ("contacts", "companies", "events", "signals", "relationships", "adjustments")
    union = " UNION ALL ".join(f"SELECT max(ingested_at) AS t FROM {t}" for t in tables)
    row = store.query(f"SELECT max(t) FROM ({union})")
    return row[0][0] or datetime.min


def prepare(store: Store, model: ScoringModel) -> None:
    """Bring the derived tables (title classes, topic matches) up to date for model."""
    with store.transaction():
        refresh_titles(store)
        refresh_signal_matches(store, model)


def judge(
    store: Store,
    model: ScoringModel,
    wanted: Sequence[tuple[Deal, datetime]],
    known: datetime,
    *,
    rules: bool = False,
) -> list[Judged]:
    """Each (deal, as_of) scored by model, in the order given: its lead executive's total and
    dimensions, and its tier (without `rules`) or its points per rule and evidence (with
    `rules`). Contacts are scored once per distinct as_of. Call `prepare` first."""
    people: dict[datetime, set[str]] = defaultdict(set)
    for deal, as_of in wanted:
        people[as_of].update(deal.contact_ids)
    read = _contributions_at if rules else _scores_at
    scored = {
        as_of: read(store, model, as_of, known, sorted(ids))
        for as_of, ids in sorted(people.items())
    }
    judged = []
    for deal, as_of in wanted:
        at = scored[as_of]
        lead = at[max(deal.contact_ids, key=lambda c: (at[c].total, _reverse(c)))]
        judged.append(replace(lead, deal=deal))
    return judged


def _reverse(contact_id: str) -> tuple[int, ...]:
    """A key that sorts contact ids in reverse, so that max() picks the smallest id on ties."""
    return tuple(-ord(ch) for ch in contact_id)


def _scores_at(
    store: Store, model: ScoringModel, as_of: datetime, known: datetime, people: Sequence[str]
) -> dict[str, Judged]:
    sql = (
        f"SELECT contact_id, total, tier, {', '.join(DIMENSIONS)} "
        f"FROM ({scoring.scores_query(model, as_of, known, list(people))})"
    )
    return {
        contact_id: Judged(
            _NO_DEAL, as_of, contact_id, total, dict(zip(DIMENSIONS, dims, strict=True)), tier
        )
        for contact_id, total, tier, *dims in store.query(sql)
    }


def _contributions_at(
    store: Store, model: ScoringModel, as_of: datetime, known: datetime, people: Sequence[str]
) -> dict[str, Judged]:
    found = {c: Judged(_NO_DEAL, as_of, c, 0.0, dict.fromkeys(DIMENSIONS, 0.0)) for c in people}
    sql = scoring.contributions_query(model, as_of, known, list(people))
    for contact_id, dimension, rule, points, evidence in store.contributions(sql):
        item = found[contact_id]
        item.total += points
        item.dimensions[dimension] = item.dimensions.get(dimension, 0.0) + points
        item.evidence.append((dimension, rule, points, evidence))
        if not rule.endswith(LIMIT_RULE_SUFFIXES):
            item.rules[rule] = item.rules.get(rule, 0.0) + points
    return found


def week_start(moment: datetime) -> datetime:
    """Midnight of the Monday on or before moment: deals are scored at the start of the week
    they started, so that contacts are scored once per week of history, not once per day."""
    day = moment.date() - timedelta(days=moment.weekday())
    return datetime(day.year, day.month, day.day)


_NO_DEAL = Deal("", "open", None, None, ())
