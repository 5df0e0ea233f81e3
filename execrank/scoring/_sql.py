"""SQL text helpers shared by the dimensions: literals every engine reads alike, fixed-point
points, decay and ages measured from `as_of`."""

from __future__ import annotations

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
