"""Spark against DuckDB on the same generated store: the same model's SQL, the same facts.

    python bench/spark.py                                   # 100,000 contacts, Spark local[2]
    python bench/spark.py --contacts 300000 --master 'local[2]'

It generates a seeded store (bench/generate.py) and exports its facts as Parquet
(`service.export_facts`). Then, each in a fresh child process: DuckDB's full rescore
(`service.score`, as bench/rescore.py times it), and Spark's (`execrank.spark.score_to_parquet`:
read the Parquet, run the transpiled scoring SQL, write the scores as Parquet), timed apart from
the session's start-up, twice in one session (the second on a warmed-up JVM). It loads Spark's
scores back (`service.load_scores`), checks that both engines give the same totals, ranks and
tiers, and prints wall times and the ratio.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from generate import generate  # noqa: E402
from rescore import AS_OF, KNOWN_AT, PRODUCT, _child  # noqa: E402

from execrank import Store, service  # noqa: E402

SPARK = """
import json, sys, time
from datetime import datetime
from execrank import service, spark as engine
started = time.perf_counter()
session = engine.session(sys.argv[4])
startup = time.perf_counter() - started
walls = [
    engine.score_to_parquet(session, sys.argv[1], sys.argv[2] + suffix, service.default_model(),
                            datetime.fromisoformat(sys.argv[3])).seconds
    for suffix in ("", "-again")
]
session.stop()
print(json.dumps({"startup": startup, "wall": walls[0], "again": walls[1]}))
"""

COMPARE = """
SELECT count(*) AS contacts,
  count(*) FILTER (WHERE abs(d.total - s.total) > 1e-6) AS total_differs,
  count(*) FILTER (WHERE d.rank <> s.rank) AS rank_differs,
  count(*) FILTER (WHERE d.tier <> s.tier) AS tier_differs
FROM scores d JOIN scores s USING (contact_id)
WHERE d.snapshot_id = ? AND s.snapshot_id = ?
"""


def run(contacts: int, folder: Path, master: str) -> dict[str, float]:
    """Generate a store of `contacts`, score it with DuckDB and with Spark, check they agree."""
    store_path, facts, scores = folder / "bench.duckdb", folder / "facts", folder / "scores"
    generate(store_path, contacts, seed=7)
    no_limit = ""  # DuckDB's default memory limit
    duckdb = _child(PRODUCT, str(store_path), AS_OF, KNOWN_AT, no_limit)
    with Store.open(store_path) as store:
        started = time.perf_counter()
        service.export_facts(store, facts, service.default_model())
        export_s = time.perf_counter() - started
    spark = _child(SPARK, str(facts), str(scores), AS_OF, master)
    with Store.open(store_path) as store:
        duckdb_snapshot = service.latest_snapshot(store).snapshot_id
        loaded = service.load_scores(
            store,
            scores,
            service.default_model(),
            as_of=datetime.fromisoformat(AS_OF),
            now=datetime.fromisoformat(KNOWN_AT),
        )
        (row,) = store.query(COMPARE, [duckdb_snapshot, loaded.snapshot_id])
    return {
        **dict(
            zip(("contacts", "total_differs", "rank_differs", "tier_differs"), row, strict=True)
        ),
        "duckdb_s": duckdb["wall"],
        "export_s": export_s,
        "spark_startup_s": spark["startup"],
        "spark_s": spark["wall"],
        "spark_again_s": spark["again"],
        "ratio": spark["wall"] / duckdb["wall"],
        "ratio_again": spark["again"] / duckdb["wall"],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--contacts", type=int, default=100_000)
    parser.add_argument("--master", default="local[2]")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        r = run(options.contacts, Path(folder), options.master)
    print(f"contacts {r['contacts']}, Spark master {options.master}")
    print(f"  DuckDB full rescore       {r['duckdb_s']:7.2f} s")
    print(f"  export-facts (Parquet)    {r['export_s']:7.2f} s")
    print(f"  Spark session start-up    {r['spark_startup_s']:7.2f} s")
    print(f"  Spark score + write       {r['spark_s']:7.2f} s  (first run in the session)")
    print(f"  the same, run again       {r['spark_again_s']:7.2f} s  (a warmed-up JVM)")
    print(
        f"  ratio Spark / DuckDB      {r['ratio']:7.1f} first, {r['ratio_again']:.1f} again "
        "(start-up and export not counted)"
    )
    print(
        f"  totals/ranks/tiers differing: "
        f"{r['total_differs']}/{r['rank_differs']}/{r['tier_differs']}"
    )


if __name__ == "__main__":
    main()
