"""The monthly review: tables worked out by hand on four deals, escaped HTML, SVG charts."""

from __future__ import annotations

import csv
from datetime import datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner

from execrank import learning, service
from execrank.cli import app
from execrank.errors import InputError
from execrank.store import Store
from tests.learning.conftest import INGESTED, import_rows

SCRIPT = "<script>alert(1)</script>"
FORMULA = "=cmd|' /C calc'!A0"  # an actor name a spreadsheet would run


def seed(store: Store, folder: Path) -> None:
    """Two CEOs (role 10: tier C) and two analysts (role 0: unranked), one deal each, all
    started Monday 2026-10-05 and closed in November; a fifth deal closes in December."""
    import_rows(
        store,
        folder,
        "contacts",
        ["contact_id", "title"],
        [["ceo1", "CEO"], ["ceo2", "CEO"], ["ana1", "Analyst"], ["ana2", "Analyst"]],
    )
    import_rows(
        store,
        folder,
        "opportunities",
        ["opportunity_id", "stage", "created_at", "closed_at"],
        [["o1", "Won", "2026-10-05", "2026-11-03"], ["o2", "Lost", "2026-10-05", "2026-11-10"],
         ["o3", "Won", "2026-10-05", "2026-11-20"], ["o4", "Lost", "2026-10-05", "2026-11-30"],
         ["o5", "Won", "2026-10-05", "2026-12-02"]],
    )  # fmt: skip
    import_rows(
        store,
        folder,
        "opportunity_contacts",
        ["opportunity_id", "contact_id"],
        [["o1", "ceo1"], ["o2", "ceo2"], ["o3", "ana1"], ["o4", "ana2"], ["o5", "ana1"]],
    )
    store.execute(
        "INSERT INTO adjustments (adjustment_id, contact_id, dimension, points, reason, actor, "
        "created_at, expires_at, ingested_at) VALUES ('adj1', 'ceo1', 'intent', 5, ?, ?, "
        "'2026-10-10', '2026-12-31', ?)",
        [SCRIPT, FORMULA, INGESTED],
    )


def read(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle))


def test_review_tables_by_hand(store: Store, tmp_path: Path) -> None:
    seed(store, tmp_path)
    done = learning.review(store, service.default_model(), "2026-11")
    assert sorted(j.deal.opportunity_id for j in done.judged) == ["o1", "o2", "o3", "o4"]
    # C: o1 won, o2 lost -> 1 of 2; unranked: o3 won, o4 lost -> 1 of 2
    assert {t: (r.closed, r.won) for t, r in done.tiers().items()} == {
        "A": (0, 0), "B": (0, 0), "C": (2, 1), "-": (2, 1)
    }  # fmt: skip
    # top decile of 4 deals = 1 deal (total 10); the lost deal at 10 is o2
    assert [j.deal.opportunity_id for j in done.high_score_lost()] == ["o2"]
    assert sorted(j.deal.opportunity_id for j in done.low_score_won()) == ["o1", "o3"]
    # role > 0 in o1, o2: 1 won of 2 = 0.5 over the overall 2 of 4 = 0.5 -> lift 1.0
    rate, lift = done.lift()["role"]
    assert (rate.closed, rate.won, lift) == (2, 1, 1.0)
    # the starts of November and of the 6 months before, per deal
    assert len(done.trajectories) == 4 * 7
    assert {p.months_before for p in done.trajectories} == set(range(7))
    assert done.adjustments is not None
    [adjusted] = done.adjustments
    assert (adjusted.contact_id, adjusted.won, adjusted.lost, adjusted.open) == ("ceo1", 1, 0, 0)


def test_review_writes_escaped_html_with_svg_and_csv_tables(store: Store, tmp_path: Path) -> None:
    seed(store, tmp_path)
    store.close()
    output = tmp_path / "review"
    result = CliRunner().invoke(
        app,
        ["review", "--month", "2026-11", "--output", str(output),
         "--db", str(tmp_path / "test.duckdb")],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "Reviewed 4 deals closed in 2026-11" in result.output
    page = (output / "review.html").read_text(encoding="utf-8")
    assert SCRIPT not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert page.count("<svg") == 3 and "http" not in page.replace(
        'xmlns="http://www.w3.org/2000/svg"', ""
    )
    assert read(output / "tiers.csv") == [
        ["tier", "closed", "won", "conversion_rate"],
        ["A", "0", "0", "n/a"],
        ["B", "0", "0", "n/a"],
        ["C", "2", "1", "0.50"],
        ["-", "2", "1", "0.50"],
    ]
    adjusted = read(output / "adjustments.csv")[1]
    assert adjusted[3] == SCRIPT  # CSV keeps the text as written, formulas neutralised
    assert adjusted[4] == "'" + FORMULA
    # the lost CEO deal: its 10 points are all role, and the role rule is its biggest reason
    [header, lost] = read(output / "high_score_lost.csv")
    assert header[:9] == ["opportunity_id", "contact_id", "total", "tier", "role", "fit",
                          "engagement", "intent", "network"]  # fmt: skip
    assert lost[:9] == ["o2", "ceo2", "10.0", "C", "10.0", "0.0", "0.0", "0.0", "0.0"]
    assert lost[9].startswith("role.")
    assert len(read(output / "trajectories.csv")) == 1 + 28


def test_a_month_must_be_written_yyyy_mm(store: Store) -> None:
    for month in ("2026-13", "2017-9", "2017-09-01"):
        with pytest.raises(InputError, match=f"'{month}' is not a month written YYYY-MM"):
            learning.review(store, service.default_model(), month)
    assert datetime(2026, 12, 1) == learning.month_bounds("2026-11")[1]


def test_trajectories_are_recomputed_from_the_facts_at_each_month_start(
    store: Store, tmp_path: Path
) -> None:
    # No snapshot exists: every point is scored from the stored facts at its as_of. A CEO
    # (role 10) met sales on 2026-09-15 (meeting 12 points, half-life 90 days); the deal closed
    # on 2026-11-10. Before the meeting the total is the role alone.
    import_rows(store, tmp_path, "contacts", ["contact_id", "title"], [["ceo", "CEO"]])
    import_rows(store, tmp_path, "events", ["contact_id", "event_type", "asset", "occurred_at"],
                [["ceo", "meeting", "m1", "2026-09-15"]])  # fmt: skip
    import_rows(store, tmp_path, "opportunities",
                ["opportunity_id", "stage", "created_at", "closed_at"],
                [["o1", "Won", "2026-09-21", "2026-11-10"]])  # fmt: skip
    import_rows(store, tmp_path, "opportunity_contacts", ["opportunity_id", "contact_id"],
                [["o1", "ceo"]])  # fmt: skip
    done = learning.review(store, service.default_model(), "2026-11")
    found = {p.months_before: (p.days_before_close, p.total) for p in done.trajectories}
    # 2026-11-01: 47 days after the meeting, 9 days before the close
    assert found[0] == (9, pytest.approx(10 + 12 * 2 ** (-47 / 90)))
    # 2026-10-01: 16 days after the meeting, 40 days before the close
    assert found[1] == (40, pytest.approx(10 + 12 * 2 ** (-16 / 90)))
    # 2026-09-01 and earlier: the meeting has not happened yet
    assert [found[m][1] for m in range(2, 7)] == [10.0] * 5
    assert found[6][0] == (datetime(2026, 11, 10) - datetime(2026, 5, 1)).days
