"""The review written out: CSV tables and one self-contained HTML page with SVG charts drawn
here (no script, no CDN). Every text from the store (names, reasons, evidence) is escaped. Also
the calibration's backtest as CSV, beside the proposed model."""

from __future__ import annotations

import csv
from collections.abc import Sequence
from html import escape
from pathlib import Path
from statistics import median
from typing import Any

from execrank.learning._calibration import Calibration
from execrank.learning._metrics import Interval
from execrank.learning._outcomes import Judged
from execrank.learning._review import Review
from execrank.model import DIMENSIONS
from execrank.output import csv_row

CHART_WIDTH, CHART_HEIGHT, MARGIN = 520, 220, 40
WON_COLOUR, LOST_COLOUR, BAR_COLOUR = "#1b7f3b", "#b3261e", "#3465a4"
PERCENT = 100
LINE_DASHES = ("none", "6 4")  # series drawn over each other stay visible: solid, then dashed


def _percent(value: float | None) -> str:
    return "n/a" if value is None else f"{value * PERCENT:.1f}%"


def _number(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.2f}"


def tables(review: Review) -> dict[str, tuple[list[str], list[list[Any]]]]:
    """Each CSV table: name -> (header, rows)."""

    def reasons(evidence: list[tuple[str, str, float, str]]) -> str:
        return "; ".join(f"{rule} {points:+.2f} ({text})" for _, rule, points, text in evidence)

    surprise_header = ["opportunity_id", "contact_id", "total", "tier", *DIMENSIONS, "reasons"]

    def surprise(j: Judged) -> list[Any]:
        """A deal the model was wrong about: its points per dimension and biggest reasons."""
        return [
            j.deal.opportunity_id, j.contact_id, round(j.total, 4), j.tier,
            *(round(j.dimensions.get(d, 0.0), 4) for d in DIMENSIONS), reasons(j.evidence),
        ]  # fmt: skip

    return {
        "trajectories": (
            ["opportunity_id", "won", "months_before", "days_before_close", "contact_id",
             "total", "tier"],
            [[p.opportunity_id, p.won, p.months_before, p.days_before_close, p.contact_id,
              round(p.total, 4), p.tier] for p in review.trajectories],
        ),
        "tiers": (
            ["tier", "closed", "won", "conversion_rate"],
            [[t, r.closed, r.won, _number(r.rate)] for t, r in review.tiers().items()],
        ),
        "high_score_lost": (surprise_header, [surprise(j) for j in review.high_score_lost()]),
        "low_score_won": (surprise_header, [surprise(j) for j in review.low_score_won()]),
        "adjustments": (
            ["adjustment_id", "contact_id", "points", "reason", "actor", "created_at",
             "expires_at", "deals_won_after", "deals_lost_after", "deals_open_after"],
            [[a.adjustment_id, a.contact_id, a.points, a.reason, a.actor, a.created_at,
              a.expires_at, a.won, a.lost, a.open] for a in review.adjustments or []],
        ),
        "dimension_lift": (
            ["dimension", "deals_with_points", "won", "conversion_rate", "lift"],
            [[d, r.closed, r.won, _number(r.rate), _number(lift)]
             for d, (r, lift) in review.lift().items()],
        ),
    }  # fmt: skip


def _write_csv(path: Path, header: Sequence[str], rows: Sequence[Sequence[Any]]) -> Path:
    """A CSV table, its cells guarded against spreadsheet formulas as every export is (titles
    and reasons are contact-supplied text)."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(csv_row(row) for row in rows)
    return path


def write(review: Review, folder: Path) -> list[Path]:
    """Write the CSV tables and review.html into folder; return the paths."""
    folder.mkdir(parents=True, exist_ok=True)
    written = [
        _write_csv(folder / f"{name}.csv", header, rows)
        for name, (header, rows) in tables(review).items()
    ]
    page = folder / "review.html"
    page.write_text(html(review), encoding="utf-8")
    return [*written, page]


def _svg(body: str, title: str) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{CHART_WIDTH}" height="{CHART_HEIGHT}" '
        f'role="img" aria-label="{escape(title)}"><title>{escape(title)}</title>{body}</svg>'
    )


def bars(values: Sequence[tuple[str, float | None]], title: str, unit: str = "") -> str:
    """A bar chart of labelled values (None: no bar, marked n/a)."""
    top = max([v for _, v in values if v is not None] + [1e-9])
    width = (CHART_WIDTH - 2 * MARGIN) / max(len(values), 1)
    height = CHART_HEIGHT - 2 * MARGIN
    parts = []
    for n, (label, value) in enumerate(values):
        x = MARGIN + n * width
        size = 0.0 if value is None else height * value / top
        shown = "n/a" if value is None else f"{value:.2f}{unit}"
        parts.append(
            f'<rect x="{x + width * 0.15:.1f}" y="{MARGIN + height - size:.1f}" '
            f'width="{width * 0.7:.1f}" height="{size:.1f}" fill="{BAR_COLOUR}"/>'
            f'<text x="{x + width / 2:.1f}" y="{CHART_HEIGHT - MARGIN / 3:.1f}" '
            f'text-anchor="middle" font-size="12">{escape(label)}</text>'
            f'<text x="{x + width / 2:.1f}" y="{MARGIN + height - size - 4:.1f}" '
            f'text-anchor="middle" font-size="11">{escape(shown)}</text>'
        )
    return _svg("".join(parts), title)


def lines(series: dict[str, tuple[str, list[tuple[int, float]]]], title: str) -> str:
    """Lines of (months before the review month, value) points, one per named series."""
    points = [p for _, values in series.values() for p in values]
    far = max([d for d, _ in points] + [1])
    top = max([v for _, v in points] + [1e-9])
    height, width = CHART_HEIGHT - 2 * MARGIN, CHART_WIDTH - 2 * MARGIN

    def at(day: int, value: float) -> str:
        return f"{MARGIN + width * (1 - day / far):.1f},{MARGIN + height * (1 - value / top):.1f}"

    parts = [
        f'<text x="{MARGIN}" y="{CHART_HEIGHT - 8}" font-size="11">{far} months before</text>'
        f'<text x="{CHART_WIDTH - MARGIN}" y="{CHART_HEIGHT - 8}" font-size="11" '
        f'text-anchor="end">start of the month</text>'
        f'<line x1="{MARGIN}" y1="{MARGIN}" x2="{MARGIN}" y2="{MARGIN + height}" stroke="#999"/>'
        f'<text x="{MARGIN - 4}" y="{MARGIN + 4}" font-size="11" text-anchor="end">'
        f"{top:.0f}</text>"
        f'<text x="{MARGIN - 4}" y="{MARGIN + height}" font-size="11" text-anchor="end">0</text>'
    ]
    for n, (name, (colour, values)) in enumerate(series.items()):
        path = " ".join(at(d, v) for d, v in sorted(values, reverse=True))
        dots = "".join(
            f'<circle cx="{xy.split(",")[0]}" cy="{xy.split(",")[1]}" r="{3 + n}" fill="none" '
            f'stroke="{colour}"/>'
            for xy in path.split()
        )
        parts.append(
            f'<polyline fill="none" stroke="{colour}" stroke-width="2" '
            f'stroke-dasharray="{LINE_DASHES[n % len(LINE_DASHES)]}" points="{path}"/>{dots}'
            f'<text x="{MARGIN + 8}" y="{MARGIN / 2 + 14 * n}" fill="{colour}" '
            f'font-size="12">{escape(name)}</text>'
        )
    return _svg("".join(parts), title)


def _median_by_month(review: Review, won: bool) -> list[tuple[int, float]]:
    by_month: dict[int, list[float]] = {}
    for p in review.trajectories:
        if p.won == won:
            by_month.setdefault(p.months_before, []).append(p.total)
    return sorted((months, median(values)) for months, values in by_month.items())


def _table(header: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    head = "".join(f"<th>{escape(str(h))}</th>" for h in header)
    body = "".join(
        "<tr>" + "".join(f"<td>{escape(str(v))}</td>" for v in row) + "</tr>" for row in rows
    )
    return f"<table><tr>{head}</tr>{body}</table>"


def html(review: Review) -> str:
    """The review as one HTML page."""
    every = tables(review)
    tiers = [(t, r.rate) for t, r in review.tiers().items()]
    lift = [(d, value) for d, (_, value) in review.lift().items()]
    trajectory = lines(
        {"won": (WON_COLOUR, _median_by_month(review, True)),
         "lost": (LOST_COLOUR, _median_by_month(review, False))},
        "median total of the lead executive, won vs lost deals",
    )  # fmt: skip
    adjustments = (
        "<p>No adjustments table in this store.</p>"
        if review.adjustments is None
        else _table(*every["adjustments"])
    )
    sections = [
        ("Trajectories (median total, won vs lost)", trajectory),
        ("Conversion by tier at the deal's start", bars(tiers, "conversion by tier")
         + _table(*every["tiers"])),
        ("High score, not converted", _table(*every["high_score_lost"])),
        ("Low score, converted (what the model missed)", _table(*every["low_score_won"])),
        ("Manual adjustments and how they turned out", adjustments),
        ("Lift per dimension (won rate with points / overall)", bars(lift, "lift per dimension")
         + _table(*every["dimension_lift"])),
    ]  # fmt: skip
    closed = len(review.judged)
    won = sum(review.labels)
    body = "".join(f"<h2>{escape(title)}</h2>{content}" for title, content in sections)
    return (
        '<!doctype html><html><head><meta charset="utf-8">'
        f"<title>execrank review {escape(review.month)}</title>"
        "<style>body{font-family:sans-serif;max-width:60em;margin:2em auto}"
        "table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;"
        "padding:2px 6px;font-size:13px;text-align:left}</style></head><body>"
        f"<h1>execrank review {escape(review.month)}</h1>"
        f"<p>{closed} deals closed ({won} won), model {escape(review.model.name)} "
        f"({escape(review.model.content_hash)}).</p>{body}</body></html>"
    )


def backtest_path(proposal: Path) -> Path:
    """Where the backtest of a proposal written to `proposal` goes: beside it, the same name
    ending in .backtest.csv (proposed.yaml -> proposed.backtest.csv)."""
    return proposal.with_suffix(".backtest.csv")


def write_backtest(calibration: Calibration, path: Path) -> Path:
    """The backtest as CSV: per scorer its AUC and top-decile lift with their bootstrap
    intervals, its tier A precision, the calibrated model's paired difference from it, and the
    top tier that holds deals (A when A has some) with its precision."""
    differences = {d.name: d for d in calibration.differences}

    def bounds(found: Interval | None) -> list[Any]:
        return ["", ""] if found is None else [round(found.low, 4), round(found.high, 4)]

    def blank(value: float | int | None) -> Any:
        return "" if value is None else round(value, 4)

    rows = []
    for m in calibration.measured:
        versus = differences.get(m.name)
        rows.append([
            m.name, blank(m.auc), *bounds(m.auc_interval), blank(m.top_decile_lift),
            *bounds(m.lift_interval), blank(m.tier_a_precision), blank(m.tier_a_deals),
            *bounds(versus.auc if versus else None), *bounds(versus.lift if versus else None),
            *([m.top_tier[0], blank(m.top_tier[1].rate), m.top_tier[1].closed]
              if m.top_tier else ["", "", ""]),
        ])  # fmt: skip
    header = [
        "scorer", "auc", "auc_low", "auc_high", "top_decile_lift", "lift_low", "lift_high",
        "tier_a_precision", "tier_a_deals", "calibrated_minus_auc_low",
        "calibrated_minus_auc_high", "calibrated_minus_lift_low", "calibrated_minus_lift_high",
        "top_tier", "top_tier_precision", "top_tier_deals",
    ]  # fmt: skip
    return _write_csv(path, header, rows)
