"""Intent signals: find the model's topic phrases in public text, with the evidence snippet.

English phrases match case-insensitively on word boundaries ("cloud migration" does not match
inside "cloudmigrations"); phrases in Chinese script match as substrings, since Chinese has no
spaces between words. Each (text, topic) yields at most one match: the first phrase found.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from execrank.model import Topic

SNIPPET_CONTEXT_CHARS = 60  # characters kept on each side of a match in the evidence snippet


@dataclass(frozen=True)
class TopicMatch:
    """One topic found in a text: the phrase that matched and the sentence part around it."""

    topic: str
    phrase: str
    snippet: str


def _has_cjk(text: str) -> bool:
    return any("\u3400" <= ch <= "\u9fff" for ch in text)


@cache
def _pattern(phrase: str) -> re.Pattern[str]:
    words = r"[\s\-]+".join(re.escape(word) for word in phrase.split())
    if _has_cjk(phrase):
        return re.compile(words)
    return re.compile(rf"(?<![\w]){words}(?![\w])", re.IGNORECASE)


def _snippet(text: str, start: int, end: int) -> str:
    left = max(0, start - SNIPPET_CONTEXT_CHARS)
    right = min(len(text), end + SNIPPET_CONTEXT_CHARS)
    core = " ".join(text[left:right].split())
    return ("…" if left > 0 else "") + core + ("…" if right < len(text) else "")


def match_topics(text: str, topics: dict[str, Topic]) -> list[TopicMatch]:
    """The topics whose phrases occur in text, each with its first matching phrase (in the
    order the model lists them) and a snippet of the text around it."""
    matches = []
    for name, topic in topics.items():
        for phrase in topic.phrases:
            found = _pattern(phrase).search(text)
            if found:
                matches.append(TopicMatch(name, phrase, _snippet(text, *found.span())))
                break
    return matches
