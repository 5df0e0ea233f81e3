"""Importing deals and who took part in them: values read, re-import a no-op, bad rows named,
and stores written before these tables existed gain them on open."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import duckdb
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from execrank import learning, service
from execrank.ingest import KINDS
from execrank.store import Store
from tests.conftest import write_csv

WHEN = datetime(2026, 1, 1)
OPPORTUNITY_HEADER = [f.name for f in KINDS["opportunities"]]


def import_(store: Store, kind: str, path: Path) -> service.ImportReport:
    return service.import_file(store, kind, path, ingested_at=WHEN, rejects_dir=path.parent)


def seed(store: Store, folder: Path) -> None:
    import_(
        store, "companies", write_csv(folder / "co.csv", ["company_id", "name"], [["acme", "A"]])
    )
    import_(
        store,
        "contacts",
        write_csv(
            folder / "ct.csv",
            ["contact_id", "title", "company_id"],
            [["ceo", "CEO", "acme"], ["cfo", "CFO", "acme"]],
        ),
    )


def deals(folder: Path) -> Path:
    return write_csv(
        folder / "deals.csv",
        OPPORTUNITY_HEADER,
        [
            ["o1", "acme", "Big", "Closed Won", "yes", "1", "$1,200", "USD", "2026-01-05",
             "2026-03-01", "ann", "crm"],
            ["o2", "", "Small", "Prospecting", "false", "no", "", "", "2026-02-01", "", "", ""],
        ],
    )  # fmt: skip


def test_opportunities_and_their_contacts_are_stored_with_typed_values(
    store: Store, tmp_path: Path
) -> None:
    seed(store, tmp_path)
    report = import_(store, "opportunities", deals(tmp_path))
    assert (report.counts.inserted, report.rejected) == (2, [])
    rows = store.query(
        "SELECT opportunity_id, company_id, is_closed, is_won, amount, currency, created_at, "
        "closed_at FROM opportunities ORDER BY 1"
    )
    assert rows == [
        ("o1", "acme", True, True, 1200.0, "usd", datetime(2026, 1, 5), datetime(2026, 3, 1)),
        ("o2", None, False, False, None, None, datetime(2026, 2, 1), None),
    ]
    links = write_csv(
        tmp_path / "links.csv",
        ["opportunity_id", "contact_id", "role", "is_primary"],
        [["o1", "ceo", "Decision Maker", "1"], ["o1", "ceo", "Economic Buyer", "0"],
         ["o1", "cfo", "Influencer", ""]],
    )  # fmt: skip
    report = import_(store, "opportunity_contacts", links)
    assert (report.counts.inserted, report.rejected) == (3, [])
    assert store.query(
        "SELECT contact_id, role, is_primary FROM opportunity_contacts ORDER BY 1, 2"
    ) == [
        ("ceo", "Decision Maker", True),
        ("ceo", "Economic Buyer", False),
        ("cfo", "Influencer", None),
    ]


def test_reimporting_the_same_files_changes_nothing(store: Store, tmp_path: Path) -> None:
    seed(store, tmp_path)
    import_(store, "opportunities", deals(tmp_path))
    links = write_csv(
        tmp_path / "links.csv", ["opportunity_id", "contact_id", "role"], [["o1", "ceo", "Other"]]
    )
    import_(store, "opportunity_contacts", links)
    again = import_(store, "opportunities", deals(tmp_path))
    assert (again.counts.inserted, again.counts.updated, again.counts.unchanged) == (0, 0, 2)
    again = import_(store, "opportunity_contacts", links)
    assert (again.counts.inserted, again.counts.updated, again.counts.unchanged) == (0, 0, 1)
    assert store.count("opportunity_contacts") == 1


def test_bad_deal_rows_are_named_and_good_rows_kept(store: Store, tmp_path: Path) -> None:
    seed(store, tmp_path)
    path = write_csv(
        tmp_path / "deals.csv",
        ["opportunity_id", "company_id", "is_won", "amount"],
        [["o1", "acme", "maybe", "10"], ["o2", "nowhere", "yes", "5"], ["o3", "acme", "no", "-1"],
         ["o4", "acme", "no", "7"]],
    )  # fmt: skip
    report = import_(store, "opportunities", path)
    messages = [str(e) for e in report.rejected]
    assert messages[0].startswith("deals.csv, row 2, column 'is_won': 'maybe' is not")
    assert messages[1] == (
        "deals.csv, row 3, column 'company_id': 'nowhere' names no record in companies; "
        "import companies first"
    )
    assert messages[2].startswith("deals.csv, row 4, column 'amount': '-1' is not")
    assert store.query("SELECT opportunity_id FROM opportunities") == [("o4",)]
    links = write_csv(
        tmp_path / "links.csv",
        ["opportunity_id", "contact_id", "role"],
        [["o9", "ceo", "Other"], ["o4", "ghost", "Other"], ["o4", "", "Other"]],
    )
    report = import_(store, "opportunity_contacts", links)
    assert [str(e) for e in report.rejected] == [
        "links.csv, row 2, column 'opportunity_id': 'o9' names no record in opportunities; "
        "import opportunities first",
        "links.csv, row 3, column 'contact_id': 'ghost' names no record in contacts; "
        "import contacts first",
        "links.csv, row 4, column 'contact_id': '' is empty; contact_id is required",
    ]
    assert store.count("opportunity_contacts") == 0


def test_a_store_written_before_deals_existed_gains_the_tables_on_open(tmp_path: Path) -> None:
    path = tmp_path / "old.duckdb"
    Store.open(path).close()
    with duckdb.connect(str(path)) as con:  # make it look like a store of the earlier release
        con.execute("DROP TABLE opportunities; DROP TABLE opportunity_contacts")
    with Store.open(path) as store:
        seed(store, tmp_path)
        report = import_(store, "opportunities", deals(tmp_path))
        assert report.counts.inserted == 2


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(st.sampled_from(["yes", "no", "1", "0", "TRUE", "False", "", "n/a"]), min_size=1))
def test_any_boolean_spelling_imports_and_reimports_unchanged(
    tmp_path_factory: object, words: list[str]
) -> None:
    folder = tmp_path_factory.mktemp("bools")  # type: ignore[attr-defined]
    rows = [[f"o{i}", word, word] for i, word in enumerate(words)]
    path = write_csv(folder / "deals.csv", ["opportunity_id", "is_closed", "is_won"], rows)
    with Store.open(folder / "s.duckdb") as store:
        first = import_(store, "opportunities", path)
        second = import_(store, "opportunities", path)
        stored = dict(store.query("SELECT opportunity_id, is_won FROM opportunities"))
    truth = {"yes": True, "1": True, "true": True, "no": False, "0": False, "false": False}
    assert first.rejected == [] and first.counts.inserted == len(words)
    assert second.counts.unchanged == len(words)
    assert stored == {f"o{i}": truth.get(w.casefold()) for i, w in enumerate(words)}


def test_crm_deal_exports_import_with_their_mappings_as_won_lost_and_open(
    store: Store, tmp_path: Path
) -> None:
    # HubSpot without the two flags: the stage decides. Salesforce: ISCLOSED / ISWON decide,
    # whatever the (custom) stage is called.
    hubspot = write_csv(
        tmp_path / "hubspot-deals.csv",
        ["Record ID", "Deal Name", "Deal Stage", "Amount", "Create Date", "Close Date",
         "Associated Company IDs"],
        [["h1", "Renewal", "Closed won", "5000", "2026-01-05", "2026-02-01", "acme"],
         ["h2", "Pilot", "Closed lost", "800.5", "2026-01-06", "2026-02-03", "acme"],
         ["h3", "Upsell", "Appointment scheduled", "", "2026-01-07", "", "acme;globex"]],
    )  # fmt: skip
    salesforce = write_csv(
        tmp_path / "sf-opportunities.csv",
        ["ID", "ACCOUNTID", "NAME", "STAGENAME", "ISCLOSED", "ISWON", "AMOUNT", "CREATEDDATE",
         "CLOSEDATE"],
        [["006A", "acme", "Big", "Signed", "true", "true", "120000", "2026-01-05T09:00:00.000Z",
          "2026-03-31"],
         ["006B", "acme", "Lost one", "Dead", "true", "false", "9000", "2026-01-05", "2026-03-01"],
         ["006C", "acme", "Open one", "Qualification", "false", "false", "", "2026-02-01", ""]],
    )  # fmt: skip
    seed(store, tmp_path)
    for path, mapping in ((hubspot, "hubspot-deals"), (salesforce, "salesforce-opportunity")):
        report = service.import_file(
            store, "opportunities", path, ingested_at=WHEN, mapping=mapping, rejects_dir=tmp_path
        )
        assert (report.counts.inserted, report.rejected) == (3, [])
    found = {d.opportunity_id: d for d in learning.deals(store)}
    assert {k: d.result for k, d in found.items()} == {
        "h1": "won", "h2": "lost", "h3": "open", "006A": "won", "006B": "lost", "006C": "open"
    }  # fmt: skip
    # no linked contact: each deal is judged by its company's contacts
    assert found["h1"].contact_ids == ("ceo", "cfo")
    # "acme;globex": a deal of two companies is the first one's (the mapping's first_of)
    assert store.query("SELECT company_id FROM opportunities WHERE opportunity_id = 'h3'") == [
        ("acme",)
    ]
    assert found["006A"].closed == datetime(2026, 3, 31)
    amounts = dict(store.query("SELECT opportunity_id, amount FROM opportunities"))
    assert (amounts["h2"], amounts["006A"], amounts["h3"]) == (800.5, 120000.0, None)
