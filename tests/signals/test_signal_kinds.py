"""Signal kinds: a fixed vocabulary, checked at import with an error naming file, row and field."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from execrank import model, service
from execrank.demo._synthetic import SIGNAL_KINDS as DEMO_SIGNAL_KINDS
from execrank.ingest._schema import SIGNAL_KINDS
from execrank.store import Store
from tests.conftest import write_csv

WHEN = datetime(2026, 6, 1)
ALLOWED = "one of post, news, press_release, speech, forum, job_posting"


def test_an_unknown_kind_is_rejected_with_file_row_field_and_the_allowed_kinds(
    store: Store, tmp_path: Path
) -> None:
    write_csv(tmp_path / "co.csv", ["company_id"], [["acme"]])
    service.import_file(store, "companies", tmp_path / "co.csv", ingested_at=WHEN)
    path = write_csv(
        tmp_path / "signals.csv",
        ["company_id", "kind", "occurred_at", "text"],
        [
            ["acme", "news", "2026-05-01", "Acme moves its ERP to the cloud."],
            ["acme", "Press Release", "2026-05-02", "Acme opens a data platform."],
            ["acme", "tweet", "2026-05-03", "Acme is hiring."],
        ],
    )
    report = service.import_file(store, "signals", path, ingested_at=WHEN, rejects_dir=tmp_path)
    # row numbers count the header as row 1: the third data row is row 4
    assert [str(error) for error in report.rejected] == [
        f"signals.csv, row 4, column 'kind': 'tweet' is not {ALLOWED}"
    ]
    assert report.counts.inserted == 2  # "Press Release" reads as the code press_release
    assert sorted(kind for (kind,) in store.query("SELECT kind FROM signals")) == [
        "news",
        "press_release",
    ]


def test_the_kinds_the_model_and_the_demo_use_are_allowed() -> None:
    hiring = model.default().intent.hiring
    assert hiring is not None
    assert set(hiring.kinds) <= set(SIGNAL_KINDS)
    assert set(DEMO_SIGNAL_KINDS) <= set(SIGNAL_KINDS)
