"""The matcher's segmenter cuts text into the same tokens as jieba's `tokenize(text,
HMM=False)` with the same dictionary, on every Chinese text of the labelled sets and on generated
text (Chinese words, Latin letters and digits, punctuation, spaces, symbols jieba yields alone)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from test_chinese_shortcuts import chinese_texts, default_finder, jieba_tokenizer

PIECES = ["数字化转型", "上云", "马上", "云集", "人工智能", "数据", "分析师", "效率", "成本", "的",
          "不", "暂无", "2023", "年", "12%", "℃", "A", "B", "5G", "OpenAI", "C++", "a.b", " ",
          "\n", "，", "。", "、", "《", "》", "—", "·", "\u3400", "羣", "ｆ", "①"]  # fmt: skip


def jieba_tokens(text: str) -> list[tuple[str, int, int]]:
    return [t for t in jieba_tokenizer().tokenize(text, HMM=False) if t[0].strip()]


def test_the_labelled_chinese_texts_are_cut_as_jieba_cuts_them() -> None:
    segmenter, texts = default_finder().segmenter, chinese_texts()
    assert len(texts) >= 170
    assert [segmenter.tokens(t) for t in texts] == [jieba_tokens(t) for t in texts]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(PIECES) | st.characters(), max_size=40))
def test_generated_texts_are_cut_as_jieba_cuts_them(pieces: list[str]) -> None:
    text = "".join(pieces)
    assert default_finder().segmenter.tokens(text) == jieba_tokens(text)
