"""Merging two stored records of one person or company: every fact moves, scores are recomputed
from the union (never summed), the merge is recorded, and tables added later are covered."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner

from execrank import service
from execrank.cli import app
from execrank.errors import ExecrankError, NotFoundError
from execrank.merge import dedupe, find_duplicates, merge, merges
from execrank.store import Store
from tests.conftest import write_csv

WHEN = datetime(2026, 12, 1)
AS_OF = datetime(2026, 11, 30)
EVENT_HEADER = ["contact_id", "event_type", "asset", "occurred_at"]
# Ann's activity as two CRM records hold it: the meeting on 11-20 is in both.
ANN_WORK = [
    ["meeting", "briefing", "2026-11-20"],
    ["report_download", "cloud-report", "2026-11-01"],
]
ANN_PRIVATE = [
    ["meeting", "briefing", "2026-11-20"],
    ["reply_to_sales", "follow-up", "2026-11-25"],
    ["private_roundtable", "cio-dinner", "2026-10-01"],
]


def import_(store: Store, kind: str, path: Path) -> service.ImportReport:
    return service.import_file(store, kind, path, ingested_at=WHEN, rejects_dir=path.parent)


def seed(store: Store, folder: Path, contacts: list[list[str]], events: list[list[str]]) -> None:
    import_(
        store, "companies", write_csv(folder / "co.csv", ["company_id", "name"], [["acme", "Acme"]])
    )
    header = ["contact_id", "name", "email", "title", "company_id"]
    import_(store, "contacts", write_csv(folder / "ct.csv", header, contacts))
    import_(store, "events", write_csv(folder / "ev.csv", EVENT_HEADER, events))


def total(store: Store, contact_id: str) -> float:
    service.score(store, service.default_model(), as_of=AS_OF, known_at=WHEN)
    return next(c.total for c in service.rank(store) if c.contact_id == contact_id)


def test_merged_person_scores_as_one_record_holding_all_their_events(tmp_path: Path) -> None:
    two, one = tmp_path / "two", tmp_path / "one"
    two.mkdir()
    one.mkdir()
    with Store.open(two / "s.duckdb") as store:
        seed(
            store,
            two,
            [
                ["ann", "Ann Lee", "ann@acme.com", "CEO", "acme"],
                ["ann-2", "Ann Lee", "ann.lee@example.org", "CEO", "acme"],
            ],
            [["ann", *e] for e in ANN_WORK] + [["ann-2", *e] for e in ANN_PRIVATE],
        )
        apart = total(store, "ann"), total(store, "ann-2")
        done = merge(store, "contacts", "ann", "ann-2", reason="same person", actor="t", now=WHEN)
        merged = total(store, "ann")
        assert [c.contact_id for c in service.rank(store)] == ["ann"]
    with Store.open(one / "s.duckdb") as store:
        # The same facts as one record: the shared meeting once, four events in all.
        seed(
            store,
            one,
            [["ann", "Ann Lee", "ann@acme.com", "CEO", "acme"]],
            [["ann", *e] for e in ANN_WORK + ANN_PRIVATE[1:]],
        )
        assert store.count("events") == 4
        reference = total(store, "ann")
    assert merged == pytest.approx(reference, abs=1e-9)
    # Never summed: the CEO role (10) and fit count once, so the sum of the two is bigger.
    assert merged < sum(apart)
    assert merged > max(apart)
    # 3 of ann-2's events moved; the shared meeting was already ann's, so it is kept once.
    assert (done.rows_moved, done.rows_dropped, done.detail) == (2, 1, {"events": 2})


def test_merge_is_recorded_and_the_merged_id_becomes_an_alias(tmp_path: Path) -> None:
    db = tmp_path / "s.duckdb"
    with Store.open(db) as store:
        seed(
            store,
            tmp_path,
            [
                ["ann", "Ann Lee", "ann@acme.com", None, "acme"],
                ["ann-2", None, "a@x.org", "CEO", None],
            ],
            [["ann-2", *ANN_PRIVATE[1]]],
        )
        merge(store, "contacts", "ann", "ann-2", reason="same person", actor="li", now=WHEN)
        # The kept record's blanks are filled from the merged one; its own values stay.
        assert store.query("SELECT name, email, title, company_id FROM contacts") == [
            ("Ann Lee", "ann@acme.com", "CEO", "acme")
        ]
        (record,) = merges(store)
        assert (record.kept_id, record.merged_id, record.actor, record.merged_at) == (
            "ann",
            "ann-2",
            "li",
            WHEN,
        )
        # A later file naming the merged id lands on the kept record, and once only.
        again = import_(
            store,
            "events",
            write_csv(tmp_path / "ev2.csv", EVENT_HEADER, [["ann-2", *ANN_PRIVATE[1]]]),
        )
        assert (again.counts.inserted, again.counts.unchanged) == (0, 1)
        assert store.query("SELECT DISTINCT contact_id FROM events") == [("ann",)]
    listed = CliRunner().invoke(app, ["merges", "--db", str(db)])
    assert listed.exit_code == 0, listed.output
    assert "ann-2" in listed.output and "same person" in listed.output


def test_merge_moves_rows_of_tables_added_later_and_keeps_snapshots(tmp_path: Path) -> None:
    with Store.open(tmp_path / "s.duckdb") as store:
        seed(
            store,
            tmp_path,
            [
                ["ann", None, "ann@acme.com", "CEO", "acme"],
                ["ann-2", None, "b@x.org", "CFO", "acme"],
            ],
            [],
        )
        service.score(store, service.default_model(), as_of=AS_OF, known_at=WHEN)
        # A table another feature might add, keyed by contact: found through the catalog.
        store.execute(
            "CREATE TABLE notes (contact_id VARCHAR, body VARCHAR, PRIMARY KEY (contact_id, body))"
        )
        store.execute(
            "INSERT INTO notes VALUES ('ann', 'hello'), ('ann-2', 'hello'), ('ann-2', 'call back')"
        )
        done = merge(store, "contacts", "ann", "ann-2", reason="test", actor="t", now=WHEN)
        assert store.query("SELECT body FROM notes WHERE contact_id = 'ann' ORDER BY 1") == [
            ("call back",),
            ("hello",),
        ]
        assert done.detail == {"notes": 1}
        assert done.rows_dropped == 1  # ('ann-2', 'hello') would repeat ('ann', 'hello')
        # The snapshot stays as it was scored.
        assert store.query("SELECT count(*) FROM scores WHERE contact_id = 'ann-2'") == [(1,)]


def test_merge_refuses_unknown_or_identical_ids(store: Store, tmp_path: Path) -> None:
    seed(store, tmp_path, [["ann", None, "ann@acme.com", "CEO", "acme"]], [])
    with pytest.raises(NotFoundError, match="no contact 'bob'"):
        merge(store, "contacts", "ann", "bob", reason="x", actor="t", now=WHEN)
    with pytest.raises(ExecrankError, match="with itself"):
        merge(store, "contacts", "ann", "ann", reason="x", actor="t", now=WHEN)
    assert store.count("merges") == 0


def test_merging_an_id_twice_says_where_it_went(store: Store, tmp_path: Path) -> None:
    people = [["ann", None, "ann@acme.com", "CEO", "acme"], ["ann-2", None, None, "CEO", "acme"]]
    seed(store, tmp_path, people, [])
    merge(store, "contacts", "ann", "ann-2", reason="same person", actor="t", now=WHEN)
    message = "contact 'ann-2' was merged into 'ann' already; nothing changed"
    with pytest.raises(NotFoundError, match=message):
        merge(store, "contacts", "ann", "ann-2", reason="again", actor="t", now=WHEN)
    with pytest.raises(NotFoundError, match=message):
        merge(store, "contacts", "ann-2", "ann", reason="back", actor="t", now=WHEN)
    assert store.count("merges") == 1


def test_explaining_a_merged_id_names_the_record_it_went_to(store: Store, tmp_path: Path) -> None:
    people = [["ann", None, "ann@acme.com", "CEO", "acme"], ["ann-2", None, None, "CEO", "acme"]]
    seed(store, tmp_path, people, [])
    merge(store, "contacts", "ann", "ann-2", reason="same person", actor="t", now=WHEN)
    service.score(store, service.default_model(), as_of=AS_OF, known_at=WHEN)
    assert service.explain(store, "ann").contact.contact_id == "ann"
    with pytest.raises(NotFoundError, match="contact 'ann-2' was merged into 'ann'; explain that"):
        service.explain(store, "ann-2")
    with pytest.raises(NotFoundError, match="no contact 'bob'"):
        service.explain(store, "bob")


def test_dedupe_merges_companies_stored_under_two_ids(store: Store, tmp_path: Path) -> None:
    # Stored before they could be recognised: rows written directly, one id each.
    for company_id, name in (("c1", "Tencent Holdings Ltd"), ("c2", "Tencent Holdings Limited")):
        store.execute(
            "INSERT INTO companies (company_id, name, ingested_at) VALUES (?, ?, ?)",
            [company_id, name, WHEN],
        )
    store.execute(
        "INSERT INTO contacts (contact_id, company_id, ingested_at) VALUES ('p', 'c2', ?)", [WHEN]
    )
    (pair,) = find_duplicates(store, "companies")
    assert (pair.kept_id, pair.merged_id, pair.reason) == ("c1", "c2", "same name tencent")
    (done,) = dedupe(store, "companies", actor="t", now=WHEN)
    assert done.detail == {"contacts": 1}
    assert store.query("SELECT company_id FROM contacts") == [("c1",)]
    assert find_duplicates(store, "companies") == []
