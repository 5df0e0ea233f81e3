"""Precision and recall of the keyword path, per topic, on texts labelled by hand.

tests/signals/labelled_texts.csv holds 328 texts (PROVENANCE.md says where each comes from and
how it was labelled): 248 English excerpts of the real press releases, news and job postings in
shared/data/raw/intent_signals, 80 Chinese texts written after real Chinese business news, and
14 English sentences written for negation and unrelated senses; four held-out sets follow
(PROVENANCE.md). Run
`python -m pytest tests/signals/test_labelled_precision_recall.py -s` to print the figures.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from execrank import model
from execrank.signals import TopicMatcher

LABELLED = Path(__file__).with_name("labelled_texts.csv")
# Labelled after the phrases of 2026-11 were final; its errors then guided the phrases and
# rules of 2026-12, so it is development data now.
HOLDOUT = Path(__file__).with_name("holdout_texts.csv")
# Written and labelled before the 2026-12-03 tuning, measured once after it (PROVENANCE.md).
HOLDOUT_2 = Path(__file__).with_name("holdout2_texts.csv")
# Drawn and labelled on 2026-12-04 after the phrases and rules were final, measured once.
HOLDOUT_3 = Path(__file__).with_name("holdout3_texts.csv")
# Drawn, written and labelled on 2026-12-04 before the phrases of that evening, measured once
# after them; holdout2 and holdout3 guided those phrases, so they are development data now.
HOLDOUT_4 = Path(__file__).with_name("holdout4_texts.csv")
TOPICS = ("digital_transformation", "cloud_migration", "data_analytics", "efficiency")
MIN_PRECISION = 0.9  # the expectation for the keyword path
MIN_RECALL = 0.8


def rows(path: Path = LABELLED) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def tally(path: Path, language: str | None = None) -> dict[str, dict[str, int]]:
    """True and false positives and false negatives per topic (of one language, or all)."""
    matcher = TopicMatcher(model.default().intent.topics)
    found_counts = {t: {"tp": 0, "fp": 0, "fn": 0} for t in TOPICS}
    for row in rows(path):
        if language is not None and row["language"] != language:
            continue
        found = {m.topic for m in matcher.match(row["text"])}
        for topic in TOPICS:
            labelled, predicted = row[topic] == "1", topic in found
            if labelled and predicted:
                found_counts[topic]["tp"] += 1
            elif predicted:
                found_counts[topic]["fp"] += 1
            elif labelled:
                found_counts[topic]["fn"] += 1
    for topic, c in found_counts.items():
        print(
            f"{path.name} {language or 'all'} {topic}: precision {precision(c):.3f} "
            f"recall {recall(c):.3f} {c}"
        )
    return found_counts


@pytest.fixture(scope="module")
def counts() -> dict[str, dict[str, int]]:
    for language in ("en", "zh"):
        tally(LABELLED, language)
    return tally(LABELLED)


def precision(c: dict[str, int]) -> float:
    return c["tp"] / (c["tp"] + c["fp"]) if c["tp"] + c["fp"] else 0.0


def recall(c: dict[str, int]) -> float:
    return c["tp"] / (c["tp"] + c["fn"]) if c["tp"] + c["fn"] else 0.0


def test_the_labelled_set_is_big_enough_and_bilingual() -> None:
    labelled = rows()
    assert len(labelled) >= 200
    assert sum(r["language"] == "zh" for r in labelled) >= 60
    assert {r["source"] for r in labelled} >= {
        "newsapi_press_releases.csv",
        "glassdoor_Uncleaned_DS_jobs.csv",
        "ag_news_test.csv",
        "handwritten",
    }
    assert all(sum(r[t] == "1" for r in labelled) >= 20 for t in TOPICS)
    assert len({r["id"] for r in labelled}) == len(labelled)


@pytest.mark.parametrize("topic", TOPICS)
def test_keyword_precision_and_recall_per_topic(
    topic: str, counts: dict[str, dict[str, int]]
) -> None:
    assert precision(counts[topic]) >= MIN_PRECISION, counts[topic]
    assert recall(counts[topic]) >= MIN_RECALL, counts[topic]


@pytest.mark.parametrize("path", [HOLDOUT, HOLDOUT_2, HOLDOUT_3, HOLDOUT_4], ids=lambda p: p.stem)
def test_precision_holds_on_held_out_texts(path: Path) -> None:
    # too few positives per topic for firm per-topic figures: all topics together
    for language in ("en", "zh"):
        tally(path, language)
    by_topic = tally(path)
    total = {k: sum(c[k] for c in by_topic.values()) for k in ("tp", "fp", "fn")}
    assert precision(total) >= MIN_PRECISION, total


@pytest.mark.parametrize("path", [HOLDOUT_2, HOLDOUT_3, HOLDOUT_4], ids=lambda p: p.stem)
def test_the_later_held_out_sets_are_bilingual_with_positives_and_negatives(path: Path) -> None:
    held_out = rows(path)
    assert len(held_out) >= 60
    assert sum(r["language"] == "zh" for r in held_out) >= 30
    assert len({r["id"] for r in held_out}) == len(held_out)
    for topic in TOPICS:
        for language in ("en", "zh"):
            labels = {r[topic] for r in held_out if r["language"] == language}
            assert labels == {"0", "1"}, (topic, language)
