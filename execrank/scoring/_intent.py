"""The intent dimension: topic matches in signals about the contact or its company."""

from __future__ import annotations

from datetime import datetime

from execrank.model import ScoringModel
from execrank.scoring._sql import Scope, decay, literal, number, timestamp


def intent_points(model: ScoringModel, as_of: datetime, known_at: datetime, scope: Scope) -> str:
    intent, weight = model.intent, model.weights.intent
    values = ", ".join(f"({literal(n)}, {number(p)})" for n, p in intent.topic_points.items())
    columns = "kind, occurred_at, url, source, topic, phrase, snippet, topic_points"
    # Matched signals first, then a company's signals to its contacts: joining the contacts to
    # every company signal before the matches are known multiplies the rows ~20-fold.
    return f"""
    WITH topic_signals AS (
      SELECT s.contact_id, s.company_id, s.kind, s.occurred_at, s.url, s.source, m.topic,
        m.phrase, m.snippet, tp.topic_points
      FROM {scope.table("signals")} s
      JOIN signal_matches m ON m.signal_id = s.signal_id
        AND m.topics_hash = {literal(intent.topics_hash)}
      JOIN (VALUES {values}) AS tp(topic, topic_points) ON tp.topic = m.topic
      WHERE s.occurred_at <= {timestamp(as_of)} AND s.ingested_at <= {timestamp(known_at)})
    SELECT contact_id, 'intent' AS dimension, 'intent.' || topic AS rule,
      topic_points * share * {decay("occurred_at", as_of, intent.half_life_days)}
        * {number(weight)},
      kind || ' on ' || strftime(occurred_at, '%Y-%m-%d')
        || CASE WHEN share < 1.0 THEN ' about the company (share ' || CAST(share AS VARCHAR) || ')'
                ELSE '' END
        || ': "' || phrase || '" in "' || snippet || '"'
        || coalesce(' <' || url || '>', '') || ' (source ' || coalesce(source, 'unknown') || ')'
    FROM (
      SELECT contact_id, {columns}, 1.0 AS share FROM topic_signals WHERE contact_id IS NOT NULL
      UNION ALL
      SELECT c.contact_id, {", ".join("t." + name for name in columns.split(", "))},
        {number(intent.company_signal_share)}
      FROM topic_signals t JOIN {scope.table("contacts")} c ON c.company_id = t.company_id
      WHERE t.contact_id IS NULL)"""
