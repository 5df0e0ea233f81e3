"""Latency of "post one event -> its new rank visible" on a generated store.

    python bench/generate.py --contacts 100000 --out /tmp/b100k.duckdb
    python bench/live.py --store /tmp/b100k.duckdb --posts 200

Works on a copy of the store (the original is not touched). Scores it once (a full rescore,
the snapshot the live rows sit on; `--use-latest` takes the stored latest snapshot instead),
then posts `--posts` events to random contacts with `service.post_event` and times each call
(validate, store, rescore the contact, count its rank).
The reference, timed alternately in the same run: a DuckDB point lookup of one contact's
stored score and rank. Prints p50 and p99 of both and their ratio, and the processor time of
the posts (the machine's other work sways it less than wall time).

Where the time goes, after each post and for the same contact (2026-12-04): its scoring
statement alone, prepared as a post runs it (`scoring.scores_statement`: the model's generated
SQL for one contact, parsed once, planned again at each run; read only), the same query as
text (parsed at each run, as posts did before), the query as text for no contact (the fixed
cost of parsing, planning and starting a ~20 KB query), and its live rank alone.
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

from execrank import scoring, service
from execrank.model import parse
from execrank.store import Store

TARGET_P99_MS = 20.0
LOOKUP = "SELECT total, rank FROM scores WHERE snapshot_id = ? AND contact_id = ?"


def _timed(action: Callable[[], object], processor: list[float] | None = None) -> float:
    started, cpu = time.perf_counter(), time.process_time()
    action()
    if processor is not None:
        processor.append((time.process_time() - cpu) * 1000)
    return (time.perf_counter() - started) * 1000


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def _line(name: str, values: list[float]) -> str:
    return (
        f"  {name:34} p50 {statistics.median(values):8.1f} ms   "
        f"p99 {_percentile(values, 0.99):8.1f} ms"
    )


def run(source: Path, posts: int, seed: int, use_latest: bool) -> None:
    with tempfile.TemporaryDirectory() as folder:
        copy = Path(folder) / "live.duckdb"
        shutil.copyfile(source, copy)
        with Store.open(copy) as store:  # a store from before the indexes gets them here
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
            model = parse(store.model_yaml(snapshot.model_hash), snapshot.model_hash)
            chosen = random.Random(seed)
            live, reference, processor = [], [], []
            steps: dict[str, list[float]] = {
                "  its scoring statement, prepared": [],
                "  its scoring query as text": [],
                "  the query as text, no contact": [],
                "  its live rank alone": [],
            }
            prepared: dict[str, str] = {}  # statement text -> name, as Store.save_live_scores
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
                post = partial(service.post_event, store, fields, actor="bench", now=now)
                live.append(_timed(post, processor))
                reference.append(_timed(partial(store.query, LOOKUP, [snapshot_id, contact])))
                companies = store.companies_of([contact])
                statement, arguments = scoring.scores_statement(
                    model, now, now, [contact], companies
                )
                if statement not in prepared:
                    prepared[statement] = f"bench_{len(prepared)}"
                    store.execute(f"PREPARE {prepared[statement]} AS {statement}")
                for name, sql in (
                    (
                        "  its scoring statement, prepared",
                        f"EXECUTE {prepared[statement]}({arguments})",
                    ),
                    (
                        "  its scoring query as text",
                        scoring.scores_query(model, now, now, [contact], companies),
                    ),
                    (
                        "  the query as text, no contact",
                        scoring.scores_query(model, now, now, [], []),
                    ),
                ):
                    steps[name].append(_timed(partial(store.query, sql)))
                rank = partial(store.live_rank, snapshot_id, contact)
                steps["  its live rank alone"].append(_timed(rank))
    print(_line("post_event", live))
    for name, values in steps.items():
        print(_line(name, values))
    print(_line("post_event, processor time", processor))
    print(_line("reference point lookup", reference))
    p99 = _percentile(live, 0.99)
    print(
        f"  ratio p50 {statistics.median(live) / statistics.median(reference):.1f}, "
        f"p99 {p99 / _percentile(reference, 0.99):.1f} (post / reference); target p99 "
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
