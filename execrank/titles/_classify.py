"""Classify one job title into seniority, function, flags and a confidence.

How a title is classified, once read (see ``_reading``):

1. a role followed by a unit name ("CEO Office", "总经理办公室") names a unit, not the person's
   role, and is dropped;
2. roles are marked former/acting when a marker qualifies them, and company-top roles that head
   a unit are demoted ("GM, Iberia", "分公司总经理");
3. the highest current role gives the seniority, and the function: its own, else that of the
   nearest keyword (its clause, then the clauses after it, then before it).

Everything is pure and deterministic; the vocabularies are read once per process. This runs for
every title of every import: roles are plain tuples, and what a title does not need (markers,
unit heads, keywords when the role names its function) costs nothing.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass
from typing import Final

# The scoring model owns the vocabulary of seniorities (highest first) and functions.
from execrank.model import SENIORITIES
from execrank.titles._reading import Clause, Match, Reading, read
from execrank.titles._vocabulary import CJK, FLAGS, Vocabulary, vocabulary

__all__ = ["CLASSIFIER_VERSION", "FLAGS", "TitleInfo", "classify"]

CLASSIFIER_VERSION = "titles-5"

CONFIDENCE_EMPTY = 0.0  # no letters or digits at all (after removing the employer)
CONFIDENCE_UNKNOWN = 0.1  # text, but no role word and no function keyword
CONFIDENCE_FUNCTION_ONLY = 0.4  # a function keyword only: "staff" is a guess
CONFIDENCE_ROLE_ONLY = 0.7  # a role word, but no function
CONFIDENCE_UNDERSTOOD = 0.95  # a role word and its function

_RANK: dict[str, int] = {seniority: rank for rank, seniority in enumerate(SENIORITIES)}
_WORD = re.compile(f"[a-z0-9]+|[{CJK}]+")
_ANY_WORD = re.compile(r"\w")
_NO_FLAGS: frozenset[str] = frozenset()
_ROLE_FLAGS = frozenset({"founder", "assistant"})  # whichever role has them
# from the roles ranking as the top one: "Director (former Chairman)" is no chair
_STATUS_FLAGS = frozenset({"former", "acting", "chair"})


@dataclass(frozen=True)
class TitleInfo:
    """What a job title says about its holder.

    ``seniority`` is one of SENIORITIES, ``function`` one of FUNCTIONS, ``flags`` a sorted subset
    of FLAGS and ``confidence`` is in [0, 1], below 0.5 when the title was not understood.
    """

    seniority: str
    function: str
    flags: tuple[str, ...]
    confidence: float


# A role found in the title, ordered so that the smallest is the top role: current roles before
# former ones, then by seniority; at equal seniority a primary role before a secondary one, a role
# naming its function before one that does not, then the first (no two roles share a start).
# (former, rank, secondary, unnamed, start, end, entry index, flags)
_Role = tuple[bool, int, bool, bool, int, int, int, frozenset[str]]
_FORMER: Final = 0
_RANK_OF: Final = 1
_UNNAMED: Final = 3
_START: Final = 4
_END: Final = 5
_ENTRY: Final = 6
_FLAGS: Final = 7


# ---- roles ------------------------------------------------------------------------------------


def _function_words_start(reading: Reading, start: int, clause: Clause) -> int:
    """Where the function keywords right before a role start ("原财务总监": 财务), else the role's
    start: a marker before them qualifies the role, as one touching it does."""
    text = reading.text
    for keyword_start, keyword_end, _ in reversed(reading.keywords):
        if keyword_end < start - 1 or keyword_start < clause[0]:
            break
        if keyword_end == start or (keyword_end == start - 1 and text[keyword_end] == " "):
            start = keyword_start
    return start


def _marker_flags(
    reading: Reading, start: int, end: int, clause: Clause, words: Vocabulary
) -> set[str]:
    text = reading.text
    before, after = text[clause[0] : start], text[end : clause[1]]
    words_start = _function_words_start(reading, start, clause)
    before_words = text[clause[0] : words_start] if words_start < start else None
    return {
        flag
        for flag, markers in words.markers.items()
        if markers.before.search(before)
        or (before_words is not None and markers.before.search(before_words))
        or markers.after.search(after)
    }


def _alone_flags(reading: Reading, words: Vocabulary) -> set[str]:
    """Flags of clauses made of markers only: "CEO (retired)", "CFO - Interim"."""
    text, clauses = reading.text, reading.clauses
    marked = [clauses[index] for index in sorted({_clause(reading, m) for m in reading.markers})]
    return {
        flag
        for flag, markers in words.markers.items()
        for start, end, _ in marked
        if markers.alone.match(text[start:end])
    }


def _is_unit_head(reading: Reading, found: list[Match], match: Match, words: Vocabulary) -> bool:
    """True when a company-top role is qualified by a unit: "GM, Iberia", "分公司总经理".
    ``found`` are all the roles of the title: a qualifier clause holding one does not count."""
    text, clauses = reading.text, reading.clauses
    clause = _clause(reading, match[0])
    clause_start, clause_end, _ = clauses[clause]
    around = text[clause_start : match[0]] + " " + text[match[1] : clause_end]
    if any(word not in words.unit_ignore for word in _WORD.findall(around)):
        return True
    following = [
        (index, later)
        for index, later in enumerate(clauses)
        if index > clause and _WORD.search(text, later[0], later[1])
    ]
    if not following or not following[0][1][2]:
        return False
    if following[0][0] in {_clause(reading, start) for start, _, _ in found}:
        return False
    qualifier = text[following[0][1][0] : following[0][1][1]]
    return not any(markers.alone.match(qualifier) for markers in words.markers.values())


def _clause(reading: Reading, position: int) -> int:
    """The index of the clause holding a position."""
    ends = reading.clause_ends
    return bisect_left(ends, position) if ends else 0


def _roles(reading: Reading, found: list[Match], words: Vocabulary) -> list[_Role]:
    """The roles found, each with its flags and seniority (a unit head's, if it is one)."""
    markers = reading.markers
    alone = _alone_flags(reading, words) if markers else _NO_FLAGS
    roles = []
    for match in found:
        start, end, index = match
        entry = words.roles[index]
        flags = words.role_flags[index]
        if markers:
            clause = reading.clauses[_clause(reading, start)]
            flags = flags | alone
            if any(clause[0] <= marker < clause[1] for marker in markers):
                flags = flags | _marker_flags(reading, start, end, clause, words)
        seniority, unnamed = entry.seniority, entry.function is None
        if entry.unit_seniority is not None and _is_unit_head(reading, found, match, words):
            seniority, unnamed = entry.unit_seniority, True
        former = "former" in flags
        roles.append((former, _RANK[seniority], entry.secondary, unnamed, start, end, index, flags))
    return roles


# ---- function, flags --------------------------------------------------------------------------


def _keywords(keywords: list[Match], roles: list[_Role]) -> list[Match]:
    """The keywords, leaving out those naming an assistant's principal ("to the VP Sales")."""
    principals = [(role[_START], role[_END]) for role in roles if "assistant" in role[_FLAGS]]
    return [
        keyword
        for keyword in keywords
        if not any(low <= keyword[0] and keyword[1] <= high for low, high in principals)
    ]


def _search_order(start: int, count: int, peers: set[int]) -> list[int]:
    """The role's clause, the clauses after it, then the clauses before it (nearest first),
    never crossing a clause that holds another role at least as senior ("EVP & CFO")."""
    order = [start]
    for step in (1, -1):
        index = start + step
        while 0 <= index < count and index not in peers:
            order.append(index)
            index += step
    return order


def _nearest_keyword(
    top: _Role, roles: list[_Role], keywords: list[Match], reading: Reading
) -> int:
    """The keyword group of the keyword nearest the top role (see _search_order), or -1."""
    if len(roles) == 1 and (len(keywords) == 1 or keywords[0][0] >= top[_START]):
        # Without another role every clause is searched: a lone keyword is found, and when they
        # all follow the role, the first is in the nearest clause.
        return keywords[0][2]
    ends = reading.clause_ends
    if not ends:
        return keywords[0][2]
    peers = {
        bisect_left(ends, role[_START])
        for role in roles
        if role is not top and role[_RANK_OF] <= top[_RANK_OF]
    }
    clauses = [bisect_left(ends, start) for start, _, _ in keywords]
    for index in _search_order(bisect_left(ends, top[_START]), len(ends), peers):
        if index in clauses:
            return keywords[clauses.index(index)][2]
    return -1


def _function(top: _Role, roles: list[_Role], reading: Reading, words: Vocabulary) -> str | None:
    entry = words.roles[top[_ENTRY]]
    if not top[_UNNAMED]:
        return entry.function
    keywords = reading.keywords
    if keywords and ("assistant" in top[_FLAGS] or len(roles) > 1):
        keywords = _keywords(keywords, roles)
    if keywords:
        group = _nearest_keyword(top, roles, keywords, reading)
        if group >= 0:
            return words.functions[group]
    return entry.function or entry.default_function


def _title_flags(top: _Role, roles: list[_Role], words: Vocabulary) -> frozenset[str]:
    """Founder and assistant from any role; former, acting and chair from the roles that rank as
    the top one (same seniority and currency), so "VP | ex-Google Director" stays current;
    chief_executive when a current board title also holds a current company-wide chief
    executive role ("董事/总经理", "Chairman & CEO"), which the board seniority hides."""
    if len(roles) == 1:
        return top[_FLAGS]
    flags: set[str] = set()
    for role in roles:
        if role[_FLAGS]:
            flags |= role[_FLAGS] & _ROLE_FLAGS
            if role[_RANK_OF] == top[_RANK_OF] and role[_FORMER] == top[_FORMER]:
                flags |= role[_FLAGS] & _STATUS_FLAGS
    if (
        top[_RANK_OF] == _RANK["board"]
        and not top[_FORMER]
        and any(
            not role[_FORMER]
            and role[_RANK_OF] == _RANK["c_level"]
            and words.roles[role[_ENTRY]].function == "executive"
            and "assistant" not in role[_FLAGS]
            for role in roles
        )
    ):
        flags.add("chief_executive")
    return frozenset(flags) if flags else _NO_FLAGS


# TitleInfo values are immutable and few (seniorities x functions x flag sets x confidences):
# each distinct one is built once and shared, which saves building an object per title.
_RESULTS: dict[tuple[str, str, frozenset[str], float], TitleInfo] = {}


def _result(seniority: str, function: str, flags: frozenset[str], confidence: float) -> TitleInfo:
    key = (seniority, function, flags, confidence)
    info = _RESULTS.get(key)
    if info is None:
        info = _RESULTS[key] = TitleInfo(seniority, function, tuple(sorted(flags)), confidence)
    return info


def classify(title: str) -> TitleInfo:
    """Seniority, function, flags and confidence of one job title (English or Chinese).

    Pure and deterministic; never raises. An empty title is staff/other with confidence 0.
    """
    words = vocabulary()
    reading = read(title, words)
    found = reading.roles
    if reading.has_unit_names:
        found = [match for match in found if not words.unit_names.match(reading.text, match[1])]
    if not found:  # every role and keyword holds a letter, a digit or a Chinese character
        if reading.keywords:
            keyword_function = words.functions[reading.keywords[0][2]]
            return _result("staff", keyword_function, _NO_FLAGS, CONFIDENCE_FUNCTION_ONLY)
        if _ANY_WORD.search(reading.text):
            return _result("staff", "other", _NO_FLAGS, CONFIDENCE_UNKNOWN)
        return _result("staff", "other", _NO_FLAGS, CONFIDENCE_EMPTY)
    roles = _roles(reading, found, words)
    top = roles[0] if len(roles) == 1 else min(roles)
    function = _function(top, roles, reading, words)
    confidence = CONFIDENCE_UNDERSTOOD if function else CONFIDENCE_ROLE_ONLY
    seniority = SENIORITIES[top[_RANK_OF]]
    return _result(seniority, function or "other", _title_flags(top, roles, words), confidence)
