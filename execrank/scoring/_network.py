"""The network dimension: referrals, customer-success projects, and memberships shared with the
executives of customers."""

from __future__ import annotations

from datetime import datetime

from execrank.model import Memberships, ScoringModel
from execrank.scoring._sql import (
    Scope,
    decay,
    literal,
    number,
    seen,
    timestamp,
    word_list,
    words,
)


def _standings(model: ScoringModel) -> str:
    """(standing, factor) as a VALUES table; a NULL row keeps it well-formed when the model
    lists no standing."""
    return ", ".join(
        [f"({literal(s)}, {number(f)})" for s, f in model.network.standing.items()]
        + ["(CAST(NULL AS VARCHAR), CAST(NULL AS DOUBLE))"]
    )


def network_points(model: ScoringModel, as_of: datetime, known_at: datetime, scope: Scope) -> str:
    network, weight = model.network, model.weights.network
    kinds = ", ".join(
        f"({literal(name)}, {number(points)}, {number(half_life)})"
        for name, (points, half_life) in network.kind_rules().items()
    )
    unknown = number(network.unknown_standing)
    direct = f"""
    SELECT r.contact_id, 'network' AS dimension, 'network.' || r.kind AS rule,
      k.base_points * coalesce(s.factor, {unknown})
        * {decay("r.occurred_at", as_of, "k.half_life")} * {number(weight)} AS points,
      r.kind || coalesce(' via ' || r.referrer, '') || ' on ' || strftime(r.occurred_at, '%Y-%m-%d')
        || coalesce(': ' || r.note, '') || ' (' || CAST(k.base_points AS VARCHAR)
        || ' points x ' || CAST(coalesce(s.factor, {unknown}) AS VARCHAR) || ' for a referrer '
        || coalesce('of standing ' || r.referrer_standing, 'of unknown standing')
        || ', half-life ' || CAST(k.half_life AS VARCHAR) || ' days; source '
        || coalesce(r.source, 'unknown') || ')' AS evidence
    FROM {scope.table("relationships")} r JOIN (VALUES {kinds}) AS k(kind, base_points, half_life)
      ON k.kind = r.kind
    LEFT JOIN (VALUES {_standings(model)}) AS s(standing, factor)
      ON s.standing = r.referrer_standing
    WHERE {seen("r", as_of, known_at)}"""
    if network.memberships is None:
        return direct
    shared = _shared_memberships(model, network.memberships, as_of, known_at, scope)
    return f"{direct} UNION ALL {shared}"


def _fellow_members(joined: Memberships, scope: Scope) -> str:
    """The relationships the scoped contacts' memberships are compared with: every membership
    row of the organizations they are members of (for every contact: the table)."""
    if scope.contact_ids is None:
        return "relationships"
    kind = literal(joined.kind)
    return f"""(SELECT * FROM relationships WHERE kind = {kind} AND {words("referrer")} IN (
      SELECT {words("referrer")} FROM {scope.table("relationships")} WHERE kind = {kind}))"""


def _members(
    model: ScoringModel,
    joined: Memberships,
    as_of: datetime,
    known_at: datetime,
    relationships: str,
) -> str:
    """(contact_id, organization, organization_key, occurred_at, name, title, company, standing):
    each membership row of `relationships` seen at as_of; standing is the row's, else
    `won_deal_standing` for a member whose company won a deal by as_of."""
    at, known = timestamp(as_of), timestamp(known_at)
    return f"""
      SELECT r.contact_id, r.referrer AS organization, {words("r.referrer")} AS organization_key,
        r.occurred_at, c.name, c.title, co.name AS company,
        coalesce(r.referrer_standing,
                 CASE WHEN w.company_id IS NOT NULL THEN {literal(joined.won_deal_standing)} END)
          AS standing
      FROM {relationships} r JOIN contacts c ON c.contact_id = r.contact_id
      LEFT JOIN companies co ON co.company_id = c.company_id
      LEFT JOIN (
        SELECT DISTINCT o.company_id FROM opportunities o
        WHERE coalesce(o.is_won, false) AND coalesce(o.closed_at <= {at}, true)
          AND o.ingested_at <= {known} AND o.company_id IS NOT NULL) w
        ON w.company_id = c.company_id
      WHERE r.kind = {literal(joined.kind)} AND r.referrer IS NOT NULL
        AND {seen("r", as_of, known_at)}"""


def _shared_memberships(
    model: ScoringModel, joined: Memberships, as_of: datetime, known_at: datetime, scope: Scope
) -> str:
    """`network.<earns>`: one row per (member, organization) the member shares with a member of
    a customer (none itself), from the customer member of the best standing, then the latest
    shared start."""
    points, half_life = model.network.kind_rules()[joined.earns]
    members = _members(model, joined, as_of, known_at, _fellow_members(joined, scope))
    customers = word_list(joined.customer_standings)
    since = "greatest(p.occurred_at, m.occurred_at)"
    factor = f"coalesce(s.factor, {number(model.network.unknown_standing)})"
    return f"""
    SELECT contact_id, 'network', {literal("network." + joined.earns)}, points, evidence FROM (
      SELECT p.contact_id,
        {number(points)} * {factor} * {decay(since, as_of, half_life)}
          * {number(model.weights.network)} AS points,
        {literal(joined.earns + " in ")} || p.organization || ' with '
          || coalesce(m.name, m.contact_id) || coalesce(' (' || m.title || ')', '')
          || coalesce(' of ' || m.company, '') || ', of standing ' || m.standing
          || ', since ' || strftime({since}, '%Y-%m-%d') || ' ({points:g} points x '
          || CAST({factor} AS VARCHAR) || ', half-life {half_life:g} days)' AS evidence,
        row_number() OVER (PARTITION BY p.contact_id, p.organization_key
                           ORDER BY {factor} DESC, {since} DESC, m.contact_id) AS pick
      FROM ({_members(model, joined, as_of, known_at, scope.table("relationships"))}) p
      JOIN ({members}) m ON m.organization_key = p.organization_key
        AND m.contact_id <> p.contact_id AND m.standing IN ({customers})
      LEFT JOIN (VALUES {_standings(model)}) AS s(standing, factor) ON s.standing = m.standing
      WHERE p.standing IS NULL OR p.standing NOT IN ({customers}))
    WHERE pick = 1"""
