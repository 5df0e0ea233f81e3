"""Near-duplicate signals: the same story about the same subject, told again within a window.

Texts are compared by the Jaccard similarity of their word 3-shingles (English words in lower
case, Chinese characters one by one), which ignores case, punctuation and spacing. A signal is a
duplicate when an earlier signal (by occurred_at, then id) of the same group (the caller's
choice: the subject, or for job postings the subject and the title, since two open roles may
share a description), at most window_days older, reaches min_similarity; it points at the
earliest such signal. Only earlier signals decide, so a signal's status never depends on
signals that came after it.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from execrank.signals._text import CJK_CHARS

SHINGLE_WORDS = 3  # words per shingle
_SHINGLE_TOKENS = re.compile(rf"[a-z0-9]+|[{CJK_CHARS}]")

Shingles = frozenset[tuple[str, ...]]


@dataclass(frozen=True)
class SignalText:
    """What duplicate detection needs of a signal."""

    signal_id: str
    group: str
    occurred_at: datetime
    text: str


@dataclass(frozen=True)
class Duplicate:
    """A signal that repeats an earlier one: no matches; kept as evidence of why."""

    signal_id: str
    duplicate_of: str
    similarity: float


def shingles(text: str) -> Shingles:
    """The word 3-shingles of a text (the whole text as one shingle when shorter)."""
    words = _SHINGLE_TOKENS.findall(text.lower())
    if len(words) < SHINGLE_WORDS:
        return frozenset([tuple(words)])
    return frozenset(zip(*(words[i:] for i in range(SHINGLE_WORDS)), strict=False))


def similarity(a: Shingles, b: Shingles) -> float:
    """Jaccard similarity of two shingle sets."""
    if not a and not b:
        return 1.0
    return len(a & b) / len(a | b)


def find_duplicates(
    signals: Sequence[SignalText],
    *,
    window_days: float,
    min_similarity: float,
    only: Collection[str] | None = None,
) -> list[Duplicate]:
    """The duplicates among signals (see the module doc); with `only`, just those signal ids
    are judged (against all signals given)."""
    window = timedelta(days=window_days)
    by_group: dict[str, list[SignalText]] = defaultdict(list)
    for signal in signals:
        by_group[signal.group].append(signal)
    cache: dict[str, Shingles] = {}

    def shingled(signal: SignalText) -> Shingles:
        if signal.signal_id not in cache:
            cache[signal.signal_id] = shingles(signal.text)
        return cache[signal.signal_id]

    duplicates = []
    for group in by_group.values():
        group.sort(key=lambda s: (s.occurred_at, s.signal_id))
        for n, later in enumerate(group):
            if only is not None and later.signal_id not in only:
                continue
            found = _first_similar(group[:n], later, window, min_similarity, shingled)
            if found is not None:
                duplicates.append(Duplicate(later.signal_id, *found))
    return duplicates


def _first_similar(
    earlier: Sequence[SignalText],
    later: SignalText,
    window: timedelta,
    min_similarity: float,
    shingled: Callable[[SignalText], Shingles],
) -> tuple[str, float] | None:
    mine = shingled(later)
    for candidate in earlier:
        if later.occurred_at - candidate.occurred_at > window:
            continue
        theirs = shingled(candidate)
        # Jaccard cannot reach min_similarity when the sizes differ too much: skip the sets.
        small, large = sorted((len(mine), len(theirs)))
        if large and small / large < min_similarity:
            continue
        score = similarity(mine, theirs)
        if score >= min_similarity:
            return candidate.signal_id, round(score, 4)
    return None
