"""Chinese phrases: substrings that jieba's segmentation of their clause keeps as whole words.

Chinese has no spaces, so a phrase is first looked up as a substring (fast: one pattern of all
the phrases tells whether a text holds any at all, a phrase whose later part does not follow its
first is dropped before segmenting anything, and a phrase no dictionary word can cut into, with
no negation cue near, is taken as it is), then the clause around it is segmented with
jieba and the occurrence counts only where a word starts at its first character and another ends
at its last: 数字化转型 counts inside 公司启动数字化转型战略, but 上云 does not inside 马上云集
(马上 / 云集). Every topic phrase and negation cue is registered with `add_word` first, so jieba
keeps each one together.

Each distinct set of phrases gets its own tokenizer (a copy of jieba's dictionary plus those
words): a model's matches never depend on which other models ran before in the process.
"""

from __future__ import annotations

import bisect
import logging
import re
import warnings
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any, cast

from execrank.model import GAP
from execrank.signals._negation import CHINESE_WORDS_BEFORE, WORDS_AFTER, cues
from execrank.signals._text import Found

MAX_GAP_WORDS = 3  # jieba words allowed between two parts of a phrase
GAP_CHARS = 4 * MAX_GAP_WORDS  # characters a gap of MAX_GAP_WORDS words may take
CONTEXT_BEFORE = 20  # characters segmented before an occurrence (about 8 to 12 words)
CONTEXT_AFTER = 12  # characters segmented after an occurrence's longest reach
TOKENIZERS_KEPT = 4  # tokenizers (one per phrase set, ~30 MB each) kept in memory
_CLAUSE_END = re.compile(r"[，。；！？：,;!?:\n（）()“”\"「」]")

Token = tuple[str, int, int]  # word, start, end (positions in the whole text)


@dataclass(frozen=True)
class Phrase:
    topic: str
    text: str
    exclusion: bool
    parts: tuple[str, ...]


def parse(topic: str, text: str, exclusion: bool) -> Phrase:
    parts = tuple("".join(part.split()) for part in text.split(GAP))
    return Phrase(topic, text, exclusion, parts)


@cache
def _jieba() -> Any:
    with warnings.catch_warnings():  # jieba 0.42 may warn about pkg_resources on import
        warnings.simplefilter("ignore")
        import jieba  # type: ignore[import-untyped]
    jieba.setLogLevel(logging.WARNING)
    return jieba


@cache
def _dictionary() -> Any:
    tokenizer = _jieba().Tokenizer()
    tokenizer.initialize()
    return tokenizer


@lru_cache(maxsize=TOKENIZERS_KEPT)
def _tokenizer(words: frozenset[str]) -> Any:
    """jieba's dictionary plus words (copied: the shared dictionary is left alone)."""
    base = _dictionary()
    tokenizer = _jieba().Tokenizer()
    tokenizer.FREQ, tokenizer.total = dict(base.FREQ), base.total
    tokenizer.initialized = True
    for word in sorted(words):
        tokenizer.add_word(word)
    return tokenizer


class _Text:
    """A text whose parts around phrase occurrences are segmented on demand. jieba costs
    ~5 µs per character, so only a window is cut: the clause from CONTEXT_BEFORE characters
    before an occurrence (room for negation cues) to `reach` characters after its start."""

    def __init__(self, text: str, tokenizer: Any) -> None:
        self.text = text
        self._tokenizer = tokenizer
        self._breaks = [m.start() for m in _CLAUSE_END.finditer(text)]
        self._windows: dict[tuple[int, int], tuple[list[Token], dict[int, int]]] = {}

    @property
    def dictionary(self) -> dict[str, int]:
        """jieba's words (frequency > 0) and their prefixes (frequency 0)."""
        return cast(dict[str, int], self._tokenizer.FREQ)

    def bounds(self, position: int, reach: int) -> tuple[int, int]:
        """The window segmented around position: from CONTEXT_BEFORE characters before it to
        reach characters after it, within its clause."""
        i = bisect.bisect_right(self._breaks, position)
        clause_start = self._breaks[i - 1] + 1 if i > 0 else 0
        clause_end = self._breaks[i] if i < len(self._breaks) else len(self.text)
        return max(clause_start, position - CONTEXT_BEFORE), min(clause_end, position + reach)

    def window(self, position: int, reach: int) -> tuple[list[Token], dict[int, int]]:
        """The tokens around position, and token index by start position."""
        start, end = self.bounds(position, reach)
        if (start, end) not in self._windows:
            tokens = [
                (word, start + begin, start + finish)
                for word, begin, finish in self._tokenizer.tokenize(self.text[start:end], HMM=False)
                if word.strip()
            ]
            self._windows[start, end] = (tokens, {t[1]: n for n, t in enumerate(tokens)})
        return self._windows[start, end]


class ChineseFinder:
    """Finds the Chinese phrases of a topic set in a text."""

    def __init__(self, phrases: Iterable[Phrase]) -> None:
        self._phrases = [p for p in phrases if p.parts and all(p.parts)]
        self._cues = cues()["chinese"]
        words = {part for p in self._phrases for part in p.parts}
        words |= {cue for cue in self._cues.before | self._cues.after if len(cue) > 1}
        self._words = frozenset(words)
        # Characters after an occurrence's start that may matter: the longest phrase with its
        # gaps, then room for a negation cue after it.
        spans = [sum(map(len, p.parts)) + GAP_CHARS * (len(p.parts) - 1) for p in self._phrases]
        self._reach = max(spans, default=0) + CONTEXT_AFTER
        self._any_phrase = _alternation(p.parts[0] for p in self._phrases)
        self._cue_before = _alternation(self._cues.before)
        self._cue_after = _alternation(self._cues.after)

    def find(self, text: str) -> list[Found]:
        if not self._any_phrase.search(text):
            return []
        found: list[Found] = []
        segmented: _Text | None = None
        for phrase in self._phrases:
            position = text.find(phrase.parts[0])
            while position >= 0:
                if segmented is None:
                    segmented = _Text(text, _tokenizer(self._words))
                occurrence = self._occurrence(segmented, phrase, position)
                if occurrence is not None:
                    found.append(occurrence)
                position = text.find(phrase.parts[0], position + 1)
        return found

    def _occurrence(self, text: _Text, phrase: Phrase, position: int) -> Found | None:
        if self._later_part_missing(text.text, phrase, position):
            return None
        if len(phrase.parts) == 1 and self._plainly_whole(text, phrase, position):
            return Found(phrase, position, position + len(phrase.parts[0]), False)
        tokens, index_at = text.window(position, self._reach)
        span = _words_at(tokens, index_at, position, len(phrase.parts[0]))
        if span is None:
            return None
        first, last = span
        for part in phrase.parts[1:]:
            for n in range(last + 1, min(len(tokens), last + 2 + MAX_GAP_WORDS)):
                begin = text.text.find(part, tokens[n][1], tokens[n][2])
                found = None if begin < 0 else _words_at(tokens, index_at, begin, len(part))
                if found is not None:
                    last = found[1]
                    break
            else:
                return None
        negated = not phrase.exclusion and self._negated(tokens, first, last)
        return Found(phrase, position, tokens[last][2], negated)

    def _plainly_whole(self, text: _Text, phrase: Phrase, position: int) -> bool:
        """Whether a one-part phrase at position is whole words and not negated, decided without
        segmenting (a shortcut: segmenting decides the same). With HMM off, jieba's words are
        dictionary words or single characters, so where no dictionary word of the window spans
        the phrase's first or last edge, every segmentation has a boundary at both; and where no
        negation cue is a substring of the window before (after) the phrase, no word there is one.
        Anything else is left to segmenting."""
        start, end = text.bounds(position, self._reach)
        finish = position + len(phrase.parts[0])
        if phrase.exclusion:
            cue_free = True
        else:
            cue_free = not self._cue_before.search(text.text, start, position) and not (
                self._cue_after.search(text.text, finish, end)
            )
        words = text.dictionary
        return (
            cue_free
            and not _spanned(text.text, position, start, end, words)
            and not _spanned(text.text, finish, start, end, words)
        )

    def _later_part_missing(self, text: str, phrase: Phrase, position: int) -> bool:
        """Whether a later part of phrase is nowhere in reach after its first part: then
        there is no occurrence, and nothing needs segmenting (a shortcut: the words decide
        the same)."""
        after, reach = position + len(phrase.parts[0]), position + self._reach
        return any(text.find(part, after, reach) < 0 for part in phrase.parts[1:])

    def _negated(self, tokens: list[Token], first: int, last: int) -> bool:
        cues = self._cues
        for word, _, _ in reversed(tokens[max(0, first - CHINESE_WORDS_BEFORE) : first]):
            if word in cues.clause_breaks:
                break
            if word in cues.before:
                return True
        return any(word in cues.after for word, _, _ in tokens[last + 1 : last + 1 + WORDS_AFTER])


def _alternation(words: Iterable[str]) -> re.Pattern[str]:
    """One pattern finding any of words (never matching when there are none)."""
    return re.compile("|".join(map(re.escape, sorted(set(words), key=len, reverse=True))) or "(?!)")


def _spanned(text: str, edge: int, start: int, end: int, words: dict[str, int]) -> bool:
    """Whether a dictionary word within text[start:end] starts before edge and ends after it.
    words holds jieba's words (frequency > 0) and all their prefixes (frequency 0), so the search
    from each starting point stops at the first piece that begins no word."""
    for begin in range(edge - 1, start - 1, -1):
        finish = edge + 1
        while finish <= end:
            frequency = words.get(text[begin:finish])
            if frequency is None:
                break
            if frequency:
                return True
            finish += 1
    return False


def _words_at(
    tokens: list[Token], index_at: dict[int, int], start: int, length: int
) -> tuple[int, int] | None:
    """(first, last) token indexes when the text from start for length chars is whole words,
    or the end of one word (Chinese compounds put the head last: 明显提高 is a 提高); else None."""
    first = index_at.get(start)
    if first is None:
        n = bisect.bisect_right([t[1] for t in tokens], start) - 1
        if n >= 0 and tokens[n][2] == start + length:
            return n, n
        return None
    for n in range(first, len(tokens)):
        if tokens[n][2] == start + length:
            return first, n
        if tokens[n][2] > start + length:
            return None
    return None
