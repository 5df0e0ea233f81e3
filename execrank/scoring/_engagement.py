"""The engagement dimension: weighted behaviours, decayed from `as_of`."""

from __future__ import annotations

from datetime import datetime

from execrank.model import ScoringModel
from execrank.scoring._sql import age_text, decay, exact, literal, number, seen, word_list


def engagement_points(
    model: ScoringModel, as_of: datetime, known_at: datetime, evidence: bool = True
) -> str:
    """One row per counted event, and an `engagement.<type>.cap` row (negative) where a type's
    points pass its cap. Points are exact here already, so the cap rows are exact too.
    Without evidence (a rescore's totals), one row per contact and type instead: the sum of
    those rows, its type's points held at the cap; a full rescore then keeps no per-event rows
    for the cap rows to read a second time."""
    engagement, weight = model.engagement, model.weights.engagement
    values = ", ".join(
        f"({literal(name)}, {number(rule.points)}, {literal(rule.count)}, "
        + (f"{number(rule.cap * weight)})" if rule.cap is not None else "CAST(NULL AS DOUBLE))")
        for name, rule in engagement.events.items()
    )
    factor = number(engagement.repeat_factor)
    points = (
        "base_points * CASE WHEN count_rule = 'diminishing' "
        f"THEN pow({factor}, CAST(repeat - 1 AS DOUBLE)) ELSE 1.0 END "
        f"* {decay('occurred_at', as_of, engagement.half_life_days)} * {number(weight)}"
    )
    counted = "count_rule <> 'once_per_asset' OR repeat = 1"
    if not evidence:
        return f"""
    WITH rules(event_type, base_points, count_rule, type_cap) AS (VALUES {values}),
    {_numbered(model, as_of, known_at, with_repeats=False)}
    SELECT contact_id, 'engagement' AS dimension, 'engagement.' || event_type AS rule,
      CAST(CASE WHEN type_cap IS NULL OR sum(points) <= type_cap THEN sum(points)
                ELSE type_cap END AS DOUBLE) AS points, '' AS evidence
    FROM (SELECT contact_id, event_type, type_cap, {exact(points)} AS points FROM numbered
          WHERE {counted})
    GROUP BY contact_id, event_type, type_cap"""
    return f"""
    WITH rules(event_type, base_points, count_rule, type_cap) AS (VALUES {values}),
    {_numbered(model, as_of, known_at, with_repeats=True)},
    hits AS (
      SELECT contact_id, event_type, type_cap, {exact(points)} AS points,
        event_type || coalesce(' "' || asset || '"', '') || ' on '
          || strftime(occurred_at, '%Y-%m-%d') || ' (' || {age_text("occurred_at", as_of)}
          || ' d before as_of; ' || CAST(base_points AS VARCHAR) || ' points, half-life '
          || {literal(f"{engagement.half_life_days:g}")} || ' days'
          || CASE WHEN count_rule = 'once_per_asset' AND repeats > 1
                  THEN '; counted once, ' || CAST(repeats AS VARCHAR) || ' times in all'
                  WHEN count_rule = 'diminishing' AND repeat > 1
                  THEN '; repeat ' || CAST(repeat AS VARCHAR) || ' of '
                    || CAST(repeats AS VARCHAR) || ', x '
                    || {literal(f"{engagement.repeat_factor:g}")} || '^'
                    || CAST(repeat - 1 AS VARCHAR)
                  ELSE '' END || '; source ' || coalesce(source, 'unknown') || ')' AS evidence
      FROM numbered
      WHERE {counted})
    SELECT contact_id, 'engagement' AS dimension, 'engagement.' || event_type AS rule,
      CAST(points AS DOUBLE) AS points, evidence
    FROM hits
    UNION ALL
    SELECT contact_id, 'engagement', 'engagement.' || event_type || '.cap',
      CAST(type_cap - sum(points) AS DOUBLE),
      event_type || ' capped at ' || CAST(round(type_cap, 2) AS VARCHAR) || ' ('
        || CAST(count(*) AS VARCHAR) || ' events, raw ' || CAST(round(sum(points), 2) AS VARCHAR)
        || ')'
    FROM hits WHERE type_cap IS NOT NULL
    GROUP BY contact_id, event_type, type_cap HAVING sum(points) > type_cap"""


def _numbered(model: ScoringModel, as_of: datetime, known_at: datetime, with_repeats: bool) -> str:
    """The CTE `numbered`: each event seen at as_of with its type's rule (`rules`) and its
    repeat, 1 for the newest event of a (contact, type, asset); with_repeats, also how many
    events that (contact, type, asset) has. The rules join after the numbering, so that the
    window (the rescore's biggest sort) holds only the events' own columns."""
    partition = "PARTITION BY e.contact_id, e.event_type, e.asset"
    repeats = f",\n          count(*) OVER ({partition}) AS repeats" if with_repeats else ""
    return f"""numbered AS (
      SELECT n.*, r.base_points, r.count_rule, r.type_cap
      FROM (
        -- repeat 1 is the newest event of a (contact, type, asset)
        SELECT e.contact_id, e.event_type, e.asset, e.occurred_at, e.source,
          row_number() OVER ({partition} ORDER BY e.occurred_at DESC, e.event_id) AS repeat{repeats}
        FROM events e
        WHERE {seen("e", as_of, known_at)}
          AND e.event_type IN ({word_list(sorted(model.engagement.events))})) n
      JOIN rules r ON r.event_type = n.event_type)"""
