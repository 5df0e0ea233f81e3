"""Enrichment from the real Fortune lists (excerpts in tests/data, see PROVENANCE.md): matches by
domain, name and near-identical name with their confidence; only empty values filled unless
--overwrite; counts matched / filled / skipped."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from typer.testing import CliRunner

from execrank import service
from execrank.cli import app
from execrank.enrich import enrich
from execrank.store import Store
from tests.conftest import write_csv

WHEN = datetime(2026, 12, 1)
DATA = Path(__file__).parent / "data"
FORTUNE_2021 = DATA / "fortune1000_2021_excerpt.csv"
FORTUNE_2024 = DATA / "fortune1000_2024_excerpt.csv"
HEADER = ["company_id", "name", "domain", "revenue_usd", "employees", "industry", "region"]


def seed(store: Store, folder: Path) -> None:
    rows = [
        # domain only: stock.walmart.com is the 2021 file's website host
        ["crm-1", "WMT Stores", "https://stock.walmart.com", "", "", "", ""],
        # the CRM knows the industry already
        ["crm-2", "Apple Inc.", "", "", "", "Consumer Electronics", ""],
        # one letter more than "UnitedHealth Group": unitedhealthgroups ~ unitedhealthgroup,
        # ratio 2 x 17 / (18 + 17) = 97.1
        ["crm-3", "UnitedHealth Groups", "", "", "", "", ""],
        # citigroup ~ citgroup is 94.1, under the threshold: no match on fuzzy alone
        ["crm-4", "Citigroup", "", "", "", "", ""],
        ["crm-5", "Tiny Startup", "", "", "", "", ""],
    ]
    path = write_csv(folder / "co.csv", HEADER, rows)
    service.import_file(store, "companies", path, ingested_at=WHEN, rejects_dir=folder)


def companies(store: Store) -> dict[str, tuple[object, ...]]:
    rows = store.query(
        "SELECT company_id, revenue_usd, employees, industry, region, country FROM companies"
    )
    return {row[0]: row[1:] for row in rows}


def test_fortune_2021_fills_only_missing_values(store: Store, tmp_path: Path) -> None:
    seed(store, tmp_path)
    report = enrich(store, FORTUNE_2021, now=WHEN)
    assert report.mapping == "fortune1000-2021"
    assert (report.reference_rows, report.companies, report.matched, report.skipped) == (4, 5, 3, 2)
    assert report.by_method == {"domain": 1, "name": 1, "similar name": 1}
    found = companies(store)
    # revenue in millions in the 2021 file: Walmart 523964 -> 523,964,000,000 dollars
    assert found["crm-1"] == (523_964e6, 2_200_000, "Retailing", "AR", "US")
    # Apple: the CRM's industry kept, the rest filled: 4 values, 1 kept
    assert found["crm-2"] == (260_174e6, 137_000, "Consumer Electronics", "CA", "US")
    assert found["crm-4"] == (None, None, None, None, None)
    assert (report.filled, report.values_filled, report.values_kept) == (3, 14, 1)
    matches = store.query(
        "SELECT company_id, reference_name, method, round(confidence, 3), fields_filled "
        "FROM company_matches ORDER BY 1"
    )
    assert matches == [
        ("crm-1", "Walmart", "domain", 1.0, "revenue_usd,employees,industry,region,country"),
        ("crm-2", "Apple", "name", 1.0, "revenue_usd,employees,region,country"),
        (
            "crm-3",
            "UnitedHealth Group",
            "similar name",
            0.971,
            "revenue_usd,employees,industry,region,country",
        ),
    ]


def test_overwrite_replaces_crm_values_and_a_rerun_fills_nothing(
    store: Store, tmp_path: Path
) -> None:
    seed(store, tmp_path)
    enrich(store, FORTUNE_2021, now=WHEN)
    again = enrich(store, FORTUNE_2021, now=WHEN)
    assert (again.matched, again.filled, again.values_filled, again.values_kept) == (3, 0, 0, 1)
    # 2024 list: revenue "$383,285,000 " in thousands -> 383,285,000,000 dollars; matched by
    # name only: the file has no websites, so "WMT Stores" finds nothing; Citigroup is in it.
    newer = enrich(store, FORTUNE_2024, now=WHEN, overwrite=True)
    assert newer.by_method == {"name": 2, "similar name": 1}
    found = companies(store)
    assert found["crm-2"] == (
        383_285_000_000.0,
        161_000,
        "Computers, Office Equipment",
        "California",
        "U.S.",
    )
    assert found["crm-4"][0] == 156_820_000_000.0


def test_enrich_command_reports_counts(tmp_path: Path) -> None:
    db = tmp_path / "s.duckdb"
    with Store.open(db) as store:
        seed(store, tmp_path)
    result = CliRunner().invoke(app, ["enrich", "--companies", str(FORTUNE_2021), "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert (
        "5 companies: 3 matched (1 by domain, 1 by name, 1 by similar name), 3 filled"
        in result.output
    )
    assert "2 skipped (no match)" in result.output
