"""The demo's synthetic activity: seeded, labelled, within the year before as_of, model-shaped."""

from __future__ import annotations

import csv
import re
from collections import Counter
from datetime import UTC, datetime, timedelta
from importlib.resources import files
from pathlib import Path
from typing import Any

import pytest
import yaml

from execrank.demo._real import write_real_inputs
from execrank.demo._synthetic import (
    EVENT_TYPES,
    RELATIONSHIP_KINDS,
    SIGNAL_KINDS,
    TEMPLATES,
    write_synthetic_inputs,
)

AS_OF = datetime(2026, 11, 30)
SEED = 7
OUTPUTS = ("events.csv", "signals.csv", "relationships.csv")
Row = dict[str, str]
CJK = re.compile(r"[\u4e00-\u9fff]")


def read_rows(path: Path) -> list[Row]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def model() -> dict[str, Any]:
    text = (files("execrank") / "defaults" / "model.yaml").read_text(encoding="utf-8")
    loaded: dict[str, Any] = yaml.safe_load(text)
    return loaded


@pytest.fixture(scope="module")
def phrases(model: dict[str, Any]) -> list[str]:
    return [p.lower() for topic in model["intent"]["topics"].values() for p in topic["phrases"]]


@pytest.fixture(scope="module")
def real_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out_dir = tmp_path_factory.mktemp("real")
    write_real_inputs(out_dir)
    return out_dir


def generate(real_dir: Path, out_dir: Path, seed: int = SEED) -> dict[str, int]:
    return write_synthetic_inputs(
        real_dir / "contacts.csv", real_dir / "companies.csv", out_dir, seed=seed, as_of=AS_OF
    )


@pytest.fixture(scope="module")
def out(real_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out_dir = tmp_path_factory.mktemp("synthetic")
    generate(real_dir, out_dir)
    return out_dir


@pytest.fixture(scope="module")
def events(out: Path) -> list[Row]:
    return read_rows(out / "events.csv")


@pytest.fixture(scope="module")
def signals(out: Path) -> list[Row]:
    return read_rows(out / "signals.csv")


@pytest.fixture(scope="module")
def relationships(out: Path) -> list[Row]:
    return read_rows(out / "relationships.csv")


@pytest.fixture(scope="module")
def contacts(real_dir: Path) -> dict[str, Row]:
    return {row["contact_id"]: row for row in read_rows(real_dir / "contacts.csv")}


@pytest.fixture(scope="module")
def companies(real_dir: Path) -> dict[str, Row]:
    return {row["company_id"]: row for row in read_rows(real_dir / "companies.csv")}


def matches_a_topic(text: str, phrases: list[str]) -> bool:
    return any(phrase in text.lower() for phrase in phrases)


def test_headers_are_the_native_columns(out: Path) -> None:
    headers = {name: (out / name).read_text(encoding="utf-8").split("\n", 1)[0] for name in OUTPUTS}
    assert headers == {
        "events.csv": "event_id,contact_id,event_type,asset,occurred_at,source",
        "signals.csv": "signal_id,contact_id,company_id,kind,occurred_at,url,title,text,source",
        "relationships.csv": "relationship_id,contact_id,kind,occurred_at,referrer,note,source",
    }


def test_returned_counts_are_the_rows_written(real_dir: Path, tmp_path: Path) -> None:
    counts = generate(real_dir, tmp_path)
    assert counts == {
        "events": len(read_rows(tmp_path / "events.csv")),
        "signals": len(read_rows(tmp_path / "signals.csv")),
        "relationships": len(read_rows(tmp_path / "relationships.csv")),
    }


def test_same_seed_gives_identical_bytes_and_another_seed_does_not(
    real_dir: Path, out: Path, tmp_path: Path
) -> None:
    generate(real_dir, tmp_path / "again")
    generate(real_dir, tmp_path / "other", seed=SEED + 1)
    for name in OUTPUTS:
        assert (tmp_path / "again" / name).read_bytes() == (out / name).read_bytes(), name
        assert (tmp_path / "other" / name).read_bytes() != (out / name).read_bytes(), name


def test_vocabularies_are_the_models(model: dict[str, Any]) -> None:
    assert set(EVENT_TYPES) == set(model["engagement"]["events"])
    assert set(RELATIONSHIP_KINDS) == set(model["network"]["kinds"])
    assert set(SIGNAL_KINDS) == {"post", "news", "speech", "job_posting"}


def test_every_row_uses_the_vocabularies(
    events: list[Row], signals: list[Row], relationships: list[Row], model: dict[str, Any]
) -> None:
    assert {e["event_type"] for e in events} == set(model["engagement"]["events"])
    assert {s["kind"] for s in signals} == {"post", "news", "speech", "job_posting"}
    assert {r["kind"] for r in relationships} == set(model["network"]["kinds"])


def test_every_row_is_labelled_synthetic(
    events: list[Row], signals: list[Row], relationships: list[Row]
) -> None:
    for rows, id_column in ((events, "event_id"), (signals, "signal_id"),
                            (relationships, "relationship_id")):  # fmt: skip
        assert {row["source"] for row in rows} == {"synthetic"}
        ids = [row[id_column] for row in rows]
        assert all(row_id.startswith("syn-") for row_id in ids)
        assert len(set(ids)) == len(ids)
    assert all(s["url"].startswith("https://example.invalid/synthetic/") for s in signals)


def test_every_row_is_dated_within_the_year_before_as_of(
    events: list[Row], signals: list[Row], relationships: list[Row]
) -> None:
    for row in [*events, *signals, *relationships]:
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d", row["occurred_at"])
        assert AS_OF - timedelta(days=365) < datetime.fromisoformat(row["occurred_at"]) <= AS_OF


def test_rows_refer_to_real_contacts_and_companies(
    events: list[Row],
    signals: list[Row],
    relationships: list[Row],
    contacts: dict[str, Row],
    companies: dict[str, Row],
) -> None:
    assert {e["contact_id"] for e in events} <= set(contacts)
    assert {r["contact_id"] for r in relationships} <= set(contacts)
    for signal in signals:  # about a contact or a company, never both
        assert bool(signal["contact_id"]) != bool(signal["company_id"])
        assert signal["contact_id"] in contacts or signal["company_id"] in companies


def test_activity_is_skewed_like_real_pipelines(
    events: list[Row],
    signals: list[Row],
    relationships: list[Row],
    contacts: dict[str, Row],
    companies: dict[str, Row],
) -> None:
    engaged = {e["contact_id"] for e in events}
    assert 0.10 <= len(engaged) / len(contacts) <= 0.15
    assert 0.02 <= len({r["contact_id"] for r in relationships}) / len(contacts) <= 0.04
    signalled = {s["company_id"] for s in signals if s["company_id"]}
    assert 0.25 <= len(signalled) / len(companies) <= 0.35
    types = Counter(e["event_type"] for e in events)
    assert types["email_open"] + types["web_visit"] > len(events) / 2
    assert types["report_download"] > types["meeting"]
    assert types["meeting"] + types["reply_to_sales"] < 0.1 * len(events)
    repeats = Counter((e["contact_id"], e["event_type"], e["asset"]) for e in events)
    assert max(repeats.values()) > 1  # the same asset is opened or visited more than once


def test_texts_are_english_and_chinese_and_not_all_on_topic(
    signals: list[Row], phrases: list[str]
) -> None:
    texts = [s["title"] + " " + s["text"] for s in signals]
    assert any(CJK.search(text) for text in texts)
    assert any(text.isascii() for text in texts)
    assert any(matches_a_topic(text, phrases) for text in texts)
    assert any(not matches_a_topic(text, phrases) for text in texts)


def test_chinese_companies_get_mostly_chinese_texts(
    signals: list[Row], companies: dict[str, Row]
) -> None:
    cn = [s for s in signals if companies.get(s["company_id"], {}).get("country") == "CN"]
    us = [s for s in signals if companies.get(s["company_id"], {}).get("country") == "US"]
    assert sum(bool(CJK.search(s["text"])) for s in cn) > 0.7 * len(cn)
    assert not [s for s in us if CJK.search(s["text"])]


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda t: t.title)
def test_a_templates_on_topic_flag_agrees_with_the_model(template: Any, phrases: list[str]) -> None:
    filled = (template.title + " " + template.text).format(company="Acme", person="Dana Lee")
    assert matches_a_topic(filled, phrases) is template.on_topic


def test_templates_cover_both_languages() -> None:
    languages = Counter(t.language for t in TEMPLATES)
    assert languages["en"] >= 15
    assert languages["zh"] >= 15


def test_hot_contacts_exist_in_us_and_cn_companies(
    events: list[Row], signals: list[Row], contacts: dict[str, Row], phrases: list[str]
) -> None:
    recent = (AS_OF - timedelta(days=30)).isoformat()
    met = {
        e["contact_id"]
        for e in events
        if e["event_type"] == "meeting" and e["occurred_at"] > recent
    }
    replied = {
        e["contact_id"]
        for e in events
        if e["event_type"] == "reply_to_sales" and e["occurred_at"] > recent
    }
    topical = {
        s["company_id"] for s in signals
        if s["company_id"] and s["occurred_at"] > recent and matches_a_topic(s["text"], phrases)
    }  # fmt: skip
    hot = [c for c in met & replied if contacts[c]["company_id"] in topical]
    assert {contacts[c]["company_id"][:3] for c in hot} == {"us-", "cn-"}


def test_silent_executives_have_one_meeting_and_nothing_else(
    events: list[Row], signals: list[Row], relationships: list[Row], contacts: dict[str, Row]
) -> None:
    by_contact = Counter(e["contact_id"] for e in events)
    meeting_only = {
        e["contact_id"]
        for e in events
        if e["event_type"] == "meeting" and by_contact[e["contact_id"]] == 1
    }
    others = {s["contact_id"] for s in signals} | {s["company_id"] for s in signals}
    others |= {r["contact_id"] for r in relationships}
    silent = [
        c for c in meeting_only
        if c not in others and contacts[c]["company_id"] not in others
        and contacts[c]["title"].split("/")[0] in ("CEO", "Founder & CEO", "董事长")
    ]  # fmt: skip
    assert {contacts[c]["company_id"][:3] for c in silent} == {"us-", "cn-"}


def test_an_aware_as_of_is_read_as_utc(real_dir: Path, out: Path, tmp_path: Path) -> None:
    write_synthetic_inputs(
        real_dir / "contacts.csv",
        real_dir / "companies.csv",
        tmp_path,
        seed=SEED,
        as_of=AS_OF.replace(tzinfo=UTC),
    )
    assert (tmp_path / "events.csv").read_bytes() == (out / "events.csv").read_bytes()
