"""Reading a job title: normalised text, tokens, clauses, and every vocabulary match in it.

1. normalise: NFKC, lower case, traditional Chinese folded to simplified, Unicode dashes to "-",
   "c.e.o." -> "ceo",
   single spaces;
2. cut into tokens (runs of Latin letters and digits, single other characters, each with the
   space before it), expanding the abbreviations; the employer after "@" / " at " is replaced by
   a separator;
3. walk the vocabulary trie (see ``_vocabulary``) from every token: every role and keyword match,
   of which the longest are kept ("vice president" over "president"), and hints of the rarer rules
   the title needs (a former/acting marker, a unit name);
4. when the classifier asks for them, cut into clauses at separators ("|", ",", "/", "&", "and",
   "兼", "、", " - "...).

This runs for every title of every import, so it is written for speed: plain tuples and lists,
string methods rather than regular expressions where they do the same, and no work for what a
title does not have (most titles need no clauses: one role that names its function).
"""

from __future__ import annotations

import re
import unicodedata
from itertools import accumulate

from execrank.titles._vocabulary import (
    HINT_BITS,
    KEYWORD,
    MARKER,
    ROLE,
    TOKEN,
    UNIT_NAME,
    Terminal,
    Vocabulary,
)

# Real titles are short (LinkedIn headlines stop at 220 characters); the rest is ignored.
MAX_TITLE_CHARS = 256

_DOTTED_ACRONYM = re.compile(r"(?<![a-z0-9])(?:[a-z]\.)+[a-z](?![a-z0-9])\.?")
_EMPLOYER = re.compile(r"(?:@|(?<![a-z0-9])at(?![a-z0-9-])(?! large\b))[^|;,/()]*")
_EMPLOYER_TOKENS = frozenset({"@", " @", "at", " at"})
# Separators: soft ones may introduce a qualifier of the role before them ("GM - Southwest
# Denver"); hard ones start another role ("EVP & CFO", "董事长兼总经理"). Besides these marks, a
# dash next to a space is soft, and "and" and "&" are hard ("R&D" and "M&A" are words).
_SOFT_SEPARATORS = frozenset(",:(")
_SEPARATORS = _SOFT_SEPARATORS | frozenset("|;/)[]+、兼")
_DASHES = frozenset("-")  # en and em dashes are "-" once normalised
_MARKS = _SEPARATORS | _DASHES | {"and", "&"}  # may separate clauses
_CLAUSE_TOKENS = _MARKS | {" " + mark for mark in _MARKS}  # with the space before, if any

# A clause of the normalised title: (start, end, soft). Soft clauses follow a comma, colon, dash
# or "(": they may qualify the role before them.
Clause = tuple[int, int, bool]
# A vocabulary match: (start, end, index of its role entry or keyword group).
Match = tuple[int, int, int]
# A match as found, ready to be sorted longest first: (start - end, index, start, end).
_Candidate = tuple[int, int, int, int]
# A hint: (its bits, where it starts).
_Hint = tuple[int, int]
# Role candidates, keyword candidates, hints.
_Found = tuple[list[_Candidate], list[_Candidate], list[_Hint]]
_MARKER_BIT, _UNIT_NAME_BIT = HINT_BITS[MARKER], HINT_BITS[UNIT_NAME]


class Reading:
    """A title as read: its normalised text, role and keyword matches (the longest, in order),
    where it may hold a former/acting marker, whether it may hold a unit name, and its clauses."""

    __slots__ = (
        "_clause_ends",
        "_clauses",
        "_tokens",
        "has_unit_names",
        "keywords",
        "markers",
        "roles",
        "text",
    )

    def __init__(self, text: str, tokens: list[str], found: _Found) -> None:
        self.text = text
        self._tokens = tokens
        roles, keywords, hints = found
        self.roles = _longest(roles)
        self.keywords = _longest(keywords)
        # Where a former/acting marker may start; whether a unit name may follow a role.
        self.markers: list[int] = (
            [start for bits, start in hints if bits & _MARKER_BIT] if hints else []
        )
        self.has_unit_names = any(bits & _UNIT_NAME_BIT for bits, _ in hints) if hints else False
        self._clauses: list[Clause] | None = None
        self._clause_ends: list[int] = []

    @property
    def clauses(self) -> list[Clause]:
        """The clauses, cut when first asked for."""
        if self._clauses is None:
            self._cut()
        return self._clauses  # type: ignore[return-value]  # set by _cut

    @property
    def clause_ends(self) -> list[int]:
        """For bisect: the clause of a position; empty when there is one clause."""
        if self._clauses is None:
            self._cut()
        return self._clause_ends

    def _cut(self) -> None:
        tokens = self._tokens
        if _CLAUSE_TOKENS.isdisjoint(tokens):
            self._clauses = [(0, len(self.text), False)]
            return
        separators = [index for index, token in enumerate(tokens) if token in _CLAUSE_TOKENS]
        offsets = list(accumulate(map(len, tokens), initial=0))
        self._clauses = _clauses(tokens, offsets, separators)
        if len(self._clauses) > 1:
            self._clause_ends = [end for _, end, _ in self._clauses]


def read(title: str, vocabulary: Vocabulary) -> Reading:
    """Normalise, tokenise (abbreviations expanded, employer dropped) and scan a title."""
    text = _normalize(title, vocabulary)
    tokens, text = _tokens(text, vocabulary)
    if not _EMPLOYER_TOKENS.isdisjoint(tokens):
        tokens, text = _tokens(_without_employer(text), vocabulary)
    return Reading(text, tokens, _scan(text, tokens, vocabulary))


def _undot(match: re.Match[str]) -> str:
    return match.group(0).replace(".", "")


# Unicode hyphens and dashes NFKC keeps (hyphen, figure dash, en and em dash, horizontal bar,
# minus sign) read as "-": "ex–CFO" is "ex-cfo", a former CFO.
_TO_HYPHEN = str.maketrans(dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2212", "-"))


def _normalize(title: str, vocabulary: Vocabulary) -> str:
    """Lower case (NFKC and casefold beyond ASCII), simplified Chinese, dashes as "-", single
    spaces."""
    text = title[:MAX_TITLE_CHARS]
    if text.isascii():  # NFKC leaves ASCII alone, and casefold is lower there
        text = text.lower()
    else:
        text = unicodedata.normalize("NFKC", text).casefold()
        text = text.translate(vocabulary.traditional).translate(_TO_HYPHEN).replace("’", "'")
    if "." in text:
        text = _DOTTED_ACRONYM.sub(_undot, text).replace(".", " ")
    # Whitespace other than the space is not printable: most titles are single-spaced already.
    if "  " in text or not text.isprintable() or text[:1] == " " or text[-1:] == " ":
        text = " ".join(text.split())
    return text


def _without_employer(text: str) -> str:
    """The employer after "@" or " at " replaced by a separator."""
    return " ".join(_EMPLOYER.sub(" | ", text).split())


def _tokens(text: str, vocabulary: Vocabulary) -> tuple[list[str], str]:
    """The title's tokens (see _vocabulary), with the abbreviations expanded; and the text they
    make up."""
    if text.isascii() or " " in text or text.encode("ascii", "ignore"):
        tokens = TOKEN.findall(text)
    else:  # Chinese: a token per character
        tokens = list(text)
    if vocabulary.abbreviation_starts.isdisjoint(tokens):  # most titles
        return tokens, text
    tokens = _expand(tokens, vocabulary)
    return tokens, "".join(tokens)


def _expand(tokens: list[str], vocabulary: Vocabulary) -> list[str]:
    """Expand the abbreviations of several tokens ("biz dev", "董秘"), longest first, and of one."""
    expanded: list[str] = []
    index = 0
    while index < len(tokens):
        for key, expansion in vocabulary.abbreviation_phrases.get(tokens[index], []):
            if tuple(tokens[index : index + len(key)]) == key:
                expanded.extend(expansion)
                index += len(key)
                break
        else:
            expanded.extend(vocabulary.abbreviations.get(tokens[index], [tokens[index]]))
            index += 1
    return expanded


def _scan(text: str, tokens: list[str], vocabulary: Vocabulary) -> _Found:
    """Walk the trie from every token: every role and keyword match (a role entry or keyword
    group may match at one start several times: the longest counts), and the hint bits."""
    roles: list[_Candidate] = []
    keywords: list[_Candidate] = []
    hints: list[_Hint] = []
    if vocabulary.by_character:
        _scan_characters(text, tokens, vocabulary.by_character, (roles, keywords, hints))
    trie = vocabulary.trie
    count = len(tokens)
    offset = 0  # where the token starts
    for first, token in enumerate(tokens):
        node = trie.get(token)
        if node is None:
            offset += len(token)
            continue
        start = offset + (token[0] == " ")
        offset = end = offset + len(token)
        index = first + 1
        while True:
            terminals = node.get("")
            if terminals is not None:
                exact_roles, exact_keywords, hint_bits, checked = terminals
                for entry in exact_roles:
                    roles.append((start - end, entry, start, end))
                for entry in exact_keywords:
                    keywords.append((start - end, entry, start, end))
                if hint_bits:
                    hints.append((hint_bits, start))
                if checked:
                    _check(text, start, checked, (roles, keywords, hints))
            if index == count:
                break
            following = tokens[index]
            node = node.get(following)
            if node is None:
                break
            end += len(following)
            index += 1
    return roles, keywords, hints


def _check(text: str, start: int, terminals: tuple[Terminal, ...], found: _Found) -> None:
    """Match the fragments that the walk found a prefix of."""
    roles, keywords, hints = found
    for kind, index, pattern in terminals:
        match = pattern.match(text, start) if pattern is not None else None
        if match is None or match.end() == start:
            continue
        if kind == ROLE:
            roles.append((start - match.end(), index, start, match.end()))
        elif kind == KEYWORD:
            keywords.append((start - match.end(), index, start, match.end()))
        else:
            hints.append((HINT_BITS[kind], start))


def _scan_characters(
    text: str, tokens: list[str], by_character: dict[str, list[Terminal]], found: _Found
) -> None:
    """The fragments whose matches may start inside a token, tried at each token start."""
    offset = 0
    for token in tokens:
        spaced = token[0] == " "
        terminals = by_character.get(token[spaced])
        if terminals:
            _check(text, offset + spaced, tuple(terminals), found)
        offset += len(token)


def _longest(candidates: list[_Candidate]) -> list[Match]:
    """Non-overlapping matches, the longest first, in order; equal lengths go to the earlier
    entry. A role entry or keyword group that matches several times at one start counts with its
    longest match."""
    if len(candidates) < 2:
        if not candidates:
            return []
        _, index, start, end = candidates[0]
        return [(start, end, index)]
    candidates.sort()
    chosen: list[Match] = []
    seen: set[tuple[int, int]] = set()
    for _, index, start, end in candidates:
        if (index, start) in seen:
            continue
        seen.add((index, start))
        for other_start, other_end, _ in chosen:
            if start < other_end and end > other_start:
                break
        else:
            chosen.append((start, end, index))
    chosen.sort()
    return chosen


# ---- clauses ----------------------------------------------------------------------------------


def _clauses(tokens: list[str], offsets: list[int], candidates: list[int]) -> list[Clause]:
    """Cut at separators: ',', ':', '(' and a dash by a space are soft, the others hard.

    ``candidates`` are the indices of the tokens that may be separators, in order. Positions are
    in characters: a separator starts at its mark, or at the space before a dash.
    """
    clauses: list[Clause] = []
    start, soft, consumed, count = 0, False, 0, len(tokens)
    for index in candidates:
        token = tokens[index]
        spaced = token[0] == " "
        mark_at = offsets[index] + spaced
        if mark_at < consumed:  # in a run of dashes already read
            continue
        mark = token[spaced:]
        end = offsets[index + 1]
        separator_soft = mark in _SOFT_SEPARATORS
        if mark in _DASHES:
            following = index + 1
            while following < count and tokens[following] in _DASHES:
                following += 1
            end = offsets[following]
            if spaced and offsets[index] >= consumed:  # " -": from the space
                mark_at -= 1
            elif following < count and tokens[following][0] == " ":  # "- ": to after the space
                end += 1
            else:  # a hyphen inside a word: "co-founder"
                consumed = end
                continue
            separator_soft = True
        elif token == "&" and _joins_letters(tokens, index):
            continue
        clauses.append((start, mark_at, soft))
        start, soft, consumed = end, separator_soft, end
    clauses.append((start, offsets[count], soft))
    return clauses


def _joins_letters(tokens: list[str], index: int) -> bool:
    """True for the "&" of "R&D" and "M&A" (no space before it): a word of one letter on each
    side."""
    before = tokens[index - 1].lstrip(" ") if index > 0 else ""
    after = tokens[index + 1] if index + 1 < len(tokens) else ""
    return (
        len(before) == 1
        and "a" <= before <= "z"
        and (index < 2 or tokens[index - 1][0] == " " or not _is_word(tokens[index - 2]))
        and len(after) == 1
        and "a" <= after <= "z"
        and (
            index + 2 >= len(tokens)
            or tokens[index + 2][0] == " "
            or not _is_word(tokens[index + 2])
        )
    )


def _is_word(token: str) -> bool:
    """True for a word character, which would make the letter next to it part of a longer word."""
    token = token.lstrip(" ")
    return token.isalnum() or token == "_"
