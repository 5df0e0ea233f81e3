"""The five dimensions, the composite, ranks and tiers, as relational expressions.

Pure: a scoring model and the times `as_of` / `known_at` in, SQL text out. Nothing here reads a
clock, a file or a store. The queries read the fact tables (contacts, companies, titles, events,
signals, signal_matches, relationships) and see only facts that occurred by `as_of` and were
ingested by `known_at`. Every point of a total is a row of the contributions query
`(contact_id, dimension, rule, points, evidence)`; caps and floors are contributions too, so the
sum of a contact's contributions is its total.

The text is written in the SQL that DuckDB runs and sqlglot transpiles for Spark unchanged in
meaning (see `execrank.spark`): no DuckDB-only functions, literals cast to DOUBLE, and rounding
done on the same IEEE values in both engines. CTE names are unique across all the parts, nested
ones included: sqlglot hoists nested WITH clauses to the top, where Spark refuses duplicates.

One module per part: `_role`, `_buying` (stated opportunity roles), `_fit`, `_engagement`,
`_intent`, `_network`, `_adjustments` (manual), and `_tiers` (tier rules, stale A, silent
executives); `_sql` holds the shared SQL text helpers.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from execrank.model import DIMENSIONS, ScoringModel
from execrank.scoring._adjustments import adjustment_points
from execrank.scoring._buying import buying_role_points
from execrank.scoring._engagement import engagement_points
from execrank.scoring._fit import fit_points
from execrank.scoring._generic import GENERIC_POINTS, generic_query
from execrank.scoring._intent import intent_points
from execrank.scoring._network import network_points
from execrank.scoring._role import role_points
from execrank.scoring._sql import (
    POINT_DECIMALS,
    POINT_SCALE,
    Scope,
    exact,
    literal,
    number,
    timestamp,
)
from execrank.scoring._tiers import TIER_DIMENSION, tier_ctes, tier_reasons

__all__ = [
    "GENERIC_POINTS",
    "POINT_DECIMALS",
    "POINT_SCALE",
    "TABLES",
    "TIER_DIMENSION",
    "contributions_query",
    "generic_query",
    "scores_query",
    "scores_statement",
]

# The tables the queries read: what `execrank export-facts` writes for other engines.
TABLES = (
    "contacts",
    "companies",
    "titles",
    "events",
    "signals",
    "signal_matches",
    "relationships",
    "adjustments",
    "opportunities",
    "opportunity_contacts",
)


def _limits(model: ScoringModel) -> dict[str, tuple[float, float]]:
    """Per-dimension (weighted) cap and floor."""
    weights = model.weights.model_dump()
    caps = {
        "role": (model.role.cap, 0.0),
        "fit": (model.fit.points.all, 0.0),
        "engagement": (model.engagement.cap, model.engagement.floor),
        "intent": (model.intent.cap, 0.0),
        "network": (model.network.cap, 0.0),
    }
    return {d: (caps[d][0] * weights[d], caps[d][1] * weights[d]) for d in DIMENSIONS}


def _pipeline(
    model: ScoringModel,
    as_of: datetime,
    known_at: datetime,
    scoped: Scope,
    evidence: bool,
) -> str:
    """The WITH-clause shared by contributions and scores: `raw` (one row per rule hit, points
    as exact decimals), `sums` (per contact: each dimension's sum, one column each, 0 without
    a hit), `measures` (per contact: total, the dimensions held between floor and cap, heat,
    profile) and `tiered` (measures with the tier and why), for the contacts in scope; each
    part reads only their facts.

    The sums are one aggregate per contact with a column per dimension, not a row per
    (contact, dimension) crossed with the five dimensions: at 1M contacts that is 1M groups
    instead of 5M, and no 5M-row join."""
    parts = [
        role_points(model, scoped),
        buying_role_points(model, as_of, known_at, scoped),
        fit_points(model, scoped),
        engagement_points(model, as_of, known_at, scoped, evidence),
        intent_points(model, as_of, known_at, scoped),
        network_points(model, as_of, known_at, scoped),
        adjustment_points(model, as_of, known_at, scoped),  # manual adjustments (intent)
    ]
    raw = " UNION ALL ".join(f"SELECT * FROM ({part})" for part in parts)
    scope = scoped.test("contact_id")
    columns = "contact_id, dimension, rule, evidence" if evidence else "contact_id, dimension"
    zero = exact("0.0")
    per_dimension = ", ".join(
        f"sum(points) FILTER (WHERE dimension = {literal(d)}) AS {d}" for d in DIMENSIONS
    )
    found = ", ".join(f"coalesce(r.{d}, {zero}) AS {d}" for d in DIMENSIONS)
    held = ", ".join(
        f"least(greatest({d}, {exact(number(floor))}), {exact(number(cap))}) AS {d}"
        for d, (cap, floor) in _limits(model).items()
    )
    pivot = ", ".join(f"CAST({d} AS DOUBLE) AS {d}" for d in DIMENSIONS)
    return f"""
    WITH raw AS (
      SELECT {columns}, {exact("points")} AS points FROM ({raw}) WHERE {scope}),
    sums AS (
      SELECT c.contact_id, {found}
      FROM (SELECT contact_id FROM contacts WHERE {scope}) c
      LEFT JOIN (SELECT contact_id, {per_dimension} FROM raw GROUP BY contact_id) r
        ON r.contact_id = c.contact_id),
    held AS (SELECT contact_id, {held} FROM sums),
    measures AS (
      SELECT contact_id, {_measure(DIMENSIONS)} AS total, {pivot},
        {_measure(("engagement", "intent", "network"))} AS heat,
        {_measure(("role", "fit"))} AS profile
      FROM held){tier_ctes(model, as_of, known_at, scoped, evidence)}"""


def _measure(names: Sequence[str]) -> str:
    return f"CAST({' + '.join(names)} AS DOUBLE)"


def _held_back(model: ScoringModel) -> str:
    """`<dimension>.cap` and `.floor` rows from `sums`: what holding each dimension's sum
    between its floor and cap took away or added, so that a contact's rows sum to its total."""
    rows = []
    for d, (cap, floor) in _limits(model).items():
        cap_, floor_ = exact(number(cap)), exact(number(floor))
        rows.append(f"""
    SELECT contact_id, {literal(d)}, {literal(d + ".cap")}, CAST({cap_} - {d} AS DOUBLE),
      'capped at ' || CAST(round({cap_}, 2) AS VARCHAR)
        || ' (raw ' || CAST(round({d}, 2) AS VARCHAR) || ')'
    FROM sums WHERE {d} > {cap_}
    UNION ALL
    SELECT contact_id, {literal(d)}, {literal(d + ".floor")}, CAST({floor_} - {d} AS DOUBLE),
      'raised to the floor ' || CAST(round({floor_}, 2) AS VARCHAR)
    FROM sums WHERE {d} < {floor_}""")
    return " UNION ALL ".join(rows)


def contributions_query(
    model: ScoringModel,
    as_of: datetime,
    known_at: datetime,
    contact_ids: Sequence[str] | None = None,
) -> str:
    """SQL yielding (contact_id, dimension, rule, points, evidence): every rule hit, plus a
    `<dimension>.cap` / `.floor` row where a cap or floor applies, so the rows of a contact sum
    to its total. With contact_ids, only those contacts (the explain and update path)."""
    return f"""{_pipeline(model, as_of, known_at, Scope.of(contact_ids), evidence=True)}
    SELECT contact_id, dimension, rule, CAST(points AS DOUBLE) AS points, evidence FROM raw
    UNION ALL {_held_back(model)}
    UNION ALL {tier_reasons(model)}"""


def scores_query(
    model: ScoringModel,
    as_of: datetime,
    known_at: datetime,
    contact_ids: Sequence[str] | None = None,
    company_ids: Sequence[str] | None = None,
) -> str:
    """SQL yielding (contact_id, total, role, fit, engagement, intent, network, heat, profile,
    rank, tier) for every contact, from the same pipeline as `contributions_query` without
    evidence text: each dimension is its sum held between floor and cap, so a contact's total
    equals the sum of its contributions. Ties in total break by heat, then contact_id.
    With contact_ids, only those contacts, ranked among themselves (the live update path);
    company_ids, the companies of those contacts (or more) when the caller knows them, lets
    the query look their signals up by index instead of scanning all signals."""
    scope = Scope.of(contact_ids, company_ids)
    return f"""{_pipeline(model, as_of, known_at, scope, evidence=False)}
    SELECT contact_id, total, role, fit, engagement, intent, network, heat, profile,
      CAST(row_number() OVER (ORDER BY total DESC, heat DESC, contact_id) AS INTEGER) AS rank,
      tier
    FROM tiered"""


# The values `scores_statement` writes the query with, then replaces by parameters: times in
# year 1 and ids starting with a NUL character, which no caller passes.
_STAND_IN_AS_OF = datetime(1, 1, 1, 0, 0, 1)
_STAND_IN_KNOWN_AT = datetime(1, 1, 1, 0, 0, 2)


def scores_statement(
    model: ScoringModel,
    as_of: datetime,
    known_at: datetime,
    contact_ids: Sequence[str],
    company_ids: Sequence[str],
) -> tuple[str, str]:
    """`scores_query` for these contacts and their companies as DuckDB statement text with
    parameters, and the arguments that give them these values (`name := value, ...`).

    The text has `$as_of`, `$known_at`, `$contact_1`... and `$company_1`... where the query has
    literals, so it depends only on the model and on how many contacts and companies there
    are: the live path prepares it once per connection (`Store.save_live_scores`) instead of
    parsing ~20 KB of SQL at each post (7 ms of a post's ~70 at 100k contacts, 2026-12-04).
    DuckDB binds and plans a prepared statement that reads tables again at each EXECUTE, with
    the arguments as constants, so the contact_id filters still look rows up by index.
    `scores_query` writes it with stand-in values, each stand-in's literal then replaced by its
    parameter: the parts keep writing literals, which is what Spark runs."""
    scope = Scope.of(contact_ids, company_ids)
    # parameter -> (the literal of its stand-in in the text, the literal of its value)
    parameters = {
        "as_of": (literal(_STAND_IN_AS_OF.isoformat(sep=" ")), timestamp(as_of)),
        "known_at": (literal(_STAND_IN_KNOWN_AT.isoformat(sep=" ")), timestamp(known_at)),
    }
    stand_ins: dict[str, list[str]] = {}
    for kind, ids in (("contact", scope.contact_ids or ()), ("company", scope.company_ids or ())):
        stand_ins[kind] = [f"\x00{kind} {place}" for place in range(1, len(ids) + 1)]
        for place, (stand_in, value) in enumerate(zip(stand_ins[kind], ids, strict=True), 1):
            parameters[f"{kind}_{place}"] = (literal(stand_in), literal(value))
    statement = scores_query(
        model, _STAND_IN_AS_OF, _STAND_IN_KNOWN_AT, stand_ins["contact"], stand_ins["company"]
    )
    for name, (stand_in, _) in parameters.items():
        statement = statement.replace(stand_in, f"${name}")
    return statement, ", ".join(f"{name} := {value}" for name, (_, value) in parameters.items())
