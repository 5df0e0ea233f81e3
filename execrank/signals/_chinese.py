"""Chinese phrases: substrings that jieba's segmentation of their clause keeps as whole words.

Chinese has no spaces, so a phrase is first looked up as a substring (one pattern finds every
place where a phrase's first part starts), then the clause around it is segmented as jieba
segments it and the occurrence counts only where a word starts at its first character and
another ends at its last: 数字化转型 counts inside 公司启动数字化转型战略, but 上云 does not inside
马上云集 (马上 / 云集). Every topic phrase and negation cue is registered with `add_word` first, so
jieba keeps each one together. A clause ends at punctuation jieba never joins to a word, so its
words are those of a segmentation of the whole text.

Segmenting is the largest part of the cost, so it is avoided where it cannot change the answer:
each clause is segmented once, by `_segment.Segmenter` (jieba's route, computed faster); a phrase
whose later part does not follow its first in its clause is dropped first; a one-part phrase that no
dictionary word can cut into, with no negation cue in its clause, is taken as it is; and
`Occurrences` decides each place only when the matcher asks (a topic settled by its earliest
occurrence leaves the later ones undecided, and a shorter phrase beside a longer one that
counts, or within a hit that holds no cue, is never asked about).
tests/signals/test_chinese_shortcuts.py checks the answers against jieba's own segmentation of
the whole text with every place decided.

Each distinct set of phrases gets its own dictionary (a copy of jieba's plus those words): a
model's matches never depend on which other models ran before in the process.
"""

from __future__ import annotations

import bisect
import logging
import re
import warnings
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any

from execrank.model import GAP
from execrank.signals._negation import CHINESE_WORDS_BEFORE, WORDS_AFTER, cues
from execrank.signals._segment import PREFIX, Segmenter, Token
from execrank.signals._text import Found

MAX_GAP_WORDS = 3  # jieba words allowed between two parts of a phrase
TOKENIZERS_KEPT = 4  # dictionaries (one per phrase set, ~30 MB each) kept in memory
_CLAUSE_END = re.compile(r"[，。；！？：,;!?:\n（）()“”\"「」]")


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
def _segmenter(words: frozenset[str]) -> Segmenter:
    """jieba's segmentation with jieba's dictionary plus words (copied: the shared dictionary
    is left alone)."""
    base = _dictionary()
    tokenizer = _jieba().Tokenizer()
    tokenizer.FREQ, tokenizer.total = dict(base.FREQ), base.total
    tokenizer.initialized = True
    for word in sorted(words):
        tokenizer.add_word(word)
    return Segmenter(tokenizer, _jieba().re_han_default)


class _Text:
    """A text whose clauses holding phrase occurrences are segmented on demand, each once.
    A clause ends at _CLAUSE_END, characters jieba never joins to a word (it splits its input
    into runs of Chinese characters, letters and digits first), so a clause's words are exactly
    the words a segmentation of the whole text has there."""

    def __init__(self, text: str, segmenter: Segmenter) -> None:
        self.text = text
        self._segmenter = segmenter
        self.scores = segmenter.scores
        self._breaks = [m.start() for m in _CLAUSE_END.finditer(text)]
        self._clauses: dict[int, tuple[list[Token], dict[int, int]]] = {}

    def clause(self, position: int) -> tuple[int, int]:
        """Start and end of the clause holding position."""
        i = bisect.bisect_right(self._breaks, position)
        start = self._breaks[i - 1] + 1 if i > 0 else 0
        return start, self._breaks[i] if i < len(self._breaks) else len(self.text)

    def segmented(self, position: int) -> bool:
        return self.clause(position)[0] in self._clauses

    def words(self, position: int) -> tuple[list[Token], dict[int, int]]:
        """The tokens of the clause holding position, and token index by start position."""
        start, end = self.clause(position)
        if start not in self._clauses:
            tokens = self._segmenter.tokens(self.text[start:end], start)
            self._clauses[start] = (tokens, {t[1]: n for n, t in enumerate(tokens)})
        return self._clauses[start]


class ChineseFinder:
    """Finds the Chinese phrases of a topic set in a text."""

    def __init__(self, phrases: Iterable[Phrase]) -> None:
        self._phrases = [p for p in phrases if p.parts and all(p.parts)]
        self._cues = cues()["chinese"]
        words = {part for p in self._phrases for part in p.parts}
        words |= {cue for cue in self._cues.before | self._cues.after if len(cue) > 1}
        self._words = frozenset(words)
        firsts = {p.parts[0] for p in self._phrases}
        self._first_parts = _alternation(firsts)
        self._starting_with = {
            first: [(n, p) for n, p in enumerate(self._phrases) if first.startswith(p.parts[0])]
            for first in firsts
        }
        self._cue_before = _alternation(self._cues.before)
        self._cue_after = _alternation(self._cues.after)

    @property
    def segmenter(self) -> Segmenter:
        return _segmenter(self._words)

    def find(self, text: str) -> list[Found]:
        """The occurrences of the phrases in text, phrase by phrase in the model's order."""
        occurrences = self.occurrences(text)
        in_model_order = sorted(
            (order, n) for n, (_, order, _) in enumerate(occurrences.candidates)
        )
        found = (occurrences.decide(n) for _, n in in_model_order)
        return [occurrence for occurrence in found if occurrence is not None]

    def occurrences(self, text: str) -> Occurrences:
        """The places in text where a phrase may occur, to be decided one by one."""
        candidates = [
            (position, order, phrase)
            for position, first in _starts(self._first_parts, text)
            for order, phrase in self._starting_with[first]
        ]
        return Occurrences(self, text, candidates)

    def occurrence(self, text: _Text, phrase: Phrase, position: int) -> Found | None:
        """The occurrence of phrase at position, if its words are there."""
        if len(phrase.parts) > 1 and self._later_part_missing(text, phrase, position):
            return None
        if (
            len(phrase.parts) == 1
            and not text.segmented(position)
            and self._plainly_whole(text, phrase, position)
        ):
            return Found(phrase, position, position + len(phrase.parts[0]), False)
        tokens, index_at = text.words(position)
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
        dictionary words or single characters, so where no dictionary word of the clause spans
        the phrase's first or last edge, every segmentation has a boundary at both; and where no
        negation cue is a substring of the clause before (after) the phrase, no word there is one.
        Anything else is left to segmenting."""
        start, end = text.clause(position)
        finish = position + len(phrase.parts[0])
        if phrase.exclusion:
            cue_free = True
        else:
            cue_free = not self._cue_before.search(text.text, start, position) and not (
                self._cue_after.search(text.text, finish, end)
            )
        scores = text.scores
        return (
            cue_free
            and not _spanned(text.text, position, start, end, scores)
            and not _spanned(text.text, finish, start, end, scores)
        )

    def cue_in(self, text: str, start: int, end: int) -> bool:
        """Whether a negation cue is a substring of text[start:end]."""
        before = self._cue_before.search(text, start, end)
        return before is not None or self._cue_after.search(text, start, end) is not None

    def _later_part_missing(self, text: _Text, phrase: Phrase, position: int) -> bool:
        """Whether a later part of phrase is nowhere in the rest of its first part's clause:
        then there is no occurrence, and nothing needs segmenting (a shortcut: the words decide
        the same, as they lie within the clause; a gap of MAX_GAP_WORDS words takes any number
        of characters, since a word may be long, a run of Latin letters is one word and spaces
        are none)."""
        after, end = position + len(phrase.parts[0]), text.clause(position)[1]
        return any(text.text.find(part, after, end) < 0 for part in phrase.parts[1:])

    def latest_end(self, text: _Text, phrase: Phrase, position: int) -> int:
        """The furthest an occurrence of phrase at position may end, known without segmenting:
        a phrase of one part where its text does; a longer one where its last part ends at its
        last place in the clause after the first part (its words lie within the clause), or at
        position where there is no such place."""
        after = position + len(phrase.parts[0])
        if len(phrase.parts) == 1:
            return after
        last = phrase.parts[-1]
        begin = text.text.rfind(last, after, text.clause(position)[1])
        return position if begin < 0 else begin + len(last)

    def _negated(self, tokens: list[Token], first: int, last: int) -> bool:
        cues = self._cues
        for word, _, _ in reversed(tokens[max(0, first - CHINESE_WORDS_BEFORE) : first]):
            if word in cues.clause_breaks:
                break
            if word in cues.before:
                return True
        return any(word in cues.after for word, _, _ in tokens[last + 1 : last + 1 + WORDS_AFTER])


class Occurrences:
    """The places in one text where a phrase's first part starts (`candidates`: position, the
    phrase's place in the model's order and phrase, by position and then in the model's order),
    each decided when first asked for: a topic whose earliest occurrence counts needs no
    segmenting of its later ones."""

    def __init__(
        self, finder: ChineseFinder, text: str, candidates: list[tuple[int, int, Phrase]]
    ) -> None:
        self.candidates = candidates
        self._finder, self._text = finder, text
        self._segmented: _Text | None = None
        self._decided: dict[int, Found | None] = {}
        self._positions = [position for position, _, _ in candidates]
        # per topic, (position, candidate number) by position: of its phrases, of its exclusions
        self._phrases_of: dict[str, list[tuple[int, int]]] = {}
        self._exclusions_of: dict[str, list[tuple[int, int]]] = {}
        for n, (position, _, phrase) in enumerate(candidates):
            of = self._exclusions_of if phrase.exclusion else self._phrases_of
            of.setdefault(phrase.topic, []).append((position, n))

    def of_topic(self, topic: str) -> list[tuple[int, int]]:
        """(position, candidate) of topic's phrases (not its exclusions), by position."""
        return self._phrases_of.get(topic, [])

    def decide(self, n: int) -> Found | None:
        """The occurrence of candidate n, or None where its words are not there."""
        if n not in self._decided:
            position, _, phrase = self.candidates[n]
            self._decided[n] = self._finder.occurrence(self._segmented_text(), phrase, position)
        return self._decided[n]

    def end(self, n: int) -> int | None:
        """Where candidate n's occurrence ends if it is there: for a phrase of one part where
        its text does (whole words or a word's end, it ends there), known without deciding it;
        a longer one is decided now (None where it is not there)."""
        position, _, phrase = self.candidates[n]
        if len(phrase.parts) == 1:
            return position + len(phrase.parts[0])
        found = self.decide(n)
        return None if found is None else found.end

    def negated_overlapping(self, hit: Found) -> bool:
        """Whether an occurrence overlapping hit, itself not negated, is negated (deciding
        the places that may be: an occurrence that covers hit's start lies within the clause
        holding it). A phrase of one part that would lie within a Chinese hit is
        left undecided where no negation cue is a substring of hit: its words would be within
        hit's, and the words before (after) them within its reach are either within hit or
        within the reach of hit's own, so none is a cue."""
        start, end = hit.start, hit.end
        cue_free = isinstance(hit.phrase, Phrase) and not self._finder.cue_in(
            self._text, start, end
        )
        text = self._segmented_text()
        for n in self._starting_in(text.clause(start)[0], end):
            position, _, phrase = self.candidates[n]
            latest_end = self._finder.latest_end(text, phrase, position)
            if latest_end <= start:
                continue
            if cue_free and len(phrase.parts) == 1 and start <= position and latest_end <= end:
                continue
            found = self.decide(n)
            if found is not None and found.end > start and found.negated:
                return True
        return False

    def exclusions(self, topic: str, start: int, end: int) -> Iterator[Found]:
        """The occurrences of topic's exclusions that start before end and end at start or
        after (those that may, decided now)."""
        for position, n in self._exclusions_of.get(topic, []):
            phrase = self.candidates[n][2]
            if (
                position < end
                and self._finder.latest_end(self._segmented_text(), phrase, position) >= start
            ):
                found = self.decide(n)
                if found is not None:
                    yield found

    def _segmented_text(self) -> _Text:
        """The text, its clauses segmented on demand (made at the first decision: the many
        texts without a candidate need none)."""
        if self._segmented is None:
            self._segmented = _Text(self._text, self._finder.segmenter)
        return self._segmented

    def _starting_in(self, start: int, end: int) -> range:
        """The candidates whose position is in [start, end)."""
        positions = self._positions
        return range(bisect.bisect_left(positions, start), bisect.bisect_left(positions, end))


_Trie = dict[str, "_Trie"]
_WORD_ENDS = ""  # the key marking, in a trie node, that a word ends there


def _alternation(words: Iterable[str]) -> re.Pattern[str]:
    """One pattern finding any of words, the longest where several start at one place (never
    matching when there are none). It is written as a trie, 数(?:字化(?:转型)?|据), so that the
    regex engine follows one branch per character instead of trying every word in turn."""
    trie: _Trie = {}
    for word in sorted(set(filter(None, words))):
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[_WORD_ENDS] = {}
    return re.compile(_trie_pattern(trie) or "(?!)")


def _trie_pattern(node: _Trie) -> str:
    """The pattern of the words below node. Where a word ends and longer ones go on, the rest
    is optional and greedy (tried first), so the longest word that matches is found."""
    branches = [re.escape(char) + _trie_pattern(child) for char, child in node.items() if char]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    return f"(?:{body})?" if _WORD_ENDS in node else body


def _starts(pattern: re.Pattern[str], text: str) -> Iterator[tuple[int, str]]:
    """Where every match of pattern starts, and what it matched, overlapping ones included
    (finditer skips those that start inside an earlier match). With the alternation of
    _alternation, each is the longest word starting there, and every other word starting
    there is a prefix of it."""
    hit = pattern.search(text)
    while hit is not None:
        position = hit.start()
        yield position, hit.group()
        hit = pattern.search(text, position + 1)


def _spanned(text: str, edge: int, start: int, end: int, scores: dict[str, float]) -> bool:
    """Whether a dictionary word within text[start:end] starts before edge and ends after it.
    scores holds jieba's words and all their prefixes (scored PREFIX), so the search from each
    starting point stops at the first piece that begins no word."""
    for begin in range(edge - 1, start - 1, -1):
        finish = edge + 1
        while finish <= end:
            score = scores.get(text[begin:finish])
            if score is None:
                break
            if score != PREFIX:
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
