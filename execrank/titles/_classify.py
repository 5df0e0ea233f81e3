"""Classify one job title into seniority, function, flags and a confidence.

How a title is classified, once read (see ``_reading``):

1. a role followed by a unit name ("CEO Office", "总经理办公室") names a unit, not the person's
   role, and is dropped;
2. roles are marked former/acting when a marker qualifies them, and company-top roles that head
   a unit are demoted ("GM, Iberia", "分公司总经理");
3. the highest current role gives the seniority, and the function: its own, else that of the
   nearest keyword (its clause, then the clauses after it, then before it).

Everything is pure and deterministic; the vocabularies are read once per process.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass

# The scoring model owns the vocabulary of seniorities (highest first) and functions.
from execrank.model import SENIORITIES
from execrank.titles._reading import Clause, Match, Reading, read
from execrank.titles._vocabulary import CJK, FLAGS, RoleEntry, Vocabulary, vocabulary

__all__ = ["CLASSIFIER_VERSION", "FLAGS", "TitleInfo", "classify"]

CLASSIFIER_VERSION = "titles-2"

CONFIDENCE_EMPTY = 0.0  # no letters or digits at all (after removing the employer)
CONFIDENCE_UNKNOWN = 0.1  # text, but no role word and no function keyword
CONFIDENCE_FUNCTION_ONLY = 0.4  # a function keyword only: "staff" is a guess
CONFIDENCE_ROLE_ONLY = 0.7  # a role word, but no function
CONFIDENCE_UNDERSTOOD = 0.95  # a role word and its function

_RANK: dict[str, int] = {seniority: rank for rank, seniority in enumerate(SENIORITIES)}
_WORD = re.compile(f"[a-z0-9]+|[{CJK}]+")
_ANY_WORD = re.compile(r"\w")
_NO_FLAGS: frozenset[str] = frozenset()


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


# A function keyword: (start, end, function, clause).
_Keyword = tuple[int, int, str, int]


class _Role:
    __slots__ = ("clause", "end", "entry", "flags", "seniority", "start", "unit_qualified")

    def __init__(self, match: Match, clause: int, entry: RoleEntry, flags: frozenset[str]) -> None:
        self.start, self.end, _ = match
        self.clause = clause
        self.entry = entry
        self.seniority: str = entry.seniority
        self.unit_qualified = False
        self.flags = flags


# ---- roles ------------------------------------------------------------------------------------


def _marker_flags(text: str, role: _Role, clause: Clause, vocabulary: Vocabulary) -> set[str]:
    before, after = text[clause[0] : role.start], text[role.end : clause[1]]
    return {
        flag
        for flag, markers in vocabulary.markers.items()
        if markers.before.search(before) or markers.after.search(after)
    }


def _alone_flags(text: str, clauses: list[Clause], vocabulary: Vocabulary) -> set[str]:
    """Flags of clauses made of markers only: "CEO (retired)", "CFO - Interim"."""
    return {
        flag
        for flag, markers in vocabulary.markers.items()
        for start, end, _ in clauses
        if markers.alone.match(text[start:end])
    }


def _is_unit_head(
    text: str, role: _Role, clauses: list[Clause], role_clauses: set[int], vocabulary: Vocabulary
) -> bool:
    """True when a company-top role is qualified by a unit: "GM, Iberia", "分公司总经理"."""
    clause_start, clause_end, _ = clauses[role.clause]
    around = text[clause_start : role.start] + " " + text[role.end : clause_end]
    if any(word not in vocabulary.unit_ignore for word in _WORD.findall(around)):
        return True
    following = [
        (index, later)
        for index, later in enumerate(clauses)
        if index > role.clause and _WORD.search(text, later[0], later[1])
    ]
    if not following or not following[0][1][2] or following[0][0] in role_clauses:
        return False
    qualifier = text[following[0][1][0] : following[0][1][1]]
    return not any(markers.alone.match(qualifier) for markers in vocabulary.markers.values())


def _roles(reading: Reading, found: list[Match], vocabulary: Vocabulary) -> list[_Role]:
    """The roles found, each with its clause, flags and seniority (a unit head's, if it is one)."""
    text, clauses, ends = reading.text, reading.clauses, reading.clause_ends
    alone = _alone_flags(text, clauses, vocabulary) if reading.has_markers else _NO_FLAGS
    roles = []
    for match in found:
        clause = bisect_left(ends, match[0]) if ends else 0
        entry = vocabulary.roles[match[2]]
        role = _Role(match, clause, entry, vocabulary.role_flags[match[2]] | alone)
        if reading.has_markers:
            role.flags |= _marker_flags(text, role, clauses[clause], vocabulary)
        if entry.unit_seniority is not None:
            role_clauses = {bisect_left(ends, start) if ends else 0 for start, _, _ in found}
            if _is_unit_head(text, role, clauses, role_clauses, vocabulary):
                role.seniority, role.unit_qualified = entry.unit_seniority, True
        roles.append(role)
    return roles


def _top_key(role: _Role) -> tuple[bool, int, bool, bool, int]:
    """Current roles before former ones, then by seniority; at equal seniority a primary role
    before a secondary one, a role naming its function before one that does not, then the first."""
    return (
        "former" in role.flags,
        _RANK[role.seniority],
        role.entry.secondary,
        role.entry.function is None or role.unit_qualified,
        role.start,
    )


# ---- function, flags --------------------------------------------------------------------------


def _keywords(reading: Reading, roles: list[_Role], vocabulary: Vocabulary) -> list[_Keyword]:
    """Function keywords, leaving out those naming an assistant's principal ("to the VP Sales")."""
    principals = [(role.start, role.end) for role in roles if "assistant" in role.flags]
    ends = reading.clause_ends
    keywords = []
    for start, end, index in reading.keywords:
        if principals and any(low <= start and end <= high for low, high in principals):
            continue
        clause = bisect_left(ends, start) if ends else 0
        keywords.append((start, end, vocabulary.functions[index], clause))
    return keywords


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


def _function(top: _Role, roles: list[_Role], keywords: list[_Keyword], count: int) -> str | None:
    if top.entry.function is not None and not top.unit_qualified:
        return top.entry.function
    if keywords:
        if count == 1:
            return keywords[0][2]
        rank = _RANK[top.seniority]
        peers = {r.clause for r in roles if r is not top and _RANK[r.seniority] <= rank}
        for index in _search_order(top.clause, count, peers):
            for _, _, function, clause in keywords:
                if clause == index:
                    return function
    return top.entry.function or top.entry.default_function


def _title_flags(top: _Role, roles: list[_Role]) -> tuple[str, ...]:
    """Founder and assistant from any role; former and acting from the roles that rank as the
    top one (same seniority and currency), so "VP | ex-Google Director" stays current."""
    flags: set[str] = set()
    for role in roles:
        if not role.flags:
            continue
        flags |= role.flags & {"founder", "assistant"}
        same_rank = role.seniority == top.seniority
        if same_rank and ("former" in role.flags) == ("former" in top.flags):
            flags |= role.flags & {"former", "acting"}
    return tuple(sorted(flags)) if flags else ()


# TitleInfo values are immutable and few (seniorities x functions x flag sets x confidences):
# each distinct one is built once and shared, which saves building an object per title.
_RESULTS: dict[tuple[str, str, tuple[str, ...], float], TitleInfo] = {}


def _result(seniority: str, function: str, flags: tuple[str, ...], confidence: float) -> TitleInfo:
    key = (seniority, function, flags, confidence)
    info = _RESULTS.get(key)
    if info is None:
        info = _RESULTS[key] = TitleInfo(seniority, function, flags, confidence)
    return info


def classify(title: str) -> TitleInfo:
    """Seniority, function, flags and confidence of one job title (English or Chinese).

    Pure and deterministic; never raises. An empty title is staff/other with confidence 0.
    """
    words = vocabulary()
    reading = read(title, words)
    text = reading.text
    if not _ANY_WORD.search(text):
        return _result("staff", "other", (), CONFIDENCE_EMPTY)
    found_roles = reading.roles
    if reading.has_unit_names:
        found_roles = [m for m in found_roles if not words.unit_names.match(text, m[1])]
    roles = _roles(reading, found_roles, words)
    keywords = _keywords(reading, roles, words)
    if not roles:
        if not keywords:
            return _result("staff", "other", (), CONFIDENCE_UNKNOWN)
        return _result("staff", keywords[0][2], (), CONFIDENCE_FUNCTION_ONLY)
    top = roles[0] if len(roles) == 1 else min(roles, key=_top_key)
    function = _function(top, roles, keywords, len(reading.clauses))
    confidence = CONFIDENCE_UNDERSTOOD if function else CONFIDENCE_ROLE_ONLY
    return _result(top.seniority, function or "other", _title_flags(top, roles), confidence)
