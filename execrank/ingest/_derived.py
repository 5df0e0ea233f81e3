"""Derived tables computed in Python once per distinct value, then joined by the scoring SQL:
title classifications (per distinct title) and topic matches (per signal and topic set)."""

from __future__ import annotations

from execrank import signals, titles
from execrank.model import ScoringModel
from execrank.store import Store


def refresh_titles(store: Store) -> int:
    """Classify every distinct contact title not yet classified by this classifier version."""
    pending = store.unclassified_titles(titles.CLASSIFIER_VERSION)
    rows = []
    for title in pending:
        info = titles.classify(title)
        rows.append(
            (
                title,
                info.seniority,
                info.function,
                list(info.flags),
                info.confidence,
                titles.CLASSIFIER_VERSION,
            )
        )
    store.save_titles(rows)
    return len(rows)


def refresh_signal_matches(store: Store, model: ScoringModel) -> int:
    """Match every signal not yet matched against the model's topic set; return how many."""
    topic_set = model.intent.topics_hash
    pending = store.unmatched_signals(topic_set)
    matches = [
        (signal_id, m.topic, m.phrase, m.snippet)
        for signal_id, text in pending
        for m in signals.match_topics(text, model.intent.topics)
    ]
    store.save_signal_matches(topic_set, [signal_id for signal_id, _ in pending], matches)
    return len(pending)
