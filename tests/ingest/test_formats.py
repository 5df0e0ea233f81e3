"""Files other than CSV (workbooks, JSON Lines, Parquet), the delimiter option, unknown
extensions, and --strict, through import_file and the CLI."""

from __future__ import annotations

import csv
import json
import re
import zipfile
from datetime import datetime
from pathlib import Path

import duckdb
import openpyxl
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from execrank import service
from execrank.cli import app
from execrank.errors import ExecrankError, InputError
from execrank.ingest._formats import read_table
from execrank.store import Store
from tests.conftest import write_csv

WHEN = datetime(2026, 1, 1)
COMPANY_HEADER = ["company_id", "name", "revenue_usd", "employees"]


def import_(store: Store, path: Path, **options: object) -> service.ImportReport:
    return service.import_file(
        store, "companies", path, ingested_at=WHEN, rejects_dir=path.parent, **options
    )  # type: ignore[arg-type]


def stored(store: Store) -> list[tuple[object, ...]]:
    return store.query(
        "SELECT company_id, name, revenue_usd, employees, employees_text FROM companies ORDER BY 1"
    )


def test_xlsx_first_sheet_is_read_with_spreadsheet_row_numbers(
    store: Store, tmp_path: Path
) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(COMPANY_HEADER)
    sheet.append(["a", "Acme", 1_200_000.0, 250])  # numbers typed as numbers
    sheet.append([None, None, None, None])  # a blank row 3, skipped
    sheet.append(["b", "Beta", "$1.2M", "51-200"])  # row 4, numbers typed as text
    sheet.append(["c", "Gamma", "lots", 5])  # row 5, bad revenue
    book.create_sheet("other").append(["ignored"])
    book.save(tmp_path / "companies.xlsx")
    report = import_(store, tmp_path / "companies.xlsx")
    assert [(e.row, e.column) for e in report.rejected] == [(5, "revenue_usd")]
    assert stored(store) == [
        ("a", "Acme", 1_200_000.0, 250, "250"),
        ("b", "Beta", 1_200_000.0, 51, "51-200"),  # a range reads as its lower bound
    ]


def test_xlsx_sheet_by_name_and_a_missing_sheet(store: Store, tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    book.active.append(["unrelated"])
    named = book.create_sheet("Companies")
    named.append(COMPANY_HEADER)
    named.append(["a", "Acme", None, None])
    book.save(tmp_path / "book.xlsx")
    assert import_(store, tmp_path / "book.xlsx", sheet="Companies").counts.inserted == 1
    with pytest.raises(InputError, match=r"book.xlsx: no sheet 'Deals'; sheets: Sheet, Companies"):
        read_table(tmp_path / "book.xlsx", sheet="Deals")


def test_json_lines_with_a_broken_line_reports_that_line(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "companies.jsonl"
    path.write_text(
        json.dumps({"company_id": "a", "name": "Acme", "employees": 250}) + "\n"
        "\n"  # line 2: blank
        '{"company_id": "b", "name": \n'  # line 3: cut short
         + json.dumps({"company_id": "c", "revenue_usd": "1.2亿", "name": "丙"}) + "\n"
        "[1, 2]\n",  # line 5: not an object
        encoding="utf-8",
    )
    report = import_(store, path)
    assert [(e.row, e.column, e.reason[:13]) for e in report.rejected] == [
        (3, "(row)", "is not JSON ("),
        (5, "(row)", "is not a JSON"),
    ]
    assert stored(store) == [
        ("a", "Acme", None, 250, "250"),
        ("c", "丙", 120_000_000.0, None, None),  # 1.2 x 10^8
    ]


def test_parquet_columns_of_any_type(store: Store, tmp_path: Path) -> None:
    table = pa.table(
        {
            "company_id": ["a", "b"],
            "name": ["Acme", None],
            "revenue_usd": [1.5e6, None],
            "employees": pa.array([250, 3], pa.int64()),
        }
    )
    pq.write_table(table, tmp_path / "companies.parquet")
    report = import_(store, tmp_path / "companies.parquet")
    assert (report.rows_read, report.rejected) == (2, [])
    assert stored(store) == [("a", "Acme", 1_500_000.0, 250, "250"), ("b", None, None, 3, "3")]


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("companies.xls", "old Excel 97-2003 workbook"),
        ("companies.json", "one JSON document"),
        ("companies.pdf", "not a supported kind of file"),
    ],
)
def test_unknown_extensions_name_the_file(tmp_path: Path, name: str, reason: str) -> None:
    (tmp_path / name).write_bytes(b"company_id\na\n")
    with pytest.raises(InputError) as raised:
        read_table(tmp_path / name)
    assert str(raised.value).startswith(f"{tmp_path / name}: ")
    assert reason in str(raised.value)
    assert ".csv, .tsv, .txt, .xlsx" in str(raised.value)


def test_a_corrupt_workbook_and_parquet_file_name_the_file(tmp_path: Path) -> None:
    for name in ("bad.xlsx", "bad.parquet"):
        (tmp_path / name).write_bytes(b"company_id\na\n")
        with pytest.raises(InputError, match=rf"bad\.{name.split('.')[1]}: not a readable"):
            read_table(tmp_path / name)


def test_an_ambiguous_delimiter_asks_for_the_option(tmp_path: Path) -> None:
    # the header splits into 2 cells by ";" and by ","; each data row into 2 by either too
    path = tmp_path / "odd.csv"
    path.write_text("a;b,c\n1;2,3\n", encoding="utf-8")
    with pytest.raises(InputError) as raised:
        read_table(path)
    assert str(raised.value) == (
        f"{path}: cannot tell whether the delimiter is ',' or ';': each splits the first rows "
        "into as many cells as the header; pass --delimiter"
    )
    assert read_table(path, delimiter=";").header == ("a", "b,c")
    assert read_table(path, delimiter="comma").header == ("a;b", "c")


def test_the_data_rows_settle_a_header_with_two_candidates(tmp_path: Path) -> None:
    # header "name;note, with comma": 2 cells by ";", 2 by ","; rows agree only with ";"
    path = tmp_path / "semi.csv"
    path.write_text("name;note, more\nAda;x\nBob;y\n", encoding="utf-8")
    assert read_table(path).delimiter == ";"


def test_any_delimiter_by_option(tmp_path: Path) -> None:
    path = tmp_path / "caret.txt"
    path.write_text("company_id^name\na^Acme, Inc.\n", encoding="utf-8")
    table = read_table(path, delimiter="^")
    assert table.rows[0].values == {"company_id": "a", "name": "Acme, Inc."}
    with pytest.raises(InputError, match="not one character"):
        read_table(path, delimiter="^^")


def test_strict_stores_nothing_but_writes_the_report(store: Store, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "companies.csv", COMPANY_HEADER, [["a", "A", "1", "2"]])
    import_(store, path)
    before = stored(store)
    path = write_csv(
        tmp_path / "companies.csv",
        COMPANY_HEADER,
        [["a", "A changed", "1", "2"], ["b", "B", "many", "3"], ["c", "C", "5", "6"]],
    )
    report = import_(store, path, strict=True)
    assert report.refused
    assert stored(store) == before
    with report.rejects_path.open(encoding="utf-8-sig") as handle:  # type: ignore[union-attr]
        rows = list(csv.DictReader(handle))
    assert [(r["row"], r["column"], r["value"]) for r in rows] == [("3", "revenue_usd", "many")]
    assert rows[0]["reason"].startswith("is not a number")


def test_cli_strict_fails_and_auto_names_its_choice(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "companies.csv", ["company_id", "revenue_usd"], [["a", "1"], ["b", "x"]]
    )
    db = str(tmp_path / "store.duckdb")
    runner = CliRunner()
    refused = runner.invoke(app, ["import", str(path), "--mapping", "auto", "--strict", "--db", db])
    assert isinstance(refused.exception, ExecrankError)  # the CLI prints it and exits 1
    assert "--strict: 1 bad row(s), so nothing was stored" in str(refused.exception)
    assert "--mapping auto chose execrank-companies (companies)" in refused.stderr
    with Store.open(db) as opened:
        assert opened.count("companies") == 0
    kept = runner.invoke(app, ["import", "companies", str(path), "--db", db])
    assert kept.exit_code == 3  # the good row kept, one rejected
    wrong = runner.invoke(app, ["import", "deals", str(path), "--db", db])
    assert "'deals' is not a kind of import" in str(wrong.exception)


def test_a_store_written_before_the_text_columns_gains_them_and_keeps_its_rows(
    tmp_path: Path,
) -> None:
    path = tmp_path / "old.duckdb"
    with duckdb.connect(str(path)) as old:  # the companies table as the first release made it
        old.execute(
            "CREATE TABLE meta (key VARCHAR PRIMARY KEY, value VARCHAR);"
            "INSERT INTO meta VALUES ('schema_version', '1');"
            "CREATE TABLE companies (company_id VARCHAR PRIMARY KEY, name VARCHAR, domain VARCHAR,"
            " revenue_usd DOUBLE, employees BIGINT, industry VARCHAR, region VARCHAR,"
            " country VARCHAR, source_file VARCHAR, ingested_at TIMESTAMP NOT NULL);"
            "INSERT INTO companies VALUES ('a', 'Acme', NULL, 5, 7, NULL, NULL, NULL, 'x.csv',"
            " '2025-01-01')"
        )
    with Store.open(path) as opened:
        assert stored(opened) == [("a", "Acme", 5.0, 7, None)]
        update = write_csv(tmp_path / "c.csv", ["company_id", "employees"], [["a", "51-200"]])
        import_(opened, update)
        assert stored(opened) == [("a", "Acme", 5.0, 51, "51-200")]


def contacts_with_formulas(path: Path) -> Path:
    """A workbook openpyxl writes, as a script would: formulas are saved without a value."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["contact_id", "name", "title", "notes"])
    sheet.append(["c1", '="Ada "&"Lovelace"', '="CTO"', "met in May"])  # row 2: two formulas
    sheet.append(["c2", "Bao Li", "CFO", "=1+1"])  # row 3: a formula in a column not imported
    sheet.append([None, None, None, None])  # row 4: blank, skipped
    sheet.append(['="c"&"3"', None, None, None])  # row 5: nothing but a formula, not blank
    book.save(path)
    return path


def test_a_formula_with_no_saved_value_rejects_its_row_naming_the_cell(
    store: Store, tmp_path: Path
) -> None:
    path = contacts_with_formulas(tmp_path / "people.xlsx")
    report = service.import_file(store, "contacts", path, ingested_at=WHEN, rejects_dir=tmp_path)
    reason = "is a formula with no saved value; open and save the file in Excel, or paste values"
    assert [str(error) for error in report.rejected] == [
        f"people.xlsx, row 2, column 'name': '=\"Ada \"&\"Lovelace\"' {reason}",
        f"people.xlsx, row 2, column 'title': '=\"CTO\"' {reason}",
        f"people.xlsx, row 5, column 'contact_id': '=\"c\"&\"3\"' {reason}",
    ]
    assert store.query("SELECT contact_id, name, title FROM contacts") == [("c2", "Bao Li", "CFO")]
    with (tmp_path / "people.xlsx.contacts.rejected.csv").open(encoding="utf-8-sig") as rejects:
        assert [(r["row"], r["column"]) for r in csv.DictReader(rejects)] == [
            ("2", "name"),
            ("2", "title"),
            ("5", "contact_id"),
        ]


def test_the_cli_reports_a_formula_with_no_saved_value_and_exits_non_zero(
    tmp_path: Path,
) -> None:
    path = contacts_with_formulas(tmp_path / "people.xlsx")
    db = str(tmp_path / "store.duckdb")
    result = CliRunner().invoke(app, ["import", "contacts", str(path), "--db", db])
    assert result.exit_code == 3  # rows rejected
    assert "people.xlsx, row 2, column 'name': '=\"Ada \"&\"Lovelace\"' is a formula" in (
        result.stderr
    )


def with_saved_values(path: Path, values: dict[str, str]) -> None:
    """Give formula cells of an openpyxl workbook the value Excel would save with them, as text
    (t="str", as Excel saves a formula giving text); openpyxl itself cannot write one."""
    with zipfile.ZipFile(path) as book:
        parts = {name: book.read(name) for name in book.namelist()}
    sheet = parts["xl/worksheets/sheet1.xml"].decode()
    for reference, value in values.items():
        sheet, found = re.subn(
            rf'<c r="{reference}">(<f>.*?</f>)<v ?/>',
            rf'<c r="{reference}" t="str">\1<v>{value}</v>',
            sheet,
        )
        assert found == 1, reference
    parts["xl/worksheets/sheet1.xml"] = sheet.encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as book:
        for name, data in parts.items():
            book.writestr(name, data)


def test_a_formula_with_a_saved_value_is_read_as_that_value(store: Store, tmp_path: Path) -> None:
    path = contacts_with_formulas(tmp_path / "people.xlsx")
    # B2 saved as Excel saves it; C2's formula gave "" (an empty <v>, typed as text); A5 is left
    # without a value
    with_saved_values(path, {"B2": "Ada Lovelace", "C2": "", "D3": "2"})
    report = service.import_file(store, "contacts", path, ingested_at=WHEN)
    assert [(error.row, error.column) for error in report.rejected] == [(5, "contact_id")]
    assert store.query("SELECT contact_id, name, title FROM contacts ORDER BY 1") == [
        ("c1", "Ada Lovelace", None),
        ("c2", "Bao Li", "CFO"),
    ]


def test_titles_classify_refuses_a_formula_with_no_saved_value(tmp_path: Path) -> None:
    path = contacts_with_formulas(tmp_path / "people.xlsx")
    with pytest.raises(InputError) as raised:
        service.classify_titles(path)
    assert str(raised.value) == (
        "people.xlsx, row 2, column 'name': '=\"Ada \"&\"Lovelace\"' is a formula with no saved "
        "value; open and save the file in Excel, or paste values (and 3 more such cells)"
    )
    with_saved_values(path, {"B2": "Ada Lovelace", "C2": "CTO", "D3": "2", "A5": "c3"})
    classified = service.classify_titles(path)
    assert [(row["contact_id"], row["name"], row["seniority"]) for row in classified.rows] == [
        ("c1", "Ada Lovelace", "c_level"),
        ("c2", "Bao Li", "c_level"),
        ("c3", "", "staff"),  # a blank title reads as staff
    ]
