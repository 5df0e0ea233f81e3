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


def test_a_perfectly_separating_score_has_an_auc_interval_of_one() -> None:
    # every won deal scores above every lost deal, in the data and so in every resample
    # (a resample holding one outcome only has no AUC and is left out): AUC 1 in each -> [1, 1]
    labels = [True] * 10 + [False] * 10
    scores = [float(n) for n in range(20, 0, -1)]
    found = metrics.bootstrap(labels, {"perfect": scores})["perfect"]
    assert metrics.interval(found.auc) == metrics.Interval(1.0, 1.0)


def test_a_constant_score_has_a_lift_interval_of_one_and_an_auc_interval_of_a_half() -> None:
    # one score for all: the top decile is the average deal in every resample -> lift 1, and
    # every won/lost pair is a tie -> AUC 0.5, whatever rows a resample draws
    labels = [True, False, False, True, False] * 4
    found = metrics.bootstrap(labels, {"flat": [3.0] * 20})["flat"]
    assert metrics.interval(found.lift) == metrics.Interval(pytest.approx(1.0), pytest.approx(1.0))
    assert metrics.interval(found.auc) == metrics.Interval(0.5, 0.5)


def test_intervals_are_seeded_paired_and_hold_the_figure() -> None:
    # two won deals in five: the resamples are the same for every scorer and every run (seed),
    # so a scorer compared with itself differs by exactly 0 in each resample
    labels = [True, False, True, False, False] * 40
    scores = [0.9, 0.1, 0.4, 0.6, 0.2] * 40
    first = metrics.bootstrap(labels, {"a": scores, "b": scores})
    again = metrics.bootstrap(labels, {"a": scores})
    assert (first["a"].auc == again["a"].auc).all() and len(first["a"].auc) == 1000
    assert metrics.interval(first["a"].auc - first["b"].auc) == metrics.Interval(0.0, 0.0)
    # the figure itself: won 0.9, 0.4 vs lost 0.1, 0.6, 0.2: pairs won > lost: 0.9 beats all 3,
    # 0.4 beats 0.1 and 0.2 -> 5 of 6 = 0.8333
    assert metrics.auc(labels, scores) == pytest.approx(5 / 6)
    assert 5 / 6 in metrics.interval(first["a"].auc)
    # one deal: every resample holds one outcome only, so no resample has an AUC: no interval
    assert metrics.interval(metrics.bootstrap([True], {"a": [1.0]})["a"].auc) is None


def test_the_top_tier_present_stands_in_for_an_empty_tier_a() -> None:
    # no deal in A; B: 3 closed, 2 won -> B is what sales works first, precision 2/3
    found = metrics.by_tier([True, True, False, False], ["B", "B", "B", "C"])
    assert metrics.top_tier(found) == ("B", metrics.Rate(3, 2))
    # A present: A; every deal unranked: none
    assert metrics.top_tier(metrics.by_tier([True, False], ["C", "A"])) == ("A", metrics.Rate(1, 0))
    assert metrics.top_tier(metrics.by_tier([True, False], ["-", "-"])) is None
