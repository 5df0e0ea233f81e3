"""The negation cues of both languages, read once from data/negation.yaml."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources

import yaml

# How many words before (after) a phrase a negation cue may stand, within the same clause.
# English words are longer than the words jieba cuts Chinese into, hence the two numbers.
ENGLISH_WORDS_BEFORE = 6
CHINESE_WORDS_BEFORE = 8
WORDS_AFTER = 4


@dataclass(frozen=True)
class Cues:
    before: frozenset[str]
    before_pairs: frozenset[tuple[str, str]]
    before_in_clause: frozenset[str]
    not_negating_next: frozenset[str]
    after: frozenset[str]
    clause_breaks: frozenset[str]


def _cues(section: dict[str, list[object]]) -> Cues:
    def words(key: str) -> frozenset[str]:
        return frozenset(str(word) for word in section.get(key, []))

    pairs = frozenset(
        (str(pair[0]), str(pair[1]))
        for pair in section.get("before_pairs", [])
        if isinstance(pair, list) and len(pair) == 2
    )
    return Cues(
        before=words("before"),
        before_pairs=pairs,
        before_in_clause=words("before_in_clause"),
        not_negating_next=words("not_negating_next"),
        after=words("after"),
        clause_breaks=words("clause_breaks"),
    )


@cache
def cues() -> dict[str, Cues]:
    """{'english': Cues, 'chinese': Cues}."""
    text = (resources.files("execrank.signals") / "data" / "negation.yaml").read_text("utf-8")
    data = yaml.safe_load(text)
    return {language: _cues(data[language]) for language in ("english", "chinese")}
