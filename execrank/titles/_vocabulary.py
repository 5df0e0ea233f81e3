"""The vocabularies of the title normalizer: ``data/*.yaml`` read, validated and compiled once.

Matching a title against hundreds of regular-expression fragments one by one is slow. Instead,
every fragment is expanded into the strings it matches (or, when they are too many, the prefixes
of its matches; see ``_regex``) and these strings go into one character trie. Reading a title is
then a walk down the trie from each word start, which finds every role, keyword and marker that
starts there at once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from itertools import groupby
from typing import Any, TypeVar, get_args

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError

from execrank.model import Function, Seniority, TitleFlag
from execrank.titles._regex import UnreadableFragment, expansion, prefixes

FLAGS: tuple[str, ...] = get_args(TitleFlag)

# "Former Senior VP": words allowed between a Latin former/acting marker and its role.
MAX_MARKER_GAP_WORDS = 2
# "代理财务总监": characters allowed between a Chinese marker of two or more characters and its
# role. One-character markers must touch the role ("原料采购经理" is not former).
MAX_MARKER_GAP_CHINESE = 4

CJK = "\u4e00-\u9fff"
_HAS_CJK = re.compile(f"[{CJK}]")
_HAS_WORD = re.compile(f"[a-z0-9{CJK}]")


# ---- vocabulary files -------------------------------------------------------------------------


class _Schema(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class RoleEntry(_Schema):
    match: list[str]
    seniority: Seniority
    function: Function | None = None
    default_function: Function | None = None
    flags: list[TitleFlag] = []
    unit_seniority: Seniority | None = None
    secondary: bool = False


class _RolesFile(_Schema):
    roles: list[RoleEntry]
    unit_names: list[str]
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
# libyaml's loader when PyYAML was built with it: the same documents, read faster.
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _read(name: str, schema: type[_Model]) -> _Model:
    text = resources.files("execrank.titles").joinpath("data", name).read_text(encoding="utf-8")
    try:
        return schema.model_validate(yaml.load(text, Loader=_YAML_LOADER))
    except ValidationError as error:
        raise ValueError(f"execrank/titles/data/{name} breaks its schema: {error}") from error


# ---- patterns ---------------------------------------------------------------------------------


def _alternation(fragments: list[str]) -> str:
    """One pattern for several fragments; longer fragments are tried first at each position."""
    return "|".join(f"(?:{fragment})" for fragment in sorted(fragments, key=len, reverse=True))


def words(fragments: list[str]) -> str:
    """A pattern matching any fragment, longer fragments first. Latin fragments match whole words
    only ("intern" is not in "international"); each run of them checks the boundaries once."""
    longest_first = sorted(fragments, key=len, reverse=True)
    return "|".join(
        f"(?<![a-z0-9])(?:{_alternation(list(run))})(?![a-z0-9])"
        if latin
        else _alternation(list(run))
        for latin, run in groupby(longest_first, key=lambda f: not _HAS_CJK.search(f))
    )


@dataclass(frozen=True)
class Markers:
    """Patterns deciding whether a former/acting marker qualifies a role."""

    before: re.Pattern[str]  # at the end of the clause text before the role
    after: re.Pattern[str]  # at the start of the clause text after the role
    alone: re.Pattern[str]  # the whole clause is markers: "(retired)", "- Interim"


def _compile_markers(fragments: list[str]) -> Markers:
    latin = [fragment for fragment in fragments if not _HAS_CJK.search(fragment)]
    chinese = [fragment for fragment in fragments if _HAS_CJK.search(fragment)]
    # "代理(?!商)" has two characters, "原" one: count what is outside groups.
    long_chinese = [f for f in chinese if len(re.sub(r"\(.*?\)", "", f)) > 1]
    short_chinese = [f for f in chinese if f not in long_chinese]
    latin_words = rf"(?<![a-z0-9])(?:{_alternation(latin)})(?![a-z0-9])"
    gap = rf"(?:[\s-]+[a-z0-9']+){{0,{MAX_MARKER_GAP_WORDS}}}"
    chinese_gap = rf"[{CJK}]{{0,{MAX_MARKER_GAP_CHINESE}}}"
    every = f"(?:{latin_words}|{_alternation(chinese)})"
    return Markers(
        before=re.compile(
            rf"(?:{latin_words}{gap}[\s-]*"
            rf"|(?:(?:{_alternation(long_chinese)}){chinese_gap}|{_alternation(short_chinese)})\s*)$"
        ),
        after=re.compile(rf"^[\s-]*{latin_words}"),
        alone=re.compile(rf"^\s*{every}(?:[\s-]*{every})*\s*$"),
    )


# ---- the trie of fragments ---------------------------------------------------------------------

# What a match is of: a role entry or a function keyword group (the index of the entry or group
# also breaks ties between matches of equal length); or a hint that the title needs a rule it
# rarely needs: a former/acting marker, a unit name.
ROLE, KEYWORD, MARKER, UNIT_NAME = 0, 1, 2, 3
# The hints a title holds, as bits of one number.
HINT_BITS = {MARKER: 1, UNIT_NAME: 2}

# Titles and vocabulary strings are read as tokens: runs of Latin letters and digits, and single
# other characters (a hyphen, a Chinese character), each with the space before it if there is one:
# "senior vice-president" is "senior", " vice", "-", "president". A Latin fragment matches whole
# words only, so its matches start and end at token boundaries, and a trie of tokens finds them
# all. Normalised text has single spaces and none at either end, so each space has a token to go
# with and the tokens put together are the text.
LATIN_WORD_CHARACTERS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789")
TOKEN = re.compile("(?: ?(?:[a-z0-9]+|[^ ]))")

# A trie node maps a token to the next node; the root maps each first token with and without a
# space before it. Under the key "" (no token is empty) a node holds what ends there, as
# Terminals: the role entries and keyword groups whose match the tokens from the start of the walk
# to here are, the hint bits they note, and the fragments the tokens are only a prefix of, as
# (kind, index, pattern): pattern.match at the start says whether and where the fragment matches.
# Markers and unit names are only noted: a title without any skips the rules that need them.
Terminal = tuple[int, int, "re.Pattern[str] | None"]
Terminals = tuple[tuple[int, ...], tuple[int, ...], int, tuple[Terminal, ...]]
Trie = dict[str, Any]


def _fragment_strings(fragment: str, source: str) -> tuple[frozenset[tuple[str, bool]], bool]:
    """((string, whole) pairs, exact). Exact: the strings are the fragment's matches. Else a whole
    string may be a match (the fragment's assertions left out), another only starts matches."""
    try:
        if re.compile(fragment).groups:
            raise UnreadableFragment(f"{fragment!r} has a capturing group: write (?:...)")
        exact = expansion(fragment)
        if exact is not None:
            return frozenset((string, True) for string in exact), True
        return prefixes(fragment), False
    except UnreadableFragment as error:
        raise ValueError(
            f"execrank/titles/data/{source}: {error}; a fragment must start with characters, "
            "a character class or a group of those, so that it can be indexed"
        ) from error


def tokens(text: str) -> list[str]:
    """The tokens of a normalised text."""
    return TOKEN.findall(text)


def _spaced(expansion: list[str]) -> list[str]:
    """The tokens of an expansion that replaces a token with a space before it."""
    return [" " + expansion[0], *expansion[1:]]


def _one_token(abbreviations: dict[str, str]) -> dict[str, list[str]]:
    one_token: dict[str, list[str]] = {}
    for key, words_of_key in abbreviations.items():
        if len(tokens(key)) == 1:
            one_token[key] = tokens(words_of_key)
            one_token[" " + key] = _spaced(tokens(words_of_key))
    return one_token


def _phrases(abbreviations: dict[str, str]) -> dict[str, list[tuple[tuple[str, ...], list[str]]]]:
    phrases: dict[str, list[tuple[tuple[str, ...], list[str]]]] = {}
    for key in sorted(abbreviations, key=len, reverse=True):
        key_tokens = tuple(tokens(key))
        if len(key_tokens) > 1:
            expansion = tokens(abbreviations[key])
            phrases.setdefault(key_tokens[0], []).append((key_tokens, expansion))
            spaced_key = (" " + key_tokens[0], *key_tokens[1:])
            phrases.setdefault(spaced_key[0], []).append((spaced_key, _spaced(expansion)))
    return phrases


def _whole_tokens(string: str, whole: bool, source: str) -> tuple[str, ...]:
    """The tokens of a string; a prefix loses its last run of letters, which may go on."""
    if string.startswith(" ") or "  " in string or (whole and string.endswith(" ")):
        raise ValueError(
            f"execrank/titles/data/{source}: {string!r}: a fragment cannot match a space at "
            "either end or two spaces in a row (titles have single spaces)"
        )
    tokens = TOKEN.findall(string)
    if not whole and string[-1] in LATIN_WORD_CHARACTERS:
        tokens.pop()
    return tuple(tokens)


def _insert(trie: Trie, tokens: tuple[str, ...], terminal: Terminal) -> None:
    node = trie
    for token in tokens:
        node = node.setdefault(token, {})
    terminals = node.setdefault("", [])
    if terminal not in terminals:
        terminals.append(terminal)


def _pack(node: Trie) -> None:
    """Replace the lists of terminals of a node and the nodes under it by Terminals."""
    for token, child in node.items():
        if token:
            _pack(child)
    found: list[Terminal] = node.get("", [])
    if found:
        exact = [(kind, index) for kind, index, pattern in found if pattern is None]
        hints = 0
        for kind, _ in exact:
            hints |= HINT_BITS.get(kind, 0)
        node[""] = (
            tuple(index for kind, index in exact if kind == ROLE),
            tuple(index for kind, index in exact if kind == KEYWORD),
            hints,
            tuple(terminal for terminal in found if terminal[2] is not None),
        )


def _trie(targets: list[tuple[int, int, list[str], str]]) -> tuple[Trie, dict[str, list[Terminal]]]:
    """The trie, and the fragments whose matches may start inside a token, by first character."""
    trie: Trie = {}
    by_character: dict[str, list[Terminal]] = {}
    for kind, index, fragments, source in targets:
        for fragment in fragments:
            strings, exact = _fragment_strings(fragment, source)
            pattern = re.compile(words([fragment]))
            for string, whole in strings:
                # Latin strings that begin or end with a mark need its word-boundary checks.
                checked = (
                    exact
                    and not _HAS_CJK.search(string)
                    and not (
                        string[0] in LATIN_WORD_CHARACTERS and string[-1] in LATIN_WORD_CHARACTERS
                    )
                )
                # Markers and unit names are only noted: a superset of their matches will do.
                noted = kind in HINT_BITS and whole
                if kind in (ROLE, KEYWORD) and not _HAS_WORD.search(string):
                    raise ValueError(
                        f"execrank/titles/data/{source}: {fragment!r} can match {string!r}: a "
                        "role or keyword needs a letter, a digit or a Chinese character"
                    )
                tokens = _whole_tokens(string, whole, source)
                terminal = (kind, index, None if noted or (exact and not checked) else pattern)
                if tokens:
                    _insert(trie, tokens, terminal)
                elif terminal not in by_character.setdefault(string[0], []):
                    by_character[string[0]].append(terminal)
    _pack(trie)
    trie.update({" " + token: node for token, node in trie.items()})
    return trie, by_character


# ---- the compiled vocabulary ------------------------------------------------------------------


@dataclass(frozen=True)
class Vocabulary:
    roles: tuple[RoleEntry, ...]
    role_flags: tuple[frozenset[str], ...]  # the flags of each role entry
    functions: tuple[str, ...]  # the function of each keyword group of functions.yaml
    trie: Trie
    by_character: dict[str, list[Terminal]]  # tried at every token starting with the character
    markers: dict[str, Markers]
    # Abbreviations as tokens: a one-token abbreviation -> the tokens of its expansion; the first
    # token of a longer one ("biz dev", "董秘") -> (its tokens, the expansion's), longest first.
    abbreviations: dict[str, list[str]]
    abbreviation_phrases: dict[str, list[tuple[tuple[str, ...], list[str]]]]
    abbreviation_starts: frozenset[str]  # the tokens that may start an abbreviation
    traditional: dict[int, str]
    unit_names: re.Pattern[str]
    unit_ignore: frozenset[str]


@cache
def vocabulary() -> Vocabulary:
    """The vocabularies, read once per process."""
    roles = _read("roles.yaml", _RolesFile)
    functions = _read("functions.yaml", _FunctionsFile)
    markers = _read("markers.yaml", _MarkersFile)
    abbreviations = _read("abbreviations.yaml", _AbbreviationsFile).abbreviations
    traditional = _read("traditional_chinese.yaml", _TraditionalFile).characters
    targets = [
        *((ROLE, index, entry.match, "roles.yaml") for index, entry in enumerate(roles.roles)),
        *(
            (KEYWORD, index, fragments, "functions.yaml")
            for index, fragments in enumerate(functions.functions.values())
        ),
        (MARKER, 0, markers.former + markers.acting, "markers.yaml"),
        (UNIT_NAME, 0, [*roles.unit_names, "'s"], "roles.yaml"),
    ]
    trie, by_character = _trie(targets)
    one_token = _one_token(abbreviations)
    phrases = _phrases(abbreviations)
    return Vocabulary(
        roles=tuple(roles.roles),
        role_flags=tuple(frozenset(entry.flags) for entry in roles.roles),
        functions=tuple(functions.functions),
        trie=trie,
        by_character=by_character,
        markers={
            "former": _compile_markers(markers.former),
            "acting": _compile_markers(markers.acting),
        },
        abbreviations=one_token,
        abbreviation_phrases=phrases,
        abbreviation_starts=frozenset(one_token) | frozenset(phrases),
        traditional=str.maketrans(traditional),
        unit_names=re.compile(rf"'s(?![a-z0-9])|\s*(?:{words(roles.unit_names)})"),
        unit_ignore=frozenset(roles.unit_ignore),
    )
