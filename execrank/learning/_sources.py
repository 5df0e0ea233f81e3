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
import math
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
LEADS_COLUMNS = (
    "Prospect ID", "Lead Number", "Lead Source", "Converted", "TotalVisits",
    "Total Time Spent on Website", "Page Views Per Visit", "Last Activity",
    "What is your current occupation",
)  # fmt: skip
PIPELINE_COLUMNS = ("opportunity_id", "account", "deal_stage", "engage_date", "close_date")
ROW_KEY = "\x00row"  # where _rows keeps a row's number (no header names a column so)


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


def _rows(path: Path, columns: Sequence[str]) -> list[dict[str, str]]:
    """The rows of a data set's file, each with its row number under ROW_KEY; InputError
    naming the file when it is missing or lacks one of columns."""
    if not path.is_file():
        raise InputError(f"{path}: no such file")
    table = read_csv(path, None)
    missing = [c for c in columns if c not in table.header]
    if missing:
        raise InputError(
            f"{path}: no column {', '.join(map(repr, missing))}; "
            f"expected the columns {', '.join(map(repr, columns))}"
        )
    return [{**row.values, ROW_KEY: str(row.number)} for row in table.rows]


def _number(file: Path, row: dict[str, str], column: str) -> float:
    """A cell's number, 0 when blank; InputError naming file, row and column otherwise."""
    text = row[column].strip()
    if not text:
        return 0.0
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not math.isfinite(value) or value < 0:
        raise InputError(
            f"{file}, row {row[ROW_KEY]}, column {column!r}: {text!r} is not a number of 0 or "
            "more (e.g. 3 or 2.5)"
        )
    return value


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
    accounts = _rows(folder / "accounts.csv", ["account"])
    pipeline = [r for r in _rows(folder / "sales_pipeline.csv", PIPELINE_COLUMNS) if r["account"]]
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


def _lead_events(file: Path, lead: dict[str, str]) -> list[tuple[str, str, str]]:
    """(event_type, asset, source) of one lead's activity."""
    visits = int(_number(file, lead, "TotalVisits"))
    pages = round(visits * _number(file, lead, "Page Views Per Visit"))
    seconds = int(_number(file, lead, "Total Time Spent on Website"))
    minutes = seconds // SECONDS_PER_SITE_MINUTE
    source = lead["Lead Source"] or "unknown"
    found = [("web_visit", f"visit-{n}", source) for n in range(1, visits + 1)]
    found += [("page_view", f"page-{n}", source) for n in range(1, pages + 1)]
    found += [("site_minute", f"minute-{n}", source) for n in range(1, minutes + 1)]
    last = lead["Last Activity"]
    if last:
        found.append((LAST_ACTIVITY_EVENTS.get(last, snake(last)), "last-activity", source))
    return found


def _leads(file: Path, out: Path) -> list[Planned]:
    leads = _rows(file, LEADS_COLUMNS)
    day = LEADS_DAY.isoformat()
    contacts, events, relationships, deals, links = [], [], [], [], []
    for lead in leads:
        who = lead["Prospect ID"]
        occupation = lead["What is your current occupation"]
        contacts.append((who, None if occupation in ("", "Select") else occupation))
        events += [(who, kind, asset, day, src) for kind, asset, src in _lead_events(file, lead)]
        if lead["Lead Source"] == "Reference":
            relationships.append((who, "customer_referral", day, "Lead Source: Reference"))
        deal = f"xedu-{int(_number(file, lead, 'Lead Number')):0{LEAD_NUMBER_DIGITS}d}"
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
