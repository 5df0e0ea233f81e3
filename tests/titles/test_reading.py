"""The fast reading of titles (token trie, clauses from tokens) against plain regular expressions.

The normalizer does not match the vocabularies' regular expressions one by one (too slow, see
docs/titles.md); these tests check that what it finds is what they would find: for every role
entry and keyword group, at every token start, the longest match of any of its fragments; and
the clauses that the separator pattern below cuts.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from execrank.titles import _reading
from execrank.titles._reading import read
from execrank.titles._regex import expansion, first_characters, prefixes
from execrank.titles._vocabulary import (
    ROLE,
    _FunctionsFile,
    _read,
    _RolesFile,
    _trie,
    vocabulary,
    words,
)

LABELLED = Path(__file__).resolve().parent / "labelled_titles.csv"

# The separators as one pattern: the specification of _reading._clauses.
SEPARATOR = re.compile(
    r"(?P<soft>[,:(]|\s[-–—]+|[-–—]+\s)"
    r"|(?P<hard>[|;/)\[\]+、]|兼|(?<![a-z0-9])and(?![a-z0-9])|(?<!\b[a-z])&|&(?![a-z]\b))"
)


def _labelled_titles() -> list[str]:
    with LABELLED.open(encoding="utf-8", newline="") as handle:
        return [row["title"] for row in csv.DictReader(handle)]


def _fragments() -> list[tuple[bool, int, re.Pattern[str]]]:
    """(is a role, index, pattern) for every fragment of roles.yaml and functions.yaml."""
    patterns = [
        (True, index, re.compile(words([fragment])))
        for index, entry in enumerate(vocabulary().roles)
        for fragment in entry.match
    ]
    functions = _read("functions.yaml", _FunctionsFile).functions
    patterns += [
        (False, index, re.compile(words([fragment])))
        for index, fragments in enumerate(functions.values())
        for fragment in fragments
    ]
    return patterns


FRAGMENTS = _fragments()
TOKEN_START = re.compile(r"[a-z0-9]+|.", re.DOTALL)


def _expected_matches(text: str) -> tuple[list[tuple[int, int, int]], list[tuple[int, int, int]]]:
    starts = [match.start() for match in TOKEN_START.finditer(text) if match.group() != " "]
    longest: dict[tuple[bool, int, int], int] = {}
    for is_role, index, pattern in FRAGMENTS:
        for start in starts:
            match = pattern.match(text, start)
            if match and match.end() > start:
                key = (is_role, index, start)
                longest[key] = max(longest.get(key, 0), match.end())
    chosen = {}
    for kind in (True, False):
        candidates = [
            (start - end, index, start, end)
            for (is_role, index, start), end in longest.items()
            if is_role == kind
        ]
        chosen[kind] = _reading._longest(candidates)
    return chosen[True], chosen[False]


def _expected_clauses(text: str) -> list[tuple[int, int, bool]]:
    clauses, start, soft = [], 0, False
    for separator in SEPARATOR.finditer(text):
        clauses.append((start, separator.start(), soft))
        start, soft = separator.end(), separator.group("soft") is not None
    clauses.append((start, len(text), soft))
    return clauses


def _check(title: str) -> None:
    reading = read(title, vocabulary())
    roles, keywords = _expected_matches(reading.text)
    assert (reading.roles, reading.keywords) == (roles, keywords), title
    assert reading.clauses == _expected_clauses(reading.text), title


def test_the_trie_finds_what_the_patterns_find_in_the_labelled_titles() -> None:
    for title in _labelled_titles():
        _check(title)


PIECES = [
    *_labelled_titles()[::7],
    " - ",
    "- ",
    " -",
    "--",
    " & ",
    "&",
    "r&d",
    "m&a",
    "(",
    ")",
    "/",
    "|",
    ",",
    "兼",
    "、",
    " and ",
    "'s ",
    " office ",
    "办公室",
    "sr. ",
    "vp ",
    "biz dev ",
    "董秘",
    "ex-",
    "原",
    "代理",
    "chief ",
    " officer",
    "assistant to the ",
    "partner",
    "head of ",
]


@settings(deadline=None, max_examples=150)
@given(st.lists(st.sampled_from(PIECES), min_size=1, max_size=5))
def test_the_trie_finds_what_the_patterns_find_in_mixed_titles(pieces: list[str]) -> None:
    _check("".join(pieces))


def test_a_fragment_expands_to_strings_it_matches_or_else_to_prefixes() -> None:
    for entry in _read("roles.yaml", _RolesFile).roles:
        for fragment in entry.match:
            pattern = re.compile(fragment)
            strings = expansion(fragment)
            if strings is not None:
                assert all(pattern.fullmatch(string) for string in strings), fragment
            else:
                assert all(prefix for prefix, _ in prefixes(fragment)), fragment
            assert first_characters(fragment), fragment


def test_reading_the_regular_expression_syntax_of_the_vocabularies() -> None:
    assert expansion("directors?") == frozenset({"director", "directors"})
    assert expansion("(?:co-?)?owners?") == frozenset(
        {"owner", "owners", "coowner", "coowners", "co-owner", "co-owners"}
    )
    assert expansion("lead(?! gen)") is None  # an assertion: a pattern, not strings
    assert prefixes("lead(?! gen)") == {("lead", True)}
    assert prefixes("chief [a-z-]+") == {
        ("chief " + c, False) for c in "abcdefghijklmnopqrstuvwxyz-"
    }
    assert first_characters("(?:副?董事长|ceo)助理") == {"副", "董", "c"}
    assert first_characters("[\\u4e00-\\u4e01]x") == {"\u4e00", "\u4e01"}


def test_a_fragment_no_normalised_title_can_match_is_refused_with_its_file() -> None:
    # Titles are single-spaced and every role or keyword holds a letter, a digit or a Chinese
    # character (the classifier relies on it): the loader says so instead of never matching.
    with pytest.raises(ValueError, match=r"roles\.yaml.*two spaces"):
        _trie([(ROLE, 0, ["chief  officer"], "roles.yaml")])
    with pytest.raises(ValueError, match=r"roles\.yaml.*needs a letter"):
        _trie([(ROLE, 0, ["&&"], "roles.yaml")])
