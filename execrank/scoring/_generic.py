"""The generic click-count model `execrank compare --generic` ranks against: fixed points per
event type, no decay, no caps, no role, fit, intent or network."""

from __future__ import annotations

from datetime import datetime

from execrank.scoring._sql import literal, number, seen

# The usual marketing-automation lead score: +2 email click, +5 download, +1 page view.
GENERIC_POINTS = {"email_click": 2.0, "report_download": 5.0, "web_visit": 1.0}


def generic_query(as_of: datetime, known_at: datetime) -> str:
    """SQL yielding (contact_id, points, rank) for every contact under the generic model, at
    the same as_of and known_at as a snapshot; ties break by contact_id."""
    values = ", ".join(f"({literal(t)}, {number(p)})" for t, p in GENERIC_POINTS.items())
    return f"""
    SELECT c.contact_id, coalesce(g.points, 0.0) AS points,
      CAST(row_number() OVER (ORDER BY coalesce(g.points, 0.0) DESC, c.contact_id) AS INTEGER)
        AS rank
    FROM contacts c LEFT JOIN (
      SELECT e.contact_id, sum(p.points) AS points
      FROM events e JOIN (VALUES {values}) AS p(event_type, points)
        ON p.event_type = e.event_type
      WHERE {seen("e", as_of, known_at)}
      GROUP BY e.contact_id) g ON g.contact_id = c.contact_id"""
