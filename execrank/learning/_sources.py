"""Public outcome data sets turned into execrank imports, to learn and backtest on.

`crm-sales-opportunities` (Maven Analytics CRM Sales Opportunities: accounts, sales teams,
pipeline). The data has accounts and deals but no people, so each account gets one
**synthetic** executive contact (id `synthetic-exec:<account>`, name saying so), linked to every
deal of the account: scoring is at the account level. What execrank can know about an account
when a deal starts comes from the real pipeline: every deal engaged with it (an event
`deal_engaged` on its engage date), every earlier won deal (a relationship
`customer_success_project` on its close date) and every earlier lost deal (an event
`deal_lost`). Accounts and deals are imported with the shipped mappings `maven-accounts` and
`maven-pipeline`; deals without an account (1,425 rows, all open) have no executive.

`x-education-leads` (Leads.csv of the X Education lead-scoring case). One contact per lead (its
occupation as title), one deal per lead (won when Converted is 1), and its activity as events:
one `web_visit` per visit (TotalVisits), one `page_view` per page viewed (TotalVisits x Page
Views Per Visit), one `site_minute` per full minute on the site (Total Time Spent on Website, in
seconds), and its Last Activity as one event (Email Opened -> email_open, Email Link Clicked ->
email_click, Page Visited on Website -> web_visit, any other as its words in snake case, e.g.
sms_sent). Lead Source is each event's source; a "Reference" lead also gets a
`customer_referral` relationship. The file has no dates: all activity is put on one nominal day
(`LEADS_DAY`), and the deals' order in time is their Lead Number (assigned in sequence).
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from execrank.errors import InputError
from execrank.ingest import read_csv

# Nominal day of every X Education activity (the file has none): a Monday, the first instant
# of a scoring week, so that a deal scored at its week's start sees its lead's activity.
LEADS_DAY = date(2020, 1, 6)
SECONDS_PER_SITE_MINUTE = 60
LEAD_NUMBER_DIGITS = 6  # zero-padded, so that deal ids sort in Lead Number order
SYNTHETIC_PREFIX = "synthetic-exec:"
SYNTHETIC_TITLE = "Chief Executive Officer"
LAST_ACTIVITY_EVENTS = {
    "Email Opened": "email_open",
    "Email Link Clicked": "email_click",
    "Page Visited on Website": "web_visit",
}
SOURCES = ("crm-sales-opportunities", "x-education-leads")


@dataclass(frozen=True)
class Planned:
    """One file to import: its kind, path and mapping (None: execrank's own columns)."""

    kind: str
    path: Path
    mapping: str | None = None


def _write(path: Path, header: Sequence[str], rows: Iterable[Sequence[object]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(["" if v is None else v for v in row] for row in rows)
    return path


def _rows(path: Path) -> list[dict[str, str]]:
    if not path.is_file():
        raise InputError(f"{path}: no such file")
    return [row.values for row in read_csv(path, None).rows]


def snake(words: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", words.casefold()).strip("_")


def prepare(source: str, where: Path, out: Path) -> list[Planned]:
    """Write the import files of a known data set into out; return them in import order."""
    out.mkdir(parents=True, exist_ok=True)
    if source == "crm-sales-opportunities":
        return _crm_sales(where, out)
    if source == "x-education-leads":
        return _leads(where, out)
    raise InputError(f"unknown outcome data set {source!r}; known: {', '.join(SOURCES)}")


def _crm_sales(folder: Path, out: Path) -> list[Planned]:
    accounts = _rows(folder / "accounts.csv")
    pipeline = [r for r in _rows(folder / "sales_pipeline.csv") if r.get("account")]
    contacts = [
        (f"{SYNTHETIC_PREFIX}{a['account']}", f"synthetic executive of {a['account']}",
         SYNTHETIC_TITLE, a["account"])
        for a in accounts
    ]  # fmt: skip
    events, relationships = [], []
    for deal in pipeline:
        who = f"{SYNTHETIC_PREFIX}{deal['account']}"
        if deal["engage_date"]:
            events.append((who, "deal_engaged", deal["opportunity_id"], deal["engage_date"]))
        if deal["deal_stage"] == "Lost" and deal["close_date"]:
            events.append((who, "deal_lost", deal["opportunity_id"], deal["close_date"]))
        if deal["deal_stage"] == "Won" and deal["close_date"]:
            relationships.append(
                (who, "customer_success_project", deal["opportunity_id"], deal["close_date"])
            )
    source = "crm_sales_opportunities"
    links = [
        (d["opportunity_id"], f"{SYNTHETIC_PREFIX}{d['account']}", "synthetic account executive")
        for d in pipeline
    ]
    return [
        Planned("companies", folder / "accounts.csv", "maven-accounts"),
        Planned("contacts", _write(out / "contacts.csv",
                                   ["contact_id", "name", "title", "company_id"], contacts)),
        Planned("events", _write(out / "events.csv",
                                 ["contact_id", "event_type", "asset", "occurred_at", "source"],
                                 [(*e, source) for e in events])),
        Planned("relationships", _write(out / "relationships.csv",
                                        ["contact_id", "kind", "referrer", "occurred_at", "source"],
                                        [(*r, source) for r in relationships])),
        Planned("opportunities", folder / "sales_pipeline.csv", "maven-pipeline"),
        Planned("opportunity_contacts", _write(out / "opportunity_contacts.csv",
                                               ["opportunity_id", "contact_id", "role"], links)),
    ]  # fmt: skip


def _count(text: str) -> int:
    try:
        return max(int(float(text)), 0)
    except ValueError:
        return 0


def _lead_events(lead: dict[str, str]) -> list[tuple[str, str, str]]:
    """(event_type, asset, source) of one lead's activity."""
    visits = _count(lead["TotalVisits"])
    per_visit = float(lead["Page Views Per Visit"] or 0)
    pages = round(visits * per_visit)
    minutes = _count(lead["Total Time Spent on Website"]) // SECONDS_PER_SITE_MINUTE
    source = lead["Lead Source"] or "unknown"
    found = [("web_visit", f"visit-{n}", source) for n in range(1, visits + 1)]
    found += [("page_view", f"page-{n}", source) for n in range(1, pages + 1)]
    found += [("site_minute", f"minute-{n}", source) for n in range(1, minutes + 1)]
    last = lead["Last Activity"]
    if last:
        found.append((LAST_ACTIVITY_EVENTS.get(last, snake(last)), "last-activity", source))
    return found


def _leads(file: Path, out: Path) -> list[Planned]:
    leads = _rows(file)
    day = LEADS_DAY.isoformat()
    contacts, events, relationships, deals, links = [], [], [], [], []
    for lead in leads:
        who = lead["Prospect ID"]
        occupation = lead["What is your current occupation"]
        contacts.append((who, None if occupation in ("", "Select") else occupation))
        events += [(who, kind, asset, day, src) for kind, asset, src in _lead_events(lead)]
        if lead["Lead Source"] == "Reference":
            relationships.append((who, "customer_referral", day, "Lead Source: Reference"))
        deal = f"xedu-{int(lead['Lead Number']):0{LEAD_NUMBER_DIGITS}d}"
        won = lead["Converted"] == "1"
        deals.append((deal, "Converted" if won else "Not converted", "true", won, day))
        links.append((deal, who, "Lead", "true"))
    return [
        Planned("contacts", _write(out / "contacts.csv", ["contact_id", "title"], contacts)),
        Planned("events", _write(out / "events.csv",
                                 ["contact_id", "event_type", "asset", "occurred_at", "source"],
                                 events)),
        Planned("relationships", _write(out / "relationships.csv",
                                        ["contact_id", "kind", "occurred_at", "note"],
                                        relationships)),
        Planned("opportunities", _write(out / "opportunities.csv",
                                        ["opportunity_id", "stage", "is_closed", "is_won",
                                         "created_at"], deals)),
        Planned("opportunity_contacts", _write(out / "opportunity_contacts.csv",
                                               ["opportunity_id", "contact_id", "role",
                                                "is_primary"], links)),
    ]  # fmt: skip
