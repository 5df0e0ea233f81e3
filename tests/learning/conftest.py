"""Small stores of deals for the learning tests."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

from execrank import service
from execrank.store import Store
from tests.conftest import write_csv

INGESTED = datetime(2026, 12, 1)


def import_rows(
    store: Store, folder: Path, kind: str, header: Sequence[str], rows: Sequence[Sequence[object]]
) -> None:
    path = write_csv(folder / f"{kind}.csv", header, rows)
    report = service.import_file(store, kind, path, ingested_at=INGESTED, rejects_dir=folder)
    assert report.rejected == [], [str(e) for e in report.rejected]
