"""Export the latest snapshot for a CRM's import tool: score, tier, rank, top reasons and owner.

Formats (the column names are what the README documents):

- `hubspot`: a contacts import file matched on `Email`, with custom contact properties named
  `execrank_*` (create them in HubSpot first, as single-line/multi-line text and numbers) and
  the owner in `Contact owner`. Contacts without an email are left out (HubSpot cannot match
  them) and counted.
- `salesforce`: a Data Loader update file matched on the record `Id`, with custom fields by their
  API names (`ExecRank_Score__c`…) and the owner in `OwnerId`. The `Id` is the contact's id when
  it has a Salesforce record id's shape (15 or 18 letters and digits), else the first such id
  among its aliases (the Salesforce record merged into it); contacts with neither are left out
  and counted. `OwnerId` holds the owner only when it is a Salesforce user id (prefix 005), and
  is blank otherwise, which Data Loader reads as "leave the owner as it is".
- `csv`: execrank's own columns; `json`: the same fields, reasons as a list.

Every text cell of the CSV formats goes through `csv_row` (from `execrank.output`, the one guard
every CSV execrank writes goes through), so a spreadsheet shows a cell starting a formula as text
instead of running it. JSON is not opened by spreadsheets and carries the values unchanged.
CSV for HubSpot and execrank's own CSV are UTF-8 with a byte-order mark, so Excel shows Chinese
names correctly; the Salesforce file has no mark, because Data Loader (with "Read all CSVs with
UTF-8 encoding") would read it as part of the `Id` header.
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from execrank.identity import load_aliases
from execrank.output import csv_row
from execrank.service import Contribution, latest_snapshot, rank, top_reasons
from execrank.store import Store

REASONS_PER_CONTACT = 3
SCORE_DECIMALS = 2
SALESFORCE_ID = re.compile(r"[A-Za-z0-9]{15}(?:[A-Za-z0-9]{3})?")
"""A Salesforce record id: 15 characters, or 18 with the case-safe suffix."""
SALESFORCE_USER_PREFIX = "005"
"""The key prefix of Salesforce User ids, the only ids OwnerId accepts."""


class ExportFormat(StrEnum):
    hubspot = "hubspot"
    salesforce = "salesforce"
    csv = "csv"
    json = "json"


# field -> column header, per CSV format, in column order
COLUMNS: dict[ExportFormat, dict[str, str]] = {
    ExportFormat.hubspot: {
        "email": "Email",
        "score": "execrank_score",
        "tier": "execrank_tier",
        "rank": "execrank_rank",
        "reasons": "execrank_reasons",
        "as_of": "execrank_scored_as_of",
        "owner": "Contact owner",
    },
    ExportFormat.salesforce: {
        "salesforce_id": "Id",
        "email": "Email",
        "score": "ExecRank_Score__c",
        "tier": "ExecRank_Tier__c",
        "rank": "ExecRank_Rank__c",
        "reasons": "ExecRank_Reasons__c",
        "as_of": "ExecRank_Scored_As_Of__c",
        "owner_id": "OwnerId",
    },
    ExportFormat.csv: {
        name: name
        for name in (
            "contact_id",
            "email",
            "name",
            "title",
            "company",
            "owner",
            "rep",
            "playbook",
            "score",
            "tier",
            "rank",
            "reasons",
            "as_of",
            "model_hash",
        )
    },
}
ENCODINGS = {
    ExportFormat.hubspot: "utf-8-sig",
    ExportFormat.salesforce: "utf-8",
    ExportFormat.csv: "utf-8-sig",
    ExportFormat.json: "utf-8",
}


NEEDED_FIELD = {ExportFormat.hubspot: "email", ExportFormat.salesforce: "salesforce_id"}
"""The field a CRM matches its records on: a contact without it is left out of that format."""
LEFT_OUT = {
    ExportFormat.hubspot: "without an email (HubSpot matches contacts on it)",
    ExportFormat.salesforce: "without a Salesforce record id (Data Loader updates by it)",
}


@dataclass(frozen=True)
class Export:
    """The file's bytes, how many contacts it holds, and how many it left out and why."""

    content: bytes
    rows: int
    skipped: int
    left_out: str = ""  # which contacts were left out, e.g. "without an email (…)"


def reason_text(reason: Contribution) -> str:
    return f"{reason.rule} ({reason.points:+.{SCORE_DECIMALS}f}): {reason.evidence}"


def _records(store: Store, top: int | None) -> list[dict[str, Any]]:
    snapshot = latest_snapshot(store)
    contacts = rank(store, top=top)
    reasons = top_reasons(store, contacts, REASONS_PER_CONTACT)
    people = {
        contact_id: (email, owner)
        for contact_id, email, owner in store.query("SELECT contact_id, email, owner FROM contacts")
    }
    salesforce_ids = _salesforce_ids(store)
    return [
        {
            "contact_id": c.contact_id,
            "salesforce_id": salesforce_ids.get(c.contact_id),
            "email": people[c.contact_id][0],
            "name": c.name,
            "title": c.title,
            "company": c.company,
            "owner": people[c.contact_id][1],
            "owner_id": _salesforce_user_id(people[c.contact_id][1]),
            "rep": c.rep,  # assigned by `execrank route`
            "playbook": c.playbook,
            "score": round(c.total, SCORE_DECIMALS),
            "tier": c.tier,
            "rank": c.rank,
            "reasons": [reason_text(r) for r in reasons[c.contact_id]],
            "as_of": snapshot.as_of.isoformat(),
            "model_hash": snapshot.model_hash,
        }
        for c in contacts
    ]


def _salesforce_ids(store: Store) -> dict[str, str]:
    """contact id -> its Salesforce record id: its own id, else its first alias of that shape."""
    found: dict[str, str] = {}
    aliases = sorted(load_aliases(store)["contacts"].items())
    for alias_id, contact_id in aliases:
        if SALESFORCE_ID.fullmatch(alias_id):
            found.setdefault(contact_id, alias_id)
    for (contact_id,) in store.query("SELECT contact_id FROM contacts"):
        if SALESFORCE_ID.fullmatch(contact_id):
            found[contact_id] = contact_id
    return found


def _salesforce_user_id(owner: str | None) -> str | None:
    if owner and owner.startswith(SALESFORCE_USER_PREFIX) and SALESFORCE_ID.fullmatch(owner):
        return owner
    return None


def _csv(records: list[dict[str, Any]], columns: dict[str, str]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(columns.values())
    writer.writerows(csv_row(r[field] for field in columns) for r in records)
    return buffer.getvalue()


def export(store: Store, target: ExportFormat, *, top: int | None = None) -> Export:
    """The latest snapshot (or its first `top` contacts) as a file for `target`."""
    records = _records(store, top)
    needed = NEEDED_FIELD.get(target)
    kept = [r for r in records if r[needed]] if needed else records
    if target is ExportFormat.json:
        fields = COLUMNS[ExportFormat.csv]
        text = json.dumps([{f: r[f] for f in fields} for r in kept], ensure_ascii=False, indent=2)
        text += "\n"
    else:
        text = _csv(kept, COLUMNS[target])
    skipped = len(records) - len(kept)
    return Export(text.encode(ENCODINGS[target]), len(kept), skipped, LEFT_OUT.get(target, ""))
