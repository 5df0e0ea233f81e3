"""Text helpers shared by the matchers: English words and their stems, sentences, snippets.

English words are compared by stem, so that one phrase covers its inflections: "transform",
"transforms", "transformed", "transforming" and "transformation" share the stem "transform";
"migrate", "migrating" and "migration" share "migr". The stemmer is a short list of suffix rules,
not a linguistic one: it only has to give the same stem to the forms of one word, and keep apart
words of different meaning ("transformer" keeps its "-er", "automatic" is not "automate").
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Protocol

SNIPPET_CONTEXT_CHARS = 60  # characters kept on each side of a match in the evidence snippet
MIN_STEM_CHARS = 3  # a suffix is removed only when at least this much of the word remains
STEM_CACHE_WORDS = 200_000  # distinct words whose stems are remembered

CJK_CHARS = "\u3400-\u9fff"
_CJK = re.compile(f"[{CJK_CHARS}]")
WORDS = re.compile(r"[a-z0-9]+")
# Word tokens (lower case) and the marks that end a clause: punctuation, and runs of Chinese
# characters (English words on both sides of Chinese text are not one phrase).
TOKENS = re.compile(
    rf"[a-z0-9]+(?:['’][a-z]+)*|[.;:!?,()\[\]\"“”…|•·，。；！？：（）「」、]|\n|[{CJK_CHARS}]+"
)
# bytes.translate table: every byte but a-z and 0-9 becomes a space (see english_words)
_ONLY_WORDS = bytes(
    b if chr(b).isascii() and (chr(b).islower() or chr(b).isdigit()) else ord(" ")
    for b in range(256)
)
_SENTENCE_END = re.compile(r"[。！？!?；;\n]|\.(?=\s|$)")

# (suffix, replacement), longest first; the first that applies is used, once.
_SUFFIXES = sorted(
    [
        ("izations", "iz"), ("ization", "iz"), ("izing", "iz"), ("ized", "iz"),
        ("izes", "iz"), ("ize", "iz"),
        ("ations", ""), ("ation", ""), ("ating", ""), ("ated", ""), ("ates", ""), ("ate", ""),
        ("uctions", "uc"), ("uction", "uc"),
        ("ings", ""), ("ing", ""), ("ies", "y"), ("ied", "y"), ("ed", ""), ("es", ""),
        ("s", ""), ("e", ""),
    ],
    key=lambda rule: -len(rule[0]),
)  # fmt: skip
_BRITISH = re.compile(r"is(ations?|ing|ed|es|e)$")  # digitise, digitisation -> digitize...
_DOUBLED = re.compile(r"([bdgmnprt])\1$")  # planning -> plann -> plan
_KEEP_FINAL_S = ("ss", "us", "is")  # process, status, analysis


@lru_cache(maxsize=STEM_CACHE_WORDS)
def stem(word: str) -> str:
    """The stem of a lower-case English word (see the module doc)."""
    if len(word) > 5:
        word = _BRITISH.sub(r"iz\1", word)
    for suffix, replacement in _SUFFIXES:
        if not word.endswith(suffix):
            continue
        if suffix == "s" and word.endswith(_KEEP_FINAL_S):
            continue
        base = word[: -len(suffix)]
        if len(base) + len(replacement) < MIN_STEM_CHARS:
            continue
        if replacement == "" and suffix[0] in "aei":
            base = _DOUBLED.sub(r"\1", base)
        return base + replacement
    return word


def stems(text: str) -> tuple[str, ...]:
    """The stems of the English words of a phrase (hyphens and spaces alike)."""
    return tuple(stem(word) for word in WORDS.findall(text.lower()))


def english_words(lower: str) -> list[str]:
    """The runs of a-z and 0-9 in lower-case text, as WORDS.findall would find them, in C:
    other characters (non-ASCII ones become '?' first) are separators."""
    return lower.encode("ascii", "replace").translate(_ONLY_WORDS).decode("ascii").split()


def has_cjk(text: str) -> bool:
    return _CJK.search(text) is not None


def snippet(text: str, start: int, end: int) -> str:
    """The match with up to SNIPPET_CONTEXT_CHARS around it, on one line, '…' where cut."""
    left = max(0, start - SNIPPET_CONTEXT_CHARS)
    right = min(len(text), end + SNIPPET_CONTEXT_CHARS)
    core = " ".join(text[left:right].split())
    return ("…" if left > 0 else "") + core + ("…" if right < len(text) else "")


class Sentences:
    """Which sentence of a text a character position falls in."""

    def __init__(self, text: str) -> None:
        self._ends = [m.end() for m in _SENTENCE_END.finditer(text)]

    def index(self, position: int) -> int:
        return bisect.bisect_right(self._ends, position)


class PhraseLike(Protocol):
    """What the matchers share of a parsed phrase (each language parses its own parts)."""

    @property
    def topic(self) -> str: ...
    @property
    def text(self) -> str: ...
    @property
    def exclusion(self) -> bool: ...


@dataclass(frozen=True)
class Found:
    """One occurrence of a phrase: character span and whether a negation cue governs it."""

    phrase: PhraseLike
    start: int
    end: int
    negated: bool
