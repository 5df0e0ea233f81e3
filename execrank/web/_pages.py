"""Formatting for the templates: numbers, dates, and the two charts as SVG."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

from markupsafe import Markup

from execrank.web._charts import Point, line_chart

SHORT_DAY = "%m-%d"


def points(value: float) -> str:
    return f"{value:.2f}"


def day(value: datetime) -> str:
    return f"{value:%Y-%m-%d}"


def heat_chart(trend: Sequence[Any], title: str, empty: str) -> Markup:
    """The overview's weekly mean heat."""
    return line_chart([Point(f"{p.as_of:{SHORT_DAY}}", p.mean_heat) for p in trend], title, empty)


def history_chart(history: Sequence[Any], title: str, empty: str) -> Markup:
    """A contact's total in each snapshot."""
    return line_chart([Point(f"{p.as_of:{SHORT_DAY}}", p.total) for p in history], title, empty)


PAGE_FILTERS: dict[str, Callable[..., Any]] = {
    "points": points,
    "day": day,
    "heat_chart": heat_chart,
    "history_chart": history_chart,
}
