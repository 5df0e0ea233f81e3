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
clock, each the best of --repeat runs, the two alternating; CPU seconds (user + system, all
threads) are printed beside them, a fairer comparison on a machine busy with other work, and the
peak resident memory of each side.
"""

from __future__ import annotations

import argparse
import csv
import os
import resource
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
CLI = (sys.executable, "-c", "from execrank.cli import main; main()")
KIB = 1024


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


def cpu_seconds(who: int) -> float:
    """User plus system CPU seconds so far of this process (with all its threads) or of its
    finished children: what a run used, whatever else the machine was doing."""
    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime


def peak_rss_mib(who: int) -> float:
    return resource.getrusage(who).ru_maxrss / KIB  # ru_maxrss is in KiB on Linux


def time_reference(csv_path: Path, folder: Path) -> tuple[float, float]:
    """Wall and CPU seconds of DuckDB's read_csv of the file into a table, in this process."""
    store = folder / "reference.duckdb"
    store.unlink(missing_ok=True)
    started, cpu = time.perf_counter(), cpu_seconds(resource.RUSAGE_SELF)
    with duckdb.connect(str(store)) as connection:
        connection.execute(
            "CREATE TABLE contacts AS SELECT * FROM read_csv(?, all_varchar = true, header = true)",
            [str(csv_path)],
        )
    return time.perf_counter() - started, cpu_seconds(resource.RUSAGE_SELF) - cpu


def run_cli(*arguments: str) -> tuple[float, float]:
    """Wall and CPU seconds of one `execrank` command in a child process, as a user runs it."""
    started, cpu = time.perf_counter(), cpu_seconds(resource.RUSAGE_CHILDREN)
    subprocess.run(
        [*CLI, *arguments],
        check=True,
        capture_output=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    return time.perf_counter() - started, cpu_seconds(resource.RUSAGE_CHILDREN) - cpu


def time_import(csv_path: Path, folder: Path) -> tuple[float, float]:
    store = folder / "import.duckdb"
    store.unlink(missing_ok=True)
    elapsed, cpu = run_cli("import", "contacts", str(csv_path), "--db", str(store))
    with duckdb.connect(str(store), read_only=True) as connection:
        stored = connection.execute("SELECT count(*) FROM contacts").fetchone()
    print(f"  import stored {stored[0] if stored else 0:,} contacts in {elapsed:.2f} s")
    return elapsed, cpu


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
        runs = [
            (time_reference(csv_path, folder), time_import(csv_path, folder), run_cli("--help"))
            for _ in range(options.repeat)
        ]
    (reference, reference_cpu), (execrank, execrank_cpu), (startup, startup_cpu) = (
        (min(wall for wall, _ in timings), min(cpu for _, cpu in timings))
        for timings in zip(*runs, strict=True)
    )
    for label, seconds, cpu in (
        ("duckdb read_csv into a table", reference, reference_cpu),
        ("execrank import", execrank, execrank_cpu),
    ):
        print(
            f"{label}: {seconds:.2f} s ({options.contacts / seconds:,.0f} rows/s), CPU {cpu:.2f} s"
        )
    print(f"  of which starting Python and execrank (`execrank --help`): {startup:.2f} s, ", end="")
    print(f"CPU {startup_cpu:.2f} s")
    # this process holds DuckDB's read_csv; the largest child is the import
    print(f"peak RSS: duckdb read_csv {peak_rss_mib(resource.RUSAGE_SELF):,.0f} MiB, ", end="")
    print(f"execrank import {peak_rss_mib(resource.RUSAGE_CHILDREN):,.0f} MiB")
    ratio = execrank / reference
    verdict = "meets" if ratio <= TARGET_RATIO else "misses"
    print(f"import takes {ratio:.1f}x DuckDB's read_csv; target {TARGET_RATIO:.0f}x: {verdict} it")
    print(f"(CPU seconds: {execrank_cpu / reference_cpu:.1f}x)")


if __name__ == "__main__":
    main()
