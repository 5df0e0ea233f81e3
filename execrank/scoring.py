"""The five dimensions, the composite, ranks and tiers, as relational expressions.

Pure: a scoring model and the times `as_of` / `known_at` in, SQL text out. Nothing here reads a
clock, a file or a store. The queries read the fact tables (contacts, companies, titles, events,
signals, signal_matches, relationships) and see only facts that occurred by `as_of` and were
ingested by `known_at`. Every point of a total is a row of the contributions query
`(contact_id, dimension, rule, points, evidence)`; caps and floors are contributions too, so the
sum of a contact's contributions is its total.

The text is written in the SQL that DuckDB runs and sqlglot transpiles for Spark unchanged in
meaning (see `execrank.spark`): no DuckDB-only functions, literals cast to DOUBLE, and rounding
done on the same IEEE values in both engines.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from execrank.model import DIMENSIONS, Condition, Criterion, ScoringModel

MICROSECONDS_PER_DAY = 86_400_000_000
POINT_DECIMALS = 6  # points are kept to a millionth of a point
POINT_SCALE = 10**POINT_DECIMALS

# The tables the queries read: what `execrank export-facts` writes for other engines.
TABLES = ("contacts", "companies", "titles", "events", "signals", "signal_matches", "relationships")


def _literal(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _number(value: float) -> str:
    """A float literal that every engine reads as DOUBLE (Spark reads 1.5 as DECIMAL)."""
    return f"CAST({float(value)!r} AS DOUBLE)"


def _timestamp(value: datetime) -> str:
    return f"CAST({_literal(value.isoformat(sep=' '))} AS TIMESTAMP)"


def _exact(expression: str) -> str:
    """Points as fixed-point decimals, so sums are exact and do not depend on summing order:
    the same facts give the same totals and ranks on every run and every engine.

    Rounded as round(x * 10^6) / 10^6, not round(x, 6): Spark's round(x, 6) rounds the shortest
    decimal text of x, DuckDB's its binary value, so the two disagree on half of the ties;
    round(x * 10^6) rounds the same IEEE product half away from zero in both."""
    scale = _number(POINT_SCALE)
    return f"CAST(round(({expression}) * {scale}) / {scale} AS DECIMAL(18, {POINT_DECIMALS}))"


def _decay(column: str, as_of: datetime, half_life_days: float) -> str:
    # Microseconds, not epoch(): Spark's unix_timestamp drops fractions of a second.
    age_days = (
        f"CAST(date_diff('microsecond', {column}, {_timestamp(as_of)}) AS DOUBLE) "
        f"/ {_number(MICROSECONDS_PER_DAY)}"
    )
    return f"pow(2.0, -({age_days}) / {_number(half_life_days)})"


def _age_text(column: str, as_of: datetime) -> str:
    # Calendar days between the dates: Spark counts whole 24-hour periods between timestamps.
    return (
        f"CAST(date_diff('day', CAST({column} AS DATE), CAST({_timestamp(as_of)} AS DATE)) "
        "AS VARCHAR)"
    )


def _role(model: ScoringModel) -> str:
    role, weight = model.role, model.weights.role
    points = (
        " ".join(
            f"WHEN t.seniority = {_literal(o.seniority)} AND t.function = {_literal(o.function)} "
            f"THEN {_number(o.points)}"
            for o in role.overrides
        )
        + " "
        + " ".join(
            f"WHEN t.seniority = {_literal(s)} THEN {_number(p)}"
            for s, p in role.seniority_points.items()
        )
    )
    # array_contains, not list_has_any: sqlglot writes the latter as Spark's missing `&&`.
    zeroed = (
        "("
        + " OR ".join(f"array_contains(t.flags, {_literal(f)})" for f in role.zero_point_flags)
        + ")"
        if role.zero_point_flags
        else "false"
    )
    return f"""
    SELECT c.contact_id, 'role' AS dimension,
      CASE WHEN t.title IS NULL THEN 'role.no_title'
           WHEN {zeroed} THEN 'role.zeroed_by_flag'
           ELSE 'role.' || t.seniority || '.' || t.function END AS rule,
      CASE WHEN t.title IS NULL OR {zeroed} THEN 0.0
           ELSE (CASE {points} ELSE 0.0 END) * {_number(weight)} END AS points,
      CASE WHEN t.title IS NULL THEN 'no title on record'
           ELSE 'title "' || t.title || '" -> ' || t.seniority || ', ' || t.function
             || CASE WHEN array_length(t.flags) > 0
                     THEN ' [' || array_to_string(t.flags, ', ') || ']' ELSE '' END
             || CASE WHEN {zeroed} THEN ': this flag earns no role points' ELSE '' END
      END AS evidence
    FROM contacts c LEFT JOIN titles t ON t.title = c.title"""


def _criterion_test(criterion: Criterion) -> str:
    column = f"co.{criterion.field}"
    if criterion.any_of is not None:
        allowed = ", ".join(_literal(v.strip().lower()) for v in criterion.any_of)
        return f"coalesce(lower(trim({column})) IN ({allowed}), false)"
    bounds = []
    if criterion.min is not None:
        bounds.append(f"{column} >= {_number(criterion.min)}")
    if criterion.max is not None:
        bounds.append(f"{column} <= {_number(criterion.max)}")
    return f"coalesce({' AND '.join(bounds)}, false)"


def _criterion_evidence(criterion: Criterion) -> str:
    column = f"co.{criterion.field}"
    shown = f"coalesce(CAST({column} AS VARCHAR), 'unknown')"
    mark = f"CASE WHEN {_criterion_test(criterion)} THEN ' met' ELSE ' not met' END"
    return f"{_literal(criterion.name + ' ')} || {shown} || {mark}"


def _fit(model: ScoringModel) -> str:
    fit, weight = model.fit, model.weights.fit
    met = " + ".join(f"CAST({_criterion_test(c)} AS INTEGER)" for c in fit.criteria)
    total = len(fit.criteria)
    evidence = " || '; ' || ".join(_criterion_evidence(c) for c in fit.criteria)
    return f"""
    SELECT contact_id, 'fit' AS dimension,
      CASE WHEN company_known IS NULL THEN 'fit.no_company'
           WHEN met = {total} THEN 'fit.all' WHEN met > 0 THEN 'fit.some' ELSE 'fit.none' END,
      CASE WHEN company_known IS NULL THEN {_number(fit.points.none)}
           WHEN met = {total} THEN {_number(fit.points.all)}
           WHEN met > 0 THEN {_number(fit.points.some)} ELSE {_number(fit.points.none)} END
        * {_number(weight)},
      CASE WHEN company_known IS NULL THEN 'company not on record'
           ELSE company_name || ': ' || CAST(met AS VARCHAR) || ' of {total} ICP criteria met ('
             || evidence || ')' END
    FROM (SELECT c.contact_id, co.company_id AS company_known,
                 coalesce(co.name, co.company_id) AS company_name, {met} AS met,
                 {evidence} AS evidence
          FROM contacts c LEFT JOIN companies co ON co.company_id = c.company_id)"""


def _engagement(model: ScoringModel, as_of: datetime, known_at: datetime) -> str:
    engagement, weight = model.engagement, model.weights.engagement
    values = ", ".join(
        f"({_literal(name)}, {_number(rule.points)}, {_literal(rule.count)})"
        for name, rule in engagement.events.items()
    )
    return f"""
    WITH rules(event_type, base_points, count_rule) AS (VALUES {values}),
    seen_events AS (
      SELECT * FROM events
      WHERE occurred_at <= {_timestamp(as_of)} AND ingested_at <= {_timestamp(known_at)})
    SELECT contact_id, 'engagement' AS dimension, 'engagement.' || event_type AS rule,
      base_points * {_decay("occurred_at", as_of, engagement.half_life_days)} * {_number(weight)},
      event_type || coalesce(' "' || asset || '"', '') || ' on '
        || strftime(occurred_at, '%Y-%m-%d') || ' (' || {_age_text("occurred_at", as_of)}
        || ' d before as_of; ' || CAST(base_points AS VARCHAR) || ' points, half-life '
        || {_literal(f"{engagement.half_life_days:g}")} || ' days'
        || CASE WHEN count_rule = 'once_per_asset' AND repeats > 1
                THEN '; counted once, ' || CAST(repeats AS VARCHAR) || ' times in all'
                ELSE '' END || '; source ' || coalesce(source, 'unknown') || ')'
    FROM (
      SELECT e.contact_id, e.event_type, e.asset, e.occurred_at, e.source, 1 AS repeats,
        r.base_points, r.count_rule
      FROM seen_events e JOIN rules r ON r.event_type = e.event_type
      WHERE r.count_rule = 'every_time'
      UNION ALL
      -- once per asset: the newest event of each (contact, type, asset) counts
      SELECT e.contact_id, e.event_type, e.asset, max(e.occurred_at),
        arg_max(e.source, e.occurred_at), count(*), r.base_points, r.count_rule
      FROM seen_events e JOIN rules r ON r.event_type = e.event_type
      WHERE r.count_rule = 'once_per_asset'
      GROUP BY e.contact_id, e.event_type, e.asset, r.base_points, r.count_rule)"""


def _intent(model: ScoringModel, as_of: datetime, known_at: datetime) -> str:
    intent, weight = model.intent, model.weights.intent
    values = ", ".join(f"({_literal(n)}, {_number(p)})" for n, p in intent.topic_points.items())
    return f"""
    SELECT contact_id, 'intent' AS dimension, 'intent.' || topic AS rule,
      topic_points * share * {_decay("occurred_at", as_of, intent.half_life_days)}
        * {_number(weight)},
      kind || ' on ' || strftime(occurred_at, '%Y-%m-%d')
        || CASE WHEN share < 1.0 THEN ' about the company (share ' || CAST(share AS VARCHAR) || ')'
                ELSE '' END
        || ': "' || phrase || '" in "' || snippet || '"'
        || coalesce(' <' || url || '>', '') || ' (source ' || coalesce(source, 'unknown') || ')'
    FROM (
      SELECT coalesce(s.contact_id, c.contact_id) AS contact_id, s.kind, s.occurred_at, s.url,
        s.source, m.topic, m.phrase, m.snippet, tp.topic_points,
        CASE WHEN s.contact_id IS NULL THEN {_number(intent.company_signal_share)} ELSE 1.0 END
          AS share
      FROM signals s
      JOIN signal_matches m ON m.signal_id = s.signal_id
        AND m.topics_hash = {_literal(intent.topics_hash)}
      JOIN (VALUES {values}) AS tp(topic, topic_points) ON tp.topic = m.topic
      LEFT JOIN contacts c ON s.contact_id IS NULL AND c.company_id = s.company_id
      WHERE s.occurred_at <= {_timestamp(as_of)} AND s.ingested_at <= {_timestamp(known_at)})
    WHERE contact_id IS NOT NULL"""


def _network(model: ScoringModel, as_of: datetime, known_at: datetime) -> str:
    network, weight = model.network, model.weights.network
    values = ", ".join(f"({_literal(k)}, {_number(p)})" for k, p in network.kinds.items())
    return f"""
    SELECT r.contact_id, 'network' AS dimension, 'network.' || r.kind AS rule,
      k.base_points * {_decay("r.occurred_at", as_of, network.half_life_days)} * {_number(weight)},
      r.kind || coalesce(' via ' || r.referrer, '') || ' on ' || strftime(r.occurred_at, '%Y-%m-%d')
        || coalesce(': ' || r.note, '') || ' (' || CAST(k.base_points AS VARCHAR)
        || ' points, half-life ' || {_literal(f"{network.half_life_days:g}")} || ' days; source '
        || coalesce(r.source, 'unknown') || ')'
    FROM relationships r JOIN (VALUES {values}) AS k(kind, base_points) ON k.kind = r.kind
    WHERE r.occurred_at <= {_timestamp(as_of)} AND r.ingested_at <= {_timestamp(known_at)}"""


def _limits(model: ScoringModel) -> str:
    """Per-dimension (weighted) cap and floor as a VALUES table."""
    weights = model.weights.model_dump()
    caps = {
        "role": (model.role.cap, 0.0),
        "fit": (model.fit.points.all, 0.0),
        "engagement": (model.engagement.cap, model.engagement.floor),
        "intent": (model.intent.cap, 0.0),
        "network": (model.network.cap, 0.0),
    }
    return ", ".join(
        f"({_literal(d)}, {_number(caps[d][0] * weights[d])}, {_number(caps[d][1] * weights[d])})"
        for d in DIMENSIONS
    )


def _pipeline(
    model: ScoringModel,
    as_of: datetime,
    known_at: datetime,
    contact_ids: Sequence[str] | None,
    evidence: bool,
) -> str:
    """The WITH-clause shared by contributions and scores: `raw` (one row per rule hit, points
    as exact decimals), `limits` (per-dimension cap and floor) and `sums` (per contact and
    dimension). With contact_ids, only those contacts are computed."""
    parts = [
        _role(model),
        _fit(model),
        _engagement(model, as_of, known_at),
        _intent(model, as_of, known_at),
        _network(model, as_of, known_at),
    ]
    raw = " UNION ALL ".join(f"SELECT * FROM ({part})" for part in parts)
    scope = (
        f"contact_id IN ({', '.join(_literal(c) for c in contact_ids) or 'NULL'})"
        if contact_ids is not None
        else "true"
    )
    columns = "contact_id, dimension, rule, evidence" if evidence else "contact_id, dimension"
    return f"""
    WITH raw AS (
      SELECT {columns}, {_exact("points")} AS points FROM ({raw}) WHERE {scope}),
    limits(dimension, cap, floor) AS (VALUES {_limits(model)}),
    per_dimension AS (
      SELECT contact_id, dimension, sum(points) AS points FROM raw GROUP BY contact_id, dimension),
    sums AS (
      SELECT c.contact_id, l.dimension, {_exact("l.cap")} AS cap, {_exact("l.floor")} AS floor,
        coalesce(r.points, {_exact("0.0")}) AS points
      FROM (SELECT contact_id FROM contacts WHERE {scope}) c CROSS JOIN limits l
      LEFT JOIN per_dimension r ON r.contact_id = c.contact_id AND r.dimension = l.dimension)"""


def contributions_query(
    model: ScoringModel,
    as_of: datetime,
    known_at: datetime,
    contact_ids: Sequence[str] | None = None,
) -> str:
    """SQL yielding (contact_id, dimension, rule, points, evidence): every rule hit, plus a
    `<dimension>.cap` / `.floor` row where a cap or floor applies, so the rows of a contact sum
    to its total. With contact_ids, only those contacts (the explain and update path)."""
    return f"""{_pipeline(model, as_of, known_at, contact_ids, evidence=True)}
    SELECT contact_id, dimension, rule, CAST(points AS DOUBLE) AS points, evidence FROM raw
    UNION ALL
    SELECT contact_id, dimension, dimension || '.cap', CAST(cap - points AS DOUBLE),
      'capped at ' || CAST(round(cap, 2) AS VARCHAR)
        || ' (raw ' || CAST(round(points, 2) AS VARCHAR) || ')'
    FROM sums WHERE points > cap
    UNION ALL
    SELECT contact_id, dimension, dimension || '.floor', CAST(floor - points AS DOUBLE),
      'raised to the floor ' || CAST(round(floor, 2) AS VARCHAR)
    FROM sums WHERE points < floor"""


def _condition(condition: Condition) -> str:
    tests = []
    for measure, bound in condition.items():
        if bound.min is not None:
            tests.append(f"{measure} >= {_number(bound.min)}")
        if bound.max is not None:
            tests.append(f"{measure} <= {_number(bound.max)}")
    return "(" + (" AND ".join(tests) or "true") + ")"


def _tier_case(model: ScoringModel) -> str:
    whens = " ".join(
        f"WHEN {' OR '.join(_condition(c) for c in rule.when)} THEN {_literal(rule.tier)}"
        for rule in model.tiers
    )
    return f"CASE {whens} ELSE '-' END"


def scores_query(model: ScoringModel, as_of: datetime, known_at: datetime) -> str:
    """SQL yielding (contact_id, total, role, fit, engagement, intent, network, heat, profile,
    rank, tier) for every contact, from the same pipeline as `contributions_query` without
    evidence text: each dimension is its sum held between floor and cap, so a contact's total
    equals the sum of its contributions. Ties in total break by heat, then contact_id."""

    def dimension(names: Sequence[str]) -> str:
        inside = ", ".join(_literal(n) for n in names)
        return f"CAST(coalesce(sum(points) FILTER (WHERE dimension IN ({inside})), 0) AS DOUBLE)"

    pivot = ", ".join(f"{dimension([d])} AS {d}" for d in DIMENSIONS)
    return f"""{_pipeline(model, as_of, known_at, None, evidence=False)},
    held AS (SELECT contact_id, dimension, least(greatest(points, floor), cap) AS points FROM sums)
    SELECT contact_id, total, role, fit, engagement, intent, network, heat, profile,
      CAST(row_number() OVER (ORDER BY total DESC, heat DESC, contact_id) AS INTEGER) AS rank,
      {_tier_case(model)} AS tier
    FROM (
      SELECT contact_id, {dimension(DIMENSIONS)} AS total, {pivot},
        {dimension(("engagement", "intent", "network"))} AS heat,
        {dimension(("role", "fit"))} AS profile
      FROM held GROUP BY contact_id)"""
