"""Turn the shipped public files into execrank's own companies.csv and contacts.csv.

Two sources, both MIT and described in `data/PROVENANCE.md`:

- `Fortune_1000.csv` (Fortune 1000, 2021): one US company per row and one contact, its CEO.
- `lemonhu_*.csv` (board members of Chinese A-share companies): one company per stock code that
  has board members, one contact per (name, code) pair.

The output is sorted by id so that the same shipped files always give the same bytes.
"""

from __future__ import annotations

import csv
import hashlib
import html
import io
import re
import unicodedata
from collections.abc import Iterable, Sequence
from decimal import Decimal, InvalidOperation
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path
from urllib.parse import urlsplit

from execrank.errors import InputError

COMPANY_COLUMNS = (
    "company_id", "name", "domain", "revenue_usd", "employees", "industry", "region", "country",
)  # fmt: skip
CONTACT_COLUMNS = ("contact_id", "name", "email", "title", "company_id", "owner")

FORTUNE_FILE = "Fortune_1000.csv"
EXECUTIVES_FILE = "lemonhu_executive_prep.csv"
STOCKS_FILE = "lemonhu_stock.csv"
INDUSTRIES_FILE = "lemonhu_stock_industry_prep.csv"
FORTUNE_COLUMNS_USED = (
    "company", "revenue", "num. of employees", "sector", "state", "ceo_founder", "CEO", "Website",
)  # fmt: skip

# Fortune's revenue column is in millions of US dollars.
USD_PER_FORTUNE_REVENUE_UNIT = 1_000_000
# A-share codes are six digits; lemonhu_stock.csv lost the leading zeros (`1` for `000001`).
A_SHARE_CODE_DIGITS = 6
# Chinese contact ids end with this many hex digits of sha1(name): short, stable, and unique
# within a company (write_real_inputs checks).
NAME_HASH_HEX_DIGITS = 8
JOB_SEPARATOR = "/"
# Apostrophes vanish in slugs ("Lowe’s" -> "lowes"), every other run of non-alphanumerics is "-".
_APOSTROPHES = re.compile(r"['’]")
_NON_ALPHANUMERIC = re.compile(r"[^a-z0-9]+")

Row = dict[str, str]


def write_real_inputs(out_dir: Path) -> dict[str, int]:
    """Write `out_dir/companies.csv` and `out_dir/contacts.csv`; return their row counts."""
    data = files("execrank.demo") / "data"
    fortune = _read(data / FORTUNE_FILE, *FORTUNE_COLUMNS_USED)
    executives = _read(data / EXECUTIVES_FILE, "name", "code", "jobs")
    stocks = _read(data / STOCKS_FILE, "name", "code")
    industries = _read(data / INDUSTRIES_FILE, "code", "c_name")
    us_companies, us_contacts = _fortune_rows(fortune)
    cn_companies, cn_contacts = _lemonhu_rows(executives, stocks, industries)
    companies = sorted([*us_companies, *cn_companies], key=lambda row: row["company_id"])
    contacts = sorted([*us_contacts, *cn_contacts], key=lambda row: row["contact_id"])
    out_dir.mkdir(parents=True, exist_ok=True)
    _write(out_dir / "companies.csv", COMPANY_COLUMNS, companies)
    _write(out_dir / "contacts.csv", CONTACT_COLUMNS, contacts)
    return {"companies": len(companies), "contacts": len(contacts)}


def slugify(text: str) -> str:
    """Lower-case ASCII words joined by "-": "Estée Lauder" -> "estee-lauder"."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    words = _NON_ALPHANUMERIC.sub("-", _APOSTROPHES.sub("", ascii_text.lower()))
    return words.strip("-") or "company"


def unique_slugs(names: Sequence[str]) -> list[str]:
    """Slug each name; the 2nd, 3rd… name with a taken slug gets "-2", "-3"… in input order."""
    taken = {slugify(name) for name in names}
    seen: set[str] = set()
    slugs: list[str] = []
    for name in names:
        slug = slugify(name)
        if slug in seen:
            suffix = 2
            while f"{slug}-{suffix}" in taken:
                suffix += 1
            slug = f"{slug}-{suffix}"
            taken.add(slug)
        seen.add(slug)
        slugs.append(slug)
    return slugs


def domain_of(website: str) -> str:
    """The host of a website, without `www.`: "https://www.apple.com" -> "apple.com"."""
    website = website.strip()
    if not website:
        return ""
    host = urlsplit(website if "://" in website else f"//{website}").hostname or ""
    return host.removeprefix("www.")


def merge_jobs(cells: Iterable[str]) -> str:
    """Join the `/`-separated job parts of several cells, first-seen order, no repeats."""
    parts: dict[str, None] = {}
    for cell in cells:
        parts.update((part.strip(), None) for part in cell.split(JOB_SEPARATOR) if part.strip())
    return JOB_SEPARATOR.join(parts)


def _fortune_rows(rows: Sequence[Row]) -> tuple[list[Row], list[Row]]:
    names = [html.unescape(row["company"]).strip() for row in rows]
    companies: list[Row] = []
    contacts: list[Row] = []
    for line, (row, name, slug) in enumerate(zip(rows, names, unique_slugs(names), strict=True), 2):
        company_id = f"us-{slug}"
        companies.append({
            "company_id": company_id,
            "name": name,
            "domain": domain_of(row["Website"]),
            "revenue_usd": _revenue_usd(row["revenue"], line),
            "employees": _whole_number(row["num. of employees"], line, "num. of employees"),
            "industry": row["sector"].strip(),
            "region": row["state"].strip(),
            "country": "US",
        })  # fmt: skip
        contacts.append({
            "contact_id": f"{company_id}-ceo",
            "name": row["CEO"],
            "email": "",
            "title": "Founder & CEO" if row["ceo_founder"].strip() == "yes" else "CEO",
            "company_id": company_id,
            "owner": "",
        })  # fmt: skip
    return companies, contacts


def _lemonhu_rows(
    executives: Sequence[Row], stocks: Sequence[Row], industries: Sequence[Row]
) -> tuple[list[Row], list[Row]]:
    stock_names = {_a_share_code(row["code"]): row["name"].strip() for row in stocks}
    industry_of: dict[str, str] = {}
    for row in industries:  # five codes are listed under two industries: keep the first
        industry_of.setdefault(_a_share_code(row["code"]), row["c_name"].strip())
    jobs_by_person: dict[tuple[str, str], list[str]] = {}
    for row in executives:
        person = (row["name"].strip(), _a_share_code(row["code"]))
        jobs_by_person.setdefault(person, []).append(row["jobs"])
    companies = [
        {
            "company_id": f"cn-{code}",
            "name": stock_names.get(code, ""),
            "domain": "",
            "revenue_usd": "",
            "employees": "",
            "industry": industry_of.get(code, ""),
            "region": "",
            "country": "CN",
        }
        for code in sorted({code for _, code in jobs_by_person})
    ]
    contacts = [
        {
            "contact_id": f"cn-{code}-{_name_hash(name)}",
            "name": name,
            "email": "",
            "title": merge_jobs(cells),
            "company_id": f"cn-{code}",
            "owner": "",
        }
        for (name, code), cells in jobs_by_person.items()
    ]
    _check_unique(contacts, EXECUTIVES_FILE)
    return companies, contacts


def _a_share_code(text: str) -> str:
    return text.strip().zfill(A_SHARE_CODE_DIGITS)


def _name_hash(name: str) -> str:
    return hashlib.sha1(name.encode("utf-8")).hexdigest()[:NAME_HASH_HEX_DIGITS]


def _check_unique(contacts: Sequence[Row], source: str) -> None:
    seen: dict[str, str] = {}
    for contact in contacts:
        other = seen.setdefault(contact["contact_id"], contact["name"])
        if other != contact["name"]:
            raise InputError(
                f"{source}: {other!r} and {contact['name']!r} get the same contact id "
                f"{contact['contact_id']!r}; lengthen NAME_HASH_HEX_DIGITS in {__name__}"
            )


def _revenue_usd(text: str, line: int) -> str:
    try:
        usd = Decimal(text.strip()) * USD_PER_FORTUNE_REVENUE_UNIT
    except InvalidOperation:
        usd = Decimal("NaN")
    if not usd.is_finite() or usd != usd.to_integral_value():
        raise InputError(
            f'{FORTUNE_FILE}, line {line}, column "revenue": {text!r} is not millions of USD '
            "(expected e.g. 523964 or 1997.4)"
        )
    return str(int(usd))


def _whole_number(text: str, line: int, column: str) -> str:
    if not re.fullmatch(r"[0-9]+", text.strip()):
        raise InputError(
            f'{FORTUNE_FILE}, line {line}, column "{column}": {text!r} is not a whole number '
            "(expected e.g. 2200000)"
        )
    return str(int(text))


def _read(resource: Traversable, *required: str) -> list[Row]:
    # newline="" keeps line breaks inside quoted cells for the csv module to handle
    reader = csv.DictReader(io.StringIO(resource.read_bytes().decode("utf-8-sig"), newline=""))
    header = reader.fieldnames or []
    missing = [column for column in required if column not in header]
    if missing:
        raise InputError(
            f"{resource.name}: the header lacks {', '.join(map(repr, missing))} "
            f"(it has {', '.join(map(repr, header))})"
        )
    return list(reader)


def _write(path: Path, columns: Sequence[str], rows: Iterable[Row]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
