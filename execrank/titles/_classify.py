"""Classify one job title into seniority, function, flags and a confidence.

How a title is read:

1. normalise: NFKC, lower case, traditional Chinese folded to simplified, "c.e.o." -> "ceo",
   abbreviations expanded, the employer after " at " / "@" replaced by a separator;
2. cut into clauses at separators ("|", ",", "/", "&", "and", "兼", "、", " - "...);
3. find roles and function keywords (longest match wins, vocabularies in ``data/*.yaml``);
4. mark roles as former/acting when a marker qualifies them, demote unit heads ("GM, Iberia");
5. the highest current role gives seniority and function (its own, else the nearest keyword).

Everything is pure and deterministic; the vocabularies are read once per process.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from itertools import groupby
from typing import Literal, TypeVar, get_args

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError

# The scoring model owns the vocabulary of seniorities (highest first) and functions.
from execrank.model import SENIORITIES, Function, Seniority

CLASSIFIER_VERSION = "titles-1"

Flag = Literal["acting", "assistant", "former", "founder"]
FLAGS: tuple[str, ...] = get_args(Flag)

# Real titles are short (LinkedIn headlines stop at 220 characters); the rest is ignored.
MAX_TITLE_CHARS = 256
# "Former Senior VP": words allowed between a Latin former/acting marker and its role.
MAX_MARKER_GAP_WORDS = 2

CONFIDENCE_EMPTY = 0.0  # no letters or digits at all (after removing the employer)
CONFIDENCE_UNKNOWN = 0.1  # text, but no role word and no function keyword
CONFIDENCE_FUNCTION_ONLY = 0.4  # a function keyword only: "staff" is a guess
CONFIDENCE_ROLE_ONLY = 0.7  # a role word, but no function
CONFIDENCE_UNDERSTOOD = 0.95  # a role word and its function

_CJK = "\u4e00-\u9fff"
_HAS_CJK = re.compile(f"[{_CJK}]")
_WORD = re.compile(f"[a-z0-9]+|[{_CJK}]+")
_ANY_WORD = re.compile(r"\w")
_DOTTED_ACRONYM = re.compile(r"(?<![a-z0-9])(?:[a-z]\.)+[a-z](?![a-z0-9])\.?")
_EMPLOYER = re.compile(r"(?:@|(?<![a-z0-9])at(?![a-z0-9-])(?! large\b))[^|;,/()]*")
_SPACES = re.compile(r"\s+")
# Soft separators may introduce a qualifier of the role before them ("GM - Southwest Denver");
# hard ones start another role ("EVP & CFO", "董事长兼总经理"). "R&D" and "M&A" are words.
_SEPARATOR = re.compile(
    r"(?P<soft>[,:(]|\s[-–—]+|[-–—]+\s)"
    r"|(?P<hard>[|;/)\[\]+、]|兼|(?<![a-z0-9])and(?![a-z0-9])|(?<!\b[a-z])&|&(?![a-z]\b))"
)


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


# ---- vocabulary files -------------------------------------------------------------------------


class _Schema(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class _RoleEntry(_Schema):
    match: list[str]
    seniority: Seniority
    function: Function | None = None
    default_function: Function | None = None
    flags: list[Flag] = []
    unit_seniority: Seniority | None = None
    secondary: bool = False


class _RolesFile(_Schema):
    roles: list[_RoleEntry]
    unit_ignore: list[str]


class _FunctionsFile(_Schema):
    functions: dict[Function, list[str]]


class _MarkersFile(_Schema):
    former: list[str]
    acting: list[str]


class _AbbreviationsFile(_Schema):
    abbreviations: dict[str, str]


class _TraditionalFile(_Schema):
    characters: dict[str, str]


_Model = TypeVar("_Model", bound=_Schema)


def _read(name: str, schema: type[_Model]) -> _Model:
    text = resources.files("execrank.titles").joinpath("data", name).read_text(encoding="utf-8")
    try:
        return schema.model_validate(yaml.safe_load(text))
    except ValidationError as error:
        raise ValueError(f"execrank/titles/data/{name} breaks its schema: {error}") from error


def _alternation(fragments: list[str]) -> str:
    """One pattern for several fragments; longer fragments are tried first at each position."""
    return "|".join(f"(?:{fragment})" for fragment in sorted(fragments, key=len, reverse=True))


def _words(fragments: list[str]) -> re.Pattern[str]:
    """Match any fragment, longer fragments first. Latin fragments match whole words only
    ("intern" is not in "international"); each run of them checks the boundaries once."""
    longest_first = sorted(fragments, key=len, reverse=True)
    return re.compile(
        "|".join(
            f"(?<![a-z0-9])(?:{_alternation(list(run))})(?![a-z0-9])"
            if latin
            else _alternation(list(run))
            for latin, run in groupby(longest_first, key=lambda f: not _HAS_CJK.search(f))
        )
    )


@dataclass(frozen=True)
class _Markers:
    """Patterns deciding whether a former/acting marker qualifies a role."""

    before: re.Pattern[str]  # at the end of the clause text before the role
    after: re.Pattern[str]  # at the start of the clause text after the role
    alone: re.Pattern[str]  # the whole clause is markers: "(retired)", "- Interim"


@dataclass(frozen=True)
class _Vocabulary:
    roles: tuple[tuple[re.Pattern[str], _RoleEntry], ...]
    keywords: tuple[tuple[re.Pattern[str], str], ...]
    markers: dict[str, _Markers]
    abbreviations: re.Pattern[str]
    expansions: dict[str, str]
    traditional: dict[int, str]
    unit_ignore: frozenset[str]


def _compile_markers(fragments: list[str]) -> _Markers:
    latin = [fragment for fragment in fragments if not _HAS_CJK.search(fragment)]
    chinese = [fragment for fragment in fragments if _HAS_CJK.search(fragment)]
    latin_words = rf"(?<![a-z0-9])(?:{_alternation(latin)})(?![a-z0-9])"
    gap = rf"(?:[\s-]+[a-z0-9']+){{0,{MAX_MARKER_GAP_WORDS}}}"
    every = f"(?:{latin_words}|{_alternation(chinese)})"
    return _Markers(
        before=re.compile(rf"(?:{latin_words}{gap}[\s-]*|(?:{_alternation(chinese)})\s*)$"),
        after=re.compile(rf"^[\s-]*{latin_words}"),
        alone=re.compile(rf"^\s*{every}(?:[\s-]*{every})*\s*$"),
    )


@cache
def _vocabulary() -> _Vocabulary:
    roles = _read("roles.yaml", _RolesFile)
    functions = _read("functions.yaml", _FunctionsFile)
    markers = _read("markers.yaml", _MarkersFile)
    abbreviations = _read("abbreviations.yaml", _AbbreviationsFile).abbreviations
    traditional = _read("traditional_chinese.yaml", _TraditionalFile).characters
    return _Vocabulary(
        roles=tuple((_words(entry.match), entry) for entry in roles.roles),
        keywords=tuple(
            (_words(fragments), function) for function, fragments in functions.functions.items()
        ),
        markers={
            "former": _compile_markers(markers.former),
            "acting": _compile_markers(markers.acting),
        },
        abbreviations=_words([re.escape(key) for key in abbreviations]),
        expansions=abbreviations,
        traditional=str.maketrans(traditional),
        unit_ignore=frozenset(roles.unit_ignore),
    )


# ---- reading a title --------------------------------------------------------------------------


@dataclass(frozen=True)
class _Clause:
    start: int
    end: int
    soft: bool  # follows a comma, colon, dash or "(": may qualify the role before it


@dataclass(frozen=True)
class _Found:
    """A vocabulary match in the normalised title: a role entry or a function keyword."""

    start: int
    end: int
    order: int  # position in the vocabulary files: breaks ties between equal lengths
    clause: int


@dataclass
class _Role:
    found: _Found
    entry: _RoleEntry
    seniority: str
    unit_qualified: bool = False
    flags: set[str] = field(default_factory=set)


def _normalize(title: str, vocabulary: _Vocabulary) -> str:
    text = unicodedata.normalize("NFKC", title[:MAX_TITLE_CHARS]).casefold()
    text = text.translate(vocabulary.traditional).replace("’", "'")
    text = _DOTTED_ACRONYM.sub(lambda match: match.group(0).replace(".", ""), text)
    text = _EMPLOYER.sub(" | ", text.replace(".", " "))
    text = vocabulary.abbreviations.sub(lambda match: vocabulary.expansions[match.group(0)], text)
    return _SPACES.sub(" ", text).strip()


def _clauses(text: str) -> list[_Clause]:
    clauses, start, soft = [], 0, False
    for separator in _SEPARATOR.finditer(text):
        clauses.append(_Clause(start, separator.start(), soft))
        start, soft = separator.end(), separator.group("soft") is not None
    clauses.append(_Clause(start, len(text), soft))
    return clauses


def _clause_of(position: int, clauses: list[_Clause]) -> int:
    return next(index for index, clause in enumerate(clauses) if position <= clause.end)


def _longest(
    text: str, patterns: tuple[tuple[re.Pattern[str], object], ...], clauses: list[_Clause]
) -> list[_Found]:
    """Non-overlapping matches, the longest first; equal lengths go to the earlier pattern."""
    candidates = [
        (match.start(), match.end(), order)
        for order, (pattern, _) in enumerate(patterns)
        for match in pattern.finditer(text)
        if match.end() > match.start()
    ]
    candidates.sort(key=lambda found: (found[0] - found[1], found[2], found[0]))
    chosen: list[_Found] = []
    for start, end, order in candidates:
        if all(end <= other.start or start >= other.end for other in chosen):
            chosen.append(_Found(start, end, order, _clause_of(start, clauses)))
    return sorted(chosen, key=lambda found: found.start)


def _marker_flags(text: str, role: _Found, clause: _Clause, vocabulary: _Vocabulary) -> set[str]:
    before, after = text[clause.start : role.start], text[role.end : clause.end]
    return {
        flag
        for flag, markers in vocabulary.markers.items()
        if markers.before.search(before) or markers.after.search(after)
    }


def _alone_flags(text: str, clauses: list[_Clause], vocabulary: _Vocabulary) -> set[str]:
    """Flags of clauses made of markers only: "CEO (retired)", "CFO - Interim"."""
    return {
        flag
        for flag, markers in vocabulary.markers.items()
        for clause in clauses
        if markers.alone.match(text[clause.start : clause.end])
    }


def _is_unit_head(
    text: str, role: _Found, clauses: list[_Clause], role_clauses: set[int], vocabulary: _Vocabulary
) -> bool:
    """True when a company-top role is qualified by a unit: "GM, Iberia", "分公司总经理"."""
    clause = clauses[role.clause]
    around = text[clause.start : role.start] + " " + text[role.end : clause.end]
    if any(word not in vocabulary.unit_ignore for word in _WORD.findall(around)):
        return True
    following = [
        (index, later)
        for index, later in enumerate(clauses)
        if index > role.clause and _WORD.search(text[later.start : later.end])
    ]
    if not following or not following[0][1].soft or following[0][0] in role_clauses:
        return False
    qualifier = text[following[0][1].start : following[0][1].end]
    return not any(markers.alone.match(qualifier) for markers in vocabulary.markers.values())


def _roles(text: str, clauses: list[_Clause], vocabulary: _Vocabulary) -> list[_Role]:
    found = _longest(text, vocabulary.roles, clauses)
    role_clauses = {match.clause for match in found}
    alone = _alone_flags(text, clauses, vocabulary)
    roles = []
    for match in found:
        entry = vocabulary.roles[match.order][1]
        role = _Role(match, entry, entry.seniority, flags=set(entry.flags) | alone)
        role.flags |= _marker_flags(text, match, clauses[match.clause], vocabulary)
        if entry.unit_seniority and _is_unit_head(text, match, clauses, role_clauses, vocabulary):
            role.seniority, role.unit_qualified = entry.unit_seniority, True
        roles.append(role)
    return roles


def _top(roles: list[_Role]) -> _Role:
    """Current roles before former ones, then by seniority; ties go to the first primary role."""
    return min(
        roles,
        key=lambda role: (
            "former" in role.flags,
            SENIORITIES.index(role.seniority),
            role.entry.secondary,
            role.found.start,
        ),
    )


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


def _function(
    top: _Role, roles: list[_Role], keywords: list[_Found], count: int, vocabulary: _Vocabulary
) -> str | None:
    if top.entry.function is not None and not top.unit_qualified:
        return top.entry.function
    rank = SENIORITIES.index(top.seniority)
    peers = {
        role.found.clause
        for role in roles
        if role is not top and SENIORITIES.index(role.seniority) <= rank
    }
    for index in _search_order(top.found.clause, count, peers):
        in_clause = [keyword for keyword in keywords if keyword.clause == index]
        if in_clause:
            return vocabulary.keywords[in_clause[0].order][1]
    return top.entry.function or top.entry.default_function


def _keywords(
    text: str, clauses: list[_Clause], roles: list[_Role], vocabulary: _Vocabulary
) -> list[_Found]:
    """Function keywords, leaving out those naming an assistant's principal ("to the VP Sales")."""
    principals = [role.found for role in roles if "assistant" in role.flags]
    return [
        keyword
        for keyword in _longest(text, vocabulary.keywords, clauses)
        if not any(p.start <= keyword.start and keyword.end <= p.end for p in principals)
    ]


def _without_role(keywords: list[_Found], vocabulary: _Vocabulary) -> TitleInfo:
    if not keywords:
        return TitleInfo("staff", "other", (), CONFIDENCE_UNKNOWN)
    function = vocabulary.keywords[keywords[0].order][1]
    return TitleInfo("staff", function, (), CONFIDENCE_FUNCTION_ONLY)


def _title_flags(top: _Role, roles: list[_Role]) -> tuple[str, ...]:
    """Founder and assistant from any role; former and acting from the roles that rank as the
    top one (same seniority and currency), so "VP | ex-Google Director" stays current."""
    flags = {flag for role in roles for flag in role.flags if flag in ("founder", "assistant")}
    for role in roles:
        same_rank = role.seniority == top.seniority
        if same_rank and ("former" in role.flags) == ("former" in top.flags):
            flags |= role.flags & {"former", "acting"}
    return tuple(sorted(flags))


def classify(title: str) -> TitleInfo:
    """Seniority, function, flags and confidence of one job title (English or Chinese).

    Pure and deterministic; never raises. An empty title is staff/other with confidence 0.
    """
    vocabulary = _vocabulary()
    text = _normalize(title, vocabulary)
    if not _ANY_WORD.search(text):
        return TitleInfo("staff", "other", (), CONFIDENCE_EMPTY)
    clauses = _clauses(text)
    roles = _roles(text, clauses, vocabulary)
    keywords = _keywords(text, clauses, roles, vocabulary)
    if not roles:
        return _without_role(keywords, vocabulary)
    top = _top(roles)
    function = _function(top, roles, keywords, len(clauses), vocabulary)
    confidence = CONFIDENCE_UNDERSTOOD if function else CONFIDENCE_ROLE_ONLY
    return TitleInfo(top.seniority, function or "other", _title_flags(top, roles), confidence)
