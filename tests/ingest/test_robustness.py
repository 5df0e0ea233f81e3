"""Generated hostile CSV files never crash an import and every row is accounted for; facts
imported twice, or in two overlapping files, count once."""

from __future__ import annotations

import csv
import io
from datetime import datetime
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from execrank import service
from execrank.errors import InputError
from execrank.store import Store
from tests.conftest import write_csv

WHEN = datetime(2026, 1, 1)
HEADER = ["contact_id", "name", "email", "title"]
HUGE_FIELD = 100_000  # characters: far beyond any real cell, below csv's field size limit

cell = st.one_of(
    st.text(max_size=12),  # any characters: quotes, commas, line breaks, NUL, emoji
    st.text(alphabet='",\r\n', max_size=6),  # nothing but the CSV's own syntax
    st.sampled_from(["", "  ", "n/a", "CEO", "董事长", "a@b.co", "Müller", "nul\x00byte"]),
    st.builds(lambda char, n: char * n, st.sampled_from('x"中'), st.integers(1, HUGE_FIELD)),
)
ragged_row = st.lists(cell, min_size=0, max_size=len(HEADER) + 2)  # short, full or too long


def csv_bytes(rows: list[list[str]], encoding: str, quoting: int) -> bytes:
    text = io.StringIO()
    writer = csv.writer(text, quoting=quoting)
    writer.writerow(HEADER)
    writer.writerows(rows)
    return text.getvalue().encode(encoding, errors="replace")


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    rows=st.lists(ragged_row, max_size=8),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "gb18030", "latin-1", "cp1252"]),
    quoting=st.sampled_from([csv.QUOTE_MINIMAL, csv.QUOTE_ALL, csv.QUOTE_NONNUMERIC]),
    cut=st.one_of(st.none(), st.integers(min_value=1, max_value=400)),
)
def test_any_generated_csv_is_imported_or_reported_and_counts_add_up(
    tmp_path: Path, rows: list[list[str]], encoding: str, quoting: int, cut: int | None
) -> None:
    data = csv_bytes(rows, encoding, quoting)
    path = tmp_path / "contacts.csv"
    path.write_bytes(data[:cut] if cut else data)  # a file cut short mid-quote or mid-character
    with Store.open(":memory:") as memory:
        try:
            report = service.import_file(
                memory, "contacts", path, ingested_at=WHEN, rejects_dir=tmp_path
            )
        except InputError as error:  # the whole file unreadable (NUL bytes, an encoding it
            assert path.name in str(error)  # cannot tell): a message naming it, nothing stored
            assert memory.count("contacts") == 0
            return
        counts = report.counts
        stored = counts.inserted + counts.updated + counts.unchanged
        assert stored + report.duplicates_in_file + report.rejected_rows == report.rows_read
        assert memory.count("contacts") == counts.inserted
        assert len({e.row for e in report.rejected}) == report.rejected_rows


def events_file(path: Path, rows: list[tuple[str, str, str]]) -> Path:
    return write_csv(
        path,
        ["contact_id", "event_type", "asset", "occurred_at"],
        [["p1", kind, asset, when] for kind, asset, when in rows],
    )


def test_events_imported_twice_or_in_overlapping_files_count_once(
    store: Store, tmp_path: Path
) -> None:
    write_csv(tmp_path / "contacts.csv", ["contact_id"], [["p1"]])
    service.import_file(store, "contacts", tmp_path / "contacts.csv", ingested_at=WHEN)
    opens = [("email_open", f"newsletter-{n}", f"2026-03-0{n}") for n in range(1, 6)]
    first = events_file(tmp_path / "march-1-3.csv", opens[:3])
    # the same moments written another way: US dates with a time, Chinese dates
    second = events_file(
        tmp_path / "march-2-5.csv",
        [
            ("Email Open", "newsletter-2", "03/02/2026 12:00 AM"),
            ("email-open", "newsletter-3", "2026年3月3日"),
            *opens[3:],
        ],
    )
    for path in (first, first, second, second):
        report = service.import_file(store, "events", path, ingested_at=WHEN)
        assert report.rejected == []
    assert store.count("events") == 5  # newsletters 1-5, each once


def test_signals_imported_twice_count_once(store: Store, tmp_path: Path) -> None:
    write_csv(tmp_path / "companies.csv", ["company_id"], [["acme"]])
    service.import_file(store, "companies", tmp_path / "companies.csv", ingested_at=WHEN)
    header = ["company_id", "kind", "occurred_at", "url", "title"]
    rows = [
        ["acme", "news", "2026-03-01", "https://example.com/a", "Acme moves to the cloud"],
        ["acme", "news", "2026-03-02", "", "Acme hires a CIO"],
    ]
    path = write_csv(tmp_path / "signals.csv", header, rows)
    overlap = write_csv(tmp_path / "signals-2.csv", header, [rows[1], rows[0]])
    for each in (path, path, overlap):
        service.import_file(store, "signals", each, ingested_at=WHEN)
    assert store.count("signals") == 2
