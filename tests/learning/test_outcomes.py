"""Deals: outcomes from the CRM's flags or stage, and which executives a deal is judged by."""

from __future__ import annotations

from pathlib import Path

import pytest

from execrank import learning
from execrank.store import Store
from tests.learning.conftest import import_rows


@pytest.mark.parametrize(
    ("is_closed", "is_won", "stage", "expected"),
    [
        (True, True, "Closed Won", "won"),
        (True, False, "Closed Lost", "lost"),
        (False, False, "Negotiation/Review", "open"),
        (None, None, "Won", "won"),  # Maven's stages: the flags are missing
        (None, None, "Lost", "lost"),
        (None, None, "Engaging", "open"),
        (None, None, "closed  WON", "won"),
        (True, None, "Closed", "lost"),
        (None, True, None, "won"),
    ],
)
def test_outcome_from_flags_or_stage(
    is_closed: bool | None, is_won: bool | None, stage: str | None, expected: str
) -> None:
    assert learning.outcome(is_closed, is_won, stage) == expected


def test_a_deal_without_linked_contacts_is_judged_by_its_company(
    store: Store, tmp_path: Path
) -> None:
    import_rows(store, tmp_path, "companies", ["company_id"], [["acme"], ["solo"]])
    import_rows(
        store,
        tmp_path,
        "contacts",
        ["contact_id", "title", "company_id"],
        [["ceo", "CEO", "acme"], ["cfo", "CFO", "acme"], ["x", "CEO", "solo"]],
    )
    import_rows(
        store,
        tmp_path,
        "opportunities",
        ["opportunity_id", "company_id", "stage", "created_at", "closed_at"],
        [["o1", "acme", "Won", "2026-01-05", "2026-02-01"],
         ["o2", "solo", "Lost", "2026-01-06", "2026-02-01"],
         ["o3", "", "Lost", "2026-01-07", "2026-02-01"]],
    )  # fmt: skip
    import_rows(
        store, tmp_path, "opportunity_contacts", ["opportunity_id", "contact_id"], [["o2", "x"]]
    )
    found = {d.opportunity_id: d for d in learning.deals(store)}
    assert found["o1"].contact_ids == ("ceo", "cfo")  # no link: the company's contacts
    assert found["o2"].contact_ids == ("x",)
    assert found["o3"].contact_ids == ()
    assert [d.opportunity_id for d in learning.closed_deals(store)] == ["o1", "o2"]
