"""Scoring on Apache Spark: the model's own SQL, transpiled, over facts exported as Parquet.

`execrank export-facts` writes the tables the scoring queries read (`scoring.TABLES`) as
`<table>.parquet` files. `score_on_spark` registers them as temporary views of the same names
and runs `scoring.scores_query`, transpiled from DuckDB's SQL to Spark's by sqlglot: there is no
second implementation to drift. The result holds the columns of a stored snapshot plus the run's
`as_of`, `known_at` and `model_hash`, so `execrank load-scores` can store it as a snapshot.

PySpark is an optional extra (`pip install 'execrank[spark]'`), imported on first use. The query
runs in Spark's engine only (no Python functions on executors), so a cluster needs no execrank.
"""

from __future__ import annotations

import importlib
import time
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from execrank import scoring
from execrank.errors import ExecrankError
from execrank.model import ScoringModel

if TYPE_CHECKING:
    from pyspark.sql import DataFrame, SparkSession

__all__ = [
    "DEFAULT_MASTER",
    "SparkRun",
    "facts_known_at",
    "run",
    "score_on_spark",
    "score_to_parquet",
    "session",
    "spark_sql",
]

DEFAULT_MASTER = "local[*]"  # every core of this machine; spark://host:7077, yarn… for a cluster
INSTALL_HINT = "pip install 'execrank[spark]'"
# Facts whose newest ingested_at is the run's default known_at.
_TIMED_TABLES = ("contacts", "companies", "events", "signals", "relationships")
_SESSION_CONFIG = {
    # Timestamps are stored without a zone (TIMESTAMP_NTZ); UTC keeps any conversion a no-op.
    "spark.sql.session.timeZone": "UTC",
    "spark.ui.showConsoleProgress": "false",  # a progress bar would garble the CLI's output
}
# On one machine a few shuffle partitions beat the default 200 (each a task and its files).
_LOCAL_CONFIG = {"spark.sql.shuffle.partitions": "8", "spark.ui.enabled": "false"}


@dataclass(frozen=True)
class SparkRun:
    """What `score_to_parquet` wrote: where, for which time and model, how many contacts."""

    out: str
    as_of: datetime
    known_at: datetime
    model_hash: str
    contacts: int
    seconds: float
    # False when the facts hold signals but no topic matches for this model's topics: the
    # facts were exported for another model (see `execrank export-facts --model`).
    topics_matched: bool


def spark_sql(model: ScoringModel, as_of: datetime, known_at: datetime) -> str:
    """`scoring.scores_query` in Spark SQL, transpiled by sqlglot."""
    import sqlglot  # here, not at the top: it takes a while to import, and the CLI imports us
    from sqlglot.errors import ErrorLevel, SqlglotError

    try:
        (text,) = sqlglot.transpile(
            scoring.scores_query(model, as_of, known_at),
            read="duckdb",
            write="spark",
            unsupported_level=ErrorLevel.RAISE,
        )
    except SqlglotError as error:
        raise ExecrankError(f"the scoring SQL cannot be written for Spark: {error}") from error
    return text


def _pyspark_sql() -> Any:
    try:
        return importlib.import_module("pyspark.sql")
    except ModuleNotFoundError:
        raise ExecrankError(f"scoring on Spark needs PySpark: {INSTALL_HINT}") from None


def session(
    master: str = DEFAULT_MASTER,
    app_name: str = "execrank",
    config: Mapping[str, str] | None = None,
) -> SparkSession:
    """A SparkSession on `master` set up for execrank's queries, with any further Spark
    `config` (or the running session)."""
    local = _LOCAL_CONFIG if master.startswith("local") else {}
    settings = {**_SESSION_CONFIG, **local, **(config or {})}
    builder = _pyspark_sql().SparkSession.builder.master(master).appName(app_name)
    for key, value in settings.items():
        builder = builder.config(key, value)
    try:
        spark: SparkSession = builder.getOrCreate()
    except Exception as error:  # PySparkRuntimeError, Py4JError: Java missing, bad master…
        raise ExecrankError(
            f"Spark did not start with --master {master}: {error} "
            "(Spark needs Java 17 or newer on PATH or in JAVA_HOME)"
        ) from error
    spark.conf.set("spark.sql.session.timeZone", _SESSION_CONFIG["spark.sql.session.timeZone"])
    return spark


def _path(folder: str, table: str) -> str:
    return f"{folder.rstrip('/')}/{table}.parquet"


def _analysis_error() -> type[Exception]:
    """Spark's error for a query or path it cannot resolve (missing file, existing output)."""
    found: type[Exception] = importlib.import_module("pyspark.errors").AnalysisException
    return found


def _register_facts(spark: SparkSession, facts_dir: str) -> None:
    for table in scoring.TABLES:
        path = _path(facts_dir, table)
        try:
            spark.read.parquet(path).createOrReplaceTempView(table)
        except _analysis_error() as error:
            raise ExecrankError(
                f"{path}: cannot be read ({str(error).splitlines()[0]}); write the facts with "
                f"`execrank export-facts --out {facts_dir}`"
            ) from error


def facts_known_at(spark: SparkSession, facts_dir: str) -> datetime:
    """When the exported facts were known: the newest `ingested_at` among them. Scoring with it
    sees every exported fact, and `explain` in the store later sees the same ones."""
    _register_facts(spark, facts_dir)
    newest = " UNION ALL ".join(f"SELECT max(ingested_at) AS t FROM {t}" for t in _TIMED_TABLES)
    found = spark.sql(f"SELECT max(t) FROM ({newest})").collect()[0][0]
    if not isinstance(found, datetime):
        raise ExecrankError(f"{facts_dir}: the exported facts hold no contacts")
    return found


def score_on_spark(
    spark: SparkSession,
    facts_dir: str,
    model: ScoringModel,
    as_of: datetime,
    known_at: datetime,
) -> DataFrame:
    """Every contact's scores at `as_of` from the facts in `facts_dir` (a folder or URI that
    `execrank export-facts` wrote) ingested by `known_at`: the columns of a stored snapshot
    (contact_id, total, the five dimensions, heat, profile, rank, tier) and the run's as_of,
    known_at and model_hash."""
    _register_facts(spark, facts_dir)
    functions = importlib.import_module("pyspark.sql.functions")
    run_columns = [
        functions.lit(when.isoformat(sep=" ")).cast("timestamp_ntz").alias(name)
        for name, when in (("as_of", as_of), ("known_at", known_at))
    ]
    try:
        scores: DataFrame = spark.sql(spark_sql(model, as_of, known_at))
    except _analysis_error() as error:  # a table without a column the query reads
        raise ExecrankError(
            f"{facts_dir}: the facts do not fit the scoring query ({str(error).splitlines()[0]});"
            " export them again with this release's `execrank export-facts`"
        ) from error
    return scores.select("*", *run_columns, functions.lit(model.content_hash).alias("model_hash"))


def _topics_matched(spark: SparkSession, model: ScoringModel) -> bool:
    counts = spark.sql(
        "SELECT (SELECT count(*) FROM signals), "
        "(SELECT count(*) FROM signal_matches WHERE topics_hash = :topics_hash)",
        args={"topics_hash": model.intent.topics_hash},
    ).collect()[0]
    return bool(counts[0] == 0 or counts[1] > 0)


def score_to_parquet(
    spark: SparkSession,
    facts_dir: str,
    out: str,
    model: ScoringModel,
    as_of: datetime,
    known_at: datetime | None = None,
) -> SparkRun:
    """Score the facts in `facts_dir` on Spark and write the scores as Parquet into `out` (a new
    folder or URI). `known_at` defaults to the facts' own (`facts_known_at`)."""
    started = time.perf_counter()
    known = known_at or facts_known_at(spark, facts_dir)
    scores = score_on_spark(spark, facts_dir, model, as_of, known)
    try:
        scores.write.mode("errorifexists").parquet(out)
    except _analysis_error() as error:
        raise ExecrankError(
            f"--out {out}: cannot write there ({str(error).splitlines()[0]}); name a new folder"
        ) from error
    contacts = spark.read.parquet(out).count()
    return SparkRun(
        out,
        as_of,
        known,
        model.content_hash,
        contacts,
        time.perf_counter() - started,
        _topics_matched(spark, model),
    )


def run(facts_dir: str, out: str, model: ScoringModel, as_of: datetime, master: str) -> SparkRun:
    """`execrank spark-score`: score on a new Spark session on `master`, write, stop it. In a
    process that already runs a session (a notebook, a test), that one is used and kept."""
    running = _pyspark_sql().SparkSession.getActiveSession()
    spark = running or session(master)
    try:
        return score_to_parquet(spark, facts_dir, out, model, as_of)
    finally:
        if running is None:
            spark.stop()
