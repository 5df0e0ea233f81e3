"""Public outcome data sets as imports: X Education leads by hand, the CRM accounts' synthetic
executives labelled as such."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from execrank import learning
from execrank.cli import app
from execrank.store import Store
from tests.conftest import shared_file, write_csv

LEADS_HEADER = [
    "Prospect ID", "Lead Number", "Lead Source", "Converted", "TotalVisits",
    "Total Time Spent on Website", "Page Views Per Visit", "Last Activity",
    "What is your current occupation",
]  # fmt: skip


def test_x_education_leads_become_contacts_events_and_deals(tmp_path: Path) -> None:
    leads = write_csv(
        tmp_path / "Leads.csv",
        LEADS_HEADER,
        [["p1", "660737", "Reference", "1", "2", "130", "1.5", "SMS Sent", "Working Professional"],
         ["p2", "579533", "Google", "0", "", "59", "", "Email Opened", "Select"]],
    )  # fmt: skip
    db = tmp_path / "x.duckdb"
    result = CliRunner().invoke(
        app, ["outcomes", "load", "x-education-leads", str(leads), "--db", str(db)]
    )
    assert result.exit_code == 0, result.output
    with Store.open(db) as store:
        events = dict(
            store.query(
                "SELECT contact_id, list(event_type ORDER BY event_type) FROM events GROUP BY 1"
            )
        )
        deals = {d.opportunity_id: d for d in learning.deals(store)}
        titles = dict(store.query("SELECT contact_id, title FROM contacts"))
        referrals = store.query("SELECT contact_id, kind FROM relationships")
    # p1: 2 visits, 2 x 1.5 = 3 pages, 130 s = 2 full minutes, last activity SMS Sent -> 8
    assert (
        events["p1"] == ["page_view"] * 3 + ["site_minute"] * 2 + ["sms_sent"] + ["web_visit"] * 2
    )
    # p2: no visits, 59 s is no full minute, last activity Email Opened -> email_open only
    assert events["p2"] == ["email_open"]
    assert deals["xedu-660737"].result == "won" and deals["xedu-579533"].result == "lost"
    assert deals["xedu-660737"].contact_ids == ("p1",)
    assert titles == {"p1": "Working Professional", "p2": None}
    assert referrals == [("p1", "customer_referral")]


def test_crm_accounts_get_one_labelled_synthetic_executive(tmp_path: Path) -> None:
    folder = shared_file("crm_sales_opportunities")
    planned = learning.prepare("crm-sales-opportunities", folder, tmp_path)
    assert [p.kind for p in planned] == [
        "companies", "contacts", "events", "relationships", "opportunities",
        "opportunity_contacts",
    ]  # fmt: skip
    contacts = (tmp_path / "contacts.csv").read_text(encoding="utf-8").splitlines()
    assert len(contacts) == 1 + 85
    assert all("synthetic executive of" in line for line in contacts[1:])
