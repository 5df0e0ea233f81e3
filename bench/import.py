"""Import throughput: `execrank import contacts` of a generated CSV, against DuckDB's own
`read_csv` of the same file into a table, in the same run.

    python bench/import.py                      # 1,000,000 contacts
    python bench/import.py --contacts 200000 --keep /tmp/contacts.csv

The file is seeded: every value comes from the row number and --seed, with the quirks of a real
export (quoted titles with commas, Chinese titles, blank cells, mixed-case emails), so the same
size and seed give the same bytes. Both sides start from the same file on disk and an empty store
file; the reference is DuckDB reading every column as text (`all_varchar`), as the import does,
and inserting it into a table with the same columns; the import is the whole `execrank import`
command in a child process (parse, validate, upsert, classify titles, commit). Times are wall
clock, each the best of --repeat runs, the two alternating.
"""

from __future__ import annotations

import argparse
import csv
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parents[1]
TITLES = (
    "CEO",
    "Chief Executive Officer",
    "Founder & CEO",
    "VP Sales, EMEA",
    "Director of Marketing",
    "Head of Data",
    "Sales Manager",
    "Analyst",
    "董事长",
    "首席信息官",
    "副总裁兼CFO",
    "",
)
FIRST_NAMES = ("Ada", "Grace", "Linus", "Renée", "José", "Wei", "Li", "Yuki", "Omar", "Zoë")
LAST_NAMES = ("Lovelace", "Hopper", "Müller", "Muñoz", "Zhang", "Wang", "Tanaka", "O'Brien")
OWNERS = ("ana", "ben", "chen", "dev", "")
COMPANIES_PER_CONTACT = 20
TARGET_RATIO = 2.0


def write_contacts(path: Path, contacts: int, seed: int) -> None:
    """contact_id,name,email,title,company_id,owner: one row per contact, seeded."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["contact_id", "name", "email", "title", "company_id", "owner"])
        for n in range(contacts):
            mix = (n * 2654435761 + seed) % 2**32
            first = FIRST_NAMES[mix % len(FIRST_NAMES)]
            last = LAST_NAMES[(mix >> 8) % len(LAST_NAMES)]
            email = f"{first}.{last}{n}@Example.com" if mix % 7 else ""
            writer.writerow(
                [
                    f"c{n:07d}",
                    f"{first} {last}",
                    email,
                    TITLES[(mix >> 16) % len(TITLES)],
                    f"co{n // COMPANIES_PER_CONTACT:06d}",
                    OWNERS[(mix >> 24) % len(OWNERS)],
                ]
            )


def time_reference(csv_path: Path, folder: Path) -> float:
    store = folder / "reference.duckdb"
    store.unlink(missing_ok=True)
    started = time.perf_counter()
    with duckdb.connect(str(store)) as connection:
        connection.execute(
            "CREATE TABLE contacts AS SELECT * FROM read_csv(?, all_varchar = true, header = true)",
            [str(csv_path)],
        )
    return time.perf_counter() - started


def time_import(csv_path: Path, folder: Path) -> float:
    store = folder / "import.duckdb"
    store.unlink(missing_ok=True)
    command = [sys.executable, "-c", "from execrank.cli import main; main()"]
    started = time.perf_counter()
    subprocess.run(
        [*command, "import", "contacts", str(csv_path), "--db", str(store)],
        check=True,
        capture_output=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    elapsed = time.perf_counter() - started
    with duckdb.connect(str(store), read_only=True) as connection:
        stored = connection.execute("SELECT count(*) FROM contacts").fetchone()
    print(f"  import stored {stored[0] if stored else 0:,} contacts in {elapsed:.2f} s")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--contacts", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--keep", type=Path, help="write the CSV here and keep it")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        csv_path = options.keep or folder / "contacts.csv"
        write_contacts(csv_path, options.contacts, options.seed)
        size = csv_path.stat().st_size / 2**20
        print(f"contacts.csv: {options.contacts:,} rows, {size:.1f} MiB")
        reference = execrank = float("inf")
        for _ in range(options.repeat):
            reference = min(reference, time_reference(csv_path, folder))
            execrank = min(execrank, time_import(csv_path, folder))
    for label, seconds in (
        ("duckdb read_csv into a table", reference),
        ("execrank import", execrank),
    ):
        print(f"{label}: {seconds:.2f} s ({options.contacts / seconds:,.0f} rows/s)")
    ratio = execrank / reference
    verdict = "meets" if ratio <= TARGET_RATIO else "misses"
    print(f"import takes {ratio:.1f}x DuckDB's read_csv; target {TARGET_RATIO:.0f}x: {verdict} it")


if __name__ == "__main__":
    main()
