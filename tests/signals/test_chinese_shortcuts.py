"""The Chinese matcher's shortcuts change nothing. It segments only the clauses that need it
(with its own implementation of jieba's route), skips segmenting where a later part of a phrase
is missing, or where no dictionary word spans a phrase's edges and no negation cue is near, and
decides a topic's occurrences only until its earliest one counts. The reference here does none
of that: jieba itself segments the whole text, every occurrence is decided, negation spreads
over overlapping occurrences and exclusions cancel nearby ones as the rules say. Both give the
same occurrences and the same matches (topic, phrase, snippet), on every Chinese text of the
labelled sets and on generated text."""

from __future__ import annotations

import csv
import string
from dataclasses import replace
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from execrank import model
from execrank.signals import TopicMatch, TopicMatcher
from execrank.signals._chinese import ChineseFinder, _dictionary, _jieba, _Text
from execrank.signals._text import Found, Sentences, snippet

SETS = ("labelled_texts.csv", "holdout_texts.csv", "holdout2_texts.csv", "holdout3_texts.csv")
EXCLUSION_REACH_CHARS = 60  # the rules: an exclusion cancels phrases this near in its sentence
# Pieces that make hard cases: phrase parts, their neighbours in real words, cues and fillers.
PIECES = ["上云", "马上", "云集", "数字化", "转型", "提升", "生产", "效率", "成本", "降低", "明显",
          "不", "暂无", "计划", "公司", "迁移", "云端", "，", "。", "的", "将", "全面", "人工智能",
          "立人", "数据", "分析", "大", "平台", "尚无", "已取消", "A", "5G", " ",
          # words that span a phrase's edge (人工成本, 运营效率, 迁移至), cues after, Latin beside
          "人工", "运营", "至", "无数", "搁置", "否认", "师", "Open", "AI",
          # exclusions and their neighbours; a clause break that is no punctuation
          "天气", "多云", "降雨", "气象", "但", "、", "数字化转型"]  # fmt: skip
# Words that may stand between the parts of a phrase and are long: dictionary words of 7 to 16
# characters, a run of spaces (no word at all) and, generated below, runs of Latin letters and
# digits (jieba joins a run into one word, however long).
LONG_WORDS = ["中华人民共和国", "全国高等教育自学考试指导委员会",
              "侵华日军南京大屠杀遇难同胞纪念馆", "数字化转型", "人工智能", " " * 20]  # fmt: skip


@cache
def default_matcher() -> TopicMatcher:
    return TopicMatcher(model.default().intent.topics)


def default_finder() -> ChineseFinder:
    finder = default_matcher()._chinese
    assert finder is not None
    return finder


@cache
def jieba_tokenizer() -> Any:
    """jieba's own tokenizer with the finder's words added, as the finder's dictionary is."""
    tokenizer = _jieba().Tokenizer()
    tokenizer.FREQ, tokenizer.total = dict(_dictionary().FREQ), _dictionary().total
    tokenizer.initialized = True
    for word in sorted(default_finder()._words):
        tokenizer.add_word(word)
    return tokenizer


def whole_text_words(text: _Text, position: int) -> tuple[list[Any], dict[int, int]]:
    """The words of position's clause, out of jieba's segmentation of the whole text."""
    start, end = text.clause(position)
    tokens = [
        t
        for t in jieba_tokenizer().tokenize(text.text, HMM=False)
        if t[0].strip() and start <= t[1] and t[2] <= end
    ]
    return tokens, {t[1]: n for n, t in enumerate(tokens)}


def reference_found(text: str, monkeypatch: pytest.MonkeyPatch) -> list[Found]:
    finder = default_finder()
    with monkeypatch.context() as patched:
        patched.setattr(_Text, "segmented", lambda *_: True)  # no shortcut: always segment
        patched.setattr(_Text, "words", whole_text_words)
        patched.setattr(finder, "_later_part_missing", lambda *_: False)
        return finder.find(text)


def reference_matches(text: str, monkeypatch: pytest.MonkeyPatch) -> list[TopicMatch]:
    """Every occurrence decided, then the rules: an occurrence overlapping a negated one is
    negated; a topic's earliest occurrence (longest first) that is neither negated nor within
    EXCLUSION_REACH_CHARS of one of its exclusions in its sentence is its match."""
    found = default_matcher()._english.find(text.lower()) + reference_found(text, monkeypatch)
    negated = [f for f in found if f.negated]
    found = [
        replace(f, negated=True) if any(n.start < f.end and f.start < n.end for n in negated) else f
        for f in found
    ]
    sentences, matches = Sentences(text), []
    for topic in default_matcher().topics:
        hits = sorted(
            (f for f in found if f.phrase.topic == topic and not f.phrase.exclusion),
            key=lambda f: (f.start, -f.end),
        )
        exclusions = [f for f in found if f.phrase.topic == topic and f.phrase.exclusion]
        for hit in hits:
            near = any(
                sentences.index(hit.start) == sentences.index(x.start)
                and max(x.start - hit.end, hit.start - x.end) <= EXCLUSION_REACH_CHARS
                for x in exclusions
            )
            if not near and not hit.negated:
                matches.append(
                    TopicMatch(topic, hit.phrase.text, snippet(text, hit.start, hit.end))
                )
                break
    return matches


def occurrences(found: list[Found]) -> list[tuple[str, int, int, bool]]:
    return [(f.phrase.text, f.start, f.end, f.negated) for f in found]


def chinese_texts() -> list[str]:
    texts = []
    for name in SETS:
        with Path(__file__).with_name(name).open(encoding="utf-8", newline="") as handle:
            texts += [row["text"] for row in csv.DictReader(handle) if row["language"] == "zh"]
    return texts


def test_the_labelled_chinese_texts_give_the_same_occurrences_and_matches(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    texts = chinese_texts()
    assert len(texts) >= 170  # 80 + 12 + 42 + 36
    found = [occurrences(default_finder().find(t)) for t in texts]
    assert sum(map(len, found)) > 100  # the sets hold many occurrences to compare
    assert found == [occurrences(reference_found(t, monkeypatch)) for t in texts]
    matches = [default_matcher().match(t) for t in texts]
    assert sum(map(len, matches)) > 50
    assert matches == [reference_matches(t, monkeypatch) for t in texts]


def test_texts_of_several_labelled_texts_give_the_same_matches(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # press-release-sized texts with many occurrences, several per topic (as bench/signals.py)
    pieces = chinese_texts()
    texts = ["".join(pieces[i : i + 8]) for i in range(0, len(pieces), 5)]
    assert [default_matcher().match(t) for t in texts] == [
        reference_matches(t, monkeypatch) for t in texts
    ]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=30))
def test_generated_texts_give_the_same_occurrences_and_matches(pieces: list[str]) -> None:
    text = "".join(pieces)
    with pytest.MonkeyPatch.context() as monkeypatch:
        reference = reference_found(text, monkeypatch)
        assert occurrences(default_finder().find(text)) == occurrences(reference)
        assert default_matcher().match(text) == reference_matches(text, monkeypatch)


def test_a_phrase_inside_a_negated_one_that_starts_earlier_is_negated_too(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # 暂无 is more than 8 words before 生产效率, so the phrase alone is not negated; but it lies
    # inside 提升 ... 效率, which starts earlier and is within the cue's reach
    text = "公司暂无计划在今年进一步大幅提升工厂的生产效率。"
    found = [(f.phrase.text, f.negated) for f in default_finder().find(text)]
    assert found == [("生产效率", False), ("提升 ... 效率", True)]
    assert default_matcher().match(text) == [] == reference_matches(text, monkeypatch)


def test_a_phrase_whose_gap_words_are_long_is_found(monkeypatch: pytest.MonkeyPatch) -> None:
    # two words between 提升 (3-5) and 效率 (19-21): 中华人民共和国 twice, 14 characters
    text = "公司将提升中华人民共和国中华人民共和国效率"
    found = occurrences(default_finder().find(text))
    assert found == [("提升 ... 效率", 3, 21, False)]
    assert found == occurrences(reference_found(text, monkeypatch))
    assert [m.phrase for m in default_matcher().match(text)] == ["提升 ... 效率"]
    assert default_matcher().match(text) == reference_matches(text, monkeypatch)


def test_a_phrase_inside_a_negated_one_with_long_gap_words_is_negated_too(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # 提升 (11-13) ... 效率 (31-33) is negated by 暂无, the fifth word before it; 生产效率 (29-33)
    # lies inside it, 18 characters after 提升 starts; 暂无 is the ninth word before 生产效率,
    # out of a cue's reach of eight
    text = "公司暂无计划在今年大幅提升中华人民共和国中华人民共和国中华生产效率。"
    found = [(f.phrase.text, f.start, f.end, f.negated) for f in default_finder().find(text)]
    assert found == [("生产效率", 29, 33, False), ("提升 ... 效率", 11, 33, True)]
    assert default_matcher().match(text) == [] == reference_matches(text, monkeypatch)


GAP_WORDS = st.one_of(
    st.sampled_from(LONG_WORDS + PIECES),
    st.text(string.ascii_letters + string.digits, min_size=5, max_size=40),
)
PARTS = [("提升", "效率"), ("降低", "成本"), ("迁移", "云端"), ("成本", "下降"), ("优化", "流程")]


@settings(max_examples=150, deadline=None)
@given(
    st.lists(st.sampled_from(PIECES), max_size=8),
    st.sampled_from(PARTS),
    st.lists(GAP_WORDS, min_size=1, max_size=4),
    st.lists(st.sampled_from(PIECES), max_size=8),
)
def test_generated_texts_with_long_words_between_a_phrases_parts_give_the_same_matches(
    before: list[str], parts: tuple[str, str], gap: list[str], after: list[str]
) -> None:
    text = "".join(before) + parts[0] + "".join(gap) + parts[1] + "".join(after)
    with pytest.MonkeyPatch.context() as monkeypatch:
        reference = reference_found(text, monkeypatch)
        assert occurrences(default_finder().find(text)) == occurrences(reference)
        assert default_matcher().match(text) == reference_matches(text, monkeypatch)
