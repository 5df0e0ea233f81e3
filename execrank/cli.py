"""The `execrank` command: parses arguments, calls one service function, formats the result.

Errors raised on purpose (ExecrankError) print one sentence and exit 1; `--debug` shows the
traceback. An import that rejected rows exits 3 after keeping the good rows (so does an
enrichment whose reference file had bad rows).
"""

from __future__ import annotations

import csv
import getpass
import io
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
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    Task,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table
from rich.text import Text

from execrank import accounts as accounts_view
from execrank import compare as comparing
from execrank import demo as demo_job
from execrank import enrich as enrichment
from execrank import erase as erasure
from execrank import export as exporting
from execrank import learning, service, versions
from execrank import merge as merge_records
from execrank import model as scoring_model
from execrank import spark as spark_engine
from execrank.errors import ExecrankError, ValueParseError
from execrank.ingest import ImportReport, RowError, parse_datetime
from execrank.output import check_output, csv_row, write_output
from execrank.store import Store

PROGRESS_THRESHOLD_ROWS = 5000  # show a progress bar for imports bigger than this
EXIT_ERROR = 1
EXIT_ROWS_REJECTED = 3  # 2 is taken by usage errors
PROBLEMS_SHOWN = 10  # bad rows printed; an import's rejects file holds them all

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
    str | None, typer.Option(help="utf-8, utf-8-sig, utf-16, gb18030, big5, cp1252 or latin-1.")
]


class Kind(StrEnum):
    companies = "companies"
    contacts = "contacts"
    events = "events"
    signals = "signals"
    relationships = "relationships"
    opportunities = "opportunities"
    opportunity_contacts = "opportunity_contacts"


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


class _RowsPerSecond(ProgressColumn):
    """How fast rows go by, e.g. "41,250 rows/s"."""

    def render(self, task: Task) -> Text:
        return Text(f"{task.speed:,.0f} rows/s" if task.speed else "", style="progress.data.speed")


def _progress_import(store: Store, kind: str | None, file: Path, **options: Any) -> ImportReport:
    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        _RowsPerSecond(),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=err, transient=True, disable=not err.is_terminal) as bar:
        task = bar.add_task(f"importing {file.name}", total=None)

        def advance(done: int, total: int) -> None:
            if total > PROGRESS_THRESHOLD_ROWS and done % 1000 == 0:
                bar.update(task, completed=done, total=total)

        return service.import_file(store, kind, file, progress=advance, **options)


def _print_report(report: ImportReport, *, cleared: bool = False) -> None:
    """The import's summary line (with how many stored values blanks cleared when they were
    asked to), then what the user should know: resolved rows, ignored columns, problems."""
    counts = report.counts
    out.print(
        f"{Path(report.file).name} ({report.kind}, {report.encoding}, mapping {report.mapping}): "
        f"{report.rows_read} rows read; {counts.inserted} new, {counts.updated} changed, "
        f"{counts.unchanged} unchanged, {report.duplicates_in_file} repeated in the file, "
        f"{report.rejected_rows} rejected"
        + (f", {counts.cleared} cells cleared" if cleared else "")
    )
    if report.resolved:
        out.print(
            f"  {report.resolved} rows were records already stored under another id: "
            "merged into them, their ids kept as aliases"
        )
    if report.ignored_columns:
        err.print(
            f"  ignored columns (no {report.kind} field): {', '.join(report.ignored_columns)}"
        )
    for warning in report.warnings:
        err.print(f"  warning: {warning}")
    _print_problems(report.rejected)
    if report.rejects_path:
        err.print(f"Rejected rows written to {report.rejects_path}")
    if report.stale_rejects_removed:
        err.print(
            f"Removed {report.stale_rejects_removed}, an earlier import's rejected rows: "
            "this import rejected none"
        )


def _print_problems(problems: list[RowError]) -> None:
    for error in problems[:PROBLEMS_SHOWN]:
        err.print(f"  {error}")
    if len(problems) > PROBLEMS_SHOWN:
        err.print(f"  … and {len(problems) - PROBLEMS_SHOWN} more problems")


def _kind_and_file(what: str, file: Path | None) -> tuple[str | None, Path]:
    """`import KIND FILE`, or `import FILE` (the kind then comes from the mapping)."""
    if file is None:
        return None, Path(what)
    if what not in Kind.__members__:
        raise ExecrankError(f"{what!r} is not a kind of import; use one of {', '.join(Kind)}")
    return what, file


@app.command("import")
def import_(
    what: Annotated[
        str,
        typer.Argument(
            metavar="[KIND] FILE",
            help="What the file holds (companies, contacts, events, signals, relationships, "
            "opportunities, opportunity_contacts), then the file: .csv, .tsv, .txt, .xlsx, "
            ".jsonl or .parquet. Without KIND, --mapping auto or a mapping says what it holds.",
        ),
    ],
    file: Annotated[Path | None, typer.Argument(hidden=True)] = None,
    mapping: Annotated[
        str | None,
        typer.Option(
            help="A shipped mapping name, a mapping YAML file, or auto to recognise the export "
            "by its header."
        ),
    ] = None,
    encoding: EncodingOption = None,
    delimiter: Annotated[
        str | None,
        typer.Option(help="A text file's delimiter (one character, or tab); default: sniffed."),
    ] = None,
    sheet: Annotated[
        str | None, typer.Option(help="The sheet of an .xlsx workbook (default: the first).")
    ] = None,
    strict: Annotated[
        bool, typer.Option("--strict", help="Any bad row rejects the whole file: nothing stored.")
    ] = False,
    clear_blanks: Annotated[
        bool,
        typer.Option(
            "--clear-blanks",
            help="A blank cell clears the stored value (default: a blank leaves it alone).",
        ),
    ] = False,
    db: DbOption = DEFAULT_DB,
) -> None:
    """Import a file of companies, contacts, events, signals, relationships or opportunities."""
    kind, path = _kind_and_file(what, file)
    with _store(db, create=True) as store:
        rejects_dir = Path(store.path).resolve().parent
        report = _progress_import(
            store,
            kind,
            path,
            ingested_at=_now(),
            mapping=mapping,
            encoding=encoding,
            delimiter=delimiter,
            sheet=sheet,
            strict=strict,
            clear_blanks=clear_blanks,
            model=versions.active(store),
            rejects_dir=rejects_dir,
        )
    if mapping == "auto":
        err.print(f"--mapping auto chose {report.mapping} ({report.kind})")
    _print_report(report, cleared=clear_blanks)
    if report.refused:
        raise ExecrankError(
            f"{path}: --strict: {report.rejected_rows} bad row(s), so nothing was stored; "
            f"see {report.rejects_path}"
        )
    if report.rejected:
        raise typer.Exit(EXIT_ROWS_REJECTED)


@app.command("score")
def score_(
    as_of: AsOfOption = None,
    model: ModelOption = None,
    db: DbOption = DEFAULT_DB,
) -> None:
    """Score every contact and store the result as a snapshot."""
    when = _parse_as_of(as_of)
    with _store(db) as store, err.status("scoring"):
        chosen = service.load_model(model) if model else versions.active(store)
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
            c.rep,
            c.playbook,
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
    "rep",
    "playbook",
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
    records = [c.to_dict() for c in contacts]
    _emit(format, RANK_HEADER, _rank_rows(contacts), records, no_wrap=4)


def _emit(
    format: RankFormat,
    header: list[str],
    rows: list[list[Any]],
    records: Any,
    *,
    no_wrap: int = 0,
    shown: int | None = None,
) -> None:
    """Print rows as a table (its first `no_wrap` columns unwrapped; only the first `shown`
    rows), as CSV, or `records` as JSON."""
    if format is RankFormat.json:
        out.print_json(json.dumps(records, ensure_ascii=False))
    elif format is RankFormat.csv:
        writer = csv.writer(sys.stdout)
        writer.writerow(header)
        writer.writerows(csv_row(row) for row in rows)
    else:
        table = Table(*header)
        for column in table.columns[:no_wrap]:
            column.no_wrap = True
        for row in rows[:shown]:
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
    if c.playbook:
        out.print(f"playbook (tier {c.tier}): {c.playbook}; rep: {c.rep or 'not routed yet'}")
        for step in explanation.playbook_steps:
            out.print(f"  - {step}")
    for adjustment in explanation.adjustments:  # the audit trail, expired ones included
        state = "active" if adjustment.active(explanation.snapshot.as_of) else "not counting"
        until = f"{adjustment.expires_at:%Y-%m-%d}" if adjustment.expires_at else "withdrawn"
        out.print(
            f"adjustment {adjustment.points:+g} ({state}): {adjustment.reason} by "
            f"{adjustment.actor} on {adjustment.created_at:%Y-%m-%d}, until {until}"
        )
    if explanation.stale:
        err.print(
            f"note: the contributions add up to {explanation.total:.2f}, not the snapshot's "
            f"{c.total:.2f}: this contact or its company changed after the snapshot; "
            "run `execrank score` again"
        )


@app.command("route")
def route_(
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Show the moves without storing them.")
    ] = False,
    format: Annotated[RankFormat, typer.Option(help="Output format.")] = RankFormat.table,
    db: DbOption = DEFAULT_DB,
) -> None:
    """Assign the latest snapshot's contacts to reps by tier (the model's routing pools)."""
    with _store(db) as store:
        done = service.route(store, now=_now(), dry_run=dry_run)
    header = ["contact_id", "tier", "previous_tier", "previous_rep", "rep", "reason"]
    rows = [
        [m.contact_id, m.tier, m.previous_tier, m.previous_rep, m.rep, m.reason] for m in done.moves
    ]
    records = [dict(zip(header, row, strict=True)) for row in rows]
    if rows or format is not RankFormat.table:
        _emit(format, header, rows, records, shown=ROUTE_TABLE_ROWS)
    if format is not RankFormat.table:
        return
    if len(rows) > ROUTE_TABLE_ROWS:
        # the rows hold the contacts waiting for capacity too, which did not move
        out.print(f"... and {len(rows) - ROUTE_TABLE_ROWS} more rows (--format csv lists all)")
    verb = "would move" if dry_run else "moved"
    out.print(
        f"{len(done.assigned)} contacts {verb} to a rep, {len(done.waiting)} waiting for "
        f"capacity, {len(done.moves) - len(done.assigned) - len(done.waiting)} released "
        f"(snapshot {done.snapshot_id})"
    )


ROUTE_TABLE_ROWS = 50  # moves shown as a table; csv and json list all
ACCOUNT_MEMBERS_SHOWN = 5  # executives named per account in the table and csv


def _members_text(account: accounts_view.Account) -> str:
    shown = account.members[:ACCOUNT_MEMBERS_SHOWN]
    text = "; ".join(f"{m.name or m.contact_id} ({m.title or '?'}, {m.tier})" for m in shown)
    more = len(account.members) - len(shown)
    return text + (f" (+{more} more)" if more else "")


def _account_rows(found: list[accounts_view.Account]) -> list[list[Any]]:
    return [
        [
            a.company_id,
            a.name,
            round(a.score, 2),
            a.tier,
            _members_text(a),
            "; ".join(
                f"{s.seat}: {s.name or s.contact_id or '-'}{' (engaged)' if s.engaged else ''}"
                for s in a.seats
            ),
            " | ".join(a.hints),
        ]
        for a in found
    ]


ACCOUNT_HEADER = ["company_id", "company", "score", "tier", "executives", "committee", "hints"]


@app.command("accounts")
def accounts_(
    top: Annotated[int | None, typer.Option(min=1, help="Only the first N.")] = None,
    format: Annotated[RankFormat, typer.Option(help="Output format.")] = RankFormat.table,
    db: DbOption = DEFAULT_DB,
) -> None:
    """List accounts: executives known, buying-committee coverage, score, tier, hints."""
    with _store(db) as store:
        found = accounts_view.accounts(store, top=top)
    _emit(format, ACCOUNT_HEADER, _account_rows(found), [a.to_dict() for a in found])


COMPARE_HEADER = ["in top of", "contact_id", "name", "title", "company", "executive rank",
                  "tier", "generic rank", "generic points"]  # fmt: skip
COMPARE_KEYS = ("contact_id", "name", "title", "company", "executive_rank", "tier",
                "generic_rank", "generic_points")  # fmt: skip


def _compare_rows(done: comparing.Comparison) -> list[list[Any]]:
    sides = (("executive", done.executive_only), ("generic", done.generic_only))
    return [
        [side, *(c.to_dict()[key] for key in COMPARE_KEYS)] for side, items in sides for c in items
    ]


@app.command("compare")
def compare_(
    generic: Annotated[
        bool, typer.Option("--generic", help="Compare with a generic click-count model.")
    ] = False,
    top: Annotated[int, typer.Option(min=1, help="Size of each model's top list.")] = (
        comparing.DEFAULT_TOP
    ),
    format: Annotated[RankFormat, typer.Option(help="Output format.")] = RankFormat.table,
    db: DbOption = DEFAULT_DB,
) -> None:
    """Show the executives one model puts in its top N and the other does not."""
    if not generic:
        raise typer.BadParameter("say what to compare with: --generic", param_hint="--generic")
    with _store(db) as store:
        done = comparing.compare_generic(store, top=top)
    _emit(format, COMPARE_HEADER, _compare_rows(done), done.to_dict())
    if format is not RankFormat.table:
        return
    out.print(
        f"top {done.top}: {done.both} in both; {len(done.executive_only)} only in the "
        f"executive model's, {len(done.generic_only)} only in the generic model's "
        "(+2 email click, +5 download, +1 page view)"
    )


@app.command("adjust")
def adjust_(
    contact_id: Annotated[str, typer.Argument(help="The contact whose intent to change.")],
    points: Annotated[float, typer.Option(help="Intent points: + raises, - lowers.")],
    reason: Annotated[str, typer.Option(help="Why (shown in explain).")],
    expires: Annotated[str, typer.Option(help="Counts until this date (YYYY-MM-DD).")],
    actor: Annotated[
        str | None, typer.Option(help="Who makes the change (default: the OS user).")
    ] = None,
    db: DbOption = DEFAULT_DB,
) -> None:
    """Raise or lower a contact's intent by hand, with a reason and an expiry; audited."""
    try:
        until = parse_datetime(expires)
    except ValueParseError:
        until = None
    if until is None:
        raise ExecrankError(f"--expires {expires!r} is not a date (e.g. 2026-12-31)")
    with _store(db) as store:
        adjustment, score = service.adjust(
            store,
            contact_id,
            points=points,
            reason=reason,
            expires_at=until,
            actor=_actor(actor),
            now=_now(),
        )
    out.print(
        f"Adjusted {contact_id} by {adjustment.points:+g} intent points until "
        f"{expires} ({adjustment.adjustment_id}): total {score.total:.2f}, rank {score.rank}, "
        f"tier {score.tier}"
    )


@model_app.command("check")
def model_check(file: Annotated[Path, typer.Argument(help="A scoring model YAML file.")]) -> None:
    """Validate a scoring model file and report every problem with its YAML path."""
    checked = scoring_model.load(file)
    out.print(f"{file}: valid scoring model {checked.name!r} ({checked.content_hash})")


@titles_app.command("classify")
def titles_classify(
    file: Annotated[
        Path, typer.Argument(help="A CSV, TSV or .xlsx file with a column of job titles.")
    ],
    column: Annotated[str, typer.Option(help="The column holding the titles.")] = "title",
    format: Annotated[TitlesFormat, typer.Option(help="Output format.")] = TitlesFormat.csv,
    encoding: EncodingOption = None,
) -> None:
    """Write the file back (to standard output) with seniority, function, flags, confidence."""
    done = service.classify_titles(file, column, encoding)
    if format is TitlesFormat.json:
        sys.stdout.write(json.dumps(done.rows, ensure_ascii=False, indent=2) + "\n")
        return
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=done.delimiter or ",", lineterminator="\n")
    writer.writerow(csv_row(done.header))
    for row in done.rows:
        shown = {**row, "flags": ";".join(row["flags"]), "confidence": f"{row['confidence']:.2f}"}
        writer.writerow(csv_row(shown.get(field, "") for field in done.header))
    # Excel reads Chinese right from UTF-8 only with a BOM: keep the input's, give UTF-16 and
    # workbooks one.
    bom = done.encoding in ("utf-8-sig", "utf-16", "xlsx")
    sys.stdout.flush()
    sys.stdout.buffer.write(buffer.getvalue().encode("utf-8-sig" if bom else "utf-8"))


@app.command()
def demo(
    dir: Annotated[
        Path, typer.Option("--dir", help="Where to write the demo inputs and store.")
    ] = Path("execrank-demo"),
    force: Annotated[
        bool,
        typer.Option(
            "--force", help="Replace a store or input files in --dir that a demo did not write."
        ),
    ] = False,
) -> None:
    """Import the bundled real executives (plus synthetic activity), score and show the top 10."""
    result = demo_job.run(dir, now=_now(), progress=_status, force=force)
    out.print(demo_job.summary(result))


token_app = typer.Typer(help="API tokens for the web dashboard and REST API.", no_args_is_help=True)
app.add_typer(token_app, name="token")


class RoleChoice(StrEnum):
    admin = "admin"
    manager = "manager"
    rep = "rep"


@token_app.command("create")
def token_create(
    role: Annotated[RoleChoice, typer.Option(help="admin, manager, or rep (own contacts only).")],
    owner: Annotated[
        str, typer.Option(help="Whose token: a rep's name as in the contacts' owner column.")
    ],
    db: DbOption = DEFAULT_DB,
) -> None:
    """Create an API token and print it once (the store keeps only its hash)."""
    from execrank.web import Role, create_token

    with _store(db) as store:
        token = create_token(store, Role(role.value), owner, now=_now())
    out.print(token)
    err.print(f"token for {owner} ({role.value}); it is not shown again")


@app.command()
def serve(
    db: DbOption = DEFAULT_DB,
    host: Annotated[str, typer.Option(help="The address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="The port to listen on.")] = 8000,
    config: Annotated[
        Path | None,
        typer.Option(
            help="The service config (schedule, model); default: execrank.yaml beside the store."
        ),
    ] = None,
) -> None:
    """Serve the dashboard and REST API (docs at /docs); needs an API token to see data."""
    import uvicorn

    from execrank.schedule import config_path, load_config
    from execrank.web import create_app

    settings = load_config(config_path(db, config))
    app = create_app(db, memory_limit=os.environ.get(MEMORY_LIMIT_VARIABLE), config=settings)
    schedule = f"; full rescores on {settings.schedule!r} (UTC)" if settings.schedule else ""
    err.print(
        f"execrank dashboard on http://{host}:{port}/ (API docs: /docs){schedule}; Ctrl-C stops"
    )
    uvicorn.run(app, host=host, port=port, log_level="warning")


class RecordKind(StrEnum):
    contacts = "contacts"
    companies = "companies"


ActorOption = Annotated[
    str | None, typer.Option(help="Who does this, for the record (default: the OS user).")
]


def _actor(actor: str | None) -> str:
    return actor or getpass.getuser()


@app.command()
def merge(
    kept: Annotated[str, typer.Argument(help="The id that stays.")],
    merged: Annotated[str, typer.Argument(help="The id merged into it (becomes an alias).")],
    kind: Annotated[RecordKind, typer.Option(help="What the ids are.")] = RecordKind.contacts,
    reason: Annotated[str, typer.Option(help="Why they are one record.")] = "merged by hand",
    actor: ActorOption = None,
    db: DbOption = DEFAULT_DB,
) -> None:
    """Merge two stored contacts (or companies) that are one; their facts are then scored as one."""
    with _store(db) as store:
        done = merge_records.merge(
            store, kind.value, kept, merged, reason=reason, actor=_actor(actor), now=_now()
        )
    _print_merge(done)


def _print_merge(done: merge_records.MergeRecord) -> None:
    moved = ", ".join(f"{table} {n}" for table, n in done.detail.items()) or "no rows"
    out.print(
        f"merge {done.merge_id}: {done.kind} {done.merged_id} -> {done.kept_id} ({done.reason}): "
        f"moved {moved}; {done.rows_dropped} duplicate facts kept once"
    )


@app.command()
def dedupe(
    kind: Annotated[RecordKind, typer.Option(help="Which records.")] = RecordKind.contacts,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Only list the pairs.")] = False,
    actor: ActorOption = None,
    db: DbOption = DEFAULT_DB,
) -> None:
    """Find stored records that are one (email; domain or normalized name) and merge them."""
    with _store(db) as store:
        if dry_run:
            pairs = merge_records.find_duplicates(store, kind.value)
            for pair in pairs:
                out.print(f"{pair.merged_id} -> {pair.kept_id}: {pair.reason}")
            found = len(pairs)
        else:
            merged = merge_records.dedupe(store, kind.value, actor=_actor(actor), now=_now())
            for done in merged:
                _print_merge(done)
            found = len(merged)
    if not found:
        change = "would change" if dry_run else "changed"
        out.print(f"No duplicate {kind.value} found; nothing {change}.")


@app.command("merges")
def merges_(db: DbOption = DEFAULT_DB) -> None:
    """List every merge: when, who, kept and merged id, why, and how many rows moved."""
    with _store(db) as store:
        done = merge_records.merges(store)
    table = Table("id", "when", "actor", "kind", "kept", "merged", "reason", "moved", "dropped")
    for m in done:
        when = f"{m.merged_at:%Y-%m-%d %H:%M}"
        cells = (m.merge_id, when, m.actor, m.kind, m.kept_id, m.merged_id, m.reason)
        table.add_row(*(str(c) for c in (*cells, m.rows_moved, m.rows_dropped)))
    out.print(table)


@app.command()
def enrich(
    companies: Annotated[
        Path, typer.Option("--companies", help="A reference list of companies (e.g. Fortune).")
    ],
    overwrite: Annotated[
        bool, typer.Option("--overwrite", help="Replace values the CRM supplied too.")
    ] = False,
    mapping: Annotated[
        str, typer.Option(help="The reference file's mapping: auto, a shipped name or a YAML.")
    ] = "auto",
    encoding: EncodingOption = None,
    db: DbOption = DEFAULT_DB,
) -> None:
    """Fill stored companies' missing revenue, employees, industry, region and country."""
    with _store(db) as store:
        report = enrichment.enrich(
            store, companies, now=_now(), overwrite=overwrite, mapping=mapping, encoding=encoding
        )
    methods = ", ".join(f"{n} by {method}" for method, n in sorted(report.by_method.items()))
    out.print(
        f"{report.reference_file} (mapping {report.mapping}): {report.reference_rows} reference "
        f"rows, {report.rejected_rows} unreadable; {report.companies} companies: "
        f"{report.matched} matched ({methods or 'none'}), {report.filled} filled "
        f"({report.values_filled} values), {report.skipped} skipped (no match); "
        f"{report.values_kept} differing CRM values kept"
    )
    _print_problems(report.problems)
    if report.problems:
        raise typer.Exit(EXIT_ROWS_REJECTED)


@app.command("export")
def export_(
    format: Annotated[exporting.ExportFormat, typer.Option(help="The CRM or file format.")],
    output: Annotated[
        Path | None, typer.Option(help="The file to write (default: standard output).")
    ] = None,
    top: Annotated[int | None, typer.Option(min=1, help="Only the first N.")] = None,
    db: DbOption = DEFAULT_DB,
) -> None:
    """Write score, tier, rank, top reasons and owner for a CRM import (latest snapshot)."""
    if output is not None:
        check_output(output, store=db)
    with _store(db) as store:
        done = exporting.export(store, format, top=top)
    if output is None:
        sys.stdout.buffer.write(done.content)
        sys.stdout.flush()
    else:
        write_output(output, done.content, store=db)
        out.print(f"Wrote {done.rows} contacts to {output}")
    if done.skipped:
        empty = "; the file holds no contacts" if done.rows == 0 else ""
        err.print(f"warning: left out {done.skipped} contacts {done.left_out}{empty}")


ERASED_BYTES_NOTE = (
    "DuckDB keeps the removed values in free blocks of the store file until they are reused; "
    'for a file without them, copy the store (README, "Erasing a person").'
)


@app.command()
def erase(
    email: Annotated[str, typer.Option("--email", help="The person's email address.")],
    db: DbOption = DEFAULT_DB,
) -> None:
    """Remove one person and every fact and snapshot row about them (data-protection request)."""
    with _store(db) as store:
        done = erasure.erase(store, email=email)
    out.print(f"Erased {done.email} (contact {', '.join(done.contact_ids)}): {done.total} rows")
    for table, n in done.removed.items():
        out.print(f"  {table:<24} {n}")
    out.print(ERASED_BYTES_NOTE)


outcomes_app = typer.Typer(help="Won and lost deals from public data sets.", no_args_is_help=True)
app.add_typer(outcomes_app, name="outcomes")
REVIEW_FOLDER = Path("review")
ActiveModelOption = Annotated[
    Path | None,
    typer.Option(help="A scoring model YAML (default: the active one, see `model use`)."),
]


@outcomes_app.command("load")
def outcomes_load(
    source: Annotated[str, typer.Argument(help="crm-sales-opportunities or x-education-leads.")],
    path: Annotated[Path, typer.Argument(help="The data set's folder or file.")],
    out: Annotated[
        Path | None, typer.Option(help="Where to write the import files (default: beside --db).")
    ] = None,
    db: DbOption = DEFAULT_DB,
) -> None:
    """Turn a public outcome data set into execrank imports and import them."""
    folder = out or db.resolve().parent / f"{source}-imports"
    with _store(db, create=True) as store:
        for planned in learning.prepare(source, path, folder):
            report = _progress_import(
                store,
                planned.kind,
                planned.path,
                ingested_at=_now(),
                mapping=planned.mapping,
                rejects_dir=folder,
            )
            _print_report(report)


@app.command()
def review(
    month: Annotated[str, typer.Option(help="The month whose closed deals to review (YYYY-MM).")],
    output: Annotated[Path, typer.Option(help="Folder for review.html and the CSV tables.")] = (
        REVIEW_FOLDER
    ),
    model: ActiveModelOption = None,
    db: DbOption = DEFAULT_DB,
) -> None:
    """Review the deals closed in a month: trajectories, tiers, misses, adjustments, lift."""
    with _store(db) as store, err.status("reviewing"):
        chosen = service.load_model(model) if model else versions.active(store)
        done = learning.review(store, chosen, month)
        paths = learning.write_review(done, output)
    out.print(f"Reviewed {len(done.judged)} deals closed in {month}: {paths[-1]}")
    for path in paths[:-1]:
        out.print(f"  {path}")


@app.command()
def calibrate(
    output: Annotated[
        Path | None, typer.Option(help="Write the proposed model here (YAML).")
    ] = None,
    adjustments_as_labels: Annotated[
        bool,
        typer.Option(
            help="Learn from manual adjustments too (raised: won, lowered: lost), those made "
            "before the held-out deals."
        ),
    ] = False,
    model: ActiveModelOption = None,
    db: DbOption = DEFAULT_DB,
) -> None:
    """Learn weights from won and lost deals; show the proposal as a diff and its backtest."""
    if output is not None:
        for path in (output, learning.backtest_path(output)):
            check_output(path, store=db)
    with _store(db) as store, err.status("calibrating"):
        chosen = service.load_model(model) if model else versions.active(store)
        result = learning.calibrate(store, chosen, adjustments_as_labels=adjustments_as_labels)
    labelled = result.labelled
    out.print(
        f"History: {result.train.closed} closed deals to learn from ({result.train.won} won), "
        f"{result.test.closed} newer ones held out ({result.test.won} won)"
        + (
            f"; of those learned from, {labelled.closed} are manual adjustments "
            f"({labelled.won} raised, {labelled.closed - labelled.won} lowered)"
            if adjustments_as_labels
            else ""
        )
    )
    if result.cross_validated:
        tried = ", ".join(
            f"{c:g}: {'n/a' if a is None else f'{a:.3f}'}" for c, a in result.cross_validated
        )
        out.print(
            f"Regularisation: C = {result.regularisation:g}, the best mean AUC of "
            f"{learning.CROSS_VALIDATION_FOLDS} time-ordered folds of the deals learned from "
            f"({tried})"
        )
    if result.proposed is None:
        out.print(result.skipped or "nothing proposed")
        return
    learned = Table("knob", "now", "learned: log-odds per point", "proposed")
    for knob in sorted(result.knobs, key=lambda k: (k.coefficient is None, -(k.coefficient or 0))):
        shown = "(cap raised to fit)" if knob.coefficient is None else f"{knob.coefficient:+.4f}"
        learned.add_row(knob.path, f"{knob.current:g}", shown, f"{knob.proposed:g}")
    out.print(learned)
    out.print(f"Proposed changes to {chosen.name!r} ({chosen.content_hash}):")
    for change in versions.diff(chosen, result.proposed):
        out.print(f"  {change}")
    confidence = f"{learning.CONFIDENCE:.0%} interval"
    table = Table(
        "scorer (held-out deals)", "AUC", confidence, "top-decile lift", confidence,
        "tier A precision",
    )  # fmt: skip
    for item in result.measured:
        table.add_row(item.name, *item.shown())
    out.print(table)
    versus = Table("calibrated model minus", f"AUC, {confidence}", f"lift, {confidence}", "so")
    for difference in result.differences:
        versus.add_row(difference.name, *difference.shown())
    out.print(versus)
    out.print(
        f"Intervals: {learning.BOOTSTRAP_RESAMPLES} bootstrap resamples of the held-out deals "
        f"(seed {learning.BOOTSTRAP_SEED}); differences are paired (the same resamples)."
    )
    if output:
        write_output(output, service.model_yaml(result.proposed).encode(), store=db)
        backtest = learning.write_backtest(result, learning.backtest_path(output))
        out.print(f"Wrote {output} ({result.proposed.content_hash}); try `execrank model whatif`")
        out.print(f"Wrote {backtest} (the backtest)")


@model_app.command("diff")
def model_diff(
    before: Annotated[str, typer.Argument(help="A stored hash, a YAML file, active or default.")],
    after: Annotated[str, typer.Argument(help="A stored hash, a YAML file, active or default.")],
    db: DbOption = DEFAULT_DB,
) -> None:
    """Show every field that differs between two model versions."""
    with _store(db) as store:
        first, second = versions.resolve(store, before), versions.resolve(store, after)
    changes = versions.diff(first, second)
    out.print(f"{first.content_hash} -> {second.content_hash}: {len(changes)} changes")
    for change in changes:
        out.print(f"  {change}")


@model_app.command("use")
def model_use(
    version: Annotated[str, typer.Argument(help="A stored hash, a YAML file or default.")],
    db: DbOption = DEFAULT_DB,
) -> None:
    """Make a model version the active one (`score` uses it without --model); rolls back too."""
    with _store(db) as store:
        chosen = versions.use(store, version, now=_now())
    out.print(f"Active model: {chosen.name!r} ({chosen.content_hash})")


@model_app.command("versions")
def model_versions(db: DbOption = DEFAULT_DB) -> None:
    """List the stored model versions, the active one marked."""
    with _store(db) as store:
        for model_hash, name, stored_at, is_active in versions.history(store):
            mark = "*" if is_active else " "
            out.print(f"{mark} {model_hash}  {stored_at:%Y-%m-%d %H:%M}  {name}")


@model_app.command("whatif")
def model_whatif(
    proposed: Annotated[Path, typer.Argument(help="The proposed model YAML.")],
    top: Annotated[int, typer.Option(help="How many of the biggest rank moves to list.")] = 10,
    db: DbOption = DEFAULT_DB,
) -> None:
    """Show how ranks and tiers would move under a proposed model (nothing is stored)."""
    candidate = scoring_model.load(proposed)
    with _store(db) as store:
        result = versions.whatif(store, candidate)
    out.print(
        f"As of {result.as_of:%Y-%m-%d}: {result.current.name!r} ({result.current.content_hash})"
        f" -> {candidate.name!r} ({candidate.content_hash}), {len(result.moves)} contacts"
    )
    for (before, after), n in sorted(result.tier_changes().items()):
        out.print(f"  tier {before} -> {after}: {n}")
    biggest = sorted(result.moves, key=lambda m: -abs(m.rank_before - m.rank_after))[:top]
    table = Table("contact", "rank", "tier", "total")
    for m in biggest:
        table.add_row(
            m.contact_id,
            f"{m.rank_before} -> {m.rank_after}",
            f"{m.tier_before} -> {m.tier_after}",
            f"{m.total_before:.2f} -> {m.total_after:.2f}",
        )
    out.print(table)


def _status(message: str) -> None:
    err.print(message, style="dim")


def _run(command: Callable[[], Any]) -> None:
    try:
        try:
            command()
        finally:
            sys.stdout.flush()  # here, so that a full or closed standard output is reported
    except ExecrankError as error:
        if _state["debug"]:
            raise
        err.print(f"error: {error}")
        raise SystemExit(EXIT_ERROR) from None
    except OSError as error:
        if _state["debug"] or error.filename is not None:  # a file's error is not ours to word
            raise
        # Nothing more can reach standard output: send what Python would flush at exit nowhere.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        err.print(f"error: cannot write to standard output: {error.strerror or error}")
        raise SystemExit(EXIT_ERROR) from None


def main() -> None:
    """Entry point of the `execrank` console script."""
    _run(lambda: app(standalone_mode=True))
