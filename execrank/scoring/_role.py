"""The role dimension: title class -> points from the role table."""

from __future__ import annotations

from execrank.model import ScoringModel
from execrank.scoring._sql import Scope, literal, number


def role_points(model: ScoringModel, scope: Scope) -> str:
    role, weight = model.role, model.weights.role
    points = (
        " ".join(
            f"WHEN t.seniority = {literal(o.seniority)} AND t.function = {literal(o.function)} "
            f"THEN {number(o.points)}"
            for o in role.overrides
        )
        + " "
        + " ".join(
            f"WHEN t.seniority = {literal(s)} THEN {number(p)}"
            for s, p in role.seniority_points.items()
        )
    )
    # array_contains, not list_has_any: sqlglot writes the latter as Spark's missing `&&`.
    zeroed = (
        "("
        + " OR ".join(f"array_contains(t.flags, {literal(f)})" for f in role.zero_point_flags)
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
           ELSE (CASE {points} ELSE 0.0 END) * {number(weight)} END AS points,
      CASE WHEN t.title IS NULL THEN 'no title on record'
           ELSE 'title "' || t.title || '" -> ' || t.seniority || ', ' || t.function
             || CASE WHEN array_length(t.flags) > 0
                     THEN ' [' || array_to_string(t.flags, ', ') || ']' ELSE '' END
             || CASE WHEN {zeroed} THEN ': this flag earns no role points' ELSE '' END
      END AS evidence
    FROM {scope.table("contacts")} c LEFT JOIN titles t ON t.title = c.title"""
