"""Buying roles: a contact's stated role on an opportunity and budget ownership, as role points.

The opportunity tables are current state (stage, is_closed): an opportunity counts at as_of when
it was created by then (or has no creation date), its contact row was ingested by known_at, and
it was not lost by then (closed, not won, closed_at by as_of or unknown).
"""

from __future__ import annotations

from datetime import datetime

from execrank.model import ScoringModel
from execrank.scoring._sql import (
    NO_CONTRIBUTIONS,
    Scope,
    literal,
    number,
    timestamp,
    word_list,
    words,
)


def deal_places(as_of: datetime, known_at: datetime, scope: Scope) -> str:
    """(contact_id, opportunity_id, deal, stage, role, is_open): each place of a scoped contact
    on an opportunity that counts at as_of; is_open: not closed by as_of."""
    at, known = timestamp(as_of), timestamp(known_at)
    closed = f"(coalesce(o.is_closed, false) AND coalesce(o.closed_at <= {at}, true))"
    return f"""
    SELECT oc.contact_id, oc.opportunity_id, coalesce(o.name, o.opportunity_id) AS deal, o.stage,
      oc.role, NOT {closed} AS is_open
    FROM {scope.table("opportunity_contacts")} oc
    JOIN opportunities o ON o.opportunity_id = oc.opportunity_id
    WHERE oc.ingested_at <= {known} AND o.ingested_at <= {known}
      AND coalesce(o.created_at <= {at}, true)
      AND NOT ({closed} AND NOT coalesce(o.is_won, false))"""


def buying_role_points(
    model: ScoringModel, as_of: datetime, known_at: datetime, scope: Scope
) -> str:
    """Role contributions: the contact's best stated role once (`role.buying_role`), and
    `role.budget_owner` once when one of its roles is a budget role."""
    buying = model.role.buying_roles
    if buying is None:
        return NO_CONTRIBUTIONS
    values = ", ".join(f"({literal(r)}, {number(p)})" for r, p in buying.points.items())
    budget = word_list(buying.budget_words)
    weight = number(model.weights.role)
    return f"""
    WITH stated_roles AS (
      SELECT p.*, b.points AS role_points, {words("p.role")} IN ({budget}) AS owns_budget
      FROM ({deal_places(as_of, known_at, scope)}) p
      JOIN (VALUES {values}) AS b(role_word, points) ON b.role_word = {words("p.role")}),
    role_order AS (
      SELECT *, row_number() OVER (PARTITION BY contact_id
                                   ORDER BY role_points DESC, opportunity_id, role) AS best,
        row_number() OVER (PARTITION BY contact_id
                           ORDER BY owns_budget DESC, opportunity_id, role) AS budget_first
      FROM stated_roles)
    SELECT contact_id, 'role' AS dimension, 'role.buying_role' AS rule,
      role_points * {weight} AS points,
      'stated role "' || role || '" on opportunity "' || deal || '"'
        || coalesce(' (stage ' || stage || ')', '') || '; '
        || CAST(role_points AS VARCHAR) || ' points, the best of its roles' AS evidence
    FROM role_order WHERE best = 1
    UNION ALL
    SELECT contact_id, 'role', 'role.budget_owner', {number(buying.budget_points)} * {weight},
      'owns the budget: "' || role || '" on opportunity "' || deal || '"'
    FROM role_order WHERE budget_first = 1 AND owns_budget"""
