"""Full rescore benchmark: the product's scoring against hand-written SQL, same store, same run.

    python bench/rescore.py --contacts 1000000                          # one size
    python bench/rescore.py --sizes 100000 300000 1000000               # cost growth
    python bench/rescore.py --contacts 1000000 --memory-limit 850MB     # both sides capped

For each size it generates a seeded store (bench/generate.py), then runs, each in a fresh child
process so that peak memory is its own: the product's full rescore (`service.score`, which also
writes the snapshot) and the reference (`bench/reference.sql` into a table), both under the same
DuckDB memory limit (--memory-limit, as EXECRANK_MEMORY_LIMIT sets it for the product; default:
DuckDB's own, 80% of RAM). It checks that both give the same totals, ranks and tiers for every
contact, prints wall time, peak RSS and the ratios of wall and CPU time (CPU time of all of a
process's threads: less swayed than wall time by other work on a shared machine), and exits
with status 1 when they differ.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
AS_OF = "2026-11-30"
KNOWN_AT = "2026-12-02"

# The child's own peak RSS: VmHWM of its address space. Not getrusage's ru_maxrss, which Linux
# carries over exec from the forking parent, so it would report the parent's peak (the store
# generation's) whenever that is higher.
PEAK_RSS = """
def peak_rss_mb():
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmHWM:")) / 1024
"""

PRODUCT = (
    PEAK_RSS
    + """
import json, sys, time
from datetime import datetime
from execrank import Store, service
with Store.open(sys.argv[1], memory_limit=sys.argv[4] or None) as store:
    started, cpu = time.perf_counter(), time.process_time()
    service.score(store, service.default_model(), as_of=datetime.fromisoformat(sys.argv[2]),
                  known_at=datetime.fromisoformat(sys.argv[3]))
    wall, cpu = time.perf_counter() - started, time.process_time() - cpu
print(json.dumps({"wall": wall, "cpu": cpu, "rss_mb": peak_rss_mb()}))
"""
)

REFERENCE = (
    PEAK_RSS
    + """
import json, sys, time
import duckdb
con = duckdb.connect(sys.argv[1], config={"memory_limit": sys.argv[3]} if sys.argv[3] else {})
con.execute("SET enable_progress_bar = false")
sql = open(sys.argv[2], encoding="utf-8").read()
started, cpu = time.perf_counter(), time.process_time()
con.execute("CREATE OR REPLACE TABLE reference_scores AS " + sql)
wall, cpu = time.perf_counter() - started, time.process_time() - cpu
print(json.dumps({"wall": wall, "cpu": cpu, "rss_mb": peak_rss_mb()}))
"""
)

COMPARE = """
SELECT count(*) AS contacts,
  count(*) FILTER (WHERE abs(s.total - r.total) > 1e-6) AS total_differs,
  count(*) FILTER (WHERE s.rank <> r.rank) AS rank_differs,
  count(*) FILTER (WHERE s.tier <> r.tier) AS tier_differs
FROM scores s JOIN reference_scores r USING (contact_id)
WHERE s.snapshot_id = (SELECT max(snapshot_id) FROM snapshots)
"""


def _child(code: str, *args: str) -> dict[str, float]:
    done = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"a benchmark child process failed:\n{done.stderr}")
    result: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def run(contacts: int, folder: Path, memory_limit: str) -> dict[str, float]:
    """Generate a store of `contacts`, time both scorings, check they agree."""
    import duckdb

    sys.path.insert(0, str(HERE))
    from generate import generate

    store = folder / f"bench-{contacts}.duckdb"
    generate(store, contacts, seed=7)
    product = _child(PRODUCT, str(store), AS_OF, KNOWN_AT, memory_limit)
    reference = _child(REFERENCE, str(store), str(HERE / "reference.sql"), memory_limit)
    with duckdb.connect(str(store)) as con:
        row = con.execute(COMPARE).fetchone()
    assert row is not None
    checked = dict(
        zip(("contacts", "total_differs", "rank_differs", "tier_differs"), row, strict=True)
    )
    store.unlink()
    return {
        **checked,
        "product_s": product["wall"],
        "reference_s": reference["wall"],
        "product_cpu_s": product["cpu"],
        "ratio": product["wall"] / reference["wall"],
        "cpu_ratio": product["cpu"] / reference["cpu"],
        "product_rss_mb": product["rss_mb"],
        "reference_rss_mb": reference["rss_mb"],
    }


def _machine(memory_limit: str) -> str:
    """One line on where it ran: cores, memory, load, DuckDB version, the memory limit."""
    import duckdb

    pages = os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    limit = memory_limit or "DuckDB's default (80% of RAM)"
    return (
        f"{os.cpu_count()} cores, {pages / 2**30:.0f} GiB RAM, load average {load}, "
        f"DuckDB {duckdb.__version__}, memory limit {limit}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000])
    parser.add_argument("--contacts", type=int, help="one size (same as --sizes N)")
    parser.add_argument(
        "--memory-limit", default="", help="DuckDB memory_limit for both sides, e.g. 850MB"
    )
    options = parser.parse_args()
    sizes = [options.contacts] if options.contacts else options.sizes
    print(_machine(options.memory_limit))
    header = (
        "contacts",
        "product s",
        "reference s",
        "ratio",
        "CPU ratio",
        "product MB",
        "reference MB",
        "totals/ranks/tiers differing",
    )
    print(" | ".join(header))
    results = []
    with tempfile.TemporaryDirectory() as folder:
        for size in sizes:
            r = run(size, Path(folder), options.memory_limit)
            results.append(r)
            print(
                f"{r['contacts']:>8} | {r['product_s']:8.2f} | {r['reference_s']:8.2f} | "
                f"{r['ratio']:5.2f} | {r['cpu_ratio']:5.2f} | "
                f"{r['product_rss_mb']:7.0f} | {r['reference_rss_mb']:7.0f}"
                f" | {r['total_differs']}/{r['rank_differs']}/{r['tier_differs']}"
            )
    differing = [r for r in results if r["total_differs"] or r["rank_differs"] or r["tier_differs"]]
    missing = [r for r, size in zip(results, sizes, strict=True) if r["contacts"] != size]
    if differing or missing:
        print("MISMATCH: the product and the reference disagree (see the last column)")
    if len(results) > 1:
        first, last = results[0], results[-1]
        scale = last["contacts"] / first["contacts"]
        wall = (last["product_s"] / first["product_s"]) / scale
        cpu = (last["product_cpu_s"] / first["product_cpu_s"]) / scale
        print(
            f"cost growth: per contact, the rescore at {last['contacts']} takes {wall:.2f}x the "
            f"wall time and {cpu:.2f}x the CPU time it takes at {first['contacts']} (1.0 = linear)"
        )
    if differing or missing:
        sys.exit(1)


if __name__ == "__main__":
    main()
