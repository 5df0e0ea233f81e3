"""Backtest and review figures, each checked against numbers worked out by hand."""

from __future__ import annotations

import pytest

from execrank.learning import _metrics as metrics


def test_auc_counts_ties_as_half() -> None:
    # won scores 3, 2; lost scores 2, 1. Pairs (won, lost): (3,2) 1, (3,1) 1, (2,2) 0.5,
    # (2,1) 1 -> 3.5 / 4 = 0.875
    assert metrics.auc([True, True, False, False], [3, 2, 2, 1]) == 0.875
    assert metrics.auc([True, True], [1, 2]) is None


def test_top_decile_lift_by_hand() -> None:
    # 20 deals, 5 won: base rate 0.25. The top decile is 2 deals: scores 10 (won) and 9 (won)
    # -> won rate 1.0 -> lift 1.0 / 0.25 = 4.0
    labels = [True, True] + [True] * 3 + [False] * 15
    scores = [10.0, 9.0] + [1.0] * 18
    assert metrics.top_share_lift(labels, scores) == pytest.approx(4.0)


def test_top_decile_lift_shares_ties_at_the_border() -> None:
    # 10 deals, top decile = 1 deal; the best score 5 is held by 2 deals (1 won, 1 lost):
    # expected wins in the top 1 = 1 x 1/2 = 0.5; base rate 3/10 -> lift 0.5 / 0.3 = 1.666...
    labels = [True, False, True, True] + [False] * 6
    scores = [5.0, 5.0, 1.0, 1.0] + [0.0] * 6
    assert metrics.top_share_lift(labels, scores) == pytest.approx(0.5 / 0.3)
    # every score equal: the top decile is the average deal, lift 1
    assert metrics.top_share_lift(labels, [0.0] * 10) == pytest.approx(1.0)


def test_conversion_by_tier_by_hand() -> None:
    # A: 2 closed, 1 won -> 0.5; B: 3 closed, 3 won -> 1.0; C: 1 closed, 0 won -> 0.0;
    # unranked: none closed -> no rate
    labels = [True, False, True, True, True, False]
    tiers = ["A", "A", "B", "B", "B", "C"]
    found = metrics.by_tier(labels, tiers)
    assert {t: (r.closed, r.won, r.rate) for t, r in found.items()} == {
        "A": (2, 1, 0.5),
        "B": (3, 3, 1.0),
        "C": (1, 0, 0.0),
        "-": (0, 0, None),
    }


def test_dimension_lift_by_hand() -> None:
    # overall: 2 won of 4 = 0.5. engagement > 0 in deals 1, 2, 3 (won, won, lost): 2/3 ->
    # lift (2/3) / 0.5 = 1.333...; network > 0 only in deal 4 (lost): 0/1 -> lift 0;
    # intent never > 0: no rate, no lift
    labels = [True, True, False, False]
    dims = [
        {"engagement": 5.0, "network": 0.0, "intent": 0.0},
        {"engagement": 1.0, "network": 0.0, "intent": 0.0},
        {"engagement": 2.0, "network": 0.0, "intent": 0.0},
        {"engagement": 0.0, "network": 3.0, "intent": 0.0},
    ]
    found = metrics.dimension_lift(labels, dims, ["engagement", "network", "intent"])
    assert found["engagement"][0] == metrics.Rate(3, 2)
    assert found["engagement"][1] == pytest.approx(4 / 3)
    assert found["network"] == (metrics.Rate(1, 0), 0.0)
    assert found["intent"] == (metrics.Rate(0, 0), None)
