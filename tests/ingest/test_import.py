"""Importing files: bad rows reported precisely, good rows kept, re-import a no-op, one
transaction per file, mappings, encodings."""

from __future__ import annotations

import csv
import json
from datetime import datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from execrank import model, service
from execrank.errors import InputError
from execrank.ingest._readers import LARGEST_CELL_CHARACTERS
from execrank.store import Store
from tests.conftest import shared_file, write_csv

WHEN = datetime(2026, 1, 1)


def import_(store: Store, kind: str, path: Path, **options: object) -> service.ImportReport:
    return service.import_file(
        store, kind, path, ingested_at=WHEN, rejects_dir=path.parent, **options
    )  # type: ignore[arg-type]


def test_bad_cells_are_reported_with_file_row_column_value_and_expectation(
    store: Store, tmp_path: Path
) -> None:
    path = write_csv(
        tmp_path / "companies.csv",
        ["company_id", "name", "revenue_usd", "employees"],
        [
            ["a", "A", "1,200,000", "10"],
            ["b", "B", "$1,2M", "20"],
            ["c", "C", "5", "many"],
            ["", "D", "7", "1"],
        ],
    )
    report = import_(store, "companies", path)
    assert report.counts.inserted == 1
    messages = [str(e) for e in report.rejected]
    assert messages[0].startswith(
        "companies.csv, row 3, column 'revenue_usd': '$1,2M' is not a number"
    )
    assert messages[1].startswith("companies.csv, row 4, column 'employees': 'many' is not")
    assert (
        messages[2]
        == "companies.csv, row 5, column 'company_id': '' is empty; company_id is required"
    )
    assert report.rejected_rows == 3


def test_rejected_rows_go_to_a_report_file_with_the_original_cells(
    store: Store, tmp_path: Path
) -> None:
    path = write_csv(
        tmp_path / "events.csv",
        ["contact_id", "event_type", "occurred_at"],
        [["ghost", "meeting", "2025-01-01"], ["ghost", "meeting", "2025-13-01"]],
    )
    report = import_(store, "events", path)
    assert report.rejects_path == tmp_path / "events.csv.events.rejected.csv"
    with report.rejects_path.open(encoding="utf-8-sig") as handle:
        rows = list(csv.DictReader(handle))
    assert [(r["row"], r["column"]) for r in rows] == [("2", "contact_id"), ("3", "occurred_at")]
    assert "import contacts first" in rows[0]["reason"]
    assert rows[1]["occurred_at"] == "2025-13-01"


def test_the_rejects_report_guards_formulas_and_has_a_byte_order_mark(
    store: Store, tmp_path: Path
) -> None:
    link = '=HYPERLINK("http://evil.example","fix me")'
    path = write_csv(
        tmp_path / "events.csv",
        ["contact_id", "event_type", "asset", "occurred_at"],
        [
            [link, "meeting", "=1+2", "2025-01-01"],
            ["王伟", "meeting", "会议纪要", "2025-13-01"],
            ["p9", "meeting", "-3.5", "2025-01-01"],
        ],
    )
    report = import_(store, "events", path)
    assert report.rejects_path is not None
    content = report.rejects_path.read_bytes()
    assert content.startswith(b"\xef\xbb\xbf")  # UTF-8's byte-order mark: Excel reads Chinese
    rows = list(csv.DictReader(content.decode("utf-8-sig").splitlines()))
    assert [(r["row"], r["column"]) for r in rows] == [
        ("2", "contact_id"),
        ("3", "occurred_at"),
        ("4", "contact_id"),
    ]
    assert rows[0]["value"] == rows[0]["contact_id"] == "'" + link
    assert rows[0]["asset"] == "'=1+2"
    assert (rows[1]["contact_id"], rows[1]["asset"]) == ("王伟", "会议纪要")
    assert rows[2]["asset"] == "-3.5"  # a plain number runs nothing and stays as it was


def test_reports_of_files_sharing_a_stem_both_stay_and_a_clean_reimport_removes_its_own(
    store: Store, tmp_path: Path
) -> None:
    bad = {"contact_id": "p1", "email": "not-an-email"}
    jsonl = tmp_path / "people.jsonl"
    jsonl.write_text(json.dumps(bad) + "\n", encoding="utf-8")
    csv_file = write_csv(tmp_path / "people.csv", list(bad), [list(bad.values())])
    first = import_(store, "contacts", jsonl)
    second = import_(store, "contacts", csv_file)
    assert first.rejects_path == tmp_path / "people.jsonl.contacts.rejected.csv"
    assert second.rejects_path == tmp_path / "people.csv.contacts.rejected.csv"
    assert first.rejects_path.is_file() and second.rejects_path.is_file()
    fixed = {**bad, "email": "p1@example.com"}
    jsonl.write_text(json.dumps(fixed) + "\n", encoding="utf-8")
    clean = import_(store, "contacts", jsonl)
    assert clean.rejected == [] and clean.rejects_path is None
    assert clean.stale_rejects_removed == first.rejects_path
    assert not first.rejects_path.exists() and second.rejects_path.is_file()
    again = import_(store, "contacts", jsonl)
    assert again.stale_rejects_removed is None  # nothing left to remove


def test_a_clean_import_leaves_the_report_of_another_folders_file_of_the_same_name(
    store: Store, tmp_path: Path
) -> None:
    header, bad, good = ["contact_id", "email"], ["p1", "not-an-email"], ["p1", "p1@example.com"]
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    reports = tmp_path / "reports"  # as the CLI does: every report beside the store

    def import_from(folder: str, row: list[str]) -> service.ImportReport:
        path = write_csv(tmp_path / folder / "x.csv", header, [row])
        return service.import_file(store, "contacts", path, ingested_at=WHEN, rejects_dir=reports)

    first = import_from("a", bad)
    assert first.rejects_path == reports / "x.csv.contacts.rejected.csv"
    other = import_from("b", good)  # another file that happens to share the name
    assert other.stale_rejects_removed is None and first.rejects_path.is_file()
    fixed = import_from("a", good)
    assert fixed.stale_rejects_removed == first.rejects_path
    assert not first.rejects_path.exists()


def test_without_a_rejects_folder_the_library_writes_no_file(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = tmp_path / "data"
    data.mkdir()
    path = write_csv(
        data / "events.csv",
        ["contact_id", "event_type", "occurred_at"],
        [["ghost", "meeting", "2025-01-01"]],
    )
    working = tmp_path / "working"
    working.mkdir()
    monkeypatch.chdir(working)  # a file here would be one the caller never asked for
    report = service.import_file(store, "events", path, ingested_at=WHEN)
    assert [(e.row, e.column) for e in report.rejected] == [(2, "contact_id")]
    assert report.rejects_path is None
    assert list(working.iterdir()) == []
    assert sorted(p.name for p in data.iterdir()) == ["events.csv"]


def test_good_rows_are_kept_when_others_are_rejected(store: Store, tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "contacts.csv",
        ["contact_id", "email", "title"],
        [["p1", "p1@example.com", "CEO"], ["p2", "not-an-email", "CFO"]],
    )
    report = import_(store, "contacts", path)
    assert report.counts.inserted == 1
    assert store.count("contacts") == 1
    assert "is not an email address" in str(report.rejected[0])


def test_reimporting_the_same_file_changes_nothing(store: Store, tmp_path: Path) -> None:
    contacts = write_csv(tmp_path / "contacts.csv", ["contact_id", "title"], [["p1", "CEO"]])
    events = write_csv(
        tmp_path / "events.csv",
        ["contact_id", "event_type", "occurred_at"],
        [["p1", "meeting", "2025-01-01"], ["p1", "Email Open", "2025-01-02"]],
    )
    import_(store, "contacts", contacts)
    first = import_(store, "events", events)
    again = import_(store, "events", events)
    assert (first.counts.inserted, again.counts.inserted, again.counts.unchanged) == (2, 0, 2)
    assert store.count("events") == 2


def test_a_changed_row_updates_the_stored_fact(store: Store, tmp_path: Path) -> None:
    import_(
        store, "contacts", write_csv(tmp_path / "a.csv", ["contact_id", "title"], [["p1", "VP"]])
    )
    report = import_(
        store, "contacts", write_csv(tmp_path / "b.csv", ["contact_id", "title"], [["p1", "CEO"]])
    )
    assert (report.counts.inserted, report.counts.updated) == (0, 1)


def test_a_file_without_some_columns_leaves_their_stored_values_alone(
    store: Store, tmp_path: Path
) -> None:
    full = write_csv(
        tmp_path / "a.csv",
        ["contact_id", "name", "email", "title", "company_id"],
        [["p1", "Jane", "jane@acme.com", "VP", "acme"]],
    )
    import_(store, "contacts", full)
    partial = write_csv(tmp_path / "b.csv", ["contact_id", "title"], [["p1", "CEO"]])
    report = import_(store, "contacts", partial)
    assert report.counts.updated == 1
    assert store.query("SELECT name, email, title, company_id FROM contacts") == [
        ("Jane", "jane@acme.com", "CEO", "acme")
    ]
    assert import_(store, "contacts", partial).counts.unchanged == 1


def test_a_blank_cell_keeps_the_stored_value(store: Store, tmp_path: Path) -> None:
    import_(
        store,
        "companies",
        write_csv(
            tmp_path / "a.csv",
            ["company_id", "revenue_usd", "industry"],
            [["acme", "$1.2M", "Software"]],
        ),
    )
    import_(
        store,
        "contacts",
        write_csv(tmp_path / "c.csv", ["contact_id", "title"], [["c5", "C.E.O."]]),
    )
    blank_title = write_csv(tmp_path / "d.csv", ["contact_id", "title"], [["c5", ""]])
    report = import_(store, "contacts", blank_title)
    assert (report.counts.updated, report.counts.unchanged) == (0, 1)
    assert store.query("SELECT title FROM contacts") == [("C.E.O.",)]
    # a row with one blank and one new value updates only the new one, whatever the kind
    blank_revenue = write_csv(
        tmp_path / "b.csv", ["company_id", "revenue_usd", "industry"], [["acme", "", "Retail"]]
    )
    assert import_(store, "companies", blank_revenue).counts.updated == 1
    assert store.query("SELECT revenue_usd, revenue_text, industry FROM companies") == [
        (1_200_000.0, "$1.2M", "Retail")
    ]


def test_a_signal_moved_to_another_subject_names_only_the_new_one(
    store: Store, tmp_path: Path
) -> None:
    import_(store, "companies", write_csv(tmp_path / "co.csv", ["company_id"], [["co1"]]))
    import_(store, "contacts", write_csv(tmp_path / "ct.csv", ["contact_id"], [["p0"], ["p1"]]))
    header = ["signal_id", "contact_id", "company_id", "kind", "occurred_at", "text"]
    about_company = ["s1", "", "co1", "news", "2026-11-01", "数字化转型"]
    import_(store, "signals", write_csv(tmp_path / "s1.csv", header, [about_company]))
    # The subject is one of two columns: a blank company beside a contact is no blank to keep.
    moved = write_csv(tmp_path / "s2.csv", header, [["s1", "p0", "", *about_company[3:]]])
    assert import_(store, "signals", moved).counts.updated == 1
    assert store.query("SELECT contact_id, company_id FROM signals") == [("p0", None)]
    # A file without the other column moves it too.
    columns = ["signal_id", "kind", "occurred_at", "text"]
    for subject, value in (("contact_id", "p1"), ("company_id", "co1")):
        row = ["s1", *about_company[3:]]
        path = write_csv(tmp_path / f"{value}.csv", [*columns, subject], [[*row, value]])
        assert import_(store, "signals", path).counts.updated == 1
    assert store.query("SELECT contact_id, company_id FROM signals") == [(None, "co1")]


def test_clear_blanks_clears_stored_values_and_counts_them(store: Store, tmp_path: Path) -> None:
    full = write_csv(
        tmp_path / "a.csv",
        ["contact_id", "name", "title"],
        [["c5", "Ann", "C.E.O."], ["c6", "Bo", "CFO"]],
    )
    import_(store, "contacts", full)
    blanks = write_csv(
        tmp_path / "b.csv", ["contact_id", "name", "title"], [["c5", "Ann", ""], ["c6", "", ""]]
    )
    report = import_(store, "contacts", blanks, clear_blanks=True)
    # c5: title cleared (1 value); c6: name and title cleared (2 values)
    assert (report.counts.updated, report.counts.cleared) == (2, 3)
    assert store.query("SELECT contact_id, name, title FROM contacts ORDER BY 1") == [
        ("c5", "Ann", None),
        ("c6", None, None),
    ]
    again = import_(store, "contacts", blanks, clear_blanks=True)
    assert (again.counts.unchanged, again.counts.cleared) == (2, 0)


def test_revenue_in_another_currency_and_negative_sizes_are_rejected(
    store: Store, tmp_path: Path
) -> None:
    path = write_csv(
        tmp_path / "co.csv",
        ["company_id", "revenue_usd", "employees"],
        [["a", "¥1.2亿", "10"], ["b", "€5M", "10"], ["c", "$5M", "-5"], ["d", "1.2亿", "10"]],
    )
    report = import_(store, "companies", path)
    reasons = [str(e) for e in report.rejected]
    assert "row 2, column 'revenue_usd': '¥1.2亿' is not in US dollars" in reasons[0]
    assert "row 3, column 'revenue_usd': '€5M' is not in US dollars" in reasons[1]
    assert "row 4, column 'employees': '-5' is not a employees of 0 or more" in reasons[2]
    assert store.query("SELECT company_id, revenue_usd FROM companies") == [("d", 1.2e8)]


def test_repeats_in_one_file_count_once_and_conflicts_are_rejected(
    store: Store, tmp_path: Path
) -> None:
    path = write_csv(
        tmp_path / "contacts.csv",
        ["contact_id", "title"],
        [["p1", "CEO"], ["p1", "CEO"], ["p1", "CFO"]],
    )
    report = import_(store, "contacts", path)
    assert report.duplicates_in_file == 1
    assert str(report.rejected[0]) == (
        "contacts.csv, row 4, column 'contact_id': 'p1' repeats the contact_id of row 2 with "
        "other values"
    )


def test_a_file_without_a_required_column_is_refused_whole(store: Store, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "contacts.csv", ["id", "title"], [["p1", "CEO"]])
    with pytest.raises(InputError, match=r"contacts\.csv: no column for required field"):
        import_(store, "contacts", path)
    assert store.count("contacts") == 0


def test_a_failure_inside_the_transaction_keeps_what_was_stored(
    store: Store, tmp_path: Path
) -> None:
    import_(store, "contacts", write_csv(tmp_path / "a.csv", ["contact_id"], [["p1"]]))
    store.close()
    reopened = Store.open(tmp_path / "test.duckdb")
    reopened.execute("DROP TABLE titles")  # make the in-transaction title step fail
    with pytest.raises(Exception, match="titles"):
        import_(
            reopened,
            "contacts",
            write_csv(tmp_path / "b.csv", ["contact_id", "title"], [["p2", "CEO"]]),
        )
    assert reopened.count("contacts") == 1
    reopened.close()


def test_signals_need_exactly_one_subject(store: Store, tmp_path: Path) -> None:
    import_(store, "companies", write_csv(tmp_path / "co.csv", ["company_id"], [["acme"]]))
    path = write_csv(
        tmp_path / "signals.csv",
        ["contact_id", "company_id", "kind", "occurred_at", "text"],
        [["", "", "news", "2025-01-01", "x"], ["", "acme", "news", "2025-01-01", "y"]],
    )
    report = import_(store, "signals", path)
    assert report.counts.inserted == 1
    assert "exactly one subject" in str(report.rejected[0])


def test_shipped_mapping_reads_a_real_salesforce_account_export(
    store: Store, tmp_path: Path
) -> None:
    source = shared_file("crm_export_formats", "salesforce_dataloader_accountData.csv")
    report = import_(store, "companies", source, mapping="salesforce-account")
    assert report.encoding == "latin-1"
    assert report.rows_read == 423
    counts = report.counts
    handled = counts.inserted + counts.updated + counts.unchanged + report.duplicates_in_file
    assert handled + report.rejected_rows == 423  # every row stored, merged or reported


def test_a_mapping_for_another_kind_is_refused(store: Store, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "c.csv", ["ID"], [["x"]])
    with pytest.raises(InputError, match="not 'contacts'"):
        import_(store, "contacts", path, mapping="salesforce-account")


def test_first_of_takes_the_first_value_a_cell_lists(store: Store, tmp_path: Path) -> None:
    mapping = tmp_path / "tags.yaml"
    mapping.write_text(
        "kind: contacts\ncolumns:\n  contact_id: Id\n  title: Titles\nfirst_of:\n  title: ' | '\n"
    )
    path = write_csv(
        tmp_path / "c.csv",
        ["Id", "Titles"],
        [["a", "CEO | Founder"], ["b", "CFO"], ["c", " | VP Sales"], ["d", " |  | "]],
    )
    report = import_(store, "contacts", path, mapping=str(mapping))
    assert report.rejected == []
    # "c": nothing before the first separator, so the first value listed is the next one
    assert store.query("SELECT contact_id, title FROM contacts ORDER BY 1") == [
        ("a", "CEO"),
        ("b", "CFO"),
        ("c", "VP Sales"),
        ("d", None),
    ]


@pytest.mark.parametrize(
    ("section", "message"),
    [
        ("first_of:\n  company: ';'\n", r"first_of.company is not a contacts field"),
        ("first_of:\n  company_id: ''\n", r"first_of.company_id is ''; expected the text"),
        ("first_of:\n  company_id: 3\n", r"first_of.company_id is 3; expected the text"),
    ],
)
def test_a_bad_first_of_names_its_field(
    store: Store, tmp_path: Path, section: str, message: str
) -> None:
    mapping = tmp_path / "bad.yaml"
    mapping.write_text("kind: contacts\ncolumns:\n  contact_id: Id\n" + section)
    path = write_csv(tmp_path / "c.csv", ["Id"], [["a"]])
    with pytest.raises(InputError, match=message):
        import_(store, "contacts", path, mapping=str(mapping))


@pytest.mark.parametrize(
    ("scale", "message"),
    [
        ("revenue_usd: lots", r"scale.revenue_usd is 'lots'; expected a number"),
        ("revenue_usd:\n  - {below: 10}", r"scale.revenue_usd\[0\] is \{'below': 10\}; expected a"),
        ("revenue_usd:\n  - {factor: 10}", r"scale.revenue_usd\[0\] is \{'factor': 10\}; expected"),
        ("revenue_usd:\n  - {below: 5, factor: x}", r"scale.revenue_usd\[0\].factor is 'x'"),
        (
            "revenue_usd:\n  - {at_least: 5, below: 5, factor: 1}",
            r"scale.revenue_usd\[0\] holds no value",
        ),
        (
            "revenue_usd:\n  - {below: 10, factor: 1}\n  - {at_least: 5, factor: 2}",
            r"scale.revenue_usd has overlapping ranges \(below 10: times 1; at least 5: times 2\)",
        ),
    ],
)
def test_a_bad_scale_names_its_yaml_path(
    store: Store, tmp_path: Path, scale: str, message: str
) -> None:
    mapping = tmp_path / "bad.yaml"
    mapping.write_text("kind: companies\ncolumns:\n  company_id: Id\nscale:\n  " + scale + "\n")
    path = write_csv(tmp_path / "c.csv", ["Id"], [["a"]])
    with pytest.raises(InputError, match=message):
        import_(store, "companies", path, mapping=str(mapping))


def test_scale_ranges_give_each_value_its_own_factor(store: Store, tmp_path: Path) -> None:
    mapping = tmp_path / "units.yaml"
    mapping.write_text(
        "kind: companies\ncolumns:\n  company_id: Id\n  revenue_usd: Revenue\n"
        "scale:\n  revenue_usd:\n    - {below: 100, factor: 1000000}\n"
        "    - {at_least: 1000, below: 5000, factor: 1000}\n"
    )
    path = write_csv(
        tmp_path / "c.csv", ["Id", "Revenue"], [["a", "12"], ["b", "2000"], ["c", "500"], ["d", ""]]
    )
    report = import_(store, "companies", path, mapping=str(mapping))
    # a: 12 x 1,000,000; b: 2,000 x 1,000; c: 500 is in neither range; d: empty, no value
    assert store.query("SELECT company_id, revenue_usd FROM companies ORDER BY 1") == [
        ("a", 12_000_000),
        ("b", 2_000_000),
        ("d", None),
    ]
    assert [str(e) for e in report.rejected] == [
        "c.csv, row 4, column 'Revenue': '500' is not in a range the mapping scales (below 100: "
        "times 1,000,000; at least 1,000 and below 5,000: times 1,000): its unit is ambiguous"
    ]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "gbk"])
def test_chinese_titles_import_in_every_encoding(
    store: Store, tmp_path: Path, encoding: str
) -> None:
    path = write_csv(
        tmp_path / "contacts.csv",
        ["contact_id", "name", "title"],
        [["cn1", "李伟", "副总裁兼CFO"], ["cn2", "王芳", "首席信息官"]],
        encoding=encoding,
    )
    report = import_(store, "contacts", path)
    assert report.counts.inserted == 2
    assert store.query("SELECT title FROM contacts ORDER BY 1") == [
        ("副总裁兼CFO",),
        ("首席信息官",),
    ]


def test_a_utf8_file_with_one_row_in_another_encoding_names_that_row_and_stores_nothing(
    store: Store, tmp_path: Path
) -> None:
    import_(
        store, "contacts", write_csv(tmp_path / "a.csv", ["contact_id", "name"], [["c2", "Jose"]])
    )
    path = tmp_path / "contacts.csv"
    # "contact_id,name\n" is 16 bytes, "c1,Zoë\n" 8 more, "c2,Jos" 6: é (0xe9) at offset 30
    path.write_bytes(
        "contact_id,name\nc1,Zoë\n".encode() + "c2,José\n".encode("cp1252") + "c3,Łukasz\n".encode()
    )
    with pytest.raises(InputError) as raised:
        import_(store, "contacts", path)
    assert str(raised.value).startswith(
        f"{path}: row 3 is not UTF-8 (byte 0xe9 at offset 30) though other rows are"
    )
    assert "pass --encoding" in str(raised.value)
    assert store.query("SELECT contact_id, name FROM contacts") == [("c2", "Jose")]


def test_a_short_big5_file_asks_for_the_encoding_and_reads_when_given_it(
    store: Store, tmp_path: Path
) -> None:
    import_(
        store, "contacts", write_csv(tmp_path / "a.csv", ["contact_id", "title"], [["c4", "GM"]])
    )
    path = tmp_path / "contacts.csv"
    path.write_bytes("contact_id,title\nc4,總經理\n".encode("big5"))
    with pytest.raises(InputError) as raised:
        import_(store, "contacts", path)
    assert str(raised.value) == (
        f"{path}: cannot tell the encoding: not UTF-8, and its 3 non-ASCII characters are too "
        "few to tell GBK from Big5; pass --encoding gb18030 or --encoding big5 or "
        "--encoding latin-1"
    )
    assert store.query("SELECT title FROM contacts") == [("GM",)]
    assert import_(store, "contacts", path, encoding="big5").counts.updated == 1
    assert store.query("SELECT title FROM contacts") == [("總經理",)]


def test_a_longer_big5_file_is_detected(store: Store, tmp_path: Path) -> None:
    titles = ["總經理", "董事長兼執行長", "財務長", "資訊長"]  # 17 characters, all common in Big5
    path = write_csv(
        tmp_path / "contacts.csv",
        ["contact_id", "title"],
        [[f"c{i}", title] for i, title in enumerate(titles)],
        encoding="big5",
    )
    report = import_(store, "contacts", path)
    assert report.encoding == "big5"
    assert sorted(t for (t,) in store.query("SELECT title FROM contacts")) == sorted(titles)


def test_a_cell_up_to_the_limit_is_read_and_a_larger_one_is_named_as_too_large(
    store: Store, tmp_path: Path
) -> None:
    notes = "line one\n" + "x" * 200_000  # a quoted cell spanning lines: the Python reader
    path = write_csv(
        tmp_path / "contacts.csv", ["contact_id", "title", "notes"], [["c1", "CEO", notes]]
    )
    report = import_(store, "contacts", path)
    assert (report.counts.inserted, report.ignored_columns) == (1, ["notes"])
    huge = "y" * (LARGEST_CELL_CHARACTERS + 1)
    for name, cell in (("one-line.csv", huge), ("lines.csv", "a\n" + huge)):
        path = write_csv(
            tmp_path / name,
            ["contact_id", "title", "notes"],
            [["c2", "CFO", "n"], ["c3", "VP", cell]],
        )
        with pytest.raises(InputError) as raised:
            import_(store, "contacts", path)
        size = len(cell)
        assert str(raised.value) == (
            f"{path}, row 3, column 'notes': the cell is too large ({size:,} characters; a cell "
            f"may hold {LARGEST_CELL_CHARACTERS:,}); shorten it or leave the column out"
        )
    assert store.count("contacts") == 1


def test_kinds_the_model_does_not_score_are_kept_with_a_warning(
    store: Store, tmp_path: Path
) -> None:
    default = model.default()
    import_(store, "contacts", write_csv(tmp_path / "c.csv", ["contact_id"], [["p1"], ["p2"]]))
    events = write_csv(
        tmp_path / "events.csv",
        ["contact_id", "event_type", "occurred_at"],
        [
            ["p1", "meeting", "2025-01-01"],
            ["p1", "roundtable", "2025-01-02"],
            ["p2", "roundtable", "2025-01-03"],
            ["p2", "golf", "2025-01-04"],
        ],
    )
    report = import_(store, "events", events, model=default)
    assert (report.counts.inserted, report.rejected_rows) == (4, 0)
    assert report.warnings == [
        "3 events rows have event types the model 'default' does not score, so they earn no "
        "points: roundtable (2), golf (1); it scores "
        + ", ".join(sorted(default.engagement.events))
    ]
    referrals = write_csv(
        tmp_path / "relationships.csv",
        ["contact_id", "kind", "related_name", "occurred_at"],
        [["p1", "partner_referral", "Ann", "2025-01-01"], ["p1", "golf_buddy", "Bo", "2025-01-01"]],
    )
    report = import_(store, "relationships", referrals, model=default)
    assert report.warnings == [
        "1 relationships rows have kinds the model 'default' does not score, so they earn no "
        "points: golf_buddy (1); it scores " + ", ".join(sorted(default.network.read_kinds()))
    ]


def test_referrer_standings_the_model_does_not_list_are_kept_with_a_warning(
    store: Store, tmp_path: Path
) -> None:
    default = model.default()
    import_(store, "contacts", write_csv(tmp_path / "c.csv", ["contact_id"], [["p1"]]))
    referrals = write_csv(
        tmp_path / "relationships.csv",
        ["contact_id", "kind", "referrer", "occurred_at", "referrer_standing"],
        [
            ["p1", "customer_referral", "Ann", "2025-01-01", "churned"],
            ["p1", "customer_referral", "Bo", "2025-01-02", "gold"],
            ["p1", "customer_referral", "Cy", "2025-01-03", "Former customer"],
            ["p1", "customer_referral", "Di", "2025-01-04", "Churned Customer"],  # a code
            ["p1", "customer_referral", "Ed", "2025-01-05", ""],  # none: unknown_standing
        ],
    )
    report = import_(store, "relationships", referrals, model=default)
    assert (report.counts.inserted, report.rejected_rows) == (5, 0)
    # default lists active_customer, partner, prospect, churned_customer (x0.3)
    assert report.warnings == [
        "3 relationships rows have a referrer_standing the model 'default' does not list, so "
        "they count as unknown_standing (×1.0): churned (1), former_customer (1), gold (1); "
        "it lists active_customer, churned_customer, partner, prospect"
    ]


def test_contacts_naming_an_unknown_company_are_kept_with_a_warning(
    store: Store, tmp_path: Path
) -> None:
    companies = write_csv(tmp_path / "companies.csv", ["company_id"], [["acme"]])
    import_(store, "companies", companies)
    rows = [["p0", "acme"], ["p1", "zeta"], ["p2", "zeta"]] + [
        [f"q{i}", f"co{i}"] for i in range(6)
    ]
    contacts = write_csv(tmp_path / "contacts.csv", ["contact_id", "company_id"], rows)
    report = import_(store, "contacts", contacts)
    assert report.counts.inserted == 9
    assert report.warnings == [
        "8 contacts name a company_id no stored company has: co0, co1, co2, co3, co4 and 2 "
        "more; import those companies, or these contacts have no company data"
    ]


cell = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), max_size=12)


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    rows=st.lists(
        st.tuples(st.from_regex(r"[a-z][a-z0-9]{0,6}", fullmatch=True), cell, cell), max_size=8
    )
)
def test_any_contacts_file_imports_idempotently(
    tmp_path: Path, rows: list[tuple[str, str, str]]
) -> None:
    path = write_csv(tmp_path / "contacts.csv", ["contact_id", "name", "title"], rows)
    with Store.open(":memory:") as memory:
        first = import_(memory, "contacts", path)
        snapshot = memory.query("SELECT * EXCLUDE (ingested_at) FROM contacts ORDER BY 1")
        second = import_(memory, "contacts", path)
        assert second.counts.inserted == second.counts.updated == 0
        assert memory.query("SELECT * EXCLUDE (ingested_at) FROM contacts ORDER BY 1") == snapshot
        assert first.counts.inserted + first.duplicates_in_file + first.rejected_rows == len(rows)


def test_countries_are_stored_as_codes_and_unknown_ones_kept_with_a_warning(
    store: Store, tmp_path: Path
) -> None:
    texts = ["U.S.", "中国", "United Kingdom", "", *["Atlantis"] * 7, "Eldorado"]
    path = write_csv(
        tmp_path / "companies.csv",
        ["company_id", "Land"],
        [[f"c{i}", text] for i, text in enumerate(texts)],
    )
    report = import_(store, "companies", path, mapping=str(country_mapping(tmp_path)))
    stored = [country for _, country in store.query("SELECT company_id, country FROM companies")]
    assert sorted(stored, key=str) == sorted(
        ["US", "CN", "GB", None, *["Atlantis"] * 7, "Eldorado"], key=str
    )
    # rows are numbered as in a spreadsheet: the header is row 1, c0 row 2, Atlantis rows 6-12
    kept = "names no country execrank knows, so it is stored as typed and meets no region "
    kept += "criterion (models name countries by ISO code, e.g. US, CN); "
    assert report.warnings == [
        f"column 'Land': 'Atlantis' {kept}rows 6, 7, 8, 9, 10 and 2 more",
        f"column 'Land': 'Eldorado' {kept}row 13",
    ]
    again = import_(store, "companies", path, mapping=str(country_mapping(tmp_path)))
    assert (again.counts.inserted, again.counts.updated) == (0, 0)


@pytest.mark.parametrize(
    ("header", "row", "warned"),
    [
        (["company_id", "name"], ["zz9", "Narnia Trading"], []),  # no country column
        (["company_id", "name", "country"], ["zz9", "Narnia Trading", ""], []),  # a blank one
        # the file's own cell is still named
        (["company_id", "name", "country"], ["zz9", "Narnia Trading", "Narnia"], ["row 2"]),
    ],
)
def test_only_countries_the_file_gives_are_warned_about_not_a_matched_records(
    store: Store, tmp_path: Path, header: list[str], row: list[str], warned: list[str]
) -> None:
    first = write_csv(tmp_path / "n1.csv", ["company_id", "name", "country"],
                      [["n1", "Narnia Trading", "Narnia"]])  # fmt: skip
    assert len(import_(store, "companies", first).warnings) == 1
    # zz9 is matched by name to n1, and keeps its stored country "Narnia" where the file
    # gives none; the second import finds zz9 as n1's alias
    path = write_csv(tmp_path / "n3.csv", header, [row])
    for report in (import_(store, "companies", path), import_(store, "companies", path)):
        assert [warning.rpartition("; ")[2] for warning in report.warnings] == warned
    assert store.query("SELECT company_id, country FROM companies") == [("n1", "Narnia")]


def country_mapping(folder: Path) -> Path:
    path = folder / "land.yaml"
    path.write_text("kind: companies\ncolumns:\n  company_id: company_id\n  country: Land\n")
    return path
