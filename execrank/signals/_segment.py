"""jieba's segmentation with the HMM off, computed the same way on the same dictionary, faster.

`Tokenizer.tokenize(text, HMM=False)` of jieba 0.42 splits text into blocks of Chinese
characters, letters, digits and `+#&._%-` (`re_han_default`), yields every other character on
its own, and cuts each block along its most probable route: for each position from the block's
end back to its start, the best of the dictionary words starting there (the character alone when
it is a word, or when no word starts there), each scored log(frequency or 1) - log(total) plus
the score of the rest; ties go to the longer word. Runs of single ASCII letters and digits on
the route are joined into one token.

jieba builds a dictionary of candidate lists, then a generator and a tuple per candidate (~5 µs
per character in pure Python); here it is one loop per position, about twice as fast, which
matters because segmentation is most of the time of phrase-dense Chinese text.
tests/signals/test_chinese_segmentation.py checks that both give the same tokens on every
Chinese text of the labelled sets and on generated text.
"""

from __future__ import annotations

import re
from math import log
from typing import Any

Token = tuple[str, int, int]  # word, start, end (positions in the text segmented)
# The score of a piece that only begins words (frequency 0): no word's score is 0, as a word's
# frequency is below the dictionary's total.
PREFIX = 0.0
_NO_ROUTE = float("-inf")  # the best score at a position where only a prefix starts, so far


class Segmenter:
    """The segmentation of one jieba tokenizer's dictionary (words are added to the tokenizer
    first: its dictionary is read once, into `scores`)."""

    def __init__(self, tokenizer: Any, blocks: re.Pattern[str]) -> None:
        log_total = log(tokenizer.total)
        # log(frequency / total) of each word, as jieba computes it, once rather than per use;
        # PREFIX for the pieces that only begin words
        self.scores: dict[str, float] = {
            piece: log(frequency) - log_total if frequency else PREFIX
            for piece, frequency in tokenizer.FREQ.items()
        }
        self._unknown = log(1) - log_total  # jieba scores a character that is no word as 1
        self._blocks = blocks  # jieba's re_han_default, with its capturing group

    def tokens(self, text: str, offset: int = 0) -> list[Token]:
        """jieba's tokens of text (HMM off), whitespace left out; offset is added to every
        position (where text starts in a longer one)."""
        found: list[Token] = []
        start = offset
        # split's capturing group puts the blocks at the odd places, what lies between at the even
        for n, piece in enumerate(self._blocks.split(text)):
            if n % 2:
                found += [(w, start + b, start + e) for w, b, e in self._cut(piece)]
            else:
                found += [(c, start + k, start + k + 1) for k, c in enumerate(piece) if c.strip()]
            start += len(piece)
        return found

    def _cut(self, block: str) -> list[Token]:
        """The block's words along jieba's most probable route."""
        size, scores, unknown = len(block), self.scores, self._unknown
        best = [0.0] * (size + 1)  # best[k]: score of the best route through block[k:]
        ends = list(range(1, size + 1))  # ends[k]: where the word starting at k ends
        for k in range(size - 1, -1, -1):
            alone = scores.get(block[k])
            if alone is None:  # no word starts here
                best[k] = unknown + best[k + 1]
                continue
            top = _NO_ROUTE if alone == PREFIX else alone + best[k + 1]
            end = k + 2
            while end <= size:
                score = scores.get(block[k:end])
                if score is None:
                    break
                if score != PREFIX:
                    score += best[end]
                    if score >= top:
                        top, ends[k] = score, end
                end += 1
            best[k] = unknown + best[k + 1] if top == _NO_ROUTE else top
        return _joined(block, ends)


def _joined(block: str, ends: list[int]) -> list[Token]:
    """The route's words, with runs of single ASCII letters or digits joined as jieba does."""
    tokens: list[Token] = []
    run, k = -1, 0
    while k < len(block):
        end = ends[k]
        if end == k + 1 and block[k].isascii() and block[k].isalnum():
            run = k if run < 0 else run
        else:
            if run >= 0:
                tokens.append((block[run:k], run, k))
                run = -1
            tokens.append((block[k:end], k, end))
        k = end
    if run >= 0:
        tokens.append((block[run:], run, len(block)))
    return tokens
