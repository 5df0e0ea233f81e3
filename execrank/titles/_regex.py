"""What the regular-expression fragments of the vocabularies can match, read ahead of time.

Matching a title against hundreds of fragments one by one is slow. Most fragments match a small
finite set of strings ("directors?", "(?:co-)?president"): those are expanded here and looked up
in a character trie. The others (unbounded repeats, lookarounds) stay regular expressions, indexed
by the characters their matches can start with. This module reads the regular-expression syntax
the vocabularies use: characters, classes, groups, alternatives, quantifiers and assertions.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import product

# Escapes that stand for one literal character (after the backslash).
_LITERAL_ESCAPES = {"t": "\t", "n": "\n", "r": "\r", "f": "\f", "v": "\v"}
# Escapes that match no character: word boundaries and anchors.
_ZERO_WIDTH_ESCAPES = frozenset("bBAZ")
# Expanding a fragment into more strings than this is not worth it: it stays a pattern.
MAX_EXPANSION = 4096


class UnreadableFragment(ValueError):
    """Raised when a fragment's start cannot be known: syntax this reader does not know ("." or
    "\\w") where a match may start, or a fragment that can match the empty string."""


# ---- the syntax tree --------------------------------------------------------------------------


@dataclass(frozen=True)
class _Characters:
    """One character out of a set; ``known`` is False for ".", "\\w" or a negated class."""

    characters: frozenset[str]
    known: bool = True


@dataclass(frozen=True)
class _Assertion:
    """Matches no character: a lookaround, a word boundary or an anchor."""


@dataclass(frozen=True)
class _Sequence:
    items: tuple[_Node, ...]


@dataclass(frozen=True)
class _Alternatives:
    options: tuple[_Node, ...]


@dataclass(frozen=True)
class _Repeat:
    item: _Node
    low: int
    high: int | None  # None: unbounded


_Node = _Characters | _Assertion | _Sequence | _Alternatives | _Repeat
_UNKNOWN = _Characters(frozenset(), known=False)


class _Parser:
    def __init__(self, pattern: str) -> None:
        self.pattern = pattern
        self.index = 0

    def fail(self, what: str) -> UnreadableFragment:
        return UnreadableFragment(f"{what} at {self.index} in {self.pattern!r}")

    def peek(self, text: str) -> bool:
        return self.pattern.startswith(text, self.index)

    def alternatives(self) -> _Node:
        options = [self.sequence()]
        while self.peek("|"):
            self.index += 1
            options.append(self.sequence())
        return options[0] if len(options) == 1 else _Alternatives(tuple(options))

    def sequence(self) -> _Node:
        items = []
        while self.index < len(self.pattern) and self.pattern[self.index] not in "|)":
            items.append(self.quantified(self.item()))
        return _Sequence(tuple(items))

    def item(self) -> _Node:
        char = self.pattern[self.index]
        self.index += 1
        if char == "(":
            return self.group()
        if char == "[":
            return self.character_class()
        if char == "\\":
            return self.escape()
        if char in "^$":
            return _Assertion()
        if char == ".":
            return _UNKNOWN
        if char in "*+?{":
            raise self.fail("nothing to repeat")
        return _Characters(frozenset(char))

    def group(self) -> _Node:
        assertion = False
        if self.peek("?"):
            prefix = next((p for p in ("?:", "?=", "?!", "?<=", "?<!") if self.peek(p)), None)
            if prefix is not None:
                assertion = prefix != "?:"
                self.index += len(prefix)
            elif self.peek("?P<"):
                self.index = self.pattern.index(">", self.index) + 1
            else:
                raise self.fail("group syntax")
        node = self.alternatives()
        if not self.peek(")"):
            raise self.fail("unclosed group")
        self.index += 1
        return _Assertion() if assertion else node

    def character_class(self) -> _Node:
        negated = self.peek("^")
        self.index += negated
        characters: set[str] = set()
        known, first = not negated, True
        while self.index < len(self.pattern) and (self.pattern[self.index] != "]" or first):
            low = self.class_character()
            if self.peek("-") and not self.peek("-]"):
                self.index += 1
                high = self.class_character()
                known = known and bool(low and high)
                if low and high:
                    characters |= {chr(code) for code in range(ord(low), ord(high) + 1)}
            else:
                known = known and bool(low)
                characters.add(low)
            first = False
        if self.index >= len(self.pattern):
            raise self.fail("unclosed class")
        self.index += 1
        return _Characters(frozenset(characters)) if known else _UNKNOWN

    def class_character(self) -> str:
        """One character of a class; "" for an escape that stands for several ("\\w")."""
        char = self.pattern[self.index]
        self.index += 1
        if char != "\\":
            return char
        node = self.escape()
        if isinstance(node, _Characters) and node.known and len(node.characters) == 1:
            return next(iter(node.characters))
        return ""

    def escape(self) -> _Node:
        code = self.pattern[self.index : self.index + 1]
        self.index += 1
        if code == "u":
            self.index += 4
            return _Characters(frozenset(chr(int(self.pattern[self.index - 4 : self.index], 16))))
        if code in _ZERO_WIDTH_ESCAPES:
            return _Assertion()
        if code in _LITERAL_ESCAPES:
            return _Characters(frozenset(_LITERAL_ESCAPES[code]))
        if not code:
            raise self.fail("a lone backslash")
        if code.isalnum():  # \w, \d, \s, back references...
            return _UNKNOWN
        return _Characters(frozenset(code))

    def quantified(self, item: _Node) -> _Node:
        char = self.pattern[self.index : self.index + 1]
        if char and char in "?*+":
            low, high = (0, 1) if char == "?" else (0 if char == "*" else 1, None)
            self.index += 1
        elif char == "{" and "}" in self.pattern[self.index :]:
            close = self.pattern.index("}", self.index)
            low_text, _, high_text = self.pattern[self.index + 1 : close].partition(",")
            low = int(low_text or 0)
            high = (
                int(high_text)
                if high_text
                else (None if "," in self.pattern[self.index : close] else low)
            )
            self.index = close + 1
        else:
            return item
        if self.peek("?") or self.peek("+"):  # lazy or possessive: the same strings
            self.index += 1
        return _Repeat(item, low, high)


def _parse(fragment: str) -> _Node:
    parser = _Parser(fragment)
    node = parser.alternatives()
    if parser.index != len(fragment):
        raise parser.fail("unbalanced ')'")
    return node


# ---- first characters -------------------------------------------------------------------------


@dataclass(frozen=True)
class _Start:
    characters: frozenset[str]
    nullable: bool  # can match the empty string, so what follows may start the match too
    known: bool


def _start(node: _Node) -> _Start:
    if isinstance(node, _Characters):
        return _Start(node.characters, False, node.known)
    if isinstance(node, _Assertion):  # skipping it only widens the set of starts
        return _Start(frozenset(), True, True)
    if isinstance(node, _Repeat):
        repeated = _start(node.item)
        return _Start(repeated.characters, repeated.nullable or node.low == 0, repeated.known)
    if isinstance(node, _Alternatives):
        options = [_start(option) for option in node.options]
        return _Start(
            frozenset().union(*(o.characters for o in options)),
            any(o.nullable for o in options),
            all(o.known for o in options),
        )
    characters: set[str] = set()
    known = True
    for item in node.items:
        start = _start(item)
        characters |= start.characters
        known = known and start.known
        if not start.nullable:
            return _Start(frozenset(characters), False, known)
    return _Start(frozenset(characters), True, known)


def first_characters(fragment: str) -> frozenset[str]:
    """Every character that a match of ``fragment`` can begin with."""
    start = _start(_parse(fragment))
    if not start.known:
        raise UnreadableFragment(f"{fragment!r} starts with syntax of unknown first characters")
    if start.nullable:
        raise UnreadableFragment(f"{fragment!r} can match the empty string")
    return start.characters


# ---- finite expansion -------------------------------------------------------------------------


def _strings(node: _Node, relaxed: bool = False) -> frozenset[str] | None:
    """The strings node matches, None when too many or infinite. An assertion is a condition,
    not a string: it makes the node a pattern, unless ``relaxed`` reads it as the empty string."""
    if isinstance(node, _Characters):
        return node.characters if node.known else None
    if isinstance(node, _Assertion):
        return frozenset([""]) if relaxed else None
    if isinstance(node, _Alternatives):
        return _union([_strings(option, relaxed) for option in node.options])
    if isinstance(node, _Repeat):
        item = _strings(node.item, relaxed)
        if item is None or node.high is None:
            return None
        counts = range(node.low, node.high + 1)
        return _union([_concatenation([item] * count) for count in counts])
    return _concatenation([_strings(item, relaxed) for item in node.items])


def _union(sets: list[frozenset[str] | None]) -> frozenset[str] | None:
    if any(strings is None for strings in sets):
        return None
    united = frozenset().union(*(s for s in sets if s is not None))
    return united if len(united) <= MAX_EXPANSION else None


def _concatenation(sets: list[frozenset[str] | None]) -> frozenset[str] | None:
    result: frozenset[str] = frozenset([""])
    for strings in sets:
        if strings is None or len(result) * len(strings) > MAX_EXPANSION:
            return None
        result = frozenset(a + b for a, b in product(result, strings))
    return result


def expansion(fragment: str) -> frozenset[str] | None:
    """Every string ``fragment`` matches, when they are few and it has no assertion; else None."""
    strings = _strings(_parse(fragment))
    return None if strings is None or "" in strings else strings


def prefixes(fragment: str) -> frozenset[tuple[str, bool]]:
    """(prefix, whole) pairs: one of the prefixes starts every match of ``fragment``, and a whole
    one is all of the match. Assertions are read as matching nothing, which only widens the set;
    the fragment's first characters stand in for prefixes that could not be read."""
    found = _prefixes(_parse(fragment))
    if not found or any(not prefix for prefix, _ in found):
        return frozenset((character, False) for character in first_characters(fragment))
    return found


def _prefixes(node: _Node) -> frozenset[tuple[str, bool]]:
    strings = _strings(node, relaxed=True)
    if strings is not None:
        return frozenset((string, True) for string in strings)
    if isinstance(node, _Sequence):
        result = frozenset([("", True)])
        for item in node.items:
            if not any(whole for _, whole in result):
                break
            item_prefixes = _prefixes(item)
            longer = frozenset(
                (prefix + more, more_whole) if whole else (prefix, False)
                for prefix, whole in result
                for more, more_whole in (item_prefixes if whole else [("", False)])
            )
            if len(longer) > MAX_EXPANSION:
                return frozenset((prefix, False) for prefix, _ in result)
            result = longer
        return result
    if isinstance(node, _Alternatives):
        return frozenset().union(*(_prefixes(option) for option in node.options))
    if isinstance(node, _Repeat) and node.low >= 1:
        return frozenset((prefix, False) for prefix, _ in _prefixes(node.item))
    return frozenset([("", False)])


def relaxed_expansion(fragment: str) -> frozenset[str] | None:
    """Every string ``fragment`` matches when its assertions are left out (a superset of its
    matches), when they are few; else None."""
    strings = _strings(_parse(fragment), relaxed=True)
    return None if strings is None or "" in strings else strings
