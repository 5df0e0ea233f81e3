"""Dashboard overview response time against a bare top-10 query, same store, same run.

    python bench/dashboard.py                                  # 1,000,000 contacts
    python bench/dashboard.py --contacts 100000 --store /tmp/dashboard-100k.duckdb

It generates a seeded store (bench/generate.py) unless `--store` already holds one, scores it
once as of 2026-11-30 and gives it 12 weekly snapshots (the scored rows copied under the 11
earlier weeks' as_of, so the heat trend reads 12 full snapshots without 12 rescorings). Then,
through the real app (FastAPI's TestClient, JSON encoding included), it times in alternation:

- reference: `SELECT contact_id, total FROM scores WHERE snapshot_id = ? ORDER BY total DESC
  LIMIT 10` on the same store;
- GET /api/overview as a manager (all contacts) and as a rep (one owner's 1/40th);
- GET / (the overview page, HTML with the SVG chart) as a manager;
- GET /api/overview again after one event was posted (the live rows overlay the snapshot).

It prints the median and 95th percentile of each and the medians' ratio to the reference.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

from fastapi.testclient import TestClient

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import AS_OF, INGESTED_AT, generate

from execrank import Store, service
from execrank.web import Role, create_app, create_token

WEEKS = 12
REFERENCE = (
    "SELECT contact_id, total FROM scores WHERE snapshot_id = ? ORDER BY total DESC LIMIT 10"
)
TARGET_MS = 100.0  # the expectation for the overview at 1M contacts
PERCENTILE = 0.95


def prepare(path: Path, contacts: int, seed: int) -> None:
    """A scored store with WEEKS weekly snapshots, unless path already holds them (a generated
    store without snapshots is scored, not generated again)."""
    if path.exists():
        with Store.open(path, create=False) as store:
            if store.count("snapshots") >= WEEKS:
                print(f"reusing {path}")
                return
    else:
        started = time.perf_counter()
        generate(path, contacts, seed)
        print(f"generated {contacts} contacts in {time.perf_counter() - started:.0f} s")
    with Store.open(path) as store:
        started = time.perf_counter()
        # known at the generated facts' ingestion time: the snapshot sees every fact
        first = service.score(store, service.default_model(), as_of=AS_OF, known_at=INGESTED_AT)
        print(f"scored in {time.perf_counter() - started:.0f} s")
        with store.transaction():
            for _ in range(1, WEEKS):
                (snapshot_id,) = store.query("SELECT nextval('snapshot_ids')")[0]
                store.execute(
                    "INSERT INTO scores SELECT ?, * EXCLUDE (snapshot_id) FROM scores "
                    "WHERE snapshot_id = ?",
                    [snapshot_id, first.snapshot_id],
                )
                store.execute(
                    "INSERT INTO snapshots BY NAME SELECT ? AS snapshot_id, "
                    "* EXCLUDE (snapshot_id) FROM snapshots WHERE snapshot_id = ?",
                    [snapshot_id, first.snapshot_id],
                )
            # ids 1..WEEKS, oldest to newest: id i is as of AS_OF - 7 (WEEKS - i) days
            store.execute(
                f"UPDATE snapshots SET as_of = ?::TIMESTAMP - to_days(7 * ({WEEKS} - snapshot_id)),"
                f" known_at = ?::TIMESTAMP - to_days(7 * ({WEEKS} - snapshot_id))",
                [AS_OF, INGESTED_AT],
            )


def timed(action: Callable[[], object]) -> float:
    started = time.perf_counter()
    action()
    return (time.perf_counter() - started) * 1000


def report(name: str, times: list[float], reference: float) -> None:
    ordered = sorted(times)
    p95 = ordered[min(len(ordered) - 1, int(PERCENTILE * len(ordered)))]
    median = statistics.median(times)
    print(
        f"  {name:<34} median {median:8.1f} ms  p95 {p95:8.1f} ms  ratio {median / reference:6.1f}"
    )


def get(client: TestClient, path: str, token: str | None = None) -> Callable[[], object]:
    """A GET with the token as a bearer header (API), or without (a page: the client's
    cookie holds it)."""
    headers = {"Authorization": f"Bearer {token}"} if token else {}

    def request() -> object:
        response = client.get(path, headers=headers)
        response.raise_for_status()
        return response.content

    return request


def measure(path: Path, rounds: int) -> None:
    with Store.open(path) as store:
        manager = create_token(store, Role.manager, "bench-manager", now=AS_OF)
        rep = create_token(store, Role.rep, "rep7", now=AS_OF)
        latest = service.latest_snapshot(store).snapshot_id
    app = create_app(path, clock=lambda: INGESTED_AT + timedelta(hours=1))
    with TestClient(app) as client, TestClient(app) as browser:
        browser.post("/login", data={"token": manager}).raise_for_status()
        session = app.state.store.session()
        subjects: dict[str, Callable[[], object]] = {
            "reference (bare top-10 SELECT)": lambda: session.query(REFERENCE, [latest]),
            "GET /api/overview (manager)": get(client, "/api/overview", manager),
            "GET /api/overview (rep, 1/40th)": get(client, "/api/overview", rep),
            "GET / page (manager)": get(browser, "/"),
        }
        times = run(subjects, rounds)
        event = {"contact_id": "p7", "event_type": "meeting", "occurred_at": "2026-11-30"}
        posted = client.post(
            "/api/events", json=event, headers={"Authorization": f"Bearer {manager}"}
        )
        posted.raise_for_status()
        live = run(
            {
                "reference (bare top-10 SELECT)": subjects["reference (bare top-10 SELECT)"],
                "GET /api/overview, one live row": subjects["GET /api/overview (manager)"],
            },
            rounds,
        )
        session.close()
    reference = statistics.median(times["reference (bare top-10 SELECT)"])
    print(f"{rounds} rounds, each subject once per round in turn (after the first requests)")
    for name, values in times.items():
        report(name, values, reference)
    live_reference = statistics.median(live["reference (bare top-10 SELECT)"])
    print("after one posted event (live rows on the latest snapshot):")
    for name, values in live.items():
        report(name, values, live_reference)
    overview = statistics.median(times["GET /api/overview (manager)"])
    verdict = "meets" if overview <= TARGET_MS else "MISSES"
    print(f"overview median {overview:.1f} ms: {verdict} the target of {TARGET_MS:.0f} ms")


def run(subjects: dict[str, Callable[[], object]], rounds: int) -> dict[str, list[float]]:
    """Each subject once (the first request: the app computes and keeps the per-snapshot
    aggregates, templates compile), printed and not counted; then `rounds` rounds."""
    for name, action in subjects.items():
        print(f"  first request: {name:<34} {timed(action):8.1f} ms")
    times: dict[str, list[float]] = {name: [] for name in subjects}
    for _ in range(rounds):
        for name, action in subjects.items():
            times[name].append(timed(action))
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--contacts", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--rounds", type=int, default=30)
    parser.add_argument(
        "--store", type=Path, help="a store to (re)use (default: one per size in the temp folder)"
    )
    options = parser.parse_args()
    folder = Path(tempfile.gettempdir())
    path = options.store or folder / f"execrank-dashboard-{options.contacts}.duckdb"
    print(f"contacts {options.contacts}, store {path}, as of {AS_OF:%Y-%m-%d}")
    prepare(path, options.contacts, options.seed)
    # the measurement writes (tokens, a posted event): it works on a copy, the store stays reusable
    work = path.with_suffix(".run.duckdb")
    shutil.copy(path, work)
    try:
        measure(work, options.rounds)
    finally:
        work.unlink()


if __name__ == "__main__":
    main()
