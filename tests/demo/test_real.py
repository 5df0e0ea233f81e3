"""The demo's real inputs: shipped public files turned into execrank's companies and contacts."""

from __future__ import annotations

import csv
import hashlib
import io
import re
from importlib.resources import files
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from execrank.demo._real import domain_of, merge_jobs, slugify, unique_slugs, write_real_inputs

DATA = files("execrank.demo") / "data"
Row = dict[str, str]


def raw_rows(name: str) -> list[Row]:
    """A shipped raw file, read independently of the code under test."""
    text = (DATA / name).read_bytes().decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text, newline="")))


def read_csv(path: Path) -> tuple[list[str], list[Row]]:
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        rows = list(reader)
        return list(reader.fieldnames or []), rows


@pytest.fixture(scope="module")
def output(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out_dir = tmp_path_factory.mktemp("real")
    write_real_inputs(out_dir)
    return out_dir


@pytest.fixture(scope="module")
def companies(output: Path) -> dict[str, Row]:
    return {row["company_id"]: row for row in read_csv(output / "companies.csv")[1]}


@pytest.fixture(scope="module")
def contacts(output: Path) -> dict[str, Row]:
    return {row["contact_id"]: row for row in read_csv(output / "contacts.csv")[1]}


def test_headers_are_the_native_columns(output: Path) -> None:
    assert read_csv(output / "companies.csv")[0] == [
        "company_id", "name", "domain", "revenue_usd", "employees", "industry", "region",
        "country",
    ]  # fmt: skip
    assert read_csv(output / "contacts.csv")[0] == [
        "contact_id", "name", "email", "title", "company_id", "owner",
    ]  # fmt: skip


def test_counts_one_us_ceo_per_fortune_company_and_one_cn_contact_per_name_and_code(
    tmp_path: Path,
) -> None:
    executives = raw_rows("lemonhu_executive_prep.csv")
    cn_pairs = {(row["name"], row["code"]) for row in executives}
    cn_codes = {row["code"] for row in executives}

    counts = write_real_inputs(tmp_path)

    _, companies = read_csv(tmp_path / "companies.csv")
    _, contacts = read_csv(tmp_path / "contacts.csv")
    assert sum(c["country"] == "US" for c in companies) == 1000
    assert sum(c["company_id"].startswith("us-") for c in contacts) == 1000
    assert sum(c["country"] == "CN" for c in companies) == len(cn_codes)
    assert sum(c["company_id"].startswith("cn-") for c in contacts) == len(cn_pairs)
    assert counts == {"companies": 1000 + len(cn_codes), "contacts": 1000 + len(cn_pairs)}
    assert len(companies) + len(contacts) >= 1000


def test_ids_are_unique_and_every_contact_has_its_company(output: Path) -> None:
    _, companies = read_csv(output / "companies.csv")
    _, contacts = read_csv(output / "contacts.csv")
    company_ids = [c["company_id"] for c in companies]
    contact_ids = [c["contact_id"] for c in contacts]

    assert len(set(company_ids)) == len(company_ids)
    assert len(set(contact_ids)) == len(contact_ids)
    assert {c["company_id"] for c in contacts} <= set(company_ids)
    assert company_ids == sorted(company_ids)
    assert contact_ids == sorted(contact_ids)


def test_a_fortune_row_becomes_one_company_with_usd_revenue(companies: dict[str, Row]) -> None:
    # raw: Healthpeak Properties, revenue 1997.4 (millions), 204 employees, Financials, CA,
    # https://www.hcpi.com  ->  1997.4 * 1,000,000 = 1,997,400,000 USD
    assert companies["us-healthpeak-properties"] == {
        "company_id": "us-healthpeak-properties",
        "name": "Healthpeak Properties",
        "domain": "hcpi.com",
        "revenue_usd": "1997400000",
        "employees": "204",
        "industry": "Financials",
        "region": "CA",
        "country": "US",
    }


def test_html_entities_in_company_names_are_unescaped(companies: dict[str, Row]) -> None:
    assert companies["us-lowes"]["name"] == "Lowe’s"
    assert not [c["name"] for c in companies.values() if "&#" in c["name"]]


def test_the_ceo_of_a_founder_led_company_is_founder_and_ceo(contacts: dict[str, Row]) -> None:
    # raw: Amazon, ceo_founder yes, CEO "Blake Yardley"; Walmart, ceo_founder no
    assert contacts["us-amazon-ceo"] == {
        "contact_id": "us-amazon-ceo",
        "name": "Blake Yardley",
        "email": "",
        "title": "Founder & CEO",
        "company_id": "us-amazon",
        "owner": "",
    }
    assert contacts["us-walmart-ceo"]["title"] == "CEO"
    founders = sum(row["ceo_founder"] == "yes" for row in raw_rows("Fortune_1000.csv"))
    assert sum(c["title"] == "Founder & CEO" for c in contacts.values()) == founders


def test_a_blank_ceo_cell_stays_a_nameless_ceo_contact(contacts: dict[str, Row]) -> None:
    blank = [row["company"] for row in raw_rows("Fortune_1000.csv") if not row["CEO"].strip()]
    assert "Baxter International" in blank
    assert contacts["us-baxter-international-ceo"]["name"] == ""
    assert contacts["us-baxter-international-ceo"]["title"] == "CEO"
    assert sum(c["name"] == "" for c in contacts.values()) == len(blank)


def test_a_repeated_name_and_code_is_one_contact_with_merged_jobs(
    contacts: dict[str, Row],
) -> None:
    rows = [
        r
        for r in raw_rows("lemonhu_executive_prep.csv")
        if (r["name"], r["code"]) == ("吕文", "600645")
    ]
    assert [r["jobs"] for r in rows] == ["董事长/董事", "独立董事"]
    contact_id = "cn-600645-" + hashlib.sha1("吕文".encode()).hexdigest()[:8]

    assert contacts[contact_id]["title"] == "董事长/董事/独立董事"
    assert contacts[contact_id]["company_id"] == "cn-600645"
    assert [c for c in contacts.values() if c["name"] == "吕文" and c["company_id"] == "cn-600645"]


def test_cn_companies_keep_leading_zeros_and_are_named_despite_unpadded_stock_codes(
    companies: dict[str, Row],
) -> None:
    # lemonhu_stock.csv writes 平安银行's code 000001 as "1"
    assert [r["code"] for r in raw_rows("lemonhu_stock.csv") if r["name"] == "平安银行"] == ["1"]
    assert companies["cn-000001"] == {
        "company_id": "cn-000001",
        "name": "平安银行",
        "domain": "",
        "revenue_usd": "",
        "employees": "",
        "industry": "金融行业",
        "region": "",
        "country": "CN",
    }
    assert not [c for c in companies.values() if c["country"] == "CN" and not c["name"]]


def test_a_code_listed_under_two_industries_gets_the_first(companies: dict[str, Row]) -> None:
    listed = [
        r["c_name"] for r in raw_rows("lemonhu_stock_industry_prep.csv") if r["code"] == "000587"
    ]
    assert listed == ["商业百货", "有色金属"]
    assert companies["cn-000587"]["industry"] == "商业百货"


def test_output_is_byte_identical_across_runs(output: Path, tmp_path: Path) -> None:
    write_real_inputs(tmp_path)
    for name in ("companies.csv", "contacts.csv"):
        assert (tmp_path / name).read_bytes() == (output / name).read_bytes()


def test_shipped_files_match_the_hashes_in_their_provenance_note() -> None:
    note = (DATA / "PROVENANCE.md").read_text(encoding="utf-8")
    hashes = dict(re.findall(r"^\| `([^`]+)` \| `([0-9a-f]{64})` \|", note, re.MULTILINE))
    shipped = {item.name for item in DATA.iterdir() if item.name != "PROVENANCE.md"}

    assert set(hashes) == shipped
    for name, digest in hashes.items():
        assert hashlib.sha256((DATA / name).read_bytes()).hexdigest() == digest, name


def test_slugs_drop_accents_and_apostrophes() -> None:
    assert slugify("Estée Lauder") == "estee-lauder"
    assert slugify("Lowe’s") == "lowes"
    assert slugify("AT&T") == "at-t"
    assert slugify("&&") == "company"


def test_colliding_slugs_get_a_numbered_suffix_in_input_order() -> None:
    # "A" and "a" collide; "a-2" is taken by "A 2", so the second "a" becomes "a-3"
    assert unique_slugs(["A", "a", "A 2"]) == ["a", "a-3", "a-2"]


@given(st.lists(st.text(max_size=12), max_size=30))
def test_unique_slugs_are_unique_url_safe_words(names: list[str]) -> None:
    slugs = unique_slugs(names)
    assert len(set(slugs)) == len(slugs) == len(names)
    assert all(re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", slug) for slug in slugs)


@pytest.mark.parametrize(
    ("website", "domain"),
    [
        ("https://www.apple.com", "apple.com"),
        ("https://apacorp.com/", "apacorp.com"),
        ("https://investors.bestbuy.com/investor-relations/overview/default.aspx",
         "investors.bestbuy.com"),
        ("www.example.org", "example.org"),
        ("", ""),
    ],
)  # fmt: skip
def test_domain_is_the_website_host_without_www(website: str, domain: str) -> None:
    assert domain_of(website) == domain


def test_merged_jobs_keep_first_seen_order_without_repeats() -> None:
    assert merge_jobs(["董事长/董事", "独立董事", "董事"]) == "董事长/董事/独立董事"
    assert merge_jobs(["董事", "董事"]) == "董事"
