"""What each kind of import holds: its fields, their types, and which are required.

The field names are the execrank-native CSV columns; a column mapping renames a CRM export's
headers to these.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

FieldType = Literal[
    "id", "text", "code", "email", "country", "number", "integer", "datetime", "bool"
]


@dataclass(frozen=True)
class Field:
    name: str
    type: FieldType
    required: bool = False
    choices: tuple[str, ...] = ()  # a code field's allowed values; empty: any code


# What a signal is (issue 5): a person's post (LinkedIn, X, Weibo), company news, a press
# release, a speech, a forum talk or panel, a job posting. Others are rejected at import.
SIGNAL_KINDS = ("post", "news", "press_release", "speech", "forum", "job_posting")


KINDS: dict[str, tuple[Field, ...]] = {
    "companies": (
        Field("company_id", "id", required=True),
        Field("name", "text"),
        Field("domain", "text"),
        Field("revenue_usd", "number"),
        Field("employees", "integer"),
        Field("industry", "text"),
        Field("region", "text"),
        Field("country", "country"),  # stored as an ISO 3166-1 alpha-2 code (execrank.countries)
    ),
    "contacts": (
        Field("contact_id", "id", required=True),
        Field("name", "text"),
        Field("email", "email"),
        Field("title", "text"),
        Field("company_id", "id"),
        Field("owner", "text"),
    ),
    "events": (
        Field("event_id", "id"),
        Field("contact_id", "id", required=True),
        Field("event_type", "code", required=True),
        Field("asset", "text"),
        Field("occurred_at", "datetime", required=True),
        Field("source", "text"),
    ),
    "signals": (
        Field("signal_id", "id"),
        Field("contact_id", "id"),
        Field("company_id", "id"),
        Field("kind", "code", required=True, choices=SIGNAL_KINDS),
        Field("occurred_at", "datetime", required=True),
        Field("url", "text"),
        Field("title", "text"),
        Field("text", "text"),
        Field("source", "text"),
    ),
    "relationships": (
        Field("relationship_id", "id"),
        Field("contact_id", "id", required=True),
        Field("kind", "code", required=True),
        Field("occurred_at", "datetime", required=True),
        Field("referrer", "text"),
        Field("note", "text"),
        Field("source", "text"),
        Field("referrer_standing", "code"),  # e.g. active_customer, churned_customer
    ),
    "opportunities": (
        Field("opportunity_id", "id", required=True),
        Field("company_id", "id"),
        Field("name", "text"),
        Field("stage", "text"),
        Field("is_closed", "bool"),
        Field("is_won", "bool"),
        Field("amount", "number"),
        Field("currency", "code"),
        Field("created_at", "datetime"),
        Field("closed_at", "datetime"),
        Field("owner", "text"),
        Field("source", "text"),
    ),
    # Who took part in a deal, in the CRM's words (Decision Maker, Economic Buyer, ...); keyed by
    # (opportunity_id, contact_id, role).
    "opportunity_contacts": (
        Field("opportunity_id", "id", required=True),
        Field("contact_id", "id", required=True),
        Field("role", "text"),
        Field("is_primary", "bool"),
        Field("source", "text"),
    ),
}

# The fields that make up a row's natural key when the file gives no id of its own.
NATURAL_KEYS: dict[str, tuple[str, ...]] = {
    "events": ("contact_id", "event_type", "asset", "occurred_at"),
    "signals": ("contact_id", "company_id", "url", "title", "text"),
    "relationships": ("contact_id", "kind", "referrer", "occurred_at"),
    "opportunity_contacts": ("opportunity_id", "contact_id", "role"),
}

# Fields that must name a record already in the store: field -> table.
REFERENCES: dict[str, dict[str, str]] = {
    "events": {"contact_id": "contacts"},
    "signals": {"contact_id": "contacts", "company_id": "companies"},
    "relationships": {"contact_id": "contacts"},
    "opportunities": {"company_id": "companies"},
    "opportunity_contacts": {"opportunity_id": "opportunities", "contact_id": "contacts"},
}
