"""Tiers: the model's tier rules over the dimensions, heat and profile, then the stale-A rule
(demote an A contact with no high-value act for `stale_a.after_days`) and the silent-executive
rule (lift a senior, fitting, quiet contact with one decisive act to at least
`silent_executive.lift_to`). Both are measured from the facts at as_of, never from earlier
snapshots, so a rescore at the same as_of and known_at gives the same tiers. Their reasons are
contributions of zero points in the pseudo-dimension `tier`."""

from __future__ import annotations

from datetime import datetime

from execrank.model import TIER_NAMES, UNRANKED_TIER, Condition, ScoringModel
from execrank.scoring._buying import deal_places
from execrank.scoring._sql import (
    NO_CONTRIBUTIONS,
    Scope,
    age_days,
    age_text,
    literal,
    number,
    seen,
    word_list,
    words,
)

TIER_DIMENSION = "tier"  # pseudo-dimension of the zero-point rows that explain a tier


def condition_test(condition: Condition) -> str:
    tests = []
    for measure, bound in condition.items():
        if bound.min is not None:
            tests.append(f"{measure} >= {number(bound.min)}")
        if bound.max is not None:
            tests.append(f"{measure} <= {number(bound.max)}")
    return "(" + (" AND ".join(tests) or "true") + ")"


def tier_case(model: ScoringModel) -> str:
    whens = " ".join(
        f"WHEN {' OR '.join(condition_test(c) for c in rule.when)} THEN {literal(rule.tier)}"
        for rule in model.tiers
    )
    return f"CASE {whens} ELSE {literal(UNRANKED_TIER)} END"


def _standing(column: str) -> str:
    """A tier's place in the order A > B > C > -, as a number (higher is better)."""
    whens = " ".join(
        f"WHEN {literal(name)} THEN {len(TIER_NAMES) - index}"
        for index, name in enumerate(TIER_NAMES)
    )
    return f"CASE {column} {whens} ELSE 0 END"


def _act(alias: str) -> str:
    return (
        f"{alias}.event_type || coalesce(' \"' || {alias}.asset || '\"', '') || ' on ' "
        f"|| strftime({alias}.occurred_at, '%Y-%m-%d')"
    )


def _decisive_events(model: ScoringModel) -> tuple[str, str]:
    """The decisive event types (an SQL IN-list) and the window in days (an SQL number)."""
    silent = model.silent_executive
    events = word_list(silent.decisive_events if silent else [])
    return events, number(silent.within_days if silent else 0)


def _decisive_deals(model: ScoringModel) -> str:
    """The test that a place on an opportunity (`deal_places`) is a decisive act."""
    silent = model.silent_executive
    return f"is_open AND {words('stage')} IN ({word_list(silent.stage_words if silent else [])})"


def _decisive(model: ScoringModel, as_of: datetime, known_at: datetime, scope: Scope) -> str:
    """(contact_id, act): the newest decisive act of each contact within the window."""
    events, within = _decisive_events(model)
    return f"""
    SELECT contact_id, act FROM (
      SELECT contact_id, act,
        row_number() OVER (PARTITION BY contact_id ORDER BY happened DESC NULLS LAST, act) AS n
      FROM (
        SELECT e.contact_id, {_act("e")} AS act, e.occurred_at AS happened
        FROM {scope.table("events")} e
        WHERE {seen("e", as_of, known_at)} AND e.event_type IN ({events})
          AND {age_days("e.occurred_at", as_of)} <= {within}
        UNION ALL
        SELECT contact_id, 'on open opportunity "' || deal || '" at stage ' || stage,
          CAST(NULL AS TIMESTAMP)
        FROM ({deal_places(as_of, known_at, scope)}) WHERE {_decisive_deals(model)}))
    WHERE n = 1"""


def _high_value(model: ScoringModel, as_of: datetime, known_at: datetime, scope: Scope) -> str:
    """(contact_id, last_at, last_act): each contact's newest high-value act."""
    return f"""
    SELECT e.contact_id, max(e.occurred_at) AS last_at, arg_max({_act("e")}, e.occurred_at)
      AS last_act
    FROM {scope.table("events")} e
    WHERE {seen("e", as_of, known_at)} AND e.event_type IN ({_high_value_events(model)})
    GROUP BY e.contact_id"""


def _high_value_events(model: ScoringModel) -> str:
    return word_list(model.stale_a.high_value_events if model.stale_a else [])


def _tier_events(model: ScoringModel, as_of: datetime, known_at: datetime, scope: Scope) -> str:
    """(contact_id, last_at, decisive) in one pass over the events, for a rescore's tiers (no
    act text): the newest high-value act's time, and whether a decisive act falls in the
    window."""
    decisive, within = _decisive_events(model)
    high_value = _high_value_events(model)
    return f"""
    SELECT e.contact_id,
      max(e.occurred_at) FILTER (WHERE e.event_type IN ({high_value})) AS last_at,
      bool_or(e.event_type IN ({decisive}) AND {age_days("e.occurred_at", as_of)} <= {within})
        AS decisive
    FROM {scope.table("events")} e
    WHERE {seen("e", as_of, known_at)} AND e.event_type IN ({high_value}, {decisive})
    GROUP BY e.contact_id"""


def _tier_facts(
    model: ScoringModel, as_of: datetime, known_at: datetime, scope: Scope, evidence: bool
) -> str:
    """The CTEs `high_value` (contact_id, last_at, last_act) and `decisive` (contact_id, act):
    with evidence, each act's text (the explain path); without, a rescore's lean form: one
    scan of the events for both, and no text (NULL acts)."""
    if evidence:
        return f"""
    decisive AS ({_decisive(model, as_of, known_at, scope)}),
    high_value AS ({_high_value(model, as_of, known_at, scope)}),"""
    return f"""
    tier_events AS ({_tier_events(model, as_of, known_at, scope)}),
    high_value AS (
      SELECT contact_id, last_at, CAST(NULL AS VARCHAR) AS last_act FROM tier_events
      WHERE last_at IS NOT NULL),
    decisive AS (
      SELECT contact_id, CAST(NULL AS VARCHAR) AS act FROM tier_events WHERE decisive
      UNION
      SELECT contact_id, CAST(NULL AS VARCHAR) FROM ({deal_places(as_of, known_at, scope)})
      WHERE {_decisive_deals(model)}),"""


def tier_ctes(
    model: ScoringModel, as_of: datetime, known_at: datetime, scope: Scope, evidence: bool
) -> str:
    """CTEs after `measures` (one row per contact: total, the dimensions, heat, profile):
    `tiered` adds rule_tier, stale, silent, their evidence parts (with evidence) and the final
    `tier`."""
    stale, silent = model.stale_a, model.silent_executive
    is_stale = (
        f"(r.rule_tier = 'A' AND (h.last_at IS NULL OR "
        f"{age_days('h.last_at', as_of)} > {number(stale.after_days)}))"
        if stale
        else "false"
    )
    is_silent = (
        f"(r.role >= {number(silent.min_role)} AND r.fit >= {number(silent.min_fit)} "
        f"AND r.engagement <= {number(silent.max_engagement)} AND d.contact_id IS NOT NULL)"
        if silent
        else "false"
    )
    demoted = literal(stale.demote_to) if stale else "r.rule_tier"
    lift = literal(silent.lift_to if silent else UNRANKED_TIER)
    return f""",{_tier_facts(model, as_of, known_at, scope, evidence)}
    ruled AS (SELECT *, {tier_case(model)} AS rule_tier FROM measures),
    flagged AS (
      SELECT r.*, {is_stale} AS stale, {is_silent} AS silent, h.last_act,
        {age_text("h.last_at", as_of)} AS last_age, d.act AS decisive_act,
        CASE WHEN {is_stale} THEN {demoted} ELSE r.rule_tier END AS kept_tier
      FROM ruled r LEFT JOIN high_value h ON h.contact_id = r.contact_id
      LEFT JOIN decisive d ON d.contact_id = r.contact_id),
    tiered AS (
      SELECT *, CASE WHEN silent AND {_standing("kept_tier")} < {_standing(lift)} THEN {lift}
                     ELSE kept_tier END AS tier
      FROM flagged)"""


def _shown(column: str) -> str:
    return f"CAST(round({column}, 2) AS VARCHAR)"


def tier_reasons(model: ScoringModel) -> str:
    """Zero-point contributions from `tiered` saying why a tier rule was overridden."""
    stale, silent = model.stale_a, model.silent_executive
    rows = []
    if stale:
        rows.append(f"""
    SELECT contact_id, '{TIER_DIMENSION}', '{TIER_DIMENSION}.stale_a', CAST(0.0 AS DOUBLE),
      'in tier A by the tier rules, but '
        || coalesce('the newest high-value act, ' || last_act || ', was ' || last_age
                    || ' d before as_of', 'no high-value act on record')
        || ' (stale after {stale.after_days:g} days): demoted to ' || kept_tier
    FROM tiered WHERE stale""")
    if silent:
        rows.append(f"""
    SELECT contact_id, '{TIER_DIMENSION}', '{TIER_DIMENSION}.silent_executive',
      CAST(0.0 AS DOUBLE),
      'silent executive: role ' || {_shown("role")} || ', fit ' || {_shown("fit")}
        || ', engagement ' || {_shown("engagement")} || ' (at most {silent.max_engagement:g})'
        || ', decisive act: ' || decisive_act
        || CASE WHEN tier <> kept_tier THEN ': lifted from tier ' || kept_tier || ' to ' || tier
                ELSE ': tier ' || tier || ' kept' END
    FROM tiered WHERE silent""")
    return " UNION ALL ".join(rows) or NO_CONTRIBUTIONS
