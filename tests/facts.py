"""Small hand-written facts for the scoring, accounts and routing tests: each kind written as a
CSV file in the test's tmp folder and imported through the service, as a user's files are.

Under the default model, ACME meets all four ICP criteria (revenue >= 1e9, employees >= 1000,
industry Technology, country US: fit 10) and TINY only industry and country (fit 5).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
from pathlib import Path

from execrank import service
from execrank.store import Store
from tests.conftest import write_csv

COMPANY_HEADER = ["company_id", "name", "revenue_usd", "employees", "industry", "country"]
ACME = ["acme", "Acme", "2000000000", "5000", "Technology", "US"]
TINY = ["tiny", "Tiny", "1000000", "10", "Technology", "US"]

Rows = Sequence[Sequence[object]]


def import_facts(
    store: Store,
    folder: Path,
    files: Mapping[str, tuple[Sequence[str], Rows]],
    *,
    ingested_at: datetime,
) -> None:
    """Import each kind's (header, rows) in the order given; no row may be rejected."""
    for kind, (header, rows) in files.items():
        path = write_csv(folder / f"{kind}.csv", header, rows)
        report = service.import_file(store, kind, path, ingested_at=ingested_at)
        assert not report.rejected, [str(e) for e in report.rejected]


def newsletter_opens(
    contact_id: str, count: int, *, at: datetime, one_newsletter: bool
) -> list[list[str]]:
    """`count` email opens up to `at`: of one newsletter (a second apart, so each is a repeat
    of the same asset), or of `count` different newsletters."""
    if one_newsletter:
        return [
            [contact_id, "email_open", "newsletter-1", (at - timedelta(seconds=i)).isoformat()]
            for i in range(count)
        ]
    return [[contact_id, "email_open", f"newsletter-{i}", at.isoformat()] for i in range(count)]
