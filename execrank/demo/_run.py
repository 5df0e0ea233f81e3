"""`execrank demo`: a fresh store with the bundled real executives and synthetic activity,
scored at a fixed `as_of` so every run ranks the same way, and the top 10 explained."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from execrank import service
from execrank.demo._real import write_real_inputs
from execrank.demo._synthetic import write_synthetic_inputs
from execrank.errors import InputError
from execrank.ingest import ImportReport
from execrank.store import Store

DEMO_AS_OF = datetime(2026, 11, 30)  # fixed, so the demo's ranks do not drift with the clock
DEMO_SEED = 7
TOP = 10
REASONS_PER_CONTACT = 2
IMPORT_ORDER = ("companies", "contacts", "events", "signals", "relationships")
STORE_FILE = "execrank.duckdb"
MARKER_FILE = ".execrank-demo"
"""Written last by a finished demo: a folder holding it and only the demo's own files is a demo
folder, which the next `execrank demo` may replace without --force."""
DEMO_FILES = frozenset({*(f"{kind}.csv" for kind in IMPORT_ORDER), STORE_FILE, MARKER_FILE})
DEMO_LEFTOVERS = (f"{STORE_FILE}.wal", "*.rejected.csv")
"""What else a demo (or a crash in one) may leave in its folder: the store's log, rejected rows."""


@dataclass(frozen=True)
class DemoResult:
    directory: Path
    store_path: Path
    reports: list[ImportReport]
    snapshot: service.Snapshot
    top: list[service.RankedContact]
    reasons: dict[str, list[service.Contribution]]
    wall_seconds: float


def _is_demo_file(path: Path) -> bool:
    return path.name in DEMO_FILES or any(path.match(pattern) for pattern in DEMO_LEFTOVERS)


def _check_folder(directory: Path, *, force: bool) -> None:
    """Refuse a file, and (unless `force`) a folder where the demo would overwrite something it
    did not write: a DuckDB store or one of its input files, unless the folder holds a finished
    demo's files and nothing else."""
    if not directory.exists():
        return
    if not directory.is_dir():
        raise InputError(f"--dir {directory} is a file; name a folder for the demo")
    if force:
        return
    entries = list(directory.iterdir())
    if (directory / MARKER_FILE).is_file() and all(_is_demo_file(e) for e in entries):
        return
    clashes = sorted(
        e.name
        for e in entries
        if e.name != MARKER_FILE and (_is_demo_file(e) or e.suffix == ".duckdb")
    )
    if clashes:
        raise InputError(
            f"--dir {directory} already holds {', '.join(clashes)}, which the demo would "
            "overwrite; name another folder, or add --force to replace them"
        )


def run(
    directory: Path,
    *,
    now: datetime,
    progress: Callable[[str], None] | None = None,
    force: bool = False,
) -> DemoResult:
    """Write the demo inputs into directory, import them into a fresh store there, score, rank.

    A folder that holds a store or a file the demo writes is refused (InputError), unless it is a
    previous demo's folder (its marker file and nothing but demo files) or `force` is set."""
    started = time.perf_counter()
    say = progress or (lambda message: None)
    _check_folder(directory, force=force)
    directory.mkdir(parents=True, exist_ok=True)
    (directory / MARKER_FILE).unlink(missing_ok=True)
    say(f"writing demo inputs to {directory}")
    write_real_inputs(directory)
    write_synthetic_inputs(
        directory / "contacts.csv",
        directory / "companies.csv",
        directory,
        seed=DEMO_SEED,
        as_of=DEMO_AS_OF,
    )
    store_path = directory / STORE_FILE
    store_path.unlink(missing_ok=True)
    Path(f"{store_path}.wal").unlink(missing_ok=True)
    with Store.open(store_path) as store:
        reports = []
        for kind in IMPORT_ORDER:
            say(f"importing {kind}")
            reports.append(
                service.import_file(
                    store, kind, directory / f"{kind}.csv", ingested_at=now, rejects_dir=directory
                )
            )
        say("scoring")
        snapshot = service.score(store, service.default_model(), as_of=DEMO_AS_OF, known_at=now)
        top = service.rank(store, top=TOP)
        reasons = service.top_reasons(store, top, REASONS_PER_CONTACT)
    (directory / MARKER_FILE).write_text(
        "Written by `execrank demo`: the next demo may replace this folder's demo files.\n",
        encoding="utf-8",
    )
    return DemoResult(
        directory, store_path, reports, snapshot, top, reasons, time.perf_counter() - started
    )


def summary(result: DemoResult) -> str:
    """The demo's printed report: what was imported, the top 10 with tier and two reasons each."""
    lines = [
        "execrank demo: real executives (Fortune 1000 2021 CEOs; Chinese listed-company board",
        "members, lemonhu/stock-knowledge-graph, MIT). Engagement events, intent texts and",
        f"referrals are SYNTHETIC (seeded generator, seed {DEMO_SEED}), labelled 'synthetic'.",
        "",
    ]
    for report in result.reports:
        counts = report.counts
        lines.append(
            f"  imported {report.kind:<13} {report.rows_read:>6} rows: {counts.inserted} new, "
            f"{counts.updated} changed, {counts.unchanged} unchanged, "
            f"{report.rejected_rows} rejected"
        )
    snap = result.snapshot
    lines += [
        "",
        f"Scored {snap.contacts} contacts as of {snap.as_of:%Y-%m-%d} with model {snap.model_hash}"
        f" in {snap.duration_ms:.0f} ms.",
        "",
        f"Top {len(result.top)}:",
    ]
    for contact in result.top:
        lines.append(
            f"{contact.rank:>3}. [{contact.tier}] {contact.total:6.2f}  {contact.name} | "
            f"{contact.title} | {contact.company}"
        )
        for reason in result.reasons.get(contact.contact_id, []):
            lines.append(f"        +{reason.points:5.2f} {reason.rule}: {reason.evidence}")
    lines += [
        "",
        f"Store: {result.store_path}  (try: execrank rank --db {result.store_path} --top 20)",
        f"Demo wall time: {result.wall_seconds:.1f} s",
    ]
    return "\n".join(lines)
