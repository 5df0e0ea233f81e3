"""The keyword matcher: a topic set compiled once, then applied to many texts."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache
from itertools import groupby
from operator import itemgetter

from execrank.model import Topic
from execrank.signals import _chinese, _english
from execrank.signals._chinese import Occurrences
from execrank.signals._text import Found, Sentences, has_cjk, snippet

COMPILED_TOPIC_SETS_KEPT = 8  # compiled matchers kept by match_topics
# An exclusion cancels the phrases of its sentence that are at most this many characters away.
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
        english = self._english.find(text.lower())
        chinese = None
        if self._chinese is not None and has_cjk(text):
            chinese = self._chinese.occurrences(text)
        if not english and (chinese is None or not chinese.candidates):
            return []
        found = _Found(text, english, chinese)
        matches = []
        for topic in self.topics:
            hit = found.first(topic)
            if hit is not None:
                excerpt = snippet(text, hit.start, hit.end)
                matches.append(TopicMatch(topic, hit.phrase.text, excerpt))
        return matches


class _Found:
    """The occurrences of phrases in one text: the English ones found, the Chinese ones decided
    when needed (segmenting is the costly part), so that a topic settled by its earliest
    occurrence leaves its later ones undecided. The answers are those deciding all would give:
    tests/signals/test_chinese_shortcuts.py compares them."""

    def __init__(self, text: str, english: list[Found], chinese: Occurrences | None) -> None:
        self._text, self._english, self._chinese = text, english, chinese
        self._sentences: Sentences | None = None

    def first(self, topic: str) -> Found | None:
        """topic's earliest occurrence (the longest first where several start at one place)
        that is not negated and has none of the topic's exclusions near it."""
        for hit in self._in_order(topic):
            if not self._negated(hit) and not self._excluded(hit):
                return hit
        return None

    def _in_order(self, topic: str) -> Iterator[Found]:
        """topic's occurrences by start, the longest first where several start at one place,
        equal ones in the order of the English ones and then the Chinese ones, each in the
        model's order. Where a Chinese phrase of one part ends is known before it is decided,
        so a shorter one beside a longer one that counts (数字化 in 数字化转型) is not decided."""
        places: list[tuple[int, int, Found | int]] = [
            (f.start, n, f)
            for n, f in enumerate(self._english)
            if f.phrase.topic == topic and not f.phrase.exclusion
        ]
        if self._chinese is not None:
            english = len(self._english)
            places += [(position, english + n, n) for position, n in self._chinese.of_topic(topic)]
        places.sort()  # by start, then order; orders differ, so items are never compared
        for _, group in groupby(places, key=itemgetter(0)):
            ends = [(self._end(item), order, item) for _, order, item in group]
            longest_first = sorted(
                (-end, order, item) for end, order, item in ends if end is not None
            )
            for _, _, item in longest_first:
                found = self._decide(item)
                if found is not None:
                    yield found

    def _end(self, item: Found | int) -> int | None:
        """Where an English occurrence ends, or where Chinese candidate number item would."""
        if isinstance(item, Found):
            return item.end
        assert self._chinese is not None
        return self._chinese.end(item)

    def _decide(self, item: Found | int) -> Found | None:
        """An English occurrence, or Chinese candidate number item decided now."""
        if isinstance(item, Found):
            return item
        assert self._chinese is not None
        return self._chinese.decide(item)

    def _negated(self, hit: Found) -> bool:
        """Negated itself, or overlapping a negated occurrence: in "no plans to migrate our ERP
        to the cloud", "to the cloud" is part of the negated "migrate ... cloud"."""
        if hit.negated:
            return True
        if any(f.negated for f in self._english if f.start < hit.end and hit.start < f.end):
            return True
        return self._chinese is not None and self._chinese.negated_overlapping(hit)

    def _excluded(self, hit: Found) -> bool:
        """Whether an exclusion of hit's topic is in its sentence, at most
        EXCLUSION_REACH_CHARS away from it: "weather" cancels "cloud" beside it, not "AWS" in a
        job posting's run-on list of skills."""
        topic = hit.phrase.topic
        exclusions = [f for f in self._english if f.phrase.topic == topic and f.phrase.exclusion]
        if self._chinese is not None:
            start, end = hit.start - EXCLUSION_REACH_CHARS, hit.end + EXCLUSION_REACH_CHARS + 1
            exclusions += self._chinese.exclusions(topic, start, end)
        if not exclusions:
            return False
        self._sentences = self._sentences or Sentences(self._text)
        return any(_near(hit, x, self._sentences) for x in exclusions)


def _near(hit: Found, exclusion: Found, sentences: Sentences) -> bool:
    """Whether exclusion is in hit's sentence, at most EXCLUSION_REACH_CHARS away from it."""
    gap = max(exclusion.start - hit.end, hit.start - exclusion.end)
    same = sentences.index(hit.start) == sentences.index(exclusion.start)
    return same and gap <= EXCLUSION_REACH_CHARS


@lru_cache(maxsize=COMPILED_TOPIC_SETS_KEPT)
def _compiled(key: tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...]) -> TopicMatcher:
    topics = {name: Topic(points=0, phrases=list(p), exclusions=list(e)) for name, p, e in key}
    return TopicMatcher(topics)


def match_topics(text: str, topics: Mapping[str, Topic]) -> list[TopicMatch]:
    """The topics whose phrases occur in text (see TopicMatcher), each with the phrase as the
    model writes it and a snippet of the text around the occurrence."""
    key = tuple((name, tuple(t.phrases), tuple(t.exclusions)) for name, t in topics.items())
    return _compiled(key).match(text)
