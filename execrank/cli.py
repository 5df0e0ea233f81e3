"""The `execrank` command: parses arguments, calls one service function, formats the result.

Errors raised on purpose (ExecrankError) print one sentence and exit 1; `--debug` shows the
traceback. An import that rejected rows exits 2 after keeping the good rows.
"""

from __future__ import annotations

import csv
import json
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import Progress
from rich.table import Table

from execrank import demo as demo_job
from execrank import model as scoring_model
from execrank import service
from execrank import spark as spark_engine
from execrank.errors import ExecrankError, ValueParseError
from execrank.ingest import ImportReport, parse_datetime
from execrank.store import Store

PROGRESS_THRESHOLD_ROWS = 5000  # show a progress bar for imports bigger than this
EXIT_ERROR = 1
EXIT_ROWS_REJECTED = 3  # 2 is taken by usage errors

app = typer.Typer(
    help="Score, rank, tier and explain executive contacts for B2B sales.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
model_app = typer.Typer(help="Work with scoring model files.", no_args_is_help=True)
app.add_typer(model_app, name="model")
titles_app = typer.Typer(help="Normalize job titles.", no_args_is_help=True)
app.add_typer(titles_app, name="titles")
WIDE_OUTPUT_COLUMNS = 200  # tables written to a file or pipe are not cut to 80 columns
# markup=False: names and titles such as "CEO [/bold]" are printed as they are.
out = Console(
    highlight=False,
    markup=False,
    soft_wrap=True,
    width=None if sys.stdout.isatty() else WIDE_OUTPUT_COLUMNS,
)
err = Console(stderr=True, highlight=False, markup=False, soft_wrap=True)
_state = {"debug": False}

DbOption = Annotated[
    Path, typer.Option("--db", envvar="EXECRANK_DB", help="The store file (DuckDB).")
]
DEFAULT_DB = Path("execrank.duckdb")
MEMORY_LIMIT_VARIABLE = "EXECRANK_MEMORY_LIMIT"  # e.g. 1GB: cap the store's memory use
AsOfOption = Annotated[
    str | None, typer.Option("--as-of", help="Score as of this date (default: now).")
]
ModelOption = Annotated[
    Path | None, typer.Option(help="A scoring model YAML (default: the shipped one).")
]
EncodingOption = Annotated[
    str | None, typer.Option(help="utf-8, utf-8-sig, utf-16, gb18030, cp1252 or latin-1.")
]


class Kind(StrEnum):
    companies = "companies"
    contacts = "contacts"
    events = "events"
    signals = "signals"
    relationships = "relationships"


class RankFormat(StrEnum):
    table = "table"
    csv = "csv"
    json = "json"


class ExplainFormat(StrEnum):
    table = "table"
    json = "json"


class TitlesFormat(StrEnum):
    csv = "csv"
    json = "json"


class TierChoice(StrEnum):
    A = "A"
    B = "B"
    C = "C"
    unranked = "-"


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


@app.callback()
def _main(
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks on errors.")] = False,
) -> None:
    _state["debug"] = debug


@contextmanager
def _store(db: Path, *, create: bool = False) -> Iterator[Store]:
    store = Store.open(db, create=create, memory_limit=os.environ.get(MEMORY_LIMIT_VARIABLE))
    try:
        yield store
    finally:
        store.close()


def _parse_as_of(text: str | None) -> datetime:
    if text is None:
        return _now()
    try:
        parsed = parse_datetime(text)
    except ValueParseError:
        parsed = None
    if parsed is None:
        raise ExecrankError(f"--as-of {text!r} is not a date (e.g. 2026-11-30)")
    return parsed


@app.command()
def init(db: DbOption = DEFAULT_DB) -> None:
    """Create an empty store (or check an existing one)."""
    with _store(db, create=True) as store:
        out.print(f"Store ready: {store.path}")


def _progress_import(store: Store, kind: str, file: Path, **options: Any) -> ImportReport:
    with Progress(console=err, transient=True) as bar:
        task = bar.add_task(f"importing {file.name}", total=None)

        def advance(done: int, total: int) -> None:
            if total > PROGRESS_THRESHOLD_ROWS and done % 1000 == 0:
                bar.update(task, completed=done, total=total)

        return service.import_file(store, kind, file, progress=advance, **options)


def _print_report(report: ImportReport) -> None:
    counts = report.counts
    out.print(
        f"{Path(report.file).name} ({report.kind}, {report.encoding}, mapping {report.mapping}): "
        f"{report.rows_read} rows read; {counts.inserted} new, {counts.updated} changed, "
        f"{counts.unchanged} unchanged, {report.duplicates_in_file} repeated in the file, "
        f"{report.rejected_rows} rejected"
    )
    if report.ignored_columns:
        err.print(
            f"  ignored columns (no {report.kind} field): {', '.join(report.ignored_columns)}"
        )
    for error in report.rejected[:10]:
        err.print(f"  {error}")
    if len(report.rejected) > 10:
        err.print(f"  … and {len(report.rejected) - 10} more problems")
    if report.rejects_path:
        err.print(f"Rejected rows written to {report.rejects_path}")


@app.command("import")
def import_(
    kind: Annotated[Kind, typer.Argument(help="What the file holds.")],
    file: Annotated[Path, typer.Argument(help="A CSV file.")],
    mapping: Annotated[
        str | None, typer.Option(help="A shipped mapping name or a mapping YAML file.")
    ] = None,
    encoding: EncodingOption = None,
    db: DbOption = DEFAULT_DB,
) -> None:
    """Import a file of companies, contacts, events, signals or relationships."""
    with _store(db, create=True) as store:
        rejects_dir = Path(store.path).resolve().parent
        report = _progress_import(
            store,
            kind.value,
            file,
            ingested_at=_now(),
            mapping=mapping,
            encoding=encoding,
            rejects_dir=rejects_dir,
        )
    _print_report(report)
    if report.rejected:
        raise typer.Exit(EXIT_ROWS_REJECTED)


@app.command("score")
def score_(
    as_of: AsOfOption = None,
    model: ModelOption = None,
    db: DbOption = DEFAULT_DB,
) -> None:
    """Score every contact and store the result as a snapshot."""
    chosen = service.load_model(model)
    when = _parse_as_of(as_of)
    with _store(db) as store, err.status("scoring"):
        snapshot = service.score(store, chosen, as_of=when, known_at=_now())
    out.print(
        f"Scored {snapshot.contacts} contacts as of {snapshot.as_of:%Y-%m-%d %H:%M} with model "
        f"{chosen.name!r} ({snapshot.model_hash}) in {snapshot.duration_ms:.0f} ms: "
        f"snapshot {snapshot.snapshot_id}"
    )
    for (table, kind), n in sorted(snapshot.ignored_kinds.items()):
        err.print(f"  {n} {table} of kind {kind!r} earn no points: the model has no such kind")


@app.command("export-facts")
def export_facts(
    folder: Annotated[
        Path, typer.Option("--out", help="The folder to write the Parquet files into.")
    ],
    model: Annotated[
        Path | None,
        typer.Option(help="The model whose topic matches to write (default: the shipped one)."),
    ] = None,
    db: DbOption = DEFAULT_DB,
) -> None:
    """Write the facts scoring reads as Parquet, one file per table, for Spark."""
    chosen = service.load_model(model)
    with _store(db) as store:
        counts = service.export_facts(store, folder, chosen)
    listed = ", ".join(f"{table} {n}" for table, n in counts.items())
    out.print(f"Wrote {len(counts)} tables to {folder}: {listed}")


@app.command("spark-score")
def spark_score(
    facts: Annotated[
        str, typer.Option("--facts", help="The folder (or URI) `export-facts` wrote.")
    ],
    folder: Annotated[
        str, typer.Option("--out", help="A new folder (or URI) for the scores as Parquet.")
    ],
    as_of: AsOfOption = None,
    model: ModelOption = None,
    master: Annotated[
        str, typer.Option(help="Spark master: local[2], spark://host:7077, yarn…")
    ] = spark_engine.DEFAULT_MASTER,
) -> None:
    """Score exported facts on Apache Spark and write the scores as Parquet."""
    chosen = service.load_model(model)
    when = _parse_as_of(as_of)
    with err.status(f"scoring on Spark ({master})"):
        run = spark_engine.run(facts, folder, chosen, when, master)
    out.print(
        f"Scored {run.contacts} contacts on Spark as of {run.as_of:%Y-%m-%d %H:%M} with model "
        f"{chosen.name!r} ({run.model_hash}), facts known at {run.known_at:%Y-%m-%d %H:%M}, "
        f"in {run.seconds:.1f} s: {run.out}"
    )
    if not run.topics_matched:
        err.print(
            "  the facts hold no topic matches for this model's intent topics: export them "
            "with `execrank export-facts --model` and the same model"
        )


@app.command("load-scores")
def load_scores(
    folder: Annotated[Path, typer.Argument(help="The folder `spark-score --out` wrote.")],
    as_of: Annotated[str, typer.Option("--as-of", help="The as_of the scores are for.")],
    model: Annotated[str, typer.Option(help="The model YAML they were scored with, or 'default'.")],
    db: DbOption = DEFAULT_DB,
) -> None:
    """Store scores computed on Spark as a snapshot of this store."""
    chosen = service.load_model(None if model == "default" else Path(model))
    with _store(db) as store:
        snapshot = service.load_scores(store, folder, chosen, as_of=_parse_as_of(as_of), now=_now())
    out.print(
        f"Loaded {snapshot.contacts} scores as of {snapshot.as_of:%Y-%m-%d %H:%M} with model "
        f"{chosen.name!r} ({snapshot.model_hash}): snapshot {snapshot.snapshot_id}"
    )


def _rank_rows(contacts: list[service.RankedContact]) -> list[list[Any]]:
    return [
        [
            c.rank,
            c.tier,
            round(c.total, 2),
            c.contact_id,
            c.name,
            c.title,
            c.company,
            *(round(c.dimensions[d], 2) for d in scoring_model.DIMENSIONS),
        ]
        for c in contacts
    ]


RANK_HEADER = [
    "rank",
    "tier",
    "total",
    "contact_id",
    "name",
    "title",
    "company",
    *scoring_model.DIMENSIONS,
]


@app.command("rank")
def rank_(
    top: Annotated[int | None, typer.Option(min=1, help="Only the first N.")] = None,
    tier: Annotated[TierChoice | None, typer.Option(help="Only one tier.")] = None,
    format: Annotated[RankFormat, typer.Option(help="Output format.")] = RankFormat.table,
    db: DbOption = DEFAULT_DB,
) -> None:
    """List contacts of the latest snapshot in rank order."""
    with _store(db) as store:
        contacts = service.rank(store, top=top, tier=tier.value if tier else None)
    if format is RankFormat.json:
        out.print_json(json.dumps([c.to_dict() for c in contacts], ensure_ascii=False))
    elif format is RankFormat.csv:
        writer = csv.writer(sys.stdout)
        writer.writerow(RANK_HEADER)
        writer.writerows(_rank_rows(contacts))
    else:
        table = Table(*RANK_HEADER)
        for column in table.columns[:4]:
            column.no_wrap = True
        for row in _rank_rows(contacts):
            table.add_row(*("" if v is None else str(v) for v in row))
        out.print(table)


@app.command("explain")
def explain_(
    contact_id: Annotated[str, typer.Argument(help="The contact to explain.")],
    format: Annotated[ExplainFormat, typer.Option(help="Output format.")] = ExplainFormat.table,
    db: DbOption = DEFAULT_DB,
) -> None:
    """Show every contribution to one contact's score, point by point."""
    with _store(db) as store:
        explanation = service.explain(store, contact_id)
    if format is ExplainFormat.json:
        out.print_json(json.dumps(explanation.to_dict(), ensure_ascii=False))
        return
    c = explanation.contact
    out.print(" — ".join(part or "(unknown)" for part in (c.name, c.title, c.company)))
    out.print(
        f"total {explanation.total:.2f}, rank {c.rank}, tier {c.tier} "
        f"(as of {explanation.snapshot.as_of:%Y-%m-%d}, model {explanation.snapshot.model_hash})"
    )
    table = Table("dimension", "rule", "points", "evidence")
    table.columns[1].overflow = "fold"
    for item in explanation.contributions:
        table.add_row(item.dimension, item.rule, f"{item.points:.2f}", item.evidence)
    out.print(table)
    if explanation.stale:
        err.print(
            f"note: the contributions add up to {explanation.total:.2f}, not the snapshot's "
            f"{c.total:.2f}: this contact or its company changed after the snapshot; "
            "run `execrank score` again"
        )


@model_app.command("check")
def model_check(file: Annotated[Path, typer.Argument(help="A scoring model YAML file.")]) -> None:
    """Validate a scoring model file and report every problem with its YAML path."""
    checked = scoring_model.load(file)
    out.print(f"{file}: valid scoring model {checked.name!r} ({checked.content_hash})")


@titles_app.command("classify")
def titles_classify(
    file: Annotated[Path, typer.Argument(help="A CSV file with a column of job titles.")],
    column: Annotated[str, typer.Option(help="The column holding the titles.")] = "title",
    format: Annotated[TitlesFormat, typer.Option(help="Output format.")] = TitlesFormat.csv,
    encoding: EncodingOption = None,
) -> None:
    """Write the file back (to standard output) with seniority, function, flags, confidence."""
    header, rows = service.classify_titles(file, column, encoding)
    if format is TitlesFormat.json:
        sys.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2) + "\n")
        return
    writer = csv.DictWriter(sys.stdout, fieldnames=header, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)


@app.command()
def demo(
    dir: Annotated[
        Path, typer.Option("--dir", help="Where to write the demo inputs and store.")
    ] = Path("execrank-demo"),
) -> None:
    """Import the bundled real executives (plus synthetic activity), score and show the top 10."""
    result = demo_job.run(dir, now=_now(), progress=_status)
    out.print(demo_job.summary(result))


def _status(message: str) -> None:
    err.print(f"[dim]{message}[/dim]")


def _run(command: Callable[[], Any]) -> None:
    try:
        command()
    except ExecrankError as error:
        if _state["debug"]:
            raise
        err.print(f"error: {error}")
        raise SystemExit(EXIT_ERROR) from None


def main() -> None:
    """Entry point of the `execrank` console script."""
    _run(lambda: app(standalone_mode=True))
