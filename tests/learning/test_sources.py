"""Public outcome data sets as imports: X Education leads by hand, the CRM accounts' synthetic
executives labelled as such."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from execrank import learning
from execrank.cli import app
from execrank.errors import InputError
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


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    visits=st.integers(0, 30),
    per_visit=st.sampled_from(["", "0", "1", "1.5", "2.25", "3"]),
    seconds=st.integers(0, 2000),
    last=st.sampled_from(["", "Email Opened", "SMS Sent", "Olark Chat Conversation"]),
)
def test_each_lead_becomes_one_event_per_visit_page_minute_and_last_activity(
    tmp_path: Path, visits: int, per_visit: str, seconds: int, last: str
) -> None:
    leads = write_csv(
        tmp_path / "Leads.csv",
        LEADS_HEADER,
        [["p1", "7", "Google", "0", str(visits), str(seconds), per_visit, last, ""]],
    )
    learning.prepare("x-education-leads", leads, tmp_path / "out")
    with (tmp_path / "out" / "events.csv").open(encoding="utf-8") as handle:
        kinds = [line.split(",")[1] for line in handle.read().splitlines()[1:]]
    pages = round(visits * float(per_visit or 0))
    assert kinds.count("web_visit") == visits  # none of these Last Activities is a web visit
    assert kinds.count("page_view") == pages
    assert kinds.count("site_minute") == seconds // 60
    assert len(kinds) == visits + pages + seconds // 60 + (1 if last else 0)


@pytest.mark.parametrize(
    ("cells", "message"),
    [
        ({"TotalVisits": "many"}, "row 2, column 'TotalVisits': 'many' is not a number"),
        ({"Page Views Per Visit": "-1"}, "row 2, column 'Page Views Per Visit': '-1'"),
        ({"Lead Number": "n/a"}, "row 2, column 'Lead Number': 'n/a' is not a number"),
    ],
)
def test_a_bad_lead_cell_is_named_by_file_row_and_column(
    tmp_path: Path, cells: dict[str, str], message: str
) -> None:
    good = dict(zip(LEADS_HEADER, ["p1", "7", "Google", "0", "2", "60", "1", "", ""], strict=True))
    leads = write_csv(tmp_path / "Leads.csv", LEADS_HEADER, [list({**good, **cells}.values())])
    with pytest.raises(InputError, match=re.escape(f"{leads}, {message}")):
        learning.prepare("x-education-leads", leads, tmp_path / "out")


def test_a_lead_file_without_the_expected_columns_is_refused(tmp_path: Path) -> None:
    leads = write_csv(
        tmp_path / "Leads.csv", LEADS_HEADER[:-1], [["p1", "7", "G", "0", "", "", "", ""]]
    )
    with pytest.raises(InputError, match="no column 'What is your current occupation'"):
        learning.prepare("x-education-leads", leads, tmp_path / "out")
