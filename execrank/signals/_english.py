"""English phrases: word sequences compared by stem, on word boundaries, within one clause.

A phrase is one or more parts separated by '...'; each part is a run of words that must follow
one another in the text, and a part may start up to MAX_GAP_WORDS words after the previous one
ends ("migrate ... cloud" finds "migrating its ERP to the cloud"). Nothing crosses punctuation.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from execrank.model import GAP
from execrank.signals._negation import ENGLISH_WORDS_BEFORE, WORDS_AFTER, cues
from execrank.signals._text import STEM_CACHE_WORDS, TOKENS, Found, english_words, stem, stems

_MISSING = ""  # stands for "not in the stem cache" (no token has an empty stem)
MAX_GAP_WORDS = 4  # words allowed between two parts of a phrase ("migrate X Y to the cloud")


@dataclass(frozen=True)
class Phrase:
    """A phrase of a topic (or one of its exclusions) as the matcher reads it."""

    topic: str
    text: str
    exclusion: bool
    parts: tuple[tuple[str, ...], ...]


def parse(topic: str, text: str, exclusion: bool) -> Phrase:
    return Phrase(topic, text, exclusion, tuple(stems(part) for part in text.split(GAP)))


# token -> stem, None for tokens that end a clause; a plain dict (cleared when full) is the
# fastest cache for the hot loop
_STEM_OF: dict[str, str | None] = {}


def _token_stem(token: str) -> str | None:
    if len(_STEM_OF) >= STEM_CACHE_WORDS:
        _STEM_OF.clear()
    if token[0].isascii() and token[0].isalnum():
        word = token[:-2] if token.endswith(("'s", "’s")) else token
        _STEM_OF[token] = stem(word)
    else:
        _STEM_OF[token] = None
    return _STEM_OF[token]


class _Tokens:
    """The words of a text with their stems; None stems mark clause ends. Character positions
    are computed only when a phrase was found."""

    def __init__(self, lower: str, words: list[str]) -> None:
        self.lower = lower
        self.words = [w[:-2] if w.endswith(("'s", "’s")) else w for w in words]
        get = _STEM_OF.get
        self.stems = [get(w, _MISSING) for w in words]
        for n, value in enumerate(self.stems):
            if value is _MISSING:
                self.stems[n] = _token_stem(words[n])

    def spans(self, wanted: set[int]) -> dict[int, tuple[int, int]]:
        """Character positions of the wanted tokens (one pass, up to the last one wanted)."""
        found = {}
        for index, token in enumerate(TOKENS.finditer(self.lower)):
            if index in wanted:
                found[index] = token.span()
                if len(found) == len(wanted):
                    break
        return found

    def run_at(self, index: int, part: tuple[str, ...]) -> bool:
        """Whether the words from index on are the stems of part."""
        end = index + len(part)
        return end <= len(self.stems) and tuple(self.stems[index:end]) == part


class EnglishFinder:
    """Finds the phrases of a topic set in lower-case text."""

    def __init__(self, phrases: Iterable[Phrase]) -> None:
        # Each phrase is filed under its rarest-looking word (the longest stem): a text that
        # lacks it cannot hold the phrase, and "to the cloud" is not looked for at every "to".
        self._by_key: dict[str, list[Phrase]] = {}
        for phrase in phrases:
            words = [word for part in phrase.parts for word in part]
            if words:
                self._by_key.setdefault(max(words, key=len), []).append(phrase)
        self._keys = frozenset(self._by_key)
        self._cues = cues()["english"]

    def find(self, lower: str) -> list[Found]:
        # First the stems of the distinct words: most texts lack a word of every phrase.
        get = _STEM_OF.get
        present = {get(w) or _token_stem(w) for w in set(english_words(lower))}
        candidates = [
            phrase
            for key in self._keys.intersection(present)
            for phrase in self._by_key[key]
            if all(word in present for part in phrase.parts for word in part)
        ]
        if not candidates:
            return []
        tokens = _Tokens(lower, TOKENS.findall(lower))
        firsts: dict[str, list[Phrase]] = {}
        for phrase in candidates:
            firsts.setdefault(phrase.parts[0][0], []).append(phrase)
        hits = []
        stems = tokens.stems
        for index in [i for i, stem_ in enumerate(stems) if stem_ in firsts]:
            for phrase in firsts[stems[index]]:  # type: ignore[index]
                last = self._match(tokens, index, phrase)
                if last is not None:
                    negated = not phrase.exclusion and self._negated(tokens, index, last)
                    hits.append((phrase, index, last, negated))
        spans = tokens.spans({i for hit in hits for i in hit[1:3]})
        return [Found(p, spans[first][0], spans[last][1], neg) for p, first, last, neg in hits]

    @staticmethod
    def _match(tokens: _Tokens, index: int, phrase: Phrase) -> int | None:
        """Index of the last word of phrase when it occurs from index on, else None."""
        if not tokens.run_at(index, phrase.parts[0]):
            return None
        last = index + len(phrase.parts[0]) - 1
        for part in phrase.parts[1:]:
            for start in range(last + 1, last + 2 + MAX_GAP_WORDS):
                if start >= len(tokens.stems) or tokens.stems[start] is None:
                    return None
                if tokens.run_at(start, part):
                    last = start + len(part) - 1
                    break
            else:
                return None
        return last

    def _negated(self, tokens: _Tokens, first: int, last: int) -> bool:
        return self._cue_before(tokens, first) or self._cue_after(tokens, last)

    def _cue_before(self, tokens: _Tokens, first: int) -> bool:
        """A cue up to ENGLISH_WORDS_BEFORE words before first, or a clause-wide one (deny)
        anywhere before it, in its clause."""
        cues, words = self._cues, tokens.words
        for index in range(first - 1, -1, -1):
            word = words[index]
            if tokens.stems[index] is None or word in cues.clause_breaks:
                return False
            if word in cues.before_in_clause:
                return True
            if index < first - ENGLISH_WORDS_BEFORE:
                continue
            following = words[index + 1]
            if (word in cues.before or word.endswith(("n't", "n’t"))) and (
                following not in cues.not_negating_next
            ):
                return True
            if index + 1 < first and (word, following) in cues.before_pairs:
                return True
        return False

    def _cue_after(self, tokens: _Tokens, last: int) -> bool:
        words = tokens.words
        for index in range(last + 1, min(len(words), last + 1 + WORDS_AFTER)):
            if tokens.stems[index] is None:
                return False
            if words[index] in self._cues.after:
                return True
        return False
