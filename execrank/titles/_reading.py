"""Reading a job title: normalised text, tokens, clauses, and every vocabulary match in it.

1. normalise: NFKC, lower case, traditional Chinese folded to simplified, "c.e.o." -> "ceo",
   single spaces;
2. cut into tokens (runs of Latin letters and digits, single other characters), expanding the
   abbreviations; the employer after "@" / " at " is replaced by a separator;
3. walk the vocabulary trie (see ``_vocabulary``) from every token: every role and keyword match,
   of which the longest are kept ("vice president" over "president"), and hints of the rarer rules
   the title needs (a former/acting marker, a unit name);
4. cut into clauses at separators ("|", ",", "/", "&", "and", "兼", "、", " - "...).

This runs for every title of every import, so it is written for speed: plain tuples and lists,
string methods rather than regular expressions where they do the same, and no work for what a
title does not have.
"""

from __future__ import annotations

import re
import unicodedata

from execrank.titles._vocabulary import (
    KEYWORD,
    MARKER,
    ROLE,
    TOKEN,
    Terminal,
    Vocabulary,
)

# Real titles are short (LinkedIn headlines stop at 220 characters); the rest is ignored.
MAX_TITLE_CHARS = 256

_DOTTED_ACRONYM = re.compile(r"(?<![a-z0-9])(?:[a-z]\.)+[a-z](?![a-z0-9])\.?")
_EMPLOYER = re.compile(r"(?:@|(?<![a-z0-9])at(?![a-z0-9-])(?! large\b))[^|;,/()]*")
# Separators: soft ones may introduce a qualifier of the role before them ("GM - Southwest
# Denver"); hard ones start another role ("EVP & CFO", "董事长兼总经理"). Besides these tokens,
# a dash next to a space is soft, and "and" and "&" are hard ("R&D" and "M&A" are words).
_SOFT_SEPARATOR_TOKENS = frozenset(",:(")
_SEPARATOR_TOKENS = _SOFT_SEPARATOR_TOKENS | frozenset("|;/)[]+、兼")
_DASHES = frozenset("-–—")
_CLAUSE_TOKENS = _SEPARATOR_TOKENS | _DASHES | {"and", "&"}  # may separate clauses

# A clause of the normalised title: (start, end, soft). Soft clauses follow a comma, colon, dash
# or "(": they may qualify the role before them.
Clause = tuple[int, int, bool]
# A vocabulary match: (start, end, index of its role entry or keyword group).
Match = tuple[int, int, int]
# (kind, index, start) -> end of the longest match of a role entry, keyword group or hint.
_Found = dict[tuple[int, int, int], int]


class Reading:
    """A title as read: its normalised text, clauses, role and keyword matches (the longest,
    in order) and whether it may hold a former/acting marker or a unit name."""

    __slots__ = (
        "clause_ends",
        "clauses",
        "has_markers",
        "has_unit_names",
        "keywords",
        "roles",
        "text",
    )

    def __init__(self, text: str, clauses: list[Clause], found: _Found) -> None:
        self.text = text
        self.clauses = clauses
        # For bisect: the clause of a position; empty when there is one clause.
        self.clause_ends = [end for _, end, _ in clauses] if len(clauses) > 1 else []
        roles: list[tuple[int, int, int, int]] = []
        keywords: list[tuple[int, int, int, int]] = []
        self.has_markers = self.has_unit_names = False
        for (kind, index, start), end in found.items():
            if kind == ROLE:
                roles.append((start - end, index, start, end))
            elif kind == KEYWORD:
                keywords.append((start - end, index, start, end))
            elif kind == MARKER:
                self.has_markers = True
            else:
                self.has_unit_names = True
        self.roles = _longest(roles)
        self.keywords = _longest(keywords)


def read(title: str, vocabulary: Vocabulary) -> Reading:
    """Normalise, tokenise (abbreviations expanded, employer dropped), scan and cut a title."""
    text = _normalize(title, vocabulary)
    tokens, text = _tokens(text, vocabulary)
    if "@" in tokens or "at" in tokens:
        tokens, text = _tokens(_without_employer(text), vocabulary)
    found, offsets, separators = _scan(text, tokens, vocabulary)
    clauses = _clauses(tokens, offsets, separators) if separators else [(0, len(text), False)]
    return Reading(text, clauses, found)


def _undot(match: re.Match[str]) -> str:
    return match.group(0).replace(".", "")


def _normalize(title: str, vocabulary: Vocabulary) -> str:
    """Lower case (NFKC and casefold beyond ASCII), simplified Chinese, single spaces."""
    text = title[:MAX_TITLE_CHARS]
    if text.isascii():  # NFKC leaves ASCII alone, and casefold is lower there
        text = text.lower()
    else:
        text = unicodedata.normalize("NFKC", text).casefold()
        text = text.translate(vocabulary.traditional).replace("’", "'")
    if "." in text:
        text = _DOTTED_ACRONYM.sub(_undot, text).replace(".", " ")
    return " ".join(text.split())


def _without_employer(text: str) -> str:
    """The employer after "@" or " at " replaced by a separator."""
    return " ".join(_EMPLOYER.sub(" | ", text).split())


def _clauses(tokens: list[str], offsets: list[int], candidates: list[int]) -> list[Clause]:
    """Cut at separators: ',', ':', '(' and a dash by a space are soft, the others hard.

    ``candidates`` are the indices of the tokens that may be separators, in order.
    """
    clauses: list[Clause] = []
    start, soft, consumed, count = 0, False, 0, len(tokens)
    for index in candidates:
        if index < consumed:  # in a run of dashes already read
            continue
        token = tokens[index]
        end = index + 1
        separator_soft = token in _SOFT_SEPARATOR_TOKENS
        if token in _DASHES:
            while end < count and tokens[end] in _DASHES:
                end += 1
            if index > consumed and tokens[index - 1] == " ":  # " -"
                index -= 1
            elif end < count and tokens[end] == " ":  # "- "
                end += 1
            else:  # a hyphen inside a word: "co-founder"
                consumed = end
                continue
            separator_soft = True
        elif token == "&" and _joins_letters(tokens, index):
            continue
        clauses.append((start, offsets[index], soft))
        start, soft, consumed = offsets[end], separator_soft, end
    clauses.append((start, offsets[count], soft))
    return clauses


def _joins_letters(tokens: list[str], index: int) -> bool:
    """True for the "&" of "R&D" and "M&A": a word of one letter on each side."""
    before = tokens[index - 1] if index > 0 else ""
    after = tokens[index + 1] if index + 1 < len(tokens) else ""
    return (
        len(before) == 1
        and "a" <= before <= "z"
        and (index < 2 or not _is_word_character(tokens[index - 2]))
        and len(after) == 1
        and "a" <= after <= "z"
        and (index + 2 >= len(tokens) or not _is_word_character(tokens[index + 2]))
    )


def _is_word_character(token: str) -> bool:
    return token.isalnum() or token == "_"


def _tokens(text: str, vocabulary: Vocabulary) -> tuple[list[str], str]:
    """The title's tokens (see _vocabulary): words split at spaces, and then at marks, with the
    abbreviations expanded; and the text they make up."""
    tokens: list[str] = []
    append = tokens.append
    expanded = False
    abbreviations, phrases = vocabulary.abbreviations, vocabulary.abbreviation_phrases
    for chunk in text.split(" "):
        if tokens:
            append(" ")
        if chunk.isascii() and chunk.isalnum():  # most: a plain word
            if chunk in abbreviations and chunk not in phrases:
                tokens += abbreviations[chunk]
                expanded = True
            else:
                append(chunk)
            continue
        if not chunk.isascii() and not chunk.encode("ascii", "ignore"):
            tokens += chunk  # Chinese: a token per character
            continue
        for part in TOKEN.findall(chunk):
            if part in abbreviations and part not in phrases:
                tokens += abbreviations[part]
                expanded = True
            else:
                append(part)
    if phrases and not phrases.keys().isdisjoint(tokens):
        tokens, expanded = _expand_phrases(tokens, vocabulary), True
    return tokens, "".join(tokens) if expanded else text


def _expand_phrases(tokens: list[str], vocabulary: Vocabulary) -> list[str]:
    """Expand abbreviations of several tokens ("biz dev", "董秘"), longest first, and the
    one-token abbreviations that start one of them."""
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


def _scan(
    text: str, tokens: list[str], vocabulary: Vocabulary
) -> tuple[_Found, list[int], list[int]]:
    """Walk the trie from every token: every match of every fragment, the longest kept. Also the
    offsets of the tokens (and the text's length after them) and the tokens that may separate
    clauses."""
    found: _Found = {}
    offsets: list[int] = []
    separators: list[int] = []
    trie, by_character = vocabulary.trie, vocabulary.by_character
    count = len(tokens)
    offset = 0
    for first, token in enumerate(tokens):
        offsets.append(offset)
        if token == " ":
            offset += 1
            continue
        if token in _CLAUSE_TOKENS:
            separators.append(first)
        if by_character and token[0] in by_character:
            _ends(text, offset, offset, by_character[token[0]], found)
        node = trie.get(token)
        end = offset = offset + len(token)
        index = first + 1
        while node is not None:
            terminals = node.get("")
            if terminals is not None:
                _ends(text, offsets[first], end, terminals, found)
            if index == count:
                break
            node = node.get(tokens[index])
            end += len(tokens[index])
            index += 1
    offsets.append(offset)
    return found, offsets, separators


def _ends(text: str, start: int, end: int, terminals: list[Terminal], found: _Found) -> None:
    """Record the matches that the walk from start reports at end."""
    for kind, index, pattern in terminals:
        match_end = end
        if pattern is not None:
            match = pattern.match(text, start)
            if match is None or match.end() == start:
                continue
            match_end = match.end()
        key = (kind, index, start)
        if found.get(key, -1) < match_end:
            found[key] = match_end


def _longest(candidates: list[tuple[int, int, int, int]]) -> list[Match]:
    """Non-overlapping matches, the longest first; equal lengths go to the earlier entry."""
    if len(candidates) == 1:
        _, index, start, end = candidates[0]
        return [(start, end, index)]
    candidates.sort()
    chosen: list[Match] = []
    for _, index, start, end in candidates:
        for other_start, other_end, _ in chosen:
            if start < other_end and end > other_start:
                break
        else:
            chosen.append((start, end, index))
    chosen.sort()
    return chosen
