"""Throughput of the intent keyword matcher on press-release-sized texts, single process.

    python bench/signals.py [--count N] [--repeat R]

English texts: the real press releases of shared/data/raw/intent_signals/newsapi_press_releases.csv
(headline, summary and opening, ~500 characters), each followed by a different AG News item, so
that all N texts differ (~730 characters). Chinese texts: eight of the hand-written Chinese texts
of tests/signals/labelled_texts.csv joined (~270 characters, several topic phrases in each).
Chinese rosters: the board members of Chinese listed companies in
shared/data/raw/cn_executives/lemonhu_executive_prep.csv ("许恩轶，董事长/董事；…", ~270
characters), real Chinese text with no topic phrase, as most texts are. The reference pass
(lower case, then `phrase in text` for every phrase of the default model) runs over the same
texts in the same process, alternating pass by pass, and both are timed in processor time, so
the ratio between the two says how fast the matcher is independently of the machine.
"""

from __future__ import annotations

import argparse
import csv
import itertools
import re
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from execrank import model  # noqa: E402
from execrank.signals import TopicMatcher  # noqa: E402

SHARED_RAW = ROOT.parent / "shared" / "data" / "raw"
RAW = SHARED_RAW / "intent_signals"
EXECUTIVES = SHARED_RAW / "cn_executives" / "lemonhu_executive_prep.csv"
LABELLED = ROOT / "tests" / "signals" / "labelled_texts.csv"
TARGET_PER_SECOND = 5_000  # issue 5: press-release-sized texts per second on one core
CHINESE_PER_TEXT = 8  # hand-written Chinese texts joined into one press-release-sized text
ROSTER_CHARS = 270  # characters of board roster per text, the size of the Chinese texts


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def english_texts(count: int) -> list[str]:
    releases = [
        " ".join((r["title"], r["description"], re.sub(r"…\s*\[\+\d+ chars\]$", "", r["content"])))
        for r in _rows(RAW / "newsapi_press_releases.csv")
    ]
    news = [f"{r['title']}. {r['description']}" for r in _rows(RAW / "ag_news_test.csv")]
    return [f"{releases[i % len(releases)]} {news[i % len(news)]}" for i in range(count)]


def chinese_texts(count: int) -> list[str]:
    pieces = [r["text"] for r in _rows(LABELLED) if r["language"] == "zh"]
    texts = []
    for i in range(count):
        start = (i * 3) % len(pieces)
        chosen = itertools.islice(itertools.cycle(pieces), start, start + CHINESE_PER_TEXT)
        texts.append("".join(chosen) + f"（第{i}期）")
    return texts


def roster_texts(count: int) -> list[str]:
    people = [f"{r['name']}，{r['jobs']}；" for r in _rows(EXECUTIVES)]
    texts, start = [], 0
    for _ in range(count):
        text = ""
        while len(text) < ROSTER_CHARS:
            text += people[start % len(people)]
            start += 1
        texts.append(text)
    return texts


def per_second(works: list[Callable[[str], object]], texts: list[str], repeat: int) -> list[float]:
    """Texts per second of each work, best of `repeat` passes, the works alternating pass by
    pass; processor time of this process, so other work on a shared machine counts little."""
    best = [float("inf")] * len(works)
    for _ in range(repeat):
        for n, work in enumerate(works):
            started = time.process_time()
            for text in texts:
                work(text)
            best[n] = min(best[n], time.process_time() - started)
    return [len(texts) / seconds for seconds in best]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=20_000, help="texts per language")
    parser.add_argument("--repeat", type=int, default=3, help="runs; the fastest counts")
    options = parser.parse_args()

    topics = model.default().intent.topics
    matcher = TopicMatcher(topics)
    phrases = [p.lower() for t in topics.values() for p in (*t.phrases, *t.exclusions)]

    def reference(text: str) -> list[str]:
        lower = text.lower()
        return [p for p in phrases if p in lower]

    matcher.match("公司推进数字化转型。")  # load jieba's dictionary before timing
    for language, texts in (
        ("English", english_texts(options.count)),
        ("Chinese", chinese_texts(options.count)),
        ("Chinese rosters", roster_texts(options.count)),
    ):
        chars = sum(map(len, texts)) / len(texts)
        matched = sum(bool(matcher.match(t)) for t in texts) / len(texts)
        ours, plain = per_second([matcher.match, reference], texts, options.repeat)
        verdict = "meets" if ours >= TARGET_PER_SECOND else "MISSES"
        print(
            f"{language}: {len(texts)} texts of {chars:.0f} characters on average, "
            f"{matched:.0%} with a topic\n"
            f"  keyword matcher  {ours:>9,.0f} texts/s ({verdict} the target of "
            f"{TARGET_PER_SECOND:,}/s)\n"
            f"  reference scan   {plain:>9,.0f} texts/s (lower() + `phrase in text`, "
            f"{len(phrases)} phrases)\n"
            f"  ratio            {ours / plain:>9.2f} (matcher / reference)"
        )


if __name__ == "__main__":
    main()
