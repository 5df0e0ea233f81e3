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
from execrank.export import COLUMNS, ExportFormat, export, neutralise
from execrank.store import Store
from tests.conftest import write_csv

WHEN = datetime(2026, 12, 1)
AS_OF = datetime(2026, 11, 30)


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
            ["003A", "王伟", "wang@acme.cn", "首席信息官", "acme", "005OWNER"],
            ["003B", "@Bob", "", "CFO", "acme", "-rep"],
        ],
    )
    import_(
        "events",
        "ev.csv",
        ["contact_id", "event_type", "asset", "occurred_at"],
        [["003A", "meeting", "m1", "2026-11-20"]],
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
    (row,) = read(done.content, "utf-8-sig")
    assert (done.rows, done.skipped) == (1, 1)
    assert list(row) == list(COLUMNS[ExportFormat.hubspot].values())
    assert (row["Email"], row["execrank_rank"], row["Contact owner"]) == (
        "wang@acme.cn",
        "1",
        "005OWNER",
    )
    ranked = service.rank(store)[0]
    assert float(row["execrank_score"]) == round(ranked.total, 2)
    assert row["execrank_tier"] == ranked.tier
    # The biggest reason first: the meeting 10 days before as_of (12 points, decayed).
    assert row["execrank_reasons"].startswith("engagement.meeting (+")


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
    assert [r["Id"] for r in rows] == ["003A", "003B"]
    assert rows[1]["OwnerId"] == "'-rep"  # neutralised: it would start a formula


def test_csv_neutralises_formula_cells_and_json_keeps_values(store: Store, tmp_path: Path) -> None:
    seed(store, tmp_path)
    rows = read(export(store, ExportFormat.csv).content, "utf-8-sig")
    assert [r["company"] for r in rows] == ['\'=HYPERLINK("x")'] * 2
    assert rows[1]["name"] == "'@Bob"
    records = json.loads(export(store, ExportFormat.json).content)
    assert records[1]["name"] == "@Bob"
    assert records[0]["reasons"][0].startswith("engagement.meeting (+")
    assert (records[0]["as_of"], records[0]["rank"]) == ("2026-11-30T00:00:00", 1)


@given(st.text())
def test_no_cell_can_start_a_formula(cell: str) -> None:
    written = neutralise(cell)
    assert not written.startswith(("=", "+", "-", "@", "\t", "\r"))
    assert written in (cell, "'" + cell)
    assert (written != cell) == cell.startswith(("=", "+", "-", "@", "\t", "\r"))


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
    assert "1 contacts without an email left out" in written.output
    printed = runner.invoke(app, ["export", "--format", "json", "--db", str(db)])
    assert printed.exit_code == 0, printed.output
    assert printed.stdout_bytes == expected[ExportFormat.json]
