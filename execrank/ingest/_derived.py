"""Derived tables computed in Python once per distinct value, then joined by the scoring SQL:
title classifications (per distinct title) and topic matches (per signal and topic set)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

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
    """Match every signal not yet matched against the model's topic set; return how many
    signals were (re)matched.

    A signal that repeats an earlier story about the same subject (see signals.find_duplicates)
    gets no matches, only a row in signal_duplicates naming the original. Signals already
    matched whose duplicate status a new signal may change (later ones about the same subject,
    within the window) are matched again. Job postings also become hiring matches."""
    intent = model.intent
    rows = store.signals_to_match(intent.topics_hash)
    if not rows:
        return 0
    texts = {row[0]: " ".join(t for t in (row[4], row[5]) if t) for row in rows}
    redo = _to_rematch(rows, intent.duplicates.window_days)
    duplicates = signals.find_duplicates(
        [signals.SignalText(row[0], _group(model, row), row[3], texts[row[0]]) for row in rows],
        window_days=intent.duplicates.window_days,
        min_similarity=intent.duplicates.min_similarity,
        only=redo,
    )
    repeated = {d.signal_id for d in duplicates}
    matchers = _matchers(model)
    matches = []
    for signal_id, _, kind, _, title, _, _ in rows:
        if signal_id not in redo or signal_id in repeated:
            continue
        found = _match_signal(matchers, texts[signal_id])
        hired = _hiring(model, kind, title)
        matches += [(signal_id, m.topic, m.phrase, m.snippet) for m in found + hired]
    store.save_signal_matches(
        intent.topics_hash,
        sorted(redo),
        matches,
        [(d.signal_id, d.duplicate_of, d.similarity) for d in duplicates],
    )
    return len(redo)


def _group(model: ScoringModel, row: tuple[Any, ...]) -> str:
    """Signals compared for duplicates: same subject; job postings also need the same title
    (two open roles may share a description)."""
    _, subject, kind, _, title, _, _ = row
    hiring = model.intent.hiring
    if hiring is not None and kind in hiring.kinds:
        return f"{subject}\x1f{' '.join((title or '').casefold().split())}"
    return str(subject)


def _hiring(model: ScoringModel, kind: str, title: str | None) -> list[signals.TopicMatch]:
    """The hiring match of a job posting, its title read by the title normalizer."""
    hiring = model.intent.hiring
    if hiring is None or kind not in hiring.kinds or not title:
        return []
    info = titles.classify(title)
    found = signals.hiring_match(hiring, kind, title, info.seniority, info.function)
    return [found] if found else []


def _to_rematch(rows: list[tuple[Any, ...]], window_days: float) -> set[str]:
    """The pending signals, and the matched ones that come at most window_days after a pending
    signal about the same subject (a new earlier signal can make them duplicates)."""
    window = timedelta(days=window_days)
    pending: dict[str, list[datetime]] = {}
    for _, subject, _, occurred_at, _, _, is_pending in rows:
        if is_pending:
            pending.setdefault(subject, []).append(occurred_at)
    return {
        row[0]
        for row in rows
        if row[6] or any(timedelta(0) <= row[3] - t <= window for t in pending.get(row[1], ()))
    }


Matcher = signals.TopicMatcher | signals.SemanticMatcher


def _matchers(model: ScoringModel) -> list[Matcher]:
    """The keyword matcher, and the semantic one when the model enables it."""
    intent = model.intent
    found: list[Matcher] = [signals.TopicMatcher(intent.topics)]
    if intent.semantic.enabled:
        found.append(signals.SemanticMatcher(intent.topics, intent.semantic.threshold))
    return found


def _match_signal(matchers: list[Matcher], text: str) -> list[signals.TopicMatch]:
    """Each topic once: the first matcher that finds it gives the evidence."""
    matches: dict[str, signals.TopicMatch] = {}
    for matcher in matchers:
        for match in matcher.match(text):
            matches.setdefault(match.topic, match)
    return list(matches.values())
