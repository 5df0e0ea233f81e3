"""The fit dimension: the company against the ideal customer profile."""

from __future__ import annotations

from execrank.model import Criterion, ScoringModel
from execrank.scoring._sql import Scope, literal, number


def _criterion_test(criterion: Criterion) -> str:
    column = f"co.{criterion.field}"
    if criterion.any_of is not None:
        allowed = ", ".join(literal(v.strip().lower()) for v in criterion.any_of)
        return f"coalesce(lower(trim({column})) IN ({allowed}), false)"
    bounds = []
    if criterion.min is not None:
        bounds.append(f"{column} >= {number(criterion.min)}")
    if criterion.max is not None:
        bounds.append(f"{column} <= {number(criterion.max)}")
    return f"coalesce({' AND '.join(bounds)}, false)"


def _criterion_evidence(criterion: Criterion) -> str:
    column = f"co.{criterion.field}"
    shown = f"coalesce(CAST({column} AS VARCHAR), 'unknown')"
    mark = f"CASE WHEN {_criterion_test(criterion)} THEN ' met' ELSE ' not met' END"
    return f"{literal(criterion.name + ' ')} || {shown} || {mark}"


def fit_points(model: ScoringModel, scope: Scope) -> str:
    fit, weight = model.fit, model.weights.fit
    met = " + ".join(f"CAST({_criterion_test(c)} AS INTEGER)" for c in fit.criteria)
    total = len(fit.criteria)
    evidence = " || '; ' || ".join(_criterion_evidence(c) for c in fit.criteria)
    return f"""
    SELECT contact_id, 'fit' AS dimension,
      CASE WHEN company_known IS NULL THEN 'fit.no_company'
           WHEN met = {total} THEN 'fit.all' WHEN met > 0 THEN 'fit.some' ELSE 'fit.none' END,
      CASE WHEN company_known IS NULL THEN {number(fit.points.none)}
           WHEN met = {total} THEN {number(fit.points.all)}
           WHEN met > 0 THEN {number(fit.points.some)} ELSE {number(fit.points.none)} END
        * {number(weight)},
      CASE WHEN company_known IS NULL THEN 'company not on record'
           ELSE company_name || ': ' || CAST(met AS VARCHAR) || ' of {total} ICP criteria met ('
             || evidence || ')' END
    FROM (SELECT c.contact_id, co.company_id AS company_known,
                 coalesce(co.name, co.company_id) AS company_name, {met} AS met,
                 {evidence} AS evidence
          FROM {scope.table("contacts")} c
          LEFT JOIN companies co ON co.company_id = c.company_id)"""
