"""Full rescore benchmark: the product's scoring against hand-written SQL, same store, same run.

    python bench/rescore.py --contacts 1000000            # one size
    python bench/rescore.py --sizes 100000 300000 1000000  # cost growth

For each size it generates a seeded store (bench/generate.py), then runs, each in a fresh child
process so that peak memory is its own: the product's full rescore (`service.score`, which also
writes the snapshot) and the reference (`bench/reference.sql` into a table). It checks that both
give the same totals, ranks and tiers, and prints wall time, peak RSS and the ratio.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
AS_OF = "2026-11-30"
KNOWN_AT = "2026-12-02"

PRODUCT = """
import json, resource, sys, time
from datetime import datetime
from execrank import Store, service
with Store.open(sys.argv[1]) as store:
    started = time.perf_counter()
    service.score(store, service.default_model(), as_of=datetime.fromisoformat(sys.argv[2]),
                  known_at=datetime.fromisoformat(sys.argv[3]))
    wall = time.perf_counter() - started
peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"wall": wall, "rss_mb": peak_mb}))
"""

REFERENCE = """
import json, resource, sys, time
import duckdb
con = duckdb.connect(sys.argv[1])
con.execute("SET enable_progress_bar = false")
sql = open(sys.argv[2], encoding="utf-8").read()
started = time.perf_counter()
con.execute("CREATE OR REPLACE TABLE reference_scores AS " + sql)
wall = time.perf_counter() - started
peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"wall": wall, "rss_mb": peak_mb}))
"""

COMPARE = """
SELECT count(*) AS contacts,
  count(*) FILTER (WHERE abs(s.total - r.total) > 1e-6) AS total_differs,
  count(*) FILTER (WHERE s.rank <> r.rank) AS rank_differs,
  count(*) FILTER (WHERE s.tier <> r.tier) AS tier_differs
FROM scores s JOIN reference_scores r USING (contact_id)
WHERE s.snapshot_id = (SELECT max(snapshot_id) FROM snapshots)
"""


def _child(code: str, *args: str) -> dict[str, float]:
    done = subprocess.run(
        [sys.executable, "-c", code, *args], capture_output=True, text=True, check=True
    )
    result: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def run(contacts: int, folder: Path) -> dict[str, float]:
    """Generate a store of `contacts`, time both scorings, check they agree."""
    import duckdb

    sys.path.insert(0, str(HERE))
    from generate import generate

    store = folder / f"bench-{contacts}.duckdb"
    generate(store, contacts, seed=7)
    product = _child(PRODUCT, str(store), AS_OF, KNOWN_AT)
    reference = _child(REFERENCE, str(store), str(HERE / "reference.sql"))
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
        "ratio": product["wall"] / reference["wall"],
        "product_rss_mb": product["rss_mb"],
        "reference_rss_mb": reference["rss_mb"],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000])
    parser.add_argument("--contacts", type=int, help="one size (same as --sizes N)")
    options = parser.parse_args()
    sizes = [options.contacts] if options.contacts else options.sizes
    header = (
        "contacts",
        "product s",
        "reference s",
        "ratio",
        "product MB",
        "reference MB",
        "totals/ranks/tiers differing",
    )
    print(" | ".join(header))
    results = []
    with tempfile.TemporaryDirectory() as folder:
        for size in sizes:
            r = run(size, Path(folder))
            results.append(r)
            print(
                f"{r['contacts']:>8} | {r['product_s']:8.2f} | {r['reference_s']:8.2f} | "
                f"{r['ratio']:5.2f} | {r['product_rss_mb']:7.0f} | {r['reference_rss_mb']:7.0f}"
                f" | {r['total_differs']}/{r['rank_differs']}/{r['tier_differs']}"
            )
    if len(results) > 1:
        first, last = results[0], results[-1]
        growth = (last["product_s"] / first["product_s"]) / (last["contacts"] / first["contacts"])
        print(
            f"cost growth: time per contact at {last['contacts']} is {growth:.2f}x that at "
            f"{first['contacts']} (1.0 = linear)"
        )


if __name__ == "__main__":
    main()
