"""A repeated story counts once: near-identical texts about one subject within the window."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from execrank import service
from execrank.signals import Duplicate, SignalText, find_duplicates
from execrank.store import Store
from tests.conftest import write_csv

DAY0 = datetime(2026, 3, 1)
STORY = (
    "Acme Corp today announced a multi-year digital transformation program to modernize "
    "its finance, supply chain and customer service systems, the company said on Monday."
)
# The same release from another feed: other dateline, other tail.
RETOLD = (
    "NEW YORK (Wire) -- Acme Corp today announced a multi-year digital transformation program "
    "to modernize its finance, supply chain and customer service systems, the company said."
)
OTHER = "Acme Corp will report fourth-quarter results on Thursday, followed by a call."
# Chinese: shingles of characters; the same 公告 from a wire service with its dateline.
STORY_ZH = "阿克米集团今日宣布启动为期三年的数字化转型计划，将对财务、供应链系统全面升级。"
RETOLD_ZH = f"新华财经上海3月3日电 {STORY_ZH[:-1]}，公司相关负责人表示。"
OTHER_ZH = "阿克米集团将于周四发布第四季度业绩，并召开电话会议。"


def signal(signal_id: str, text: str, days: int = 0, group: str = "company:acme") -> SignalText:
    return SignalText(signal_id, group, DAY0 + timedelta(days=days), text)


def duplicates(*signals: SignalText) -> list[Duplicate]:
    return find_duplicates(signals, window_days=30, min_similarity=0.5)


def test_the_same_story_retold_within_the_window_is_a_duplicate_of_the_first() -> None:
    (found,) = duplicates(signal("b", RETOLD, 3), signal("a", STORY, 0))
    assert (found.signal_id, found.duplicate_of) == ("b", "a")
    assert 0.5 <= found.similarity < 1


def test_a_retold_chinese_story_is_a_duplicate_and_another_story_is_not() -> None:
    (found,) = duplicates(signal("a", STORY_ZH, 0), signal("b", RETOLD_ZH, 2))
    assert (found.signal_id, found.duplicate_of) == ("b", "a")
    assert 0.5 <= found.similarity < 1
    assert duplicates(signal("a", STORY_ZH), signal("b", OTHER_ZH, 1)) == []


def test_other_stories_other_subjects_and_old_stories_are_not_duplicates() -> None:
    assert duplicates(signal("a", STORY), signal("b", OTHER, 1)) == []
    assert duplicates(signal("a", STORY), signal("b", RETOLD, 1, group="company:globex")) == []
    assert duplicates(signal("a", STORY), signal("b", RETOLD, 31)) == []


def test_a_duplicate_points_at_the_earliest_telling() -> None:
    found = duplicates(signal("c", STORY, 20), signal("b", RETOLD, 10), signal("a", STORY, 0))
    assert sorted((d.signal_id, d.duplicate_of) for d in found) == [("b", "a"), ("c", "a")]


@given(st.permutations(["a", "b", "c", "d"]))
def test_the_result_does_not_depend_on_input_order(order: list[str]) -> None:
    texts = {"a": STORY, "b": RETOLD, "c": OTHER, "d": STORY + " More details follow."}
    days = {"a": 0, "b": 2, "c": 3, "d": 5}
    found = duplicates(*(signal(i, texts[i], days[i]) for i in order))
    assert sorted(d.signal_id for d in found) == ["b", "d"]


def import_signals(store: Store, folder: Path, rows: list[list[str]], name: str) -> None:
    path = write_csv(
        folder / name, ["company_id", "kind", "occurred_at", "url", "title", "text"], rows
    )
    report = service.import_file(store, "signals", path, ingested_at=DAY0 + timedelta(days=60))
    assert not report.rejected, report.rejected


def stored_duplicates(store: Store) -> list[tuple[str, str]]:
    return store.query(
        "SELECT s.url, o.url FROM signal_duplicates d JOIN signals s USING (signal_id) "
        "JOIN signals o ON o.signal_id = d.duplicate_of ORDER BY 1"
    )


def matched_urls(store: Store) -> list[str]:
    return [
        row[0]
        for row in store.query(
            "SELECT DISTINCT s.url FROM signal_matches m JOIN signals s USING (signal_id) "
            "ORDER BY 1"
        )
    ]


def test_a_stored_duplicate_gets_no_matches_and_a_note_naming_the_original(
    store: Store, tmp_path: Path
) -> None:
    companies = write_csv(tmp_path / "companies.csv", ["company_id", "name"], [["acme", "Acme"]])
    service.import_file(store, "companies", companies, ingested_at=DAY0)
    day = (DAY0 + timedelta(days=5)).isoformat()
    import_signals(store, tmp_path, [["acme", "news", day, "u:late", "", RETOLD]], "one.csv")
    service.score(
        store,
        service.default_model(),
        as_of=DAY0 + timedelta(days=60),
        known_at=DAY0 + timedelta(days=61),
    )
    assert matched_urls(store) == ["u:late"]
    # the earlier telling arrives later: it becomes the original, the stored one its duplicate
    import_signals(
        store, tmp_path, [["acme", "news", DAY0.isoformat(), "u:early", "", STORY]], "two.csv"
    )
    service.score(
        store,
        service.default_model(),
        as_of=DAY0 + timedelta(days=60),
        known_at=DAY0 + timedelta(days=61),
    )
    assert matched_urls(store) == ["u:early"]
    assert stored_duplicates(store) == [("u:late", "u:early")]
