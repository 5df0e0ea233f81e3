"""Strength and decay through the service, in both languages: open roles add up, distinct
signals add up to the cap, a story imported twice under one URL counts once, and every point
decays with the half-life relative to as_of.

Default model numbers: intent half-life 60 days, company share 0.5, cloud_migration and
digital_transformation 10 points, hiring 4 (it roles, manager and up), weight 1.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest

from execrank import model, service
from execrank.store import Store
from tests.conftest import write_csv

AS_OF = datetime(2026, 6, 1)
COLUMNS = ["contact_id", "company_id", "kind", "occurred_at", "url", "title", "text"]


def day(days_before: int) -> str:
    return (AS_OF - timedelta(days=days_before)).isoformat()


def load(store: Store, folder: Path, signals: list[list[str]], name: str = "s.csv") -> None:
    people = [["c1", "Ann", "Chief Information Officer", "acme"]]
    files = {
        "companies": write_csv(folder / "co.csv", ["company_id", "name"], [["acme", "Acme"]]),
        "contacts": write_csv(
            folder / "people.csv", ["contact_id", "name", "title", "company_id"], people
        ),
        "signals": write_csv(folder / name, COLUMNS, signals),
    }
    for kind, path in files.items():
        report = service.import_file(store, kind, path, ingested_at=AS_OF - timedelta(days=400))
        assert not report.rejected, report.rejected


def intent(
    store: Store, scoring_model: model.ScoringModel | None = None, as_of: datetime = AS_OF
) -> dict[str, float]:
    service.score(store, scoring_model or service.default_model(), as_of=as_of, known_at=as_of)
    explained = service.explain(store, "c1")
    points: dict[str, float] = {}
    for c in explained.contributions:
        if c.dimension == "intent":
            points[c.rule] = points.get(c.rule, 0.0) + c.points
    return {"total": explained.contact.dimensions["intent"], **points}


def test_open_roles_add_up_and_each_decays_from_its_own_date(store: Store, tmp_path: Path) -> None:
    posting = "Join our team in Shanghai."
    load(
        store,
        tmp_path,
        [
            ["", "acme", "job_posting", day(0), "j:1", "IT Manager", posting],
            ["", "acme", "job_posting", day(60), "j:2", "信息技术总监", "工作地点：上海。"],
            ["", "acme", "job_posting", day(120), "j:3", "首席信息官", "负责集团信息系统。"],
            ["", "acme", "job_posting", day(0), "j:4", "销售经理", "负责华东区销售。"],
            ["", "acme", "job_posting", day(0), "j:5", "Junior IT Support Analyst", posting],
        ],
    )
    # three IT roles at manager level or above, 4 points * share 0.5 each, halving every 60
    # days: 2 + 1 + 0.5; the sales role and the junior role do not count
    assert intent(store) == pytest.approx({"total": 3.5, "intent.hiring": 3.5})


def test_distinct_signals_add_up_to_the_cap(store: Store, tmp_path: Path) -> None:
    load(
        store,
        tmp_path,
        [
            ["c1", "", "post", day(0), "p:1", "", "We are migrating our ERP to the cloud."],
            ["c1", "", "speech", day(0), "p:2", "", "我们今年将核心系统全面上云。"],
            ["c1", "", "post", day(0), "p:3", "", "公司启动数字化转型战略。"],
        ],
    )
    # 10 + 10 + 10 uncapped
    assert intent(store)["total"] == pytest.approx(30)
    data = service.default_model().model_dump(mode="json")
    data["intent"]["cap"] = 12
    capped = intent(store, model.ScoringModel.model_validate(data))
    assert capped["total"] == pytest.approx(12)


def test_a_story_imported_twice_under_one_url_counts_once(store: Store, tmp_path: Path) -> None:
    story = ["", "acme", "news", day(0), "https://n/1", "", "Acme 宣布推进数字化转型。"]
    load(store, tmp_path, [story], "first.csv")
    load(store, tmp_path, [story], "again.csv")
    assert store.query("SELECT count(*) FROM signals") == [(1,)]
    assert intent(store) == pytest.approx({"total": 5, "intent.digital_transformation": 5})
    (evidence,) = [c.evidence for c in service.explain(store, "c1").contributions if c.rule ==
                   "intent.digital_transformation"]  # fmt: skip
    assert '"数字化转型" in "Acme 宣布推进数字化转型。"' in evidence


def test_points_decay_with_the_half_life_relative_to_as_of(store: Store, tmp_path: Path) -> None:
    load(
        store,
        tmp_path,
        [
            ["c1", "", "post", day(0), "p:1", "", "我们正在把业务系统迁移到云端。"],
            ["c1", "", "post", day(-10), "p:2", "", "We are starting a digital transformation."],
        ],
    )
    # the second post is dated after as_of: it does not count yet
    assert intent(store) == pytest.approx({"total": 10, "intent.cloud_migration": 10})
    later = intent(store, as_of=AS_OF + timedelta(days=60))
    # 60 days on: the first post is one half-life old (5), the second 50 days (10 * 2^(-5/6))
    assert later["intent.cloud_migration"] == pytest.approx(5)
    assert later["intent.digital_transformation"] == pytest.approx(10 * 2 ** (-50 / 60))
