"""Scoring on Spark: the model's own SQL, transpiled, over facts exported as Parquet, gives
DuckDB's totals, ranks and tiers; Spark's scores load back into the store as a snapshot.

The Spark tests share one local[2] session and one fixture: the demo's real executives with
its seeded synthetic activity (seed 7), imported through the real import path, plus two events
at fractional seconds. They skip only when PySpark is not installed (CI installs it).
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from execrank import scoring, service
from execrank import spark as spark_engine
from execrank.demo._real import write_real_inputs
from execrank.demo._synthetic import write_synthetic_inputs
from execrank.errors import ExecrankError, InputError
from execrank.model import ScoringModel
from execrank.store import Store
from tests.conftest import write_csv
from tests.test_cli import execrank as run_cli

if TYPE_CHECKING:
    from pyspark.sql import SparkSession

AS_OF = datetime(2026, 11, 30)
KNOWN_AT = datetime(2026, 12, 1)  # every fixture fact is ingested then
TOLERANCE = 1e-6  # points are exact to a millionth (scoring.POINT_DECIMALS)
# Short jobs on small data: the quick JIT compiler and a simple GC start Spark about twice as
# fast, and two cores need no more than two shuffle partitions.
TEST_CONFIG = {
    "spark.driver.extraJavaOptions": "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC",
    "spark.sql.shuffle.partitions": "2",
}
IMPORT_ORDER = ("companies", "contacts", "events", "signals", "relationships")


def tie_model() -> ScoringModel:
    """The default model with weights that put role and fit points on half-millionths: a CEO's
    10 x 1.00000015 is 10.0000015 as decimal text and a hair below it in binary, so round(x, 6)
    gives 10.000001 in DuckDB and 10.000002 in Spark (which rounds the text)."""
    default = service.default_model()
    weights = default.weights.model_copy(update={"role": 1.00000015, "fit": 1.00000015})
    return default.model_copy(update={"name": "ties", "weights": weights})


@pytest.fixture(scope="session")
def spark() -> Iterator[SparkSession]:
    pytest.importorskip("pyspark", reason="PySpark is not installed: pip install 'execrank[spark]'")
    session = spark_engine.session("local[2]", app_name="execrank-tests", config=TEST_CONFIG)
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


@dataclass(frozen=True)
class Demo:
    store: Store
    folder: Path


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Demo]:
    folder = tmp_path_factory.mktemp("spark-demo")
    write_real_inputs(folder)
    write_synthetic_inputs(
        folder / "contacts.csv", folder / "companies.csv", folder, seed=7, as_of=AS_OF
    )
    write_csv(
        folder / "fractional.csv",
        ["contact_id", "event_type", "occurred_at"],
        [
            ["us-cabot-ceo", "meeting", "2026-11-29 10:15:30.25"],
            ["us-cabot-ceo", "reply_to_sales", "2026-11-29 23:59:59.999999"],
        ],
    )
    with Store.open(folder / "execrank.duckdb") as store:
        for kind in IMPORT_ORDER:
            report = service.import_file(
                store, kind, folder / f"{kind}.csv", ingested_at=KNOWN_AT, rejects_dir=folder
            )
            assert report.rejected == [], report.rejected[:3]
        service.import_file(store, "events", folder / "fractional.csv", ingested_at=KNOWN_AT)
        for kind, path in action_facts(folder).items():
            assert not service.import_file(store, kind, path, ingested_at=KNOWN_AT).rejected
        yield Demo(store, folder)


def action_facts(folder: Path) -> dict[str, Path]:
    """Facts for the rules the demo does not reach: buying roles on open, won and lost deals, a
    silent executive lifted by a late-stage deal (us-3m-ceo: C, no activity), a stale A
    (us-abbvie-ceo: profile 20, heat from a referral and downloads but no conversation), a
    referrer's standing, a membership shared with a customer's CEO (us-cabot, a won deal)."""
    opportunities = [
        ["o-late", "us-3m", "Data platform", "Negotiation", "false", "false"],
        ["o-won", "us-cabot", "Pilot", "Closed Won", "true", "true"],
        ["o-lost", "us-cabot", "Old try", "Closed Lost", "true", "false"],
    ]
    roles = [
        ["o-late", "us-3m-ceo", ""],
        ["o-won", "us-cabot-ceo", "Decision Maker"],
        ["o-won", "us-cabot-ceo", "Economic Buyer"],
        ["o-lost", "us-cabot-ceo", "Executive Sponsor"],
    ]
    downloads = [["us-abbvie-ceo", "report_download", f"r{i}", "2026-11-25"] for i in range(3)]
    referrals = [
        ["us-abbvie-ceo", "customer_referral", "2026-11-20", "Contoso", "active_customer"],
        ["us-abbvie-ceo", "membership", "2026-10-01", "CIO Council", ""],
        ["us-cabot-ceo", "membership", "2025-10-01", "cio council", ""],
    ]
    return {
        "opportunities": write_csv(
            folder / "opportunities.csv",
            ["opportunity_id", "company_id", "name", "stage", "is_closed", "is_won"],
            opportunities,
        ),
        "opportunity_contacts": write_csv(
            folder / "opportunity_contacts.csv", ["opportunity_id", "contact_id", "role"], roles
        ),
        "events": write_csv(
            folder / "downloads.csv",
            ["contact_id", "event_type", "asset", "occurred_at"],
            downloads,
        ),
        "relationships": write_csv(
            folder / "standing.csv",
            ["contact_id", "kind", "occurred_at", "referrer", "referrer_standing"],
            referrals,
        ),
    }


def differences(
    duckdb: list[service.RankedContact], spark: dict[str, tuple[float, int, str]]
) -> list[str]:
    """Every contact whose Spark total, rank or tier is not DuckDB's (empty when in parity)."""
    found = [] if len(duckdb) == len(spark) else [f"{len(duckdb)} in DuckDB, {len(spark)} on Spark"]
    for contact in duckdb:
        total, rank, tier = spark.get(contact.contact_id, (float("nan"), -1, "?"))
        if not (abs(total - contact.total) <= TOLERANCE and rank == contact.rank):
            found.append(f"{contact.contact_id}: {contact.total}/{contact.rank} vs {total}/{rank}")
        elif tier != contact.tier:
            found.append(f"{contact.contact_id}: tier {contact.tier} vs {tier}")
    return found


def score_on_duckdb(demo: Demo, model: ScoringModel) -> list[service.RankedContact]:
    service.score(demo.store, model, as_of=AS_OF, known_at=KNOWN_AT)
    ranked = service.rank(demo.store)
    # the fixture reaches every dimension and tier, so parity is not won on zeros
    for dimension in ("role", "fit", "engagement", "intent", "network"):
        assert any(c.dimensions[dimension] > 0 for c in ranked), dimension
    assert {c.tier for c in ranked} == {"A", "B", "C"}
    return ranked


def export(demo: Demo, model: ScoringModel) -> Path:
    facts = demo.folder / f"facts-{model.name}"
    counts = service.export_facts(demo.store, facts, model)
    assert sorted(p.name for p in facts.iterdir()) == sorted(f"{t}.parquet" for t in counts)
    return facts


@pytest.mark.slow
def test_spark_scores_loaded_back_equal_duckdb_totals_ranks_and_tiers(
    spark: SparkSession, demo: Demo
) -> None:
    model = service.default_model()
    duckdb = score_on_duckdb(demo, model)
    facts, out = export(demo, model), demo.folder / "spark-scores"

    run = spark_engine.score_to_parquet(spark, str(facts), str(out), model, AS_OF)
    assert (run.contacts, run.known_at, run.topics_matched) == (len(duckdb), KNOWN_AT, True)
    loaded = service.load_scores(
        demo.store, out, model, as_of=AS_OF, now=datetime(2026, 12, 2, 9, 30)
    )

    assert (loaded.as_of, loaded.known_at, loaded.model_hash, loaded.contacts) == (
        AS_OF,
        KNOWN_AT,
        model.content_hash,
        len(duckdb),
    )
    spark_ranked = {c.contact_id: (c.total, c.rank, c.tier) for c in service.rank(demo.store)}
    assert differences(duckdb, spark_ranked) == []
    # explain recomputes in the store at the loaded run's as_of and known_at: same total
    top = service.rank(demo.store, top=1)[0]
    explanation = service.explain(demo.store, top.contact_id)
    assert not explanation.stale
    assert explanation.total == pytest.approx(top.total, abs=TOLERANCE)

    with pytest.raises(ExecrankError, match="cannot write there"):
        spark_engine.score_to_parquet(spark, str(facts), str(out), model, AS_OF)


@pytest.mark.slow
def test_spark_rounds_half_millionths_as_duckdb_does(spark: SparkSession, demo: Demo) -> None:
    model = tie_model()
    duckdb = score_on_duckdb(demo, model)
    assert any(c.dimensions["role"] == 10.000002 for c in duckdb)  # 10.0000015, half up
    facts = export(demo, model)

    rows = spark_engine.score_on_spark(spark, str(facts), model, AS_OF, KNOWN_AT).collect()

    assert {(r.as_of, r.known_at, r.model_hash) for r in rows} == {
        (AS_OF, KNOWN_AT, model.content_hash)
    }
    assert differences(duckdb, {r.contact_id: (r.total, r.rank, r.tier) for r in rows}) == []


@pytest.mark.slow
def test_spark_names_a_missing_facts_file(spark: SparkSession, tmp_path: Path) -> None:
    with pytest.raises(ExecrankError, match=r"contacts\.parquet: cannot be read .* export-facts"):
        spark_engine.score_on_spark(spark, str(tmp_path), service.default_model(), AS_OF, KNOWN_AT)


@pytest.mark.slow
def test_cli_exports_scores_on_spark_and_loads_back(spark: SparkSession, tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from execrank.cli import app

    write_csv(
        tmp_path / "contacts.csv",
        ["contact_id", "title"],
        [["a", "CEO"], ["b", "VP Sales"], ["c", "Former CFO"]],
    )
    write_csv(
        tmp_path / "events.csv",
        ["contact_id", "event_type", "occurred_at"],
        [["b", "meeting", "2026-11-20 09:00:00.5"]],
    )
    for kind in ("contacts", "events"):
        assert run_cli("import", kind, f"{kind}.csv", cwd=tmp_path).returncode == 0
    assert run_cli("score", "--as-of", "2026-11-30", cwd=tmp_path).returncode == 0
    exported = run_cli("export-facts", "--out", "facts", cwd=tmp_path)
    tables = len(scoring.TABLES)
    assert exported.stdout.startswith(f"Wrote {tables} tables to facts: contacts 3, companies 0, ")

    # in this process, so that it runs on the tests' Spark session (and leaves it running)
    scored = CliRunner().invoke(
        app,
        [
            *("spark-score", "--facts", str(tmp_path / "facts"), "--out", str(tmp_path / "scores")),
            *("--as-of", "2026-11-30", "--master", "local[2]"),
        ],
    )
    assert scored.exit_code == 0, scored.output
    assert "Scored 3 contacts on Spark as of 2026-11-30 00:00 with model 'default'" in scored.output

    loaded = run_cli(
        "load-scores", "scores", "--as-of", "2026-11-30", "--model", "default", cwd=tmp_path
    )
    assert loaded.returncode == 0, loaded.stderr
    assert loaded.stdout.startswith("Loaded 3 scores as of 2026-11-30 00:00 with model 'default'")
    assert loaded.stdout.rstrip().endswith("snapshot 2")
    ranked = json.loads(run_cli("rank", "--format", "json", cwd=tmp_path).stdout)
    # b: VP 7 + a meeting 12 decayed over 10 days (heat ~11.2, profile 7 < 8: tier C);
    # a: CEO 10, tier C; c: a former CFO earns no role points
    assert [(r["contact_id"], r["tier"]) for r in ranked] == [("b", "C"), ("a", "C"), ("c", "-")]
    again = run_cli(
        "load-scores", "scores", "--as-of", "2026-12-01", "--model", "default", cwd=tmp_path
    )
    assert again.returncode == 1
    assert "the scores are as of 2026-11-30 00:00:00, not 2026-12-01 00:00:00" in again.stderr


# Without Spark -----------------------------------------------------------------------------


def test_the_exported_tables_are_those_the_scoring_queries_read() -> None:
    import sqlglot
    from sqlglot import exp

    model = service.default_model()
    for sql in (
        scoring.scores_query(model, AS_OF, KNOWN_AT),
        scoring.contributions_query(model, AS_OF, KNOWN_AT, ["c1"]),
    ):
        tree = sqlglot.parse_one(sql, read="duckdb")
        named = {cte.alias for cte in tree.find_all(exp.CTE)}
        read = {t.name for t in tree.find_all(exp.Table)} - named
        assert read == set(scoring.TABLES)


def test_spark_without_pyspark_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "pyspark.sql", None)
    with pytest.raises(ExecrankError, match=r"needs PySpark: pip install 'execrank\[spark\]'"):
        spark_engine.session("local[1]")


@pytest.fixture
def scored(store: Store, tmp_path: Path) -> Store:
    """A tiny store scored by DuckDB at AS_OF (known at KNOWN_AT)."""
    write_csv(tmp_path / "contacts.csv", ["contact_id", "title"], [["a", "CEO"], ["b", "CFO"]])
    service.import_file(store, "contacts", tmp_path / "contacts.csv", ingested_at=KNOWN_AT)
    service.score(store, service.default_model(), as_of=AS_OF, known_at=KNOWN_AT)
    return store


def write_scores(store: Store, folder: Path, select: str = "s.*") -> Path:
    """The latest snapshot as a scores folder, as spark-score writes it (or `select` of it)."""
    folder.mkdir()
    model_hash = service.default_model().content_hash
    store.execute(
        f"COPY (SELECT {select} FROM (SELECT * EXCLUDE (snapshot_id), "
        f"TIMESTAMP '{AS_OF}' AS as_of, TIMESTAMP '{KNOWN_AT}' AS known_at, "
        f"'{model_hash}' AS model_hash FROM scores WHERE snapshot_id = 1) s) "
        f"TO '{folder}/part-0.parquet' (FORMAT parquet)"
    )
    return folder


def test_load_scores_stores_a_checked_snapshot(scored: Store, tmp_path: Path) -> None:
    folder = write_scores(scored, tmp_path / "scores")
    before = [(c.contact_id, c.total, c.rank, c.tier) for c in service.rank(scored)]
    now = datetime(2026, 12, 5)
    loaded = service.load_scores(scored, folder, service.default_model(), as_of=AS_OF, now=now)
    assert (loaded.snapshot_id, loaded.known_at, loaded.contacts) == (2, KNOWN_AT, 2)
    assert [(c.contact_id, c.total, c.rank, c.tier) for c in service.rank(scored)] == before


@pytest.mark.parametrize(
    ("select", "problem"),
    [
        ("s.* EXCLUDE (known_at)", "no column known_at; scores need contact_id, total"),
        ("s.* REPLACE (CAST(s.rank AS VARCHAR) AS rank)", "column rank is VARCHAR, expected"),
        ("s.* REPLACE (NULL::VARCHAR AS tier)", "2 rows have empty values"),
        ("s.* REPLACE ('a' AS contact_id)", "1 contact ids appear more than once"),
        ("s.* REPLACE (1 AS rank)", "ranks are not 1 to 2, each once"),
        ("s.* REPLACE (s.model_hash || s.rank AS model_hash)", "holds 2 runs"),
        ("s.* REPLACE ('zed' || s.contact_id AS contact_id)", "contact 'zeda' is not in this"),
    ],
)
def test_load_scores_names_what_is_wrong(
    scored: Store, tmp_path: Path, select: str, problem: str
) -> None:
    folder = write_scores(scored, tmp_path / "scores", select)
    with pytest.raises(InputError, match="^" + re.escape(f"{folder}: {problem}")):
        service.load_scores(
            scored, folder, service.default_model(), as_of=AS_OF, now=datetime(2026, 12, 5)
        )


def test_load_scores_refuses_another_as_of_or_model(scored: Store, tmp_path: Path) -> None:
    folder = write_scores(scored, tmp_path / "scores")
    later = datetime(2026, 12, 31)
    with pytest.raises(InputError, match="as of 2026-11-30 00:00:00, not 2026-12-31 00:00:00"):
        service.load_scores(scored, folder, service.default_model(), as_of=later, now=later)
    with pytest.raises(InputError, match=r"not 'ties' \(\w{12}\); pass the model file"):
        service.load_scores(scored, folder, tie_model(), as_of=AS_OF, now=later)
    with pytest.raises(InputError, match=r"no \.parquet files; write scores there with"):
        service.load_scores(scored, tmp_path, service.default_model(), as_of=AS_OF, now=later)
