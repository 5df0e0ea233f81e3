"""SQL text helpers shared by the dimensions: literals every engine reads alike, fixed-point
points, decay and ages measured from `as_of`."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

MICROSECONDS_PER_DAY = 86_400_000_000
POINT_DECIMALS = 6  # points are kept to a millionth of a point
POINT_SCALE = 10**POINT_DECIMALS


# A contributions query with no rows, for a section the model leaves out.
NO_CONTRIBUTIONS = (
    "SELECT * FROM (SELECT '' AS contact_id, '' AS dimension, '' AS rule, "
    "CAST(0.0 AS DOUBLE) AS points, '' AS evidence) WHERE false"
)


def literal(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


# A LIMIT no scoped read comes near. It keeps the parts' own filters (event types, dates) out
# of the scan below it: DuckDB looks rows up by an index only for a scan with one filter.
_INDEX_FENCE = "LIMIT 2147483647"


def _in_list(column: str, values: Sequence[str]) -> str:
    return f"{column} IN ({', '.join(literal(v) for v in values) or 'NULL'})"


@dataclass(frozen=True)
class Scope:
    """The contacts a query scores: every contact (`contact_ids` None) or only these.

    Each part reads its fact tables through `table`, so that scoring a few contacts (a live
    update, an explanation) reads only their rows, looked up by the tables' contact_id indexes
    (`execrank.store`) instead of scanning whole tables; every row it leaves out belongs to
    another contact, so the scoped query gives the chosen contacts exactly the rows the full
    one gives them. `company_ids`, when the caller looked them up, are the companies of the
    contacts (any superset gives the same rows): their signals are then read by index too.
    For every contact, `table` is the table itself and `test` is true."""

    contact_ids: tuple[str, ...] | None = None
    company_ids: tuple[str, ...] | None = None

    @classmethod
    def of(
        cls, contact_ids: Sequence[str] | None, company_ids: Sequence[str] | None = None
    ) -> Scope:
        if contact_ids is None:
            return cls()
        companies = None if company_ids is None else tuple(sorted(set(company_ids)))
        return cls(tuple(sorted(set(contact_ids))), companies)

    def test(self, column: str) -> str:
        """The test that `column` holds a scoped contact id."""
        return "true" if self.contact_ids is None else _in_list(column, self.contact_ids)

    def table(self, name: str) -> str:
        """The rows of a fact table keyed by contact_id that concern the scoped contacts;
        for `signals`, those about them or (without a contact) about their companies."""
        if self.contact_ids is None:
            return name
        own = f"(SELECT * FROM {name} WHERE {self.test('contact_id')} {_INDEX_FENCE})"
        if name != "signals":
            return own
        companies = f"(SELECT company_id FROM contacts WHERE {self.test('contact_id')})"
        about_companies = (
            "signals"
            if self.company_ids is None
            else f"(SELECT * FROM signals WHERE {_in_list('company_id', self.company_ids)} "
            f"{_INDEX_FENCE})"
        )
        return (
            f"(SELECT * FROM {own} UNION ALL SELECT * FROM {about_companies} "
            f"WHERE contact_id IS NULL AND company_id IN {companies})"
        )


def number(value: float) -> str:
    """A float literal that every engine reads as DOUBLE (Spark reads 1.5 as DECIMAL)."""
    return f"CAST({float(value)!r} AS DOUBLE)"


def timestamp(value: datetime) -> str:
    return f"CAST({literal(value.isoformat(sep=' '))} AS TIMESTAMP)"


def exact(expression: str) -> str:
    """Points as fixed-point decimals, so sums are exact and do not depend on summing order:
    the same facts give the same totals and ranks on every run and every engine.

    Rounded as round(x * 10^6) / 10^6, not round(x, 6): Spark's round(x, 6) rounds the shortest
    decimal text of x, DuckDB's its binary value, so the two disagree on half of the ties;
    round(x * 10^6) rounds the same IEEE product half away from zero in both."""
    scale = number(POINT_SCALE)
    return f"CAST(round(({expression}) * {scale}) / {scale} AS DECIMAL(18, {POINT_DECIMALS}))"


def age_days(column: str, as_of: datetime) -> str:
    """Days (with fractions) from the column's time to as_of."""
    # Microseconds, not epoch(): Spark's unix_timestamp drops fractions of a second.
    return (
        f"CAST(date_diff('microsecond', {column}, {timestamp(as_of)}) AS DOUBLE) "
        f"/ {number(MICROSECONDS_PER_DAY)}"
    )


def decay(column: str, as_of: datetime, half_life_days: float | str) -> str:
    """The factor 2^(-age / half-life); the half-life is a number or an SQL expression."""
    half_life = half_life_days if isinstance(half_life_days, str) else number(half_life_days)
    return f"pow(2.0, -({age_days(column, as_of)}) / {half_life})"


def seen(alias: str, as_of: datetime, known_at: datetime, occurred: str = "occurred_at") -> str:
    """The test that a fact happened by as_of and was ingested by known_at."""
    return (
        f"{alias}.{occurred} <= {timestamp(as_of)} AND {alias}.ingested_at <= {timestamp(known_at)}"
    )


def words(column: str) -> str:
    """A CRM text compared in any letter case and spacing (the model folds its keys alike)."""
    return f"lower(trim({column}))"


def word_list(values: list[str]) -> str:
    """An SQL IN-list of folded words; never empty (a NULL matches nothing)."""
    return ", ".join(literal(v) for v in values) or "NULL"


def age_text(column: str, as_of: datetime) -> str:
    # Calendar days between the dates: Spark counts whole 24-hour periods between timestamps.
    return (
        f"CAST(date_diff('day', CAST({column} AS DATE), CAST({timestamp(as_of)} AS DATE)) "
        "AS VARCHAR)"
    )
