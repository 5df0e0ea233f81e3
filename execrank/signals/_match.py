"""The keyword matcher: a topic set compiled once, then applied to many texts."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from functools import lru_cache

from execrank.model import Topic
from execrank.signals import _chinese, _english
from execrank.signals._text import Found, Sentences, has_cjk, snippet

COMPILED_TOPIC_SETS_KEPT = 8  # compiled matchers kept by match_topics
# An exclusion cancels the phrases of its sentence that are at most this many characters away:
# "weather" cancels "cloud" beside it, not "AWS" in a job posting's run-on list of skills.
EXCLUSION_REACH_CHARS = 60


@dataclass(frozen=True)
class TopicMatch:
    """One topic found in a text: the phrase that matched and the sentence part around it."""

    topic: str
    phrase: str
    snippet: str


class TopicMatcher:
    """The phrases and exclusions of a topic set, ready to match texts.

    A topic matches a text when one of its phrases occurs (English by word stems on word
    boundaries, Chinese by jieba words), is not negated ("no plans to migrate to the cloud",
    "暂无上云计划") and has none of the topic's exclusions near it in its sentence (within
    EXCLUSION_REACH_CHARS). The match reports the earliest such occurrence.
    """

    def __init__(self, topics: Mapping[str, Topic]) -> None:
        self.topics = tuple(topics)
        english, chinese = [], []
        for name, topic in topics.items():
            for text, exclusion in [(p, False) for p in topic.phrases] + [
                (p, True) for p in topic.exclusions
            ]:
                if has_cjk(text):
                    chinese.append(_chinese.parse(name, text, exclusion))
                else:
                    english.append(_english.parse(name, text, exclusion))
        self._english = _english.EnglishFinder(english)
        self._chinese = _chinese.ChineseFinder(chinese) if chinese else None

    def match(self, text: str) -> list[TopicMatch]:
        """The topics found in text, in the model's order, each with its evidence."""
        found: list[Found] = list(self._english.find(text.lower()))
        if self._chinese is not None and has_cjk(text):
            found += self._chinese.find(text)
        if not found:
            return []
        found = _spread_negation(found)
        sentences: Sentences | None = None
        matches = []
        for topic in self.topics:
            hits = sorted(
                (f for f in found if f.phrase.topic == topic and not f.phrase.exclusion),
                key=lambda f: (f.start, -f.end),
            )
            excluded = [f for f in found if f.phrase.topic == topic and f.phrase.exclusion]
            if excluded and hits:
                sentences = sentences or Sentences(text)
                hits = [f for f in hits if not any(_near(f, x, sentences) for x in excluded)]
            for hit in hits:
                if not hit.negated:
                    excerpt = snippet(text, hit.start, hit.end)
                    matches.append(TopicMatch(topic, hit.phrase.text, excerpt))
                    break
        return matches


def _near(hit: Found, exclusion: Found, sentences: Sentences) -> bool:
    """Whether exclusion is in hit's sentence, at most EXCLUSION_REACH_CHARS away from it."""
    gap = max(exclusion.start - hit.end, hit.start - exclusion.end)
    same = sentences.index(hit.start) == sentences.index(exclusion.start)
    return same and gap <= EXCLUSION_REACH_CHARS


def _spread_negation(found: list[Found]) -> list[Found]:
    """An occurrence that overlaps a negated one is negated too: in "no plans to migrate our
    ERP to the cloud", "to the cloud" is part of the negated "migrate ... cloud"."""
    negated = [f for f in found if f.negated]
    if not negated:
        return found
    return [
        replace(f, negated=True)
        if not f.negated and any(n.start < f.end and f.start < n.end for n in negated)
        else f
        for f in found
    ]


@lru_cache(maxsize=COMPILED_TOPIC_SETS_KEPT)
def _compiled(key: tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...]) -> TopicMatcher:
    topics = {name: Topic(points=0, phrases=list(p), exclusions=list(e)) for name, p, e in key}
    return TopicMatcher(topics)


def match_topics(text: str, topics: Mapping[str, Topic]) -> list[TopicMatch]:
    """The topics whose phrases occur in text (see TopicMatcher), each with the phrase as the
    model writes it and a snippet of the text around the occurrence."""
    key = tuple((name, tuple(t.phrases), tuple(t.exclusions)) for name, t in topics.items())
    return _compiled(key).match(text)
