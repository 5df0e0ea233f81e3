"""The network dimension: referrals, associations and customer-success projects."""

from __future__ import annotations

from datetime import datetime

from execrank.model import ScoringModel
from execrank.scoring._sql import decay, literal, number, seen


def network_points(model: ScoringModel, as_of: datetime, known_at: datetime) -> str:
    network, weight = model.network, model.weights.network
    kinds = ", ".join(
        f"({literal(name)}, {number(points)}, {number(half_life)})"
        for name, (points, half_life) in network.kind_rules().items()
    )
    # a NULL row keeps the table well-formed when the model lists no standing
    standing = ", ".join(
        [f"({literal(s)}, {number(f)})" for s, f in network.standing.items()]
        + ["(CAST(NULL AS VARCHAR), CAST(NULL AS DOUBLE))"]
    )
    unknown = number(network.unknown_standing)
    return f"""
    SELECT r.contact_id, 'network' AS dimension, 'network.' || r.kind AS rule,
      k.base_points * coalesce(s.factor, {unknown})
        * {decay("r.occurred_at", as_of, "k.half_life")} * {number(weight)},
      r.kind || coalesce(' via ' || r.referrer, '') || ' on ' || strftime(r.occurred_at, '%Y-%m-%d')
        || coalesce(': ' || r.note, '') || ' (' || CAST(k.base_points AS VARCHAR)
        || ' points x ' || CAST(coalesce(s.factor, {unknown}) AS VARCHAR) || ' for a referrer '
        || coalesce('of standing ' || r.referrer_standing, 'of unknown standing')
        || ', half-life ' || CAST(k.half_life AS VARCHAR) || ' days; source '
        || coalesce(r.source, 'unknown') || ')'
    FROM relationships r JOIN (VALUES {kinds}) AS k(kind, base_points, half_life)
      ON k.kind = r.kind
    LEFT JOIN (VALUES {standing}) AS s(standing, factor)
      ON s.standing = r.referrer_standing
    WHERE {seen("r", as_of, known_at)}"""
