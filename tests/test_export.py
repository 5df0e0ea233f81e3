"""Exports for CRM import tools: the documented columns, reasons, owners, Chinese text that
Excel reads, and no cell a spreadsheet would run as a formula."""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from execrank import service
from execrank.cli import app
from execrank.errors import InputError, NotFoundError
from execrank.export import COLUMNS, ExportFormat, export
from execrank.output import neutralise
from execrank.store import Store
from tests.conftest import write_csv

WHEN = datetime(2026, 12, 1)
AS_OF = datetime(2026, 11, 30)
WANG = "0035g00000AbCdEAAZ"
LI_SALESFORCE = "0035g00000XyZaB"


def seed(store: Store, folder: Path) -> None:
    def import_(kind: str, name: str, header: list[str], rows: list[list[str]]) -> None:
        path = write_csv(folder / name, header, rows)
        service.import_file(store, kind, path, ingested_at=WHEN, rejects_dir=folder)

    import_("companies", "co.csv", ["company_id", "name"], [["acme", '=HYPERLINK("x")']])
    import_(
        "contacts",
        "ct.csv",
        ["contact_id", "name", "email", "title", "company_id", "owner"],
        [
            # a Salesforce contact (18-character id) owned by a Salesforce user (prefix 005)
            [WANG, "王伟", "wang@acme.cn", "首席信息官", "acme", "0055g00000OwNeR"],
            # a HubSpot contact without an email, owned by a name that starts a formula
            ["hs-77", "@Bob", "", "CFO", "acme", "-rep"],
            # a HubSpot contact who is also in Salesforce (below)
            ["hs-88", "Li Na", "li@acme.cn", "CTO", "acme", "Li Owner"],
        ],
    )
    # Li's Salesforce record: one person by email, its id kept as an alias of hs-88.
    import_(
        "contacts",
        "sf.csv",
        ["contact_id", "name", "email"],
        [[LI_SALESFORCE, "Li Na", "LI@acme.cn"]],
    )
    import_(
        "events",
        "ev.csv",
        ["contact_id", "event_type", "asset", "occurred_at"],
        [[WANG, "meeting", "m1", "2026-11-20"]],
    )
    service.score(store, service.default_model(), as_of=AS_OF, known_at=WHEN)


def read(content: bytes, encoding: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(content.decode(encoding))))


def test_hubspot_file_matches_on_email_and_leaves_out_contacts_without_one(
    store: Store, tmp_path: Path
) -> None:
    seed(store, tmp_path)
    done = export(store, ExportFormat.hubspot)
    assert done.content.startswith(b"\xef\xbb\xbf")  # UTF-8 BOM: Excel reads 王伟
    row, li = read(done.content, "utf-8-sig")
    assert (done.rows, done.skipped) == (2, 1)
    assert list(row) == list(COLUMNS[ExportFormat.hubspot].values())
    assert (row["Email"], row["execrank_rank"], row["Contact owner"]) == (
        "wang@acme.cn",
        "1",
        "0055g00000OwNeR",
    )
    assert (li["Email"], li["Contact owner"]) == ("li@acme.cn", "Li Owner")
    ranked = service.rank(store)[0]
    assert float(row["execrank_score"]) == round(ranked.total, 2)
    assert row["execrank_tier"] == ranked.tier
    # The biggest reason first: the meeting 10 days before as_of (12 points, decayed); the
    # title reason's Chinese text survives the trip (Excel picks UTF-8 from the BOM).
    assert row["execrank_reasons"].startswith("engagement.meeting (+")
    assert '"首席信息官"' in row["execrank_reasons"]


def test_salesforce_file_has_id_and_api_names_without_bom(store: Store, tmp_path: Path) -> None:
    seed(store, tmp_path)
    done = export(store, ExportFormat.salesforce)
    assert not done.content.startswith(b"\xef\xbb\xbf")
    rows = read(done.content, "utf-8")
    assert list(rows[0]) == [
        "Id",
        "Email",
        "ExecRank_Score__c",
        "ExecRank_Tier__c",
        "ExecRank_Rank__c",
        "ExecRank_Reasons__c",
        "ExecRank_Scored_As_Of__c",
        "OwnerId",
    ]
    # hs-77 has no Salesforce id and is left out; hs-88 goes by its Salesforce alias.
    assert [r["Id"] for r in rows] == [WANG, LI_SALESFORCE]
    assert (done.rows, done.skipped) == (2, 1)
    # an owner that is no Salesforce user id is left blank: Data Loader then keeps the owner
    assert [r["OwnerId"] for r in rows] == ["0055g00000OwNeR", ""]


def test_csv_neutralises_formula_cells_and_json_keeps_values(store: Store, tmp_path: Path) -> None:
    seed(store, tmp_path)
    rows = read(export(store, ExportFormat.csv).content, "utf-8-sig")
    assert [r["company"] for r in rows] == ['\'=HYPERLINK("x")'] * 3
    bob = next(r for r in rows if r["contact_id"] == "hs-77")
    assert (bob["name"], bob["owner"]) == ("'@Bob", "'-rep")
    records = json.loads(export(store, ExportFormat.json).content)
    assert list(records[0]) == list(COLUMNS[ExportFormat.csv])
    assert next(r for r in records if r["contact_id"] == "hs-77")["name"] == "@Bob"
    assert records[0]["reasons"][0].startswith("engagement.meeting (+")
    assert (records[0]["as_of"], records[0]["rank"]) == ("2026-11-30T00:00:00", 1)


def _is_number(cell: str) -> bool:
    try:
        float(cell)
    except ValueError:
        return False
    return cell.isascii() and cell.strip() == cell and not cell.lstrip("+-").startswith(("i", "n"))


@given(st.text() | st.from_regex(r"\A[+-]?[0-9]*\.?[0-9]*(e[+-]?[0-9]+)?\Z") | st.just("-"))
def test_no_cell_can_start_a_formula_but_numbers_and_a_lone_dash_stay(cell: str) -> None:
    written = neutralise(cell)
    harmless = cell == "-" or _is_number(cell)  # a spreadsheet reads a number, not a formula
    assert harmless or not written.startswith(("=", "+", "-", "@", "\t", "\r"))
    assert written in (cell, "'" + cell)
    assert (written != cell) == (cell.startswith(("=", "+", "-", "@", "\t", "\r")) and not harmless)


@given(st.text(min_size=1))
def test_a_csv_cell_reads_back_as_written(cell: str) -> None:
    buffer = io.StringIO()
    csv.writer(buffer).writerow([neutralise(cell)])
    (row,) = list(csv.reader(io.StringIO(buffer.getvalue())))
    assert row == [neutralise(cell)]


def test_export_command_writes_a_file_or_standard_output(tmp_path: Path) -> None:
    db = tmp_path / "s.duckdb"
    with Store.open(db) as store:
        seed(store, tmp_path)
        expected = {t: export(store, t).content for t in (ExportFormat.hubspot, ExportFormat.json)}
    out = tmp_path / "hubspot.csv"
    runner = CliRunner()
    written = runner.invoke(
        app, ["export", "--format", "hubspot", "--output", str(out), "--db", str(db)]
    )
    assert written.exit_code == 0, written.output
    assert out.read_bytes() == expected[ExportFormat.hubspot]
    assert "left out 1 contacts without an email (HubSpot matches contacts on it)" in (
        written.output
    )
    printed = runner.invoke(app, ["export", "--format", "json", "--db", str(db)])
    assert printed.exit_code == 0, printed.output
    assert printed.stdout_bytes == expected[ExportFormat.json]


def test_export_before_any_score_says_to_score_first(tmp_path: Path) -> None:
    db = tmp_path / "s.duckdb"
    with Store.open(db) as store:
        service.import_file(
            store,
            "contacts",
            write_csv(tmp_path / "ct.csv", ["contact_id", "email"], [["a", "a@acme.com"]]),
            ingested_at=WHEN,
        )
    result = CliRunner().invoke(app, ["export", "--format", "hubspot", "--db", str(db)])
    # `execrank` (cli.main) prints this message without a traceback and exits 1
    assert isinstance(result.exception, NotFoundError)
    assert str(result.exception) == f"{db}: no scores yet; run `execrank score` first"


def test_export_refuses_to_write_over_the_store_or_another_duckdb_file(tmp_path: Path) -> None:
    db, other = tmp_path / "copy.duckdb", tmp_path / "other.data"
    with Store.open(db) as store:
        seed(store, tmp_path)
    with Store.open(other):
        pass
    kept = {path: path.read_bytes() for path in (db, other)}
    runner = CliRunner()
    for output, why in ((db, "it is the store in use"), (other, "it is a DuckDB store")):
        result = runner.invoke(
            app, ["export", "--format", "csv", "--db", str(db), "--output", str(output)]
        )
        assert isinstance(result.exception, InputError)
        assert str(result.exception) == f"cannot write {output}: {why}; name another file"
    assert {path: path.read_bytes() for path in (db, other)} == kept


def test_every_csv_the_cli_writes_keeps_an_unranked_tier_and_neutralises_formulas(
    tmp_path: Path,
) -> None:
    db = tmp_path / "s.duckdb"
    with Store.open(db) as store:
        path = write_csv(
            tmp_path / "ct.csv",
            ["contact_id", "name", "title"],
            [["nobody", "=cmd|' /C calc'!A0", "-3.5"]],  # no role: unranked, tier "-"
        )
        service.import_file(store, "contacts", path, ingested_at=WHEN)
        service.score(store, service.default_model(), as_of=AS_OF, known_at=WHEN)
    runner = CliRunner()
    exported = runner.invoke(app, ["export", "--format", "csv", "--db", str(db)])
    ranked = runner.invoke(app, ["rank", "--format", "csv", "--db", str(db)])
    classified = runner.invoke(app, ["titles", "classify", str(path)])
    for result, encoding in ((exported, "utf-8-sig"), (ranked, "utf-8"), (classified, "utf-8")):
        assert result.exit_code == 0, result.output
        (row,) = read(result.stdout_bytes, encoding)
        assert (row["name"], row["title"]) == ("'=cmd|' /C calc'!A0", "-3.5")
        assert row.get("tier", "-") == "-"


def test_an_export_that_leaves_everyone_out_warns(tmp_path: Path) -> None:
    db = tmp_path / "s.duckdb"
    with Store.open(db) as store:
        path = write_csv(tmp_path / "ct.csv", ["contact_id", "title"], [["a", "CEO"], ["b", "CFO"]])
        service.import_file(store, "contacts", path, ingested_at=WHEN)
        service.score(store, service.default_model(), as_of=AS_OF, known_at=WHEN)
    result = CliRunner().invoke(app, ["export", "--format", "hubspot", "--db", str(db)])
    assert result.exit_code == 0
    assert result.stderr == (
        "warning: left out 2 contacts without an email (HubSpot matches contacts on it); "
        "the file holds no contacts\n"
    )
