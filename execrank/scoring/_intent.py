"""The intent dimension: topic matches in signals about the contact or its company."""

from __future__ import annotations

from datetime import datetime

from execrank.model import ScoringModel
from execrank.scoring._sql import decay, literal, number, timestamp


def intent_points(model: ScoringModel, as_of: datetime, known_at: datetime) -> str:
    intent, weight = model.intent, model.weights.intent
    values = ", ".join(f"({literal(n)}, {number(p)})" for n, p in intent.topic_points.items())
    return f"""
    SELECT contact_id, 'intent' AS dimension, 'intent.' || topic AS rule,
      topic_points * share * {decay("occurred_at", as_of, intent.half_life_days)}
        * {number(weight)},
      kind || ' on ' || strftime(occurred_at, '%Y-%m-%d')
        || CASE WHEN share < 1.0 THEN ' about the company (share ' || CAST(share AS VARCHAR) || ')'
                ELSE '' END
        || ': "' || phrase || '" in "' || snippet || '"'
        || coalesce(' <' || url || '>', '') || ' (source ' || coalesce(source, 'unknown') || ')'
    FROM (
      SELECT coalesce(s.contact_id, c.contact_id) AS contact_id, s.kind, s.occurred_at, s.url,
        s.source, m.topic, m.phrase, m.snippet, tp.topic_points,
        CASE WHEN s.contact_id IS NULL THEN {number(intent.company_signal_share)} ELSE 1.0 END
          AS share
      FROM signals s
      JOIN signal_matches m ON m.signal_id = s.signal_id
        AND m.topics_hash = {literal(intent.topics_hash)}
      JOIN (VALUES {values}) AS tp(topic, topic_points) ON tp.topic = m.topic
      LEFT JOIN contacts c ON s.contact_id IS NULL AND c.company_id = s.company_id
      WHERE s.occurred_at <= {timestamp(as_of)} AND s.ingested_at <= {timestamp(known_at)})
    WHERE contact_id IS NOT NULL"""
