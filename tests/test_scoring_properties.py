"""Invariants of scoring, checked on generated facts through a real store: contributions sum
to the total, ranks are a total order consistent with totals, decay halves per half-life."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from execrank import service
from execrank.store import Store
from tests.conftest import write_csv

AS_OF = datetime(2026, 6, 1)
EVENT_TYPES = sorted(service.default_model().engagement.events)
TITLES = ["CEO", "VP Marketing", "董事长", "Head of Data", "Analyst", "Former CFO", ""]

events = st.lists(
    st.tuples(
        st.integers(0, 5),
        st.sampled_from(EVENT_TYPES),
        st.sampled_from(["", "a", "b"]),
        st.integers(0, 800),
    ),
    max_size=40,
)
contact_titles = st.lists(st.sampled_from(TITLES), min_size=1, max_size=6)
FAST = settings(
    max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def scored_store(folder: Path, titles: list[str], facts: list[tuple[int, str, str, int]]) -> Store:
    store = Store.open(":memory:")
    contacts = [[f"p{i}", title] for i, title in enumerate(titles)]
    rows = [
        [f"p{i % len(titles)}", kind, asset, (AS_OF - timedelta(days=age)).isoformat()]
        for i, kind, asset, age in facts
    ]
    for kind, header, data in (
        ("contacts", ["contact_id", "title"], contacts),
        ("events", ["contact_id", "event_type", "asset", "occurred_at"], rows),
    ):
        service.import_file(
            store, kind, write_csv(folder / f"{kind}.csv", header, data), ingested_at=AS_OF
        )
    service.score(store, service.default_model(), as_of=AS_OF, known_at=AS_OF)
    return store


@FAST
@given(titles=contact_titles, facts=events)
def test_contributions_sum_to_the_total(
    tmp_path: Path, titles: list[str], facts: list[tuple[int, str, str, int]]
) -> None:
    with scored_store(tmp_path, titles, facts) as store:
        for contact in service.rank(store):
            explanation = service.explain(store, contact.contact_id)
            assert sum(c.points for c in explanation.contributions) == pytest.approx(contact.total)
            assert sum(contact.dimensions.values()) == pytest.approx(contact.total)


@FAST
@given(titles=contact_titles, facts=events)
def test_rank_is_a_total_order_consistent_with_totals(
    tmp_path: Path, titles: list[str], facts: list[tuple[int, str, str, int]]
) -> None:
    with scored_store(tmp_path, titles, facts) as store:
        ranked = service.rank(store)
        assert [c.rank for c in ranked] == list(range(1, len(titles) + 1))
        totals = [c.total for c in ranked]
        assert totals == sorted(totals, reverse=True)
        cap = service.default_model().engagement.cap
        assert all(0 <= c.dimensions["engagement"] <= cap + 1e-9 for c in ranked)


@FAST
@given(titles=contact_titles, facts=events)
def test_scoring_twice_gives_the_same_snapshot(
    tmp_path: Path, titles: list[str], facts: list[tuple[int, str, str, int]]
) -> None:
    with scored_store(tmp_path, titles, facts) as store:
        first = [(c.contact_id, c.total, c.rank, c.tier) for c in service.rank(store)]
        service.score(store, service.default_model(), as_of=AS_OF, known_at=AS_OF)
        assert [(c.contact_id, c.total, c.rank, c.tier) for c in service.rank(store)] == first


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(age=st.integers(0, 400))
def test_decay_halves_at_one_half_life(tmp_path: Path, age: int) -> None:
    half_life = int(service.default_model().engagement.half_life_days)
    # one reply_to_sales (10 points) at `age` days and another contact's at age + half-life
    facts = [(0, "reply_to_sales", "", age), (1, "reply_to_sales", "", age + half_life)]
    with scored_store(tmp_path, ["Analyst", "Analyst"], facts) as store:
        engagement = {c.contact_id: c.dimensions["engagement"] for c in service.rank(store)}
    # points are kept to 6 decimals (scoring.POINT_DECIMALS)
    assert engagement["p1"] == pytest.approx(engagement["p0"] / 2, abs=1e-6)
    assert engagement["p0"] == pytest.approx(10 * 2 ** (-age / half_life), abs=1e-6)
