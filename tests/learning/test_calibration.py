"""Calibration: nothing proposed on little history; on a history where one behaviour decides
the outcome, the proposal learns it and the backtest shows it."""

from __future__ import annotations

import csv
import re
from datetime import datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner

from execrank import learning, service
from execrank.cli import app
from execrank.errors import InputError
from execrank.store import Store
from tests.learning.conftest import INGESTED, import_rows

MONDAY = "2026-01-05"


def history(
    store: Store, folder: Path, won: int, lost: int, won_event: str = "demo_request"
) -> None:
    """won + lost deals, one contact each, all started on MONDAY, alternating won and lost by
    id. A won deal's contact asked for a demo (an event the default model does not know;
    `won_event` names another); a lost deal's contact opened an email (1 point in the default
    model)."""
    outcomes = ["Won"] * won + ["Lost"] * lost
    order = sorted(range(won + lost), key=lambda n: (n % won if n < won else n - won, n >= won))
    ids = {n: f"d{rank:04d}" for rank, n in enumerate(order)}
    import_rows(store, folder, "contacts", ["contact_id", "title"],
                [[f"c{n}", "CEO"] for n in range(won + lost)])  # fmt: skip
    import_rows(
        store,
        folder,
        "events",
        ["contact_id", "event_type", "asset", "occurred_at"],
        [[f"c{n}", won_event if o == "Won" else "email_open", "a", "2026-01-02"]
         for n, o in enumerate(outcomes)],
    )  # fmt: skip
    import_rows(
        store,
        folder,
        "opportunities",
        ["opportunity_id", "stage", "created_at", "closed_at"],
        [[ids[n], o, MONDAY, "2026-03-01"] for n, o in enumerate(outcomes)],
    )
    import_rows(
        store,
        folder,
        "opportunity_contacts",
        ["opportunity_id", "contact_id"],
        [[ids[n], f"c{n}"] for n in range(won + lost)],
    )


def nothing_proposed(result: learning.Calibration, store: Store, folder: Path, why: str) -> None:
    """The calibration proposes nothing, says `why`, and the CLI says it too."""
    assert result.proposed is None and result.knobs == [] and result.measured == []
    assert result.skipped is not None and why in result.skipped
    store.close()
    shown = CliRunner().invoke(app, ["calibrate", "--db", str(folder / "test.duckdb")])
    assert shown.exit_code == 0, shown.output
    assert why in shown.output and "Proposed" not in shown.output


def test_too_little_history_proposes_nothing(store: Store, tmp_path: Path) -> None:
    # 60 won + 60 lost, alternating: the older 70% (84 deals) hold 42 of each, < 50
    history(store, tmp_path, 60, 60)
    result = learning.calibrate(store, service.default_model())
    assert (result.train.closed, result.train.won) == (84, 42)
    assert result.skipped is not None and "42 won and 42 lost" in result.skipped
    nothing_proposed(result, store, tmp_path, "too little history")


def test_no_signal_in_the_history_proposes_nothing(store: Store, tmp_path: Path) -> None:
    # won and lost deals alike opened an email: every feature is the same for both outcomes,
    # so every fold's regression scores all deals alike, AUC 0.5 at every C
    history(store, tmp_path, 80, 80, won_event="email_open")
    result = learning.calibrate(store, service.default_model())
    assert result.cross_validated == [(c, 0.5) for c in learning.REGULARISATION_GRID]
    nothing_proposed(result, store, tmp_path, "no signal to learn")


def test_the_proposal_learns_what_decided_and_the_backtest_shows_it(
    store: Store, tmp_path: Path
) -> None:
    # 80 + 80 alternating: 112 older deals (56 won, 56 lost) to learn from, 48 held out
    history(store, tmp_path, 80, 80)
    result = learning.calibrate(store, service.default_model())
    assert (result.train.closed, result.train.won, result.test.closed) == (112, 56, 48)
    # a demo request separates won from lost in every time-ordered fold, whatever C: each C
    # scores AUC 1, and on a tie the strongest regularisation (the smallest C) is chosen
    assert result.cross_validated == [(c, 1.0) for c in learning.REGULARISATION_GRID]
    assert result.regularisation == min(learning.REGULARISATION_GRID)
    knobs = {k.path: k for k in result.knobs}
    assert knobs["engagement.events.demo_request"].proposed > 0
    assert knobs["engagement.events.email_open"].proposed == 0  # learned as a bad sign
    assert result.proposed is not None
    assert result.proposed.engagement.events["demo_request"].points > 0
    measured = {m.name: m for m in result.measured}
    # current model: every lost deal has 1 decayed point, every won deal 0 -> AUC 0;
    # calibrated: every won deal has the demo points, every lost deal 0 -> AUC 1;
    # generic click model: neither event is a click, a download or a page view -> all 0, AUC 0.5
    assert measured["current model"].auc == 0.0
    assert measured["calibrated model"].auc == 1.0
    assert measured["generic click model"].auc == 0.5
    assert measured["naive Bayes (Odoo-style)"].auc == 1.0
    # top decile of 48 held-out deals = 4.8 deals; calibrated: all won -> 1 / (24/48) = 2.0
    assert measured["calibrated model"].top_decile_lift == pytest.approx(2.0)
    assert measured["generic click model"].top_decile_lift == pytest.approx(1.0)
    # tiers: every contact is a CEO (role 10) of no company (fit 0), so profile = 10 < 14 and
    # no deal reaches A under either model; heat stays under 8 (at most a few points), so not
    # B either; role >= 7 puts all 48 in C: the top tier present, precision 24 won / 48 = 0.5
    for name in ("current model", "calibrated model"):
        assert measured[name].tier_a_deals == 0 and measured[name].tier_a_precision is None
        assert measured[name].top_tier == ("C", learning.Rate(48, 24))
        assert measured[name].shown()[4] == "n/a (none in A); C: 0.500 of 48"
    assert measured["naive Bayes (Odoo-style)"].shown()[4] == "n/a (no tiers)"
    # the orderings hold in every resample of the held-out deals, so the intervals are points:
    # calibrated AUC [1, 1]; minus the generic model's 0.5 in each -> [0.5, 0.5], better;
    # minus naive Bayes' 1 -> [0, 0], within noise
    assert measured["calibrated model"].auc_interval == learning.Interval(1.0, 1.0)
    assert measured["current model"].auc_interval == learning.Interval(0.0, 0.0)
    differences = {d.name: d for d in result.differences}
    assert differences["generic click model"].auc == learning.Interval(0.5, 0.5)
    assert differences["naive Bayes (Odoo-style)"].auc == learning.Interval(0.0, 0.0)
    assert differences["naive Bayes (Odoo-style)"].shown()[2].startswith("AUC within noise")
    assert differences["current model"].shown()[2].startswith("AUC better")


def test_calibrate_writes_the_proposal_and_shows_the_diff(store: Store, tmp_path: Path) -> None:
    history(store, tmp_path, 80, 80)
    store.close()
    proposed = tmp_path / "proposed.yaml"
    shown = CliRunner().invoke(
        app, ["calibrate", "--db", str(tmp_path / "test.duckdb"), "--output", str(proposed)]
    )
    assert shown.exit_code == 0, shown.output
    assert "engagement.events.demo_request.points: (absent) -> " in shown.output
    # the learned table: each knob, its points now, its coefficient and its proposed points
    assert re.search(r"engagement\.events\.demo_request\s*│\s*0\s*│\s*\+\d", shown.output)
    assert re.search(r"engagement\.events\.email_open\s*│\s*1\s*│\s*-\d.*│\s*0\s", shown.output)
    assert "calibrated model" in shown.output and "generic click model" in shown.output
    written = proposed.read_text(encoding="utf-8")
    assert "demo_request" in written and "name: default-calibrated" in written
    # the backtest, with its intervals, beside the proposal
    assert "95% interval" in shown.output and "1000 bootstrap resamples" in shown.output
    assert "Regularisation: C = 0.001, the best mean AUC of 5 time-ordered folds" in shown.output
    text = (tmp_path / "proposed.backtest.csv").read_text(encoding="utf-8")
    backtest = list(csv.DictReader(text.splitlines()))
    calibrated = next(row for row in backtest if row["scorer"] == "calibrated model")
    assert (calibrated["auc"], calibrated["auc_low"], calibrated["auc_high"]) == ("1.0",) * 3
    generic = next(row for row in backtest if row["scorer"] == "generic click model")
    assert (generic["calibrated_minus_auc_low"], generic["calibrated_minus_auc_high"]) == (
        "0.5",
        "0.5",
    )


def labels_from_adjustments(store: Store, folder: Path) -> None:
    """20 contacts raised or lowered by hand on Saturday 2025-12-20, before any deal started:
    10 raised (they asked for a demo), 10 lowered (they opened an email); one more lowered on
    2026-02-01, after the held-out deals started."""
    people = [(f"r{n}", "demo_request", 5.0) for n in range(10)]
    people += [(f"l{n}", "email_open", -5.0) for n in range(11)]
    import_rows(store, folder, "contacts", ["contact_id", "title"],
                [[who, "CEO"] for who, _, _ in people])  # fmt: skip
    import_rows(store, folder, "events", ["contact_id", "event_type", "asset", "occurred_at"],
                [[who, kind, "a", "2025-12-01"] for who, kind, _ in people])  # fmt: skip
    service.score(store, service.default_model(), as_of=INGESTED, known_at=INGESTED)
    for n, (who, _, points) in enumerate(people):
        service.adjust(
            store,
            who,
            points=points,
            reason="sales call",
            expires_at=datetime(2026, 12, 31),
            actor="ann",
            now=datetime(2026, 2, 1) if n == len(people) - 1 else datetime(2025, 12, 20),
        )


def test_manual_adjustments_can_be_labels_to_learn_from(store: Store, tmp_path: Path) -> None:
    # 60 + 60 deals leave 42 won and 42 lost to learn from: too few alone. The 20 adjustments
    # made before the split (2026-01-05) add 10 won and 10 lost -> 52 and 52, enough; the one
    # made on 2026-02-01 is after the split and is not used.
    history(store, tmp_path, 60, 60)
    labels_from_adjustments(store, tmp_path)
    assert learning.calibrate(store, service.default_model()).proposed is None
    result = learning.calibrate(store, service.default_model(), adjustments_as_labels=True)
    assert (result.train.closed, result.train.won) == (104, 52)
    assert (result.labelled.closed, result.labelled.won) == (20, 10)
    assert result.test.closed == 36  # the backtest stays on deals only
    assert result.proposed is not None
    assert result.proposed.engagement.events["demo_request"].points > 0
    assert result.proposed.engagement.events["email_open"].points == 0
    store.close()
    shown = CliRunner().invoke(
        app, ["calibrate", "--adjustments-as-labels", "--db", str(tmp_path / "test.duckdb")]
    )
    assert shown.exit_code == 0, shown.output
    assert "20 are manual adjustments (10 raised, 10 lowered)" in shown.output


def test_a_capped_event_type_keeps_its_shape_when_its_points_change() -> None:
    # default email_open: 1 point, at most 5 in all. Proposed 3 points per open: the cap
    # becomes 5 x 3 / 1 = 15, so that at most 5 opens still count, as the regression measured
    model = service.default_model()
    proposed = learning.apply_knobs(
        model, [learning.Knob("engagement.events.email_open", 1.0, 0.4, 3.0)]
    )
    assert proposed.engagement.events["email_open"].points == 3.0
    assert proposed.engagement.events["email_open"].cap == 15.0
    assert (
        proposed.engagement.events["report_download"] == model.engagement.events["report_download"]
    )


def test_calibrate_refuses_to_write_its_proposal_or_backtest_over_a_store(
    store: Store, tmp_path: Path
) -> None:
    store.close()
    db = tmp_path / "test.duckdb"
    kept = db.read_bytes()
    # --output copy.yaml writes its backtest to copy.backtest.csv, here a copy of the store
    (tmp_path / "copy.backtest.csv").write_bytes(kept)
    for output, refused in ((db, db), (tmp_path / "copy.yaml", tmp_path / "copy.backtest.csv")):
        result = CliRunner().invoke(app, ["calibrate", "--db", str(db), "--output", str(output)])
        assert isinstance(result.exception, InputError)
        assert str(result.exception).startswith(f"cannot write {refused}: it is")
    assert db.read_bytes() == kept
    assert not (tmp_path / "copy.yaml").exists()
