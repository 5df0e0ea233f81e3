"""Excerpts of the real exports in ../shared/data/raw (see fixtures/PROVENANCE.md), one test per
named quirk, imported with `--mapping auto` as a user would."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from execrank import model, service
from execrank.errors import InputError
from execrank.ingest._formats import read_table
from execrank.ingest._mapping import detect, load_mapping, shipped_mapping_names
from execrank.store import Store
from tests.conftest import write_csv

FIXTURES = Path(__file__).resolve().parent / "fixtures"
WHEN = datetime(2026, 1, 1)


def auto_import(store: Store, name: str, kind: str | None = None) -> service.ImportReport:
    path = FIXTURES / name
    return service.import_file(
        store, kind, path, ingested_at=WHEN, mapping="auto", rejects_dir=Path(store.path).parent
    )


def company(store: Store, company_id: str) -> dict[str, Any]:
    columns = ("name", "revenue_usd", "revenue_text", "employees", "employees_text", "industry")
    row = store.query(
        f"SELECT {', '.join(columns)} FROM companies WHERE company_id = ?", [company_id]
    )
    assert row, f"no company {company_id!r}"
    return dict(zip(columns, row[0], strict=True))


@pytest.mark.parametrize(
    ("fixture", "mapping", "kind"),
    [
        ("fortune1000_2021.csv", "fortune1000-2021", "companies"),
        ("fortune1000_2024.csv", "fortune1000-2024", "companies"),
        ("salesforce_accounts.csv", "salesforce-account", "companies"),
        ("salesforce_opportunities.csv", "salesforce-opportunity", "opportunities"),
        ("maven_accounts.csv", "maven-accounts", "companies"),
        ("maven_pipeline.csv", "maven-pipeline", "opportunities"),
        ("tushare_stock_basics.csv", "tushare-stock-basics", "companies"),
        ("lemonhu_executives.csv", "lemonhu-executives", "contacts"),
        ("lemonhu_stock.csv", "lemonhu-stocks", "companies"),
    ],
)
def test_auto_mapping_recognises_each_real_export(
    store: Store, fixture: str, mapping: str, kind: str
) -> None:
    report = auto_import(store, fixture)
    assert (report.mapping, report.kind) == (mapping, kind)


def test_bom_is_not_part_of_the_first_header(store: Store) -> None:
    # fortune1000_2024.csv starts with EF BB BF before "Rank"
    assert (FIXTURES / "fortune1000_2024.csv").read_bytes().startswith(b"\xef\xbb\xbfRank,")
    table = read_table(FIXTURES / "fortune1000_2024.csv")
    assert (table.encoding, table.header[0]) == ("utf-8-sig", "Rank")
    assert auto_import(store, "fortune1000_2024.csv").rejected == []


def test_latin1_salesforce_accounts_keep_their_accented_bytes(store: Store) -> None:
    table = read_table(FIXTURES / "salesforce_accounts.csv")
    assert table.encoding == "latin-1"
    streets = [row.values["BILLINGSTREET"] for row in table.rows]
    assert "00045844 c/ San Romualdo, 26 5º" in streets  # byte 0xBA is º in Latin-1
    report = auto_import(store, "salesforce_accounts.csv")
    assert (report.counts.inserted, report.rejected) == (6, [])


def test_revenue_with_dollar_sign_commas_and_trailing_space(store: Store) -> None:
    # Walmart's cell is "$648,125,000 " in thousands of dollars: 648,125,000 x 1,000
    auto_import(store, "fortune1000_2024.csv")
    walmart = company(store, "Walmart")
    assert walmart["revenue_usd"] == 648_125_000_000
    assert walmart["revenue_text"] == "$648,125,000"  # as typed, the padding stripped
    assert (walmart["employees"], walmart["employees_text"]) == (2_100_000, "2100000")


def test_fortune_2024_revenue_in_millions_or_thousands_is_read_by_its_size(
    store: Store,
) -> None:
    # The file writes revenue in two units; every company has at least $2.4 billion, so a
    # value below 100,000 is millions and one of 1,000,000 or more thousands:
    #   Starbucks    "$35,976 "      35,976 x 1,000,000  =  35,976,000,000
    #   FMC          "$4,487 "        4,487 x 1,000,000  =   4,487,000,000
    #   rank 989     "$2,540 "        2,540 x 1,000,000  =   2,540,000,000
    #   rank 1000    "$2,489,000 " 2,489,000 x 1,000     =   2,489,000,000
    #   Walmart      "$648,125,000 " 648,125,000 x 1,000 = 648,125,000,000
    report = auto_import(store, "fortune1000_2024.csv")
    assert (report.counts.inserted, report.rejected) == (7, [])
    revenue = dict(store.query("SELECT company_id, revenue_usd FROM companies"))
    assert revenue["Starbucks"] == 35_976_000_000
    assert revenue["FMC"] == 4_487_000_000
    assert revenue["Old National Bancorp"] == 2_540_000_000
    assert revenue["Clear Channel Outdoor Hldgs."] == 2_489_000_000
    assert revenue["Walmart"] == 648_125_000_000
    assert company(store, "Starbucks")["revenue_text"] == "$35,976"  # as typed


def test_fortune_2024_revenue_between_the_two_units_is_rejected_as_ambiguous(
    store: Store, tmp_path: Path
) -> None:
    # "$500,000 " is $500 million in thousands or $500 billion in millions: neither range
    lines = (FIXTURES / "fortune1000_2024.csv").read_text(encoding="utf-8-sig").splitlines()
    lines[5] = lines[5].replace('"$4,487 "', '"$500,000 "')  # FMC
    path = tmp_path / "fortune.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    report = service.import_file(store, None, path, ingested_at=WHEN, mapping="auto")
    assert [str(e) for e in report.rejected] == [
        "fortune.csv, row 6, column 'Revenue': '$500,000' is not in a range the mapping "
        "scales (below 100,000: times 1,000,000; at least 1,000,000: times 1,000): its unit is "
        "ambiguous"
    ]
    assert report.counts.inserted == 6


def test_misspelt_technolgy_sector_is_kept_as_written(store: Store) -> None:
    auto_import(store, "maven_accounts.csv")
    acme = company(store, "Acme Corporation")
    assert acme["industry"] == "technolgy"
    assert acme["revenue_usd"] == pytest.approx(1_100_040_000)  # 1100.04 millions
    assert acme["revenue_text"] == "1100.04"


def test_html_entities_in_company_names_are_unescaped(store: Store) -> None:
    # "Lowe&#8217;s": 8217 is U+2019, the right single quotation mark
    auto_import(store, "fortune1000_2021.csv")
    names = {row[0] for row in store.query("SELECT name FROM companies")}
    assert {"Lowe\u2019s", "Land O\u2019Lakes"} <= names
    assert not any("&#" in name for name in names)


def test_blank_tickers_do_not_stop_a_company_from_importing(store: Store) -> None:
    # State Farm Insurance and Land O'Lakes have an empty Ticker; the name is the key
    table = read_table(FIXTURES / "fortune1000_2021.csv")
    blank = [row.values["company"] for row in table.rows if not row.values["Ticker"]]
    assert blank == ["State Farm Insurance", "Land O&#8217;Lakes"]
    report = auto_import(store, "fortune1000_2021.csv")
    assert (report.counts.inserted, report.rejected_rows) == (5, 0)
    assert company(store, "State Farm Insurance")["revenue_usd"] == pytest.approx(79_395_300_000)


def test_two_titles_in_one_cell_and_two_people_with_one_name(store: Store) -> None:
    report = auto_import(store, "lemonhu_executives.csv")
    # "董事长/董事" (chairman / director) is one title, kept whole for the title classifier
    stored = store.query("SELECT title FROM contacts WHERE contact_id = '600645 吕文'")
    assert stored == [("董事长/董事",)]
    seniority = store.query("SELECT seniority FROM titles WHERE title = '董事长/董事'")
    assert seniority == [("board",)]
    # the second 吕文 of company 600645 gets the same id: reported, not silently merged
    assert [str(e) for e in report.rejected] == [
        "lemonhu_executives.csv, row 5, column 'code + name': '600645 吕文' repeats the "
        "contact_id of row 4 with other values"
    ]


def test_salesforce_true_false_and_amounts(store: Store, tmp_path: Path) -> None:
    accounts = write_csv(tmp_path / "accounts.csv", ["company_id"], [["001x0000002xLD0AAM"]])
    service.import_file(store, "companies", accounts, ingested_at=WHEN)
    report = auto_import(store, "salesforce_opportunities.csv")
    assert report.rejected == []
    won = store.query(
        "SELECT is_closed, is_won, amount, stage FROM opportunities "
        "WHERE opportunity_id = '006x0000001YtCrAAK'"
    )
    assert won == [(True, True, 500_000.0, "Closed Won")]  # "true","true","500000.0"


def test_hubspot_contacts_export_is_recognised_by_its_real_header(
    store: Store, tmp_path: Path
) -> None:
    header = (FIXTURES / "hubspot_contacts_header.txt").read_text(encoding="utf-8").strip()
    path = tmp_path / "hubspot.csv"
    columns = header.count('","') + 1
    cells = dict.fromkeys(range(columns), "")
    names = [name.strip('"') for name in header.split('","')]
    for name, value in {
        "Record ID": "501",
        "First Name": "Ada",
        "Last Name": "Lovelace",
        "Email": "Ada@Example.com",
        "Job Title": "Chief Technology Officer",
    }.items():
        cells[names.index(name)] = value
    path.write_text(header + "\n" + ",".join(cells.values()) + "\n", encoding="utf-8")
    report = service.import_file(
        store, None, path, ingested_at=WHEN, mapping="auto", rejects_dir=tmp_path
    )
    assert (report.mapping, report.kind, report.rejected) == ("hubspot-contacts", "contacts", [])
    stored = store.query("SELECT contact_id, name, email, title FROM contacts")
    assert stored == [("501", "Ada Lovelace", "ada@example.com", "Chief Technology Officer")]


def test_a_hubspot_contact_of_several_companies_gets_the_first_listed(
    store: Store, tmp_path: Path
) -> None:
    # HubSpot's "Associated Company IDs" lists every company of a contact, primary first
    service.import_file(store, None, hubspot_companies(tmp_path), ingested_at=WHEN, mapping="auto")
    header = (FIXTURES / "hubspot_contacts_header.txt").read_text(encoding="utf-8").strip()
    names = [name.strip('"') for name in header.split('","')]
    rows = [
        {"Record ID": "501", "Associated Company IDs": "9001;9002"},
        {"Record ID": "502", "Associated Company IDs": " 9002 ; 9001"},
        {"Record ID": "503", "Associated Company IDs": "9002"},
        {"Record ID": "504", "Associated Company IDs": ""},
    ]
    path = write_csv(
        tmp_path / "hubspot.csv", names, [[row.get(name, "") for name in names] for row in rows]
    )
    report = service.import_file(store, None, path, ingested_at=WHEN, mapping="auto")
    assert (report.mapping, report.rejected, report.warnings) == ("hubspot-contacts", [], [])
    assert store.query("SELECT contact_id, company_id FROM contacts ORDER BY 1") == [
        ("501", "9001"),
        ("502", "9002"),
        ("503", "9002"),
        ("504", None),
    ]


def test_salesforce_lead_and_contact_headers_pick_their_own_mapping(tmp_path: Path) -> None:
    lead = (FIXTURES / "salesforce_lead_header.txt").read_text(encoding="utf-8").strip()
    contact = "Id,AccountId,LastName,FirstName,Title,Department,Email,OwnerId,MailingCity"
    for header, expected in ((lead, "salesforce-lead"), (contact.upper(), "salesforce-contact")):
        path = tmp_path / "export.csv"
        path.write_text(header + "\n", encoding="utf-8")
        with Store.open(":memory:") as memory:
            report = service.import_file(memory, None, path, ingested_at=WHEN, mapping="auto")
        assert report.mapping == expected


def test_auto_mapping_lists_the_candidates_when_none_fits(store: Store, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "leads.csv", ["Prospect ID", "Lead Origin", "TotalVisits"], [])
    with pytest.raises(InputError) as raised:
        service.import_file(store, None, path, ingested_at=WHEN, mapping="auto")
    message = str(raised.value)
    assert message.startswith("leads.csv: --mapping auto recognises no known export")
    assert "closest: " in message and "--mapping NAME" in message


def test_every_shipped_mapping_loads_and_recognises_its_own_headers() -> None:
    for name in shipped_mapping_names():
        mapping = load_mapping(name)
        named = [h for headers in mapping.columns.values() for h in headers]
        header = tuple(dict.fromkeys([*named, *mapping.signature]))
        assert detect(header, None, f"{name}.csv") == mapping, name


def hubspot_companies(tmp_path: Path) -> Path:
    """Made-up companies under HubSpot's companies export labels (the shipped mapping's
    headers): HubSpot writes Country/Region as a name."""
    return write_csv(
        tmp_path / "hubspot-companies.csv",
        ["Record ID", "Company name", "Country/Region", "Industry", "Company owner",
         "Lifecycle Stage", "Create Date", "Number of Associated Contacts"],
        [
            ["9001", "Ada Corp", "United States", "Technology", "", "lead", "2025-01-01", "1"],
            ["9002", "Bao Ltd", "中国", "Technology", "", "lead", "2025-01-01", "1"],
        ],
    )  # fmt: skip


def region_evidence(store: Store, company_ids: list[str]) -> dict[str, str]:
    """Each company's region criterion (the default model's last) as `explain` shows it,
    scored by the default model: one contact per company."""
    contacts = [[f"contact-{company}", company] for company in company_ids]
    path = write_csv(
        Path(store.path).parent / "contacts.csv", ["contact_id", "company_id"], contacts
    )
    service.import_file(store, "contacts", path, ingested_at=WHEN)
    service.score(store, model.default(), as_of=WHEN, known_at=WHEN)
    found = {}
    for company in company_ids:
        (fit,) = [c for c in service.explain(store, f"contact-{company}").contributions
                  if c.dimension == "fit"]  # fmt: skip
        found[company] = fit.evidence.rstrip(")").split("; ")[-1]  # the last criterion
    return found


@pytest.mark.parametrize(
    ("fixture", "mapping", "countries"),
    [
        # Country "U.S."
        ("fortune1000_2024.csv", "fortune1000-2024", {"Walmart": "US"}),
        # the mapping's constant
        ("fortune1000_2021.csv", "fortune1000-2021", {"Walmart": "US"}),
        # BILLINGCOUNTRY "US", "USA", "United States", "ES"
        (
            "salesforce_accounts.csv",
            "salesforce-account",
            {
                "001x0000002xLCVAA2": "US",
                "001x0000002lBtoAAE": "US",
                "001x0000002lBtpAAE": "US",
                "001x0000002xLDJAA2": "ES",
            },
        ),
        # office_location "United States", "Korea", "China"
        (
            "maven_accounts.csv",
            "maven-accounts",
            {"Acme Corporation": "US", "Hottechi": "KR", "Zencorporation": "CN"},
        ),
        # the mappings' constant
        ("tushare_stock_basics.csv", "tushare-stock-basics", {"002770": "CN"}),
        ("lemonhu_stock.csv", "lemonhu-stocks", {"600616": "CN"}),
        # Country/Region "United States", "中国"
        ("hubspot", "hubspot-companies", {"9001": "US", "9002": "CN"}),
    ],
)
def test_each_company_mapping_stores_country_codes_the_default_model_matches(
    store: Store, tmp_path: Path, fixture: str, mapping: str, countries: dict[str, str]
) -> None:
    path = hubspot_companies(tmp_path) if fixture == "hubspot" else FIXTURES / fixture
    report = service.import_file(store, None, path, ingested_at=WHEN, mapping="auto")
    assert report.mapping == mapping
    stored = dict(store.query("SELECT company_id, country FROM companies"))
    assert {company: stored[company] for company in countries} == countries
    # the default model's region criterion: country any_of [US, CN]
    expected = {
        company: f"region {code} {'met' if code in ('US', 'CN') else 'not met'}"
        for company, code in countries.items()
    }
    assert region_evidence(store, list(countries)) == expected


def test_a_country_no_one_knows_is_kept_as_typed_with_a_warning(store: Store) -> None:
    # maven_accounts.csv row 5 (source line 5, the header row 1): "Philipines", misspelt
    report = auto_import(store, "maven_accounts.csv")
    assert report.warnings == [
        "column 'office_location': 'Philipines' names no country execrank knows, so it is "
        "stored as typed and meets no region criterion (models name countries by ISO code, "
        "e.g. US, CN); row 5"
    ]
    assert store.query("SELECT country FROM companies WHERE company_id = 'Bioholding'") == [
        ("Philipines",)
    ]


def test_fortune_2024_industry_is_the_sector_the_default_model_names(store: Store) -> None:
    auto_import(store, "fortune1000_2024.csv")
    # Walmart: revenue 648,125,000 thousand >= 1e9, employees 2,100,000 >= 1,000, Sector
    # Retailing (its Industry is "General Merchandisers"), Country U.S. -> US: all 4 criteria
    # met, fit.all = 10 points
    path = write_csv(Path(store.path).parent / "contacts.csv", ["contact_id", "company_id"],
                     [["ceo", "Walmart"]])  # fmt: skip
    service.import_file(store, "contacts", path, ingested_at=WHEN)
    service.score(store, model.default(), as_of=WHEN, known_at=WHEN)
    (fit,) = [c for c in service.explain(store, "ceo").contributions if c.dimension == "fit"]
    assert (fit.rule, fit.points) == ("fit.all", 10)
    assert "industry Retailing met; region US met" in fit.evidence
