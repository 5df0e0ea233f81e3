"""Latency of "post one event -> its new rank visible" on a generated store.

    python bench/generate.py --contacts 100000 --out /tmp/b100k.duckdb
    python bench/live.py --store /tmp/b100k.duckdb --posts 200

Works on a copy of the store (the original is not touched). Scores it once (a full rescore,
the snapshot the live rows sit on; `--use-latest` takes the stored latest snapshot instead),
then posts `--posts` events to random contacts with `service.post_event` and times each call
(validate, store, rescore the contact, count its rank).
The reference, timed alternately in the same run: a DuckDB point lookup of one contact's
stored score and rank. Prints p50 and p99 of both and their ratio.
"""

from __future__ import annotations

import argparse
import random
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import timedelta
from functools import partial
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import AS_OF, INGESTED_AT  # the generated facts' times

from execrank import service
from execrank.store import Store

TARGET_P99_MS = 20.0
LOOKUP = "SELECT total, rank FROM scores WHERE snapshot_id = ? AND contact_id = ?"


def _timed(action: Callable[[], object]) -> float:
    started = time.perf_counter()
    action()
    return (time.perf_counter() - started) * 1000


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def run(source: Path, posts: int, seed: int, use_latest: bool) -> None:
    with tempfile.TemporaryDirectory() as folder:
        copy = Path(folder) / "live.duckdb"
        shutil.copyfile(source, copy)
        with Store.open(copy) as store:
            contacts = store.count("contacts")
            started = time.perf_counter()
            if use_latest:
                snapshot = service.latest_snapshot(store)
            else:
                snapshot = service.score(
                    store, service.default_model(), as_of=AS_OF, known_at=INGESTED_AT
                )
            print(
                f"{contacts} contacts; snapshot {snapshot.snapshot_id} "
                f"({'stored' if use_latest else 'full rescore'}, "
                f"{time.perf_counter() - started:.1f} s)"
            )
            snapshot_id = snapshot.snapshot_id
            chosen = random.Random(seed)
            live, reference = [], []
            for number in range(posts):
                contact = f"p{chosen.randrange(contacts)}"
                # after the generated facts were ingested: the contact is rescored with them
                now = INGESTED_AT + timedelta(hours=1, seconds=number)
                fields = {
                    "contact_id": contact,
                    "event_type": "meeting",
                    "asset": f"bench-{number}",
                    "occurred_at": now.isoformat(),
                }
                live.append(
                    _timed(partial(service.post_event, store, fields, actor="bench", now=now))
                )
                reference.append(_timed(partial(store.query, LOOKUP, [snapshot_id, contact])))
    for name, values in (("post_event", live), ("reference point lookup", reference)):
        print(
            f"  {name:24} p50 {statistics.median(values):8.1f} ms   "
            f"p99 {_percentile(values, 0.99):8.1f} ms"
        )
    p99 = _percentile(live, 0.99)
    print(
        f"  ratio p50 {statistics.median(live) / statistics.median(reference):.0f}, "
        f"p99 {p99 / _percentile(reference, 0.99):.0f} (post / reference); target p99 "
        f"<= {TARGET_P99_MS:g} ms: {'met' if p99 <= TARGET_P99_MS else 'MISSED'}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path, required=True, help="a bench/generate.py store")
    parser.add_argument("--posts", type=int, default=200)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--use-latest",
        action="store_true",
        help="post on the store's latest snapshot instead of scoring it first",
    )
    options = parser.parse_args()
    run(options.store, options.posts, options.seed, options.use_latest)


if __name__ == "__main__":
    main()
