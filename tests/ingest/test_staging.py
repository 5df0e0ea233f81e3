"""The set-based import reads what the Python readers and parsers read: DuckDB's CSV reader
stages the same rows as `read_csv`, SQL's readings of plain text and emails equal the Python
ones, and keys hashed in SQL equal the natural-key hashes stores already hold."""

from __future__ import annotations

import csv
import hashlib
import io
from datetime import datetime
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from execrank import service
from execrank.errors import InputError
from execrank.ingest import clean_text, read_csv
from execrank.ingest._staging import STAGED, stage
from execrank.store import Store
from tests.conftest import write_csv

WHEN = datetime(2026, 1, 1)
HEADER = ["contact_id", "name", "email", "title"]
EMAIL = st.builds(
    lambda local, domain: f"{local}@{domain}.com",
    st.text(alphabet="aZé.ßµ&;ñ Ü\u00a0\t-", min_size=1, max_size=6),
    st.text(alphabet="xYé-ß", min_size=1, max_size=4),
)
cell = st.one_of(
    st.text(max_size=8),
    st.text(alphabet='",\r\n ;\t', max_size=5),
    st.sampled_from(["", "  ", "CEO", "董事长", "AT&amp;T", "a  b", "\u3000x\u3000", "x\u00a0"]),
    EMAIL,
)
# NUL or other control characters (but tab and line breaks): the file may be refused whole as
# binary (a rule of the readers, tested with them), leaving nothing to compare
text_cell = cell.filter(
    lambda text: not any((ord(c) < 32 and c not in "\t\r\n") or c == "\x7f" for c in text)
)
settings_for_files = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def staged_rows(store: Store, path: Path) -> tuple[list[tuple[int, list[str]]], tuple[str, ...]]:
    staged = stage(store, path)
    columns = ", ".join(staged.column(header) for header in staged.header)
    rows = store.query(f"SELECT row, {columns} FROM {STAGED} ORDER BY row")
    return [(row[0], list(row[1:])) for row in rows], staged.extra_cells


@settings_for_files
@given(
    rows=st.lists(st.lists(cell, min_size=0, max_size=len(HEADER) + 1), max_size=8),
    quoting=st.sampled_from([csv.QUOTE_MINIMAL, csv.QUOTE_ALL]),
    ending=st.sampled_from(["\n", "\r\n"]),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "gb18030", "utf-16"]),
)
def test_staged_rows_are_the_rows_read_csv_reads(
    tmp_path: Path, rows: list[list[str]], quoting: int, ending: str, encoding: str
) -> None:
    text = io.StringIO()
    writer = csv.writer(text, quoting=quoting, lineterminator=ending)
    writer.writerows([HEADER, *rows])
    path = tmp_path / "contacts.csv"
    path.write_bytes(text.getvalue().encode(encoding, errors="replace"))
    try:
        table = read_csv(path)
    except InputError as error:
        with Store.open(":memory:") as memory:
            try:
                stage(memory, path)
            except InputError as staging_error:
                assert str(staging_error) == str(error)
                return
        raise AssertionError(f"staged a file read_csv refuses: {error}") from None
    expected = [(row.number, [row.values[h] for h in table.header]) for row in table.rows]
    extras = tuple(
        (row.number, name, value)
        for row in table.rows
        for name, value in row.values.items()
        if name not in table.header and value
    )
    with Store.open(":memory:") as memory:
        assert staged_rows(memory, path) == (expected, extras)


@settings_for_files
@given(cells=st.lists(st.tuples(text_cell, EMAIL | text_cell), min_size=1, max_size=12))
def test_sql_reads_names_and_emails_as_the_python_parsers_do(
    tmp_path: Path, cells: list[tuple[str, str]]
) -> None:
    rows = [[f"c{n}", name, email] for n, (name, email) in enumerate(cells)]
    path = write_csv(tmp_path / "contacts.csv", ["contact_id", "name", "email"], rows)
    with Store.open(":memory:") as memory:
        report = service.import_file(memory, "contacts", path, ingested_at=WHEN)
        stored = {
            row[0]: row[1:] for row in memory.query("SELECT contact_id, name, email FROM contacts")
        }
    rejected = {e.row for e in report.rejected}
    for number, (contact_id, name, email) in enumerate(rows, start=2):
        if number in rejected:  # an email the Python parser refuses (a test of its own)
            assert contact_id not in stored
            continue
        assert stored[contact_id][:2] == (
            clean_text(name) or None,
            clean_text(email).casefold() or None,
        )


@settings_for_files
@given(moments=st.lists(st.datetimes(), max_size=5), asset=st.text(alphabet="ab-中 ", max_size=5))
def test_keys_hashed_in_sql_are_the_natural_key_hashes(
    tmp_path: Path, moments: list[datetime], asset: str
) -> None:
    path = write_csv(tmp_path / "contacts.csv", ["contact_id"], [["p1"]])
    events = write_csv(
        tmp_path / "events.csv",
        ["contact_id", "event_type", "asset", "occurred_at"],
        [["p1", "email_open", asset, moment.isoformat()] for moment in moments],
    )
    with Store.open(":memory:") as memory:
        service.import_file(memory, "contacts", path, ingested_at=WHEN)
        service.import_file(memory, "events", events, ingested_at=WHEN)
        stored = {row[0] for row in memory.query("SELECT event_id FROM events")}
    # the natural key: contact, type, asset (cleaned) and str() of the moment, joined by \x1f
    expected = {
        "eve-"
        + hashlib.sha1(
            "\x1f".join(["p1", "email_open", clean_text(asset), str(moment)]).encode()
        ).hexdigest()[:16]
        for moment in moments
    }
    assert stored == expected
