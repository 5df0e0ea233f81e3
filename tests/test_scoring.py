"""Hand-derived scores for a small fixture under the shipped default model.

Default model numbers used below: role c_level+it 10, vp 7, director 4, former -> 0;
fit all 10 / some 5 / none 0 (criteria: revenue >= 1e9, employees >= 1000, industry in list,
country in US/CN); engagement half-life 90 d, cap 30, reply_to_sales 10, meeting 12,
email_open 1 (diminishing: the k-th repeat x 0.5^(k-1)), report_download 5 (once per asset);
intent half-life 60 d, company share 0.5, digital_transformation 10, cloud_migration 10; network
half-life 365 d, customer_referral 15; tiers A: heat >= 20 and profile >= 14; B: heat >= 8 and
profile >= 8, or profile >= 18; C: role >= 7.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest

from execrank import service
from execrank.store import Store
from tests.conftest import write_csv
from tests.facts import ACME, COMPANY_HEADER, TINY, import_facts

AS_OF = datetime(2026, 6, 1)
NOW = datetime(2026, 6, 2)


def days_before(days: int) -> str:
    return (AS_OF - timedelta(days=days)).isoformat()


def load_fixture(store: Store, folder: Path) -> None:
    files = {
        "companies": (
            COMPANY_HEADER,
            [ACME, TINY, ["nowhere", "Nowhere", "", "", "Mining", "DE"]],
        ),
        "contacts": (
            ["contact_id", "name", "title", "company_id"],
            [
                ["c1", "Ann", "Chief Information Officer", "acme"],
                ["c2", "Bo", "VP Sales", "tiny"],
                ["c3", "Cy", "Former CEO", "acme"],
                ["c4", "Di", "Head of Marketing", "nowhere"],
                ["c5", "Ed", "", ""],
            ],
        ),
        "events": (
            ["contact_id", "event_type", "asset", "occurred_at"],
            [
                ["c1", "reply_to_sales", "", days_before(90)],
                ["c1", "meeting", "", days_before(0)],
                ["c1", "email_open", "nl-1", days_before(90)],
                ["c1", "email_open", "nl-1", days_before(180)],
                ["c2", "report_download", "report-a", days_before(180)],
                ["c2", "meeting", "kickoff", days_before(0)],
                ["c2", "meeting", "demo", days_before(0)],
                ["c2", "meeting", "pricing", days_before(0)],
                ["c2", "meeting", "later", (AS_OF + timedelta(days=1)).isoformat()],
            ],
        ),
        "signals": (
            ["contact_id", "company_id", "kind", "occurred_at", "text"],
            [
                [
                    "",
                    "acme",
                    "news",
                    days_before(60),
                    "Acme launches a digital transformation program",
                ],
                ["c4", "", "post", days_before(0), "We plan a cloud migration this year."],
            ],
        ),
        "relationships": (
            ["contact_id", "kind", "occurred_at", "referrer"],
            [["c4", "customer_referral", days_before(365), "Globex"]],
        ),
    }
    import_facts(store, folder, files, ingested_at=AS_OF)


@pytest.fixture
def scored(store: Store, tmp_path: Path) -> Store:
    load_fixture(store, tmp_path)
    service.score(store, service.default_model(), as_of=AS_OF, known_at=NOW)
    return store


def by_id(store: Store) -> dict[str, service.RankedContact]:
    return {c.contact_id: c for c in service.rank(store)}


def test_role_points_follow_seniority_function_table_and_flags(scored: Store) -> None:
    scores = by_id(scored)
    # c1 CIO: c_level x it override 10; c2 VP: 7; c3 former CEO: 0; c4 head of: 4; c5 no title: 0
    assert [scores[c].dimensions["role"] for c in ("c1", "c2", "c3", "c4", "c5")] == [
        10,
        7,
        0,
        4,
        0,
    ]


def test_company_fit_all_some_none(scored: Store) -> None:
    scores = by_id(scored)
    # acme meets all 4 criteria: 10; tiny meets industry and country only: 5; nowhere: 0
    assert scores["c1"].dimensions["fit"] == 10
    assert scores["c2"].dimensions["fit"] == 5
    assert scores["c4"].dimensions["fit"] == 0
    assert scores["c5"].dimensions["fit"] == 0  # no company


def test_engagement_decays_counts_once_per_asset_and_caps(scored: Store) -> None:
    scores = by_id(scored)
    # c1: reply 10 * 2^(-90/90) = 5; meeting today 12; email_open nl-1 diminishing (factor
    # 0.5): the newest (90 days) 1 * 0.5 = 0.5, the repeat (180 days) 1 * 0.5 * 0.25 = 0.125
    # -> 17.625
    assert scores["c1"].dimensions["engagement"] == pytest.approx(17.625)
    # c2: download 5 * 2^(-180/90) = 1.25 + three meetings today 36 = 37.25 -> cap 30;
    # the meeting after as_of is not seen
    assert scores["c2"].dimensions["engagement"] == pytest.approx(30)


def test_intent_from_company_and_contact_signals(scored: Store) -> None:
    scores = by_id(scored)
    # Acme news 60 days old: 10 * 0.5 (company share) * 2^(-60/60) = 2.5 for each Acme contact
    assert scores["c1"].dimensions["intent"] == pytest.approx(2.5)
    assert scores["c3"].dimensions["intent"] == pytest.approx(2.5)
    # c4's own post today: cloud_migration 10
    assert scores["c4"].dimensions["intent"] == pytest.approx(10)


def test_network_referral_decays(scored: Store) -> None:
    # customer_referral 15 * 2^(-365/365) = 7.5
    assert by_id(scored)["c4"].dimensions["network"] == pytest.approx(7.5)


def test_totals_ranks_and_tiers(scored: Store) -> None:
    ranked = service.rank(scored)
    # c2 7+5+30 = 42 (heat 30, profile 12 -> B); c1 10+10+17.625+2.5 = 40.125 (heat 20.125,
    # profile 20 -> A; its meeting today keeps it from going stale); c4 4+0+10+7.5 = 21.5
    # (profile 4 -> -); c3 0+10+2.5 = 12.5 (-); c5 0 (-)
    assert [(c.contact_id, c.rank, c.tier) for c in ranked] == [
        ("c2", 1, "B"),
        ("c1", 2, "A"),
        ("c4", 3, "-"),
        ("c3", 4, "-"),
        ("c5", 5, "-"),
    ]
    assert [c.total for c in ranked] == pytest.approx([42, 40.125, 21.5, 12.5, 0])


def test_explanation_sums_to_total_and_shows_the_cap(scored: Store) -> None:
    explanation = service.explain(scored, "c2")
    rules = {c.rule: c.points for c in explanation.contributions}
    assert rules["engagement.cap"] == pytest.approx(30 - 37.25)
    assert sum(c.points for c in explanation.contributions) == pytest.approx(42)
    assert explanation.total == pytest.approx(explanation.contact.total)


def test_explanation_carries_evidence(scored: Store) -> None:
    evidence = {c.rule: c.evidence for c in service.explain(scored, "c4").contributions}
    assert '"cloud migration"' in evidence["intent.cloud_migration"]
    assert "Globex" in evidence["network.customer_referral"]
    former = service.explain(scored, "c3").contributions
    assert any(c.rule == "role.zeroed_by_flag" and "former" in c.evidence for c in former)


def test_snapshot_records_as_of_and_model_hash(scored: Store) -> None:
    explanation = service.explain(scored, "c1")
    assert explanation.snapshot.as_of == AS_OF
    assert explanation.snapshot.model_hash == service.default_model().content_hash


def test_facts_ingested_after_known_at_are_not_seen(store: Store, tmp_path: Path) -> None:
    load_fixture(store, tmp_path)  # ingested at AS_OF
    snapshot = service.score(
        store, service.default_model(), as_of=AS_OF, known_at=AS_OF - timedelta(days=1)
    )
    assert snapshot.contacts == 5
    assert by_id(store)["c1"].dimensions["engagement"] == 0


def test_unknown_event_types_are_reported(store: Store, tmp_path: Path) -> None:
    load_fixture(store, tmp_path)
    path = write_csv(
        tmp_path / "more.csv",
        ["contact_id", "event_type", "occurred_at"],
        [["c1", "fax_received", days_before(1)]],
    )
    service.import_file(store, "events", path, ingested_at=AS_OF)
    snapshot = service.score(store, service.default_model(), as_of=AS_OF, known_at=NOW)
    assert snapshot.ignored_kinds == {("events", "fax_received"): 1}


def test_explanation_says_when_the_contact_changed_after_the_snapshot(
    scored: Store, tmp_path: Path
) -> None:
    assert not service.explain(scored, "c1").stale
    path = write_csv(tmp_path / "promoted.csv", ["contact_id", "title"], [["c3", "CEO"]])
    service.import_file(scored, "contacts", path, ingested_at=NOW)
    explanation = service.explain(scored, "c3")
    # c3 was a former CEO (role 0) at snapshot time; now a CEO: role 10 in today's facts
    assert explanation.stale and explanation.total == pytest.approx(12.5 + 10)
