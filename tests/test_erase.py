"""Erasing one person: nothing about them remains in any table, other people are untouched, and
the count of removed rows per table is reported."""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path
from typing import Any

import duckdb
import pytest
from typer.testing import CliRunner

from execrank import live, service
from execrank.cli import app
from execrank.erase import erase
from execrank.errors import NotFoundError
from execrank.merge import merge
from execrank.store import Store
from tests.conftest import write_csv

WHEN = datetime(2026, 12, 1)
AS_OF = datetime(2026, 11, 30)
TEXT = "Our CIO said the bank starts its digital transformation and a cloud migration this year."


def import_(store: Store, kind: str, path: Path) -> service.ImportReport:
    return service.import_file(store, kind, path, ingested_at=WHEN, rejects_dir=path.parent)


def seed(store: Store, folder: Path) -> None:
    """Ann (two CRM records, merged; one more arriving under a third id) and Bob, with events,
    signals, a relationship, an adjustment and a snapshot each."""
    import_(
        store, "companies", write_csv(folder / "co.csv", ["company_id", "name"], [["acme", "Acme"]])
    )
    people = ["contact_id", "name", "email", "title", "company_id"]
    import_(
        store,
        "contacts",
        write_csv(
            folder / "ct.csv",
            people,
            [
                ["ann", "Ann Lee", "ann@acme.com", "Chief Data Wrangler", "acme"],
                ["ann-old", "Ann Lee", "ann.lee@example.org", "CIO", "acme"],
                ["bob", "Bob Wu", "bob@acme.com", "CIO", "acme"],
            ],
        ),
    )
    merge(store, "contacts", "ann", "ann-old", reason="same person", actor="t", now=WHEN)
    # A third id for Ann: resolved by email to 'ann', kept as an alias.
    import_(
        store,
        "contacts",
        write_csv(folder / "ct2.csv", people, [["ann-3", "Ann", "ANN@acme.com", "", ""]]),
    )
    events = [[who, "meeting", "m1", "2026-11-20"] for who in ("ann", "ann-3", "bob")]
    import_(
        store,
        "events",
        write_csv(folder / "ev.csv", ["contact_id", "event_type", "asset", "occurred_at"], events),
    )
    signals = [[who, "post", "2026-11-10", TEXT] for who in ("ann", "bob")]
    import_(
        store,
        "signals",
        write_csv(folder / "sg.csv", ["contact_id", "kind", "occurred_at", "text"], signals),
    )
    rels = [[who, "referral", "2026-11-01", "carol"] for who in ("ann", "bob")]
    import_(
        store,
        "relationships",
        write_csv(folder / "rl.csv", ["contact_id", "kind", "occurred_at", "referrer"], rels),
    )
    for who in ("ann", "bob"):
        store.execute(
            "INSERT INTO adjustments VALUES (?, ?, 'intent', 5, 'call', 'li', ?, NULL, ?)",
            [f"adj-{who}", who, WHEN, WHEN],
        )
    service.score(store, service.default_model(), as_of=AS_OF, known_at=WHEN)


def rows_mentioning(store: Store, *needles: str) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table with a VARCHAR column containing one of needles."""
    found = {}
    for table, columns in store.text_columns().items():
        condition = " OR ".join(f"contains(lower({c}), ?)" for c in columns for _ in needles)
        values = [n.lower() for _ in columns for n in needles]
        rows = store.query(f"SELECT * FROM {table} WHERE {condition} ORDER BY ALL", values)
        if rows:
            found[table] = rows
    return found


@pytest.mark.parametrize(
    "email",
    [
        " Ann@Acme.com ",  # as pasted from a request
        "ANN.lee@example.org",  # the email of the record merged into 'ann'
    ],
)
def test_erase_leaves_nothing_about_the_person_and_keeps_everyone_else(
    store: Store, tmp_path: Path, email: str
) -> None:
    seed(store, tmp_path)
    matches = store.count("signal_matches")  # Ann's and Bob's posts match the same topics
    assert matches > 0 and matches % 2 == 0
    bob_before = rows_mentioning(store, "bob")
    assert set(rows_mentioning(store, "ann")) >= {
        "contacts",
        "events",
        "aliases",
        "merges",
        "scores",
    }

    done = erase(store, email=email)

    assert rows_mentioning(store, "ann", "ann@acme.com", "ann.lee@example.org") == {}
    assert rows_mentioning(store, "bob") == bob_before
    assert store.count("signal_matches") == matches // 2  # Bob's
    assert store.query("SELECT title FROM titles ORDER BY 1") == [("CIO",)]  # Bob still holds it
    assert done.contact_ids == ["ann", "ann-3", "ann-old"]
    # ann's meeting (ann-3's was the same one), signal, relationship, adjustment, score row;
    # her signal's topic matches and its matched marker; 2 aliases; 1 merge;
    # her own title "Chief Data Wrangler" (CIO is Bob's too).
    assert done.removed == {
        "adjustments": 1,
        "aliases": 2,
        "contacts": 1,
        "events": 1,
        "merges": 1,
        "relationships": 1,
        "scores": 1,
        "signal_matches": matches // 2,
        "signal_matching_done": 1,
        "signals": 1,
        "titles": 1,
    }


def test_erase_removes_deal_roles_routing_live_scores_and_every_snapshot(
    store: Store, tmp_path: Path
) -> None:
    # Two CEOs with the same meeting: both tier A or B, so both are routed to a rep; both took
    # part in one deal; a live rescore stored a live row for each; two snapshots.
    import_(
        store,
        "companies",
        write_csv(tmp_path / "co.csv", ["company_id", "name"], [["acme", "Acme"]]),
    )
    people = [[who, f"{who}@acme.com", "CEO", "acme"] for who in ("cyra", "dion")]
    header = ["contact_id", "email", "title", "company_id"]
    import_(store, "contacts", write_csv(tmp_path / "ct.csv", header, people))
    meetings = [[who, "meeting", "m1", "2026-11-20"] for who in ("cyra", "dion")]
    header = ["contact_id", "event_type", "asset", "occurred_at"]
    import_(store, "events", write_csv(tmp_path / "ev.csv", header, meetings))
    deal = [["op1", "acme", "Acme renewal"]]
    import_(
        store,
        "opportunities",
        write_csv(tmp_path / "op.csv", ["opportunity_id", "company_id", "name"], deal),
    )
    roles = [["op1", "cyra", "Decision Maker"], ["op1", "dion", "Economic Buyer"]]
    header = ["opportunity_id", "contact_id", "role"]
    import_(store, "opportunity_contacts", write_csv(tmp_path / "oc.csv", header, roles))
    for _ in range(2):
        service.score(store, service.default_model(), as_of=AS_OF, known_at=WHEN)
    assert {m.contact_id for m in service.route(store, now=WHEN).moves} == {"cyra", "dion"}
    with store.transaction():
        live.update(store, ["cyra", "dion"], now=WHEN)
    dion_before = rows_mentioning(store, "dion")

    done = erase(store, email="cyra@acme.com")

    assert rows_mentioning(store, "cyra") == {}
    assert rows_mentioning(store, "dion") == dion_before
    # CEO is Dion's title too, so the titles table keeps it.
    assert done.removed == {
        "assignments": 1,
        "contacts": 1,
        "events": 1,
        "live_scores": 1,
        "opportunity_contacts": 1,
        "routing_log": 1,
        "scores": 2,
    }
    assert done.total == 8


def test_erase_of_an_unknown_email_changes_nothing(store: Store, tmp_path: Path) -> None:
    seed(store, tmp_path)
    before = rows_mentioning(store, "")
    with pytest.raises(NotFoundError, match=re.escape("no contact with email 'zoe@acme.com'")):
        erase(store, email="zoe@acme.com")
    assert rows_mentioning(store, "") == before


def test_erase_command_prints_rows_removed_per_table(tmp_path: Path) -> None:
    db = tmp_path / "s.duckdb"
    with Store.open(db) as store:
        seed(store, tmp_path)
    result = CliRunner().invoke(app, ["erase", "--email", "bob@acme.com", "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert "Erased bob@acme.com (contact bob)" in result.output
    assert "free blocks of the store file" in result.output
    assert "events" in result.output and "scores" in result.output


def test_erased_bytes_stay_in_the_store_file_until_copied_to_a_new_one(tmp_path: Path) -> None:
    # What README's "Erasing a person" says: DuckDB keeps deleted rows' bytes in free blocks of
    # the file (a checkpoint does not overwrite them); COPY FROM DATABASE writes a file without
    # them that is the same store. If the first assertion fails, DuckDB now reclaims the blocks:
    # update the README and the erase command's note.
    db, clean = tmp_path / "s.duckdb", tmp_path / "clean.duckdb"
    with Store.open(db) as store:
        seed(store, tmp_path)
        erase(store, email="bob@acme.com")
        store.execute("FORCE CHECKPOINT")
    assert b"bob@acme.com" in db.read_bytes()

    with duckdb.connect() as connection:
        connection.execute(f"ATTACH '{db}' AS old (READ_ONLY)")
        connection.execute(f"ATTACH '{clean}' AS new")
        connection.execute("COPY FROM DATABASE old TO new")
    assert b"bob@acme.com" not in clean.read_bytes()
    with Store.open(clean) as store:
        assert store.query("SELECT contact_id FROM contacts") == [("ann",)]
        # Sequences continue where they were: the next merge does not reuse merge 1's id.
        assert store.query("SELECT nextval('merge_ids')") == [(2,)]
