"""Intent through the service: import signals, score, explain; every point shows its evidence.

Default model numbers: intent half-life 60 days, company share 0.5; cloud_migration 10,
data_analytics 8, hiring 4 (it roles, manager and up).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest

from execrank import service
from execrank.store import Store
from tests.conftest import write_csv

AS_OF = datetime(2026, 6, 1)


def day(days_before: int) -> str:
    return (AS_OF - timedelta(days=days_before)).isoformat()


@pytest.fixture
def explained(store: Store, tmp_path: Path) -> service.Explanation:
    files = {
        "companies": write_csv(tmp_path / "co.csv", ["company_id", "name"], [["acme", "Acme"]]),
        "contacts": write_csv(
            tmp_path / "people.csv",
            ["contact_id", "name", "title", "company_id"],
            [["c1", "Ann", "Chief Information Officer", "acme"]],
        ),
        "signals": write_csv(
            tmp_path / "signals.csv",
            ["contact_id", "company_id", "kind", "occurred_at", "url", "title", "text"],
            [
                [
                    "",
                    "acme",
                    "news",
                    day(0),
                    "https://n/1",
                    "",
                    "Acme starts moving its ERP to the cloud, the company said.",
                ],
                [
                    "",
                    "acme",
                    "job_posting",
                    day(60),
                    "https://j/1",
                    "Head of Data Platform",
                    "Acme is hiring a leader for 30 engineers.",
                ],
                [
                    "",
                    "acme",
                    "job_posting",
                    day(60),
                    "https://j/2",
                    "Regional Sales Manager",
                    "Grow accounts in the Midwest.",
                ],
                [
                    "c1",
                    "",
                    "post",
                    day(0),
                    "https://p/1",
                    "",
                    "We are not planning a cloud migration this year.",
                ],
            ],
        ),
    }
    for kind, path in files.items():
        report = service.import_file(store, kind, path, ingested_at=AS_OF)
        assert not report.rejected, report.rejected
    service.score(store, service.default_model(), as_of=AS_OF, known_at=AS_OF)
    return service.explain(store, "c1")


def test_company_news_and_an_open_role_reach_the_contact(
    explained: service.Explanation,
) -> None:
    intent = {c.rule: c.points for c in explained.contributions if c.dimension == "intent"}
    # news today: cloud_migration 10 * 0.5 = 5; the posting 60 days old: hiring 4 * 0.5 * 0.5
    # = 1 and, from its title, data_analytics 8 * 0.5 * 0.5 = 2; the sales role is no IT role
    # and the negated post earns nothing
    assert intent == pytest.approx(
        {"intent.cloud_migration": 5, "intent.hiring": 1, "intent.data_analytics": 2}
    )
    assert explained.contact.dimensions["intent"] == pytest.approx(8)


def test_explain_shows_the_phrase_and_the_sentence_that_earned_the_points(
    explained: service.Explanation,
) -> None:
    evidence = {c.rule: c.evidence for c in explained.contributions}
    assert evidence["intent.cloud_migration"] == (
        f'news on {day(0)[:10]} about the company (share 0.5): "to the cloud" in '
        '"Acme starts moving its ERP to the cloud, the company said." <https://n/1> '
        "(source unknown)"
    )
    assert (
        '"Head of Data Platform" in "open role: Head of Data Platform (director, it)"'
        in (evidence["intent.hiring"])
    )
    assert (
        '"data platform" in "Head of Data Platform Acme is hiring'
        in (evidence["intent.data_analytics"])
    )
