"""The Chinese matcher's shortcuts (one pattern of all phrases first; no segmenting when a later
part of a phrase is missing, nor when no dictionary word spans a phrase's edges and no negation
cue is near) change nothing: with them switched off, every text gives the same occurrences, on
the labelled sets and on generated text."""

from __future__ import annotations

import csv
import re
from functools import cache
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from execrank import model
from execrank.signals import TopicMatcher
from execrank.signals._chinese import ChineseFinder
from execrank.signals._text import Found

SETS = ("labelled_texts.csv", "holdout_texts.csv", "holdout2_texts.csv", "holdout3_texts.csv")
# Pieces that make hard cases: phrase parts, their neighbours in real words, cues and fillers.
PIECES = ["上云", "马上", "云集", "数字化", "转型", "提升", "生产", "效率", "成本", "降低", "明显",
          "不", "暂无", "计划", "公司", "迁移", "云端", "，", "。", "的", "将", "全面", "人工智能",
          "立人", "数据", "分析", "大", "平台", "尚无", "已取消", "A", "5G", " ",
          # words that span a phrase's edge (人工成本, 运营效率, 迁移至), cues after, Latin beside
          "人工", "运营", "至", "无数", "搁置", "否认", "师", "Open", "AI"]  # fmt: skip


@cache
def default_finder() -> ChineseFinder:
    matcher = TopicMatcher(model.default().intent.topics)
    assert matcher._chinese is not None
    return matcher._chinese


@pytest.fixture
def finder() -> ChineseFinder:
    return default_finder()


def chinese_texts() -> list[str]:
    texts = []
    for name in SETS:
        with Path(__file__).with_name(name).open(encoding="utf-8", newline="") as handle:
            texts += [row["text"] for row in csv.DictReader(handle) if row["language"] == "zh"]
    return texts


def occurrences(found: list[Found]) -> list[tuple[str, int, int, bool]]:
    return [(f.phrase.text, f.start, f.end, f.negated) for f in found]


def without_shortcuts(
    finder: ChineseFinder, text: str, monkeypatch: pytest.MonkeyPatch
) -> list[tuple[str, int, int, bool]]:
    with monkeypatch.context() as patched:
        patched.setattr(finder, "_any_phrase", re.compile(""))
        patched.setattr(finder, "_later_part_missing", lambda *_: False)
        patched.setattr(finder, "_plainly_whole", lambda *_: False)
        return occurrences(finder.find(text))


def test_the_labelled_chinese_texts_give_the_same_occurrences(
    finder: ChineseFinder, monkeypatch: pytest.MonkeyPatch
) -> None:
    texts = chinese_texts()
    assert len(texts) >= 170  # 80 + 12 + 42 + 36
    found = [occurrences(finder.find(t)) for t in texts]
    assert sum(map(len, found)) > 100  # the sets hold many occurrences to compare
    assert found == [without_shortcuts(finder, t, monkeypatch) for t in texts]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=30))
def test_generated_texts_give_the_same_occurrences(pieces: list[str]) -> None:
    finder, text = default_finder(), "".join(pieces)
    with pytest.MonkeyPatch.context() as monkeypatch:
        assert occurrences(finder.find(text)) == without_shortcuts(finder, text, monkeypatch)
