"""Real-time updates and manual adjustments, through the service on a real store.

The live score's definition (execrank.live): a post at `now` recomputes its contact at
as_of = known_at = now; its rank is its place among the snapshot's rows with the live rows in
their place. When nothing else changed and now = the snapshot's as_of, that view is exactly
what a full rescore gives; these tests check it on generated facts.
"""

from __future__ import annotations

import importlib.util
import json
import re
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from execrank import live, scoring, service
from execrank.errors import BusyError, NotFoundError, RecordError
from execrank.merge import merge
from execrank.store import Store
from tests.conftest import write_csv

AS_OF = datetime(2026, 6, 1)
IMPORTED = AS_OF - timedelta(hours=2)
SNAPSHOT_KNOWN = AS_OF - timedelta(hours=1)
MODEL = service.default_model()
EVENT_TYPES = sorted(MODEL.engagement.events)
TITLES = ["CEO", "VP Marketing", "董事长", "Head of Data", "Analyst", "Former CFO", ""]
FAST = settings(
    max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def scored(folder: Path, titles: list[str], events: list[tuple[int, str, int]]) -> Store:
    """A store of contacts p0.. with these titles and events (contact, type, age in days),
    imported before the snapshot and scored at AS_OF."""
    store = Store.open(":memory:")
    contacts = [[f"p{i}", title, "co1" if i % 2 else ""] for i, title in enumerate(titles)]
    rows = [
        [f"p{who % len(titles)}", kind, f"a{who}", (AS_OF - timedelta(days=age)).isoformat()]
        for who, kind, age in events
    ]
    for kind, header, data in (
        ("companies", ["company_id", "name"], [["co1", "Acme"]]),
        ("contacts", ["contact_id", "title", "company_id"], contacts),
        ("events", ["contact_id", "event_type", "asset", "occurred_at"], rows),
    ):
        service.import_file(
            store, kind, write_csv(folder / f"{kind}.csv", header, data), ingested_at=IMPORTED
        )
    service.score(store, MODEL, as_of=AS_OF, known_at=SNAPSHOT_KNOWN)
    return store


def view(store: Store) -> list[tuple[str, float, int, str]]:
    return [(c.contact_id, c.total, c.rank, c.tier) for c in service.rank(store)]


titles = st.lists(st.sampled_from(TITLES), min_size=1, max_size=6)
history = st.lists(
    st.tuples(st.integers(0, 5), st.sampled_from(EVENT_TYPES), st.integers(0, 400)), max_size=25
)
posts = st.lists(
    st.tuples(st.integers(0, 5), st.sampled_from(EVENT_TYPES), st.integers(0, 60)),
    min_size=1,
    max_size=3,
)


@pytest.mark.slow
@FAST
@given(titles=titles, facts=history, posted=posts)
def test_posts_at_the_snapshot_time_give_exactly_a_full_rescore(
    tmp_path: Path,
    titles: list[str],
    facts: list[tuple[int, str, int]],
    posted: list[tuple[int, str, int]],
) -> None:
    with scored(tmp_path, titles, facts) as store:
        for who, kind, age in posted:
            fields = {
                "contact_id": f"p{who % len(titles)}",
                "event_type": kind,
                "occurred_at": (AS_OF - timedelta(days=age)).isoformat(),
            }
            last, _ = service.post_event(store, fields, actor="test", now=AS_OF)
        live_view = view(store)
        service.score(store, MODEL, as_of=AS_OF, known_at=AS_OF)  # the full rescore
        assert live_view == view(store)
        assert (last.contact_id, last.total, last.rank, last.tier) in view(store)


@pytest.mark.slow
@FAST
@given(titles=titles, facts=history, days_later=st.integers(1, 400))
def test_a_later_post_scores_its_contact_as_a_full_rescore_then_would(
    tmp_path: Path, titles: list[str], facts: list[tuple[int, str, int]], days_later: int
) -> None:
    now = AS_OF + timedelta(days=days_later)
    with scored(tmp_path, titles, facts) as store:
        posted, _ = service.post_event(
            store,
            {"contact_id": "p0", "event_type": EVENT_TYPES[0], "occurred_at": now.isoformat()},
            actor="test",
            now=now,
        )
        # its rank: its place among the snapshot's other rows, ordered as a full rescore orders
        rows = store.query(
            "SELECT contact_id, total, heat FROM scores WHERE contact_id <> 'p0' UNION ALL "
            "SELECT contact_id, total, heat FROM live_scores"
        )
        order = sorted(rows, key=lambda r: (-r[1], -r[2], r[0]))
        assert posted.rank == [r[0] for r in order].index("p0") + 1
        assert (posted.total, posted.rank, posted.tier) in [
            (t, r, tier) for _, t, r, tier in view(store)
        ]
        service.score(store, MODEL, as_of=now, known_at=now)  # the full rescore at now
        full = {c: (total, tier) for c, total, _, tier in view(store)}
        assert (posted.total, posted.tier) == full["p0"]


@pytest.mark.slow
@FAST
@given(titles=titles, facts=history, posted=posts, top=st.integers(1, 4))
def test_a_short_list_is_the_head_of_the_whole_live_view(
    tmp_path: Path,
    titles: list[str],
    facts: list[tuple[int, str, int]],
    posted: list[tuple[int, str, int]],
    top: int,
) -> None:
    # the dashboard's top lists rank only the rows near the top; equal totals (the same title)
    # are ordered by heat, then contact_id, as in the whole view
    with scored(tmp_path, titles, facts) as store:
        for number, (who, kind, age) in enumerate(posted):
            now = AS_OF + timedelta(days=age % 7, minutes=number)
            fields = {
                "contact_id": f"p{who % len(titles)}",
                "event_type": kind,
                "occurred_at": (now - timedelta(days=age)).isoformat(),
            }
            service.post_event(store, fields, actor="test", now=now)
        whole = service.rank(store)
        assert service.rank(store, top=top) == whole[:top]
        for tier in ("A", "B", "C", "-"):
            of_tier = [c for c in whole if c.tier == tier]
            assert service.rank(store, top=top, tier=tier) == of_tier[:top]


def _bench_generator() -> ModuleType:
    """bench/generate.py, the benchmarks' store generator (a script outside the package)."""
    path = Path(__file__).resolve().parent.parent / "bench" / "generate.py"
    spec = importlib.util.spec_from_file_location("bench_generate", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_scoring_a_few_contacts_gives_them_what_scoring_everyone_does(tmp_path: Path) -> None:
    # The live update scores only the posted contacts and reads only their facts (their
    # events, signals and those of their companies, relationships, stated roles, adjustments);
    # on a generated store with facts for every rule, one contact per rule that fires (and one
    # unknown id) get exactly the rows and contributions the whole-store query gives them.
    generator = _bench_generator()
    generator.generate(tmp_path / "bench.duckdb", 2000, 7)
    as_of, known_at = generator.AS_OF, generator.INGESTED_AT
    with Store.open(tmp_path / "bench.duckdb") as store:
        everyone = store.contributions(scoring.contributions_query(MODEL, as_of, known_at))
        first_by_rule = {}
        for contact_id, _, rule, *_ in everyone:
            first_by_rule.setdefault(rule, contact_id)
        assert MODEL.network.memberships is not None
        shared = f"network.{MODEL.network.memberships.earns}"  # members of a customer's club
        assert {shared, "tier.stale_a", "tier.silent_executive", "manual adjustment"} <= set(
            first_by_rule
        )
        # and a contact with intent from a signal about its company, not about itself
        by_company = next(row[0] for row in everyone if "about the company" in row[4])
        chosen = sorted({*first_by_rule.values(), by_company})
        few = store.contributions(
            scoring.contributions_query(MODEL, as_of, known_at, [*chosen, "nobody"])
        )
        assert few == [row for row in everyone if row[0] in chosen]
        full = store.query(f"SELECT * FROM ({scoring.scores_query(MODEL, as_of, known_at)})")
        scoped = store.query(
            f"SELECT * FROM ({scoring.scores_query(MODEL, as_of, known_at, chosen)})"
        )
        without_rank = [(*row[:9], row[10]) for row in full if row[0] in chosen]
        assert sorted((*row[:9], row[10]) for row in scoped) == sorted(without_rank)
        # the live path's form of it: prepared text with parameters, run with their values
        statement, arguments = scoring.scores_statement(
            MODEL, as_of, known_at, [*chosen, "O'Brien"], store.companies_of(chosen)
        )
        store.execute(f"PREPARE chosen AS {statement}")
        assert sorted(store.query(f"EXECUTE chosen({arguments})")) == sorted(scoped)


def test_a_post_prepares_its_scoring_statement_once_and_reads_by_index(tmp_path: Path) -> None:
    # p0 and p2 have no company: one statement for one contact of no company serves both.
    # DuckDB plans a prepared statement again at each EXECUTE with its arguments as constants,
    # so it reads the tables as the query with literals does: p0's few events (p1 has 30) are
    # looked up by index, not scanned.
    history = [(1, "meeting", age) for age in range(30)]
    with scored(tmp_path, ["CEO", "VP Marketing", "Analyst"], history) as store:
        for number, who in enumerate(["p0", "p2", "p0"]):
            fields = {"contact_id": who, "event_type": "meeting", "asset": f"a{number}"}
            service.post_event(store, {**fields, "occurred_at": "2026-06-01"}, actor="t", now=AS_OF)
        ((name,),) = store.query("SELECT name FROM duckdb_prepared_statements()")
        _, arguments = scoring.scores_statement(MODEL, AS_OF, AS_OF, ["p0"], [])
        prepared = _scans(store, f"EXECUTE {name}(snapshot := 1, {arguments})")
        literal = _scans(store, scoring.scores_query(MODEL, AS_OF, AS_OF, ["p0"], []))
        assert ("memory.main.events", "Index Scan") in literal
        assert prepared - {("memory.main.live_scores", "Sequential Scan")} == literal


def test_a_connection_keeps_a_bounded_number_of_prepared_statements(tmp_path: Path) -> None:
    # one statement per number of contacts scored together: 1 to 18 contacts of co1 make 18
    # statements; the oldest are let go, and the first number is prepared again when it comes.
    # Nothing changed since the snapshot, which saw every fact: the live totals are its totals.
    with scored(tmp_path, [f"CTO {n}" for n in range(36)], []) as store:
        snapshot = dict(store.query("SELECT contact_id, total FROM scores"))
        contacts = store.contacts_of_company("co1")
        for count in [*range(1, 19), 1]:
            with store.transaction():
                scores = live.update(store, contacts[:count], now=AS_OF)
            assert {s.contact_id: s.total for s in scores} == {
                c: snapshot[c] for c in contacts[:count]
            }
        kept = store.query("SELECT count(*) FROM duckdb_prepared_statements()")[0][0]
        assert 1 <= kept < 18


def _scans(store: Store, statement: str) -> set[tuple[str, str]]:
    """(table, how it is read) of each table scan in the plan DuckDB runs for a statement."""
    ((_, plan),) = store.query(f"EXPLAIN (ANALYZE, FORMAT JSON) {statement}")
    return {
        (node["extra_info"]["Table"], node["extra_info"]["Type"])
        for node in _operators(json.loads(plan)["operator"])
        if "Table" in node["extra_info"]
    }


def _operators(nodes: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    """Every operator of a DuckDB plan in its JSON form."""
    for node in nodes:
        yield node
        yield from _operators(node.get("children", []))


def test_a_bad_event_names_the_field_and_stores_nothing(tmp_path: Path) -> None:
    with scored(tmp_path, ["CEO"], []) as store:
        bad = {"contact_id": "p0", "event_type": "meeting", "occurred_at": "yesterday"}
        with pytest.raises(RecordError, match="occurred_at"):
            service.post_event(store, bad, actor="test", now=AS_OF)
        stranger = {"contact_id": "nobody", "event_type": "meeting", "occurred_at": "2026-06-01"}
        with pytest.raises(
            RecordError, match="field 'contact_id': 'nobody' names no record in contacts"
        ):
            service.post_event(store, stranger, actor="test", now=AS_OF)
        with pytest.raises(RecordError, match="field 'colour': 'red' is no events field"):
            service.post_event(store, {**stranger, "colour": "red"}, actor="test", now=AS_OF)
        assert store.count("events") == 0


def test_a_posted_event_is_attributed_and_explained_at_its_time(tmp_path: Path) -> None:
    # p0 is a CEO (role 10, no company: fit 0); a meeting (12 points, half-life 90 days in
    # the default model) on the day it is posted is worth 12.0 at as_of = now.
    with scored(tmp_path, ["CEO"], []) as store:
        now = AS_OF + timedelta(days=3)
        fields = {"contact_id": "p0", "event_type": "meeting", "occurred_at": now.isoformat()}
        posted, _ = service.post_event(store, fields, actor="li.wei", now=now)
        meeting = MODEL.engagement.events["meeting"].points * MODEL.weights.engagement
        assert posted.total == pytest.approx(service.explain(store, "p0").total)
        explanation = service.explain(store, "p0")
        assert explanation.snapshot.as_of == now
        assert [c.points for c in explanation.contributions if c.dimension == "engagement"] == [
            pytest.approx(meeting)
        ]
        assert store.query("SELECT source_file FROM events") == [("posted by li.wei",)]


def test_a_posted_event_the_model_does_not_score_warns_as_its_import_would(
    tmp_path: Path,
) -> None:
    with scored(tmp_path, ["CEO", "CFO"], []) as store:
        tweet = {"contact_id": "p0", "event_type": "tweet", "occurred_at": "2026-06-01"}
        posted, warnings = service.post_event(store, tweet, actor="li.wei", now=AS_OF)
        assert warnings == [
            f"1 events rows have event types the model {MODEL.name!r} does not score, so they "
            f"earn no points: tweet (1); it scores {', '.join(EVENT_TYPES)}"
        ]
        assert posted.total == service.explain(store, "p0").total  # stored, worth nothing
        assert store.query("SELECT event_type FROM events") == [("tweet",)]
        # a file holding the same row (of p1) gets the same sentence from the import
        file = write_csv(tmp_path / "tweet.csv", list(tweet), [["p1", "tweet", "2026-06-01"]])
        imported = service.import_file(store, "events", file, ingested_at=AS_OF, model=MODEL)
        assert imported.warnings == warnings
        meeting = {**tweet, "event_type": "meeting"}
        assert service.post_event(store, meeting, actor="li.wei", now=AS_OF)[1] == []


def test_a_posted_event_with_a_stored_id_keeps_the_values_it_leaves_blank(
    tmp_path: Path,
) -> None:
    with scored(tmp_path, ["CEO", "CFO"], []) as store:
        header = ["event_id", "contact_id", "event_type", "asset", "occurred_at", "source"]
        imported = [["e3", "p0", "reply_to_sales", "r", "2026-05-01", "crm"]]
        events = write_csv(tmp_path / "crm.csv", header, imported)
        service.import_file(store, "events", events, ingested_at=IMPORTED)
        fields = {
            "event_id": "e3",
            "contact_id": "p1",
            "event_type": "meeting",
            "occurred_at": "2026-06-01",
        }
        service.post_event(store, fields, actor="li.wei", now=AS_OF)
        # as an import row with blank asset and source cells would: those stay as stored
        assert store.query(
            "SELECT event_id, contact_id, event_type, asset, occurred_at, source, source_file "
            "FROM events"
        ) == [("e3", "p1", "meeting", "r", AS_OF, "crm", "posted by li.wei")]


def test_moving_an_event_to_another_contact_rescores_the_contact_it_leaves(
    tmp_path: Path,
) -> None:
    with scored(tmp_path, ["CEO", "CFO"], []) as store:
        header = ["event_id", "contact_id", "event_type", "occurred_at"]
        events = write_csv(tmp_path / "crm.csv", header, [["e3", "p0", "meeting", "2026-05-20"]])
        service.import_file(store, "events", events, ingested_at=IMPORTED)
        service.score(store, MODEL, as_of=AS_OF, known_at=AS_OF)  # p0 holds the meeting
        now = AS_OF + timedelta(days=1)
        fields = {"event_id": "e3", "contact_id": "p1", "event_type": "meeting"}
        posted, _ = service.post_event(
            store, {**fields, "occurred_at": "2026-05-20"}, actor="li.wei", now=now
        )
        assert posted.contact_id == "p1"
        assert store.query("SELECT contact_id FROM live_scores ORDER BY 1") == [("p0",), ("p1",)]
        live_view = view(store)
        service.score(store, MODEL, as_of=now, known_at=now)  # the full rescore at now
        # Both contacts are live, nothing else is stored: the live view is the full rescore's,
        # p0 without the meeting's points, p1 with them.
        assert live_view == view(store)
        full = {contact: (total, rank, tier) for contact, total, rank, tier in view(store)}
        assert (posted.total, posted.rank, posted.tier) == full["p1"]


def test_a_signal_about_a_company_updates_each_of_its_contacts(tmp_path: Path) -> None:
    with scored(tmp_path, ["CEO", "VP Marketing", "Analyst", "CFO"], []) as store:
        fields = {
            "company_id": "co1",
            "kind": "news",
            "occurred_at": AS_OF.isoformat(),
            "text": "Acme announced a digital transformation program for all plants.",
        }
        updated = service.post_signal(store, fields, actor="test", now=AS_OF)
        assert [s.contact_id for s in updated] == ["p1", "p3"]  # the contacts of co1
        assert all(s.total == service.explain(store, s.contact_id).total for s in updated)
        assert all(
            any(c.dimension == "intent" for c in service.explain(store, s.contact_id).contributions)
            for s in updated
        )


def _intent(store: Store, contact_id: str) -> float:
    explanation = service.explain(store, contact_id)
    return sum(c.points for c in explanation.contributions if c.dimension == "intent")


@pytest.mark.parametrize(
    ("first", "then", "left"),
    [
        ({"company_id": "co1"}, {"company_id": "co2"}, ["p1", "p3"]),
        ({"contact_id": "p0"}, {"contact_id": "p1"}, ["p0"]),
    ],
)
def test_moving_a_signal_to_another_subject_rescores_the_contacts_it_leaves(
    tmp_path: Path, first: dict[str, str], then: dict[str, str], left: list[str]
) -> None:
    # p1 and p3 work at co1 (see `scored`), p0 and p2 at co2: every contact is the subject of
    # one of the two posts, so after both the whole live view is a full rescore's
    with scored(tmp_path, ["CEO", "VP Marketing", "CFO", "Analyst"], []) as store:
        header = ["contact_id", "title", "company_id"]
        moved = [["p0", "CEO", "co2"], ["p2", "CFO", "co2"]]
        for kind, columns, rows in (
            ("companies", ["company_id", "name"], [["co2", "Beta"]]),
            ("contacts", header, moved),
        ):
            file = write_csv(tmp_path / f"more_{kind}.csv", columns, rows)
            service.import_file(store, kind, file, ingested_at=IMPORTED)
        service.score(store, MODEL, as_of=AS_OF, known_at=AS_OF)
        now = AS_OF + timedelta(days=1)
        signal = {
            "signal_id": "s1",
            "kind": "news",
            "occurred_at": now.isoformat(),
            "text": "Acme announced a digital transformation program for all plants.",
        }
        service.post_signal(store, {**signal, **first}, actor="li.wei", now=now)
        assert all(_intent(store, contact) > 0 for contact in left)
        posted = service.post_signal(store, {**signal, **then}, actor="li.wei", now=now)
        assert not {s.contact_id for s in posted} & set(left)  # the post returns its subject's
        assert all(_intent(store, contact) == 0 for contact in left)
        live_view = view(store)
        service.score(store, MODEL, as_of=now, known_at=now)  # the full rescore at now
        assert live_view == view(store)


def test_a_post_naming_a_merged_id_lands_on_the_record_it_joined(tmp_path: Path) -> None:
    # as an import file's row does: p1 was merged into p0, co2 into co1 (whose contacts are
    # p1, now p0's, and p3)
    with scored(tmp_path, ["CEO", "VP Marketing", "CFO", "Analyst"], []) as store:
        companies = write_csv(tmp_path / "co2.csv", ["company_id", "name"], [["co2", "Beta"]])
        service.import_file(store, "companies", companies, ingested_at=IMPORTED)
        merge(store, "contacts", "p0", "p1", reason="same person", actor="t", now=IMPORTED)
        merge(store, "companies", "co1", "co2", reason="same company", actor="t", now=IMPORTED)
        row = {"contact_id": "p1", "event_type": "meeting", "occurred_at": "2026-06-01"}
        posted, _ = service.post_event(store, row, actor="li.wei", now=AS_OF)
        assert posted.contact_id == "p0"
        assert store.query("SELECT contact_id FROM events") == [("p0",)]
        # the same row in a file is the same event (its key is made from the record's id)
        events = write_csv(tmp_path / "ev.csv", list(row), [list(row.values())])
        service.import_file(store, "events", events, ingested_at=AS_OF)
        assert store.count("events") == 1
        signal = {"company_id": "co2", "kind": "news", "occurred_at": "2026-06-01", "text": "AI"}
        updated = service.post_signal(store, signal, actor="li.wei", now=AS_OF)
        assert [s.contact_id for s in updated] == ["p0", "p3"]
        assert store.query("SELECT company_id FROM signals") == [("co1",)]


def test_an_adjustment_counts_inside_the_intent_cap_until_it_expires(tmp_path: Path) -> None:
    with scored(tmp_path, ["CEO", "Analyst"], []) as store:
        before = service.explain(store, "p1").total
        until = AS_OF + timedelta(days=30)
        adjustment, live = service.adjust(
            store, "p1", points=6, reason="Met at the summit", expires_at=until,
            actor="li.wei", now=AS_OF,
        )  # fmt: skip
        # intent 0 + 6 (weight 1 in the default model), below the cap: the total rises by 6
        assert MODEL.weights.intent == 1.0 and MODEL.intent.cap >= 6
        assert live.total == pytest.approx(before + 6)
        manual = [c for c in service.explain(store, "p1").contributions if c.dimension == "intent"]
        assert [(c.rule, c.points, c.evidence) for c in manual] == [
            ("manual adjustment", 6.0, "Met at the summit (by li.wei, until 2026-07-01)")
        ]
        # beyond the cap, the cap holds; a later full rescore after the expiry ignores it
        _, capped = service.adjust(
            store, "p1", points=1000, reason="All in", expires_at=until, actor="li", now=AS_OF
        )
        assert capped.total == pytest.approx(before + MODEL.intent.cap)
        service.score(store, MODEL, as_of=until, known_at=until)
        assert service.explain(store, "p1").total == pytest.approx(before)
        kept = service.adjustments(store, "p1")
        assert [a.points for a in kept] == [6.0, 1000.0]  # expired, still on record
        assert [a.active(until) for a in kept] == [False, False]
        assert adjustment in kept


def test_a_cut_cannot_take_intent_below_zero(tmp_path: Path) -> None:
    with scored(tmp_path, ["CEO"], []) as store:
        before = service.explain(store, "p0").total
        _, live = service.adjust(
            store, "p0", points=-5, reason="Wrong person", expires_at=AS_OF + timedelta(days=9),
            actor="li", now=AS_OF,
        )  # fmt: skip
        # intent -5 is raised to the floor 0: the total does not move, and explain says why
        assert live.total == pytest.approx(before)
        rules = {c.rule: c.points for c in service.explain(store, "p0").contributions}
        assert rules["manual adjustment"] == -5.0 and rules["intent.floor"] == 5.0


def test_an_adjustment_needs_a_reason_a_future_expiry_and_a_known_contact(
    tmp_path: Path,
) -> None:
    with scored(tmp_path, ["CEO"], []) as store:
        with pytest.raises(RecordError, match="reason is empty"):
            service.adjust(store, "p0", points=3, reason=" ", expires_at=None, actor="x", now=AS_OF)
        with pytest.raises(RecordError, match="expires 2026-05-01 00:00 is not after now"):
            service.adjust(
                store, "p0", points=3, reason="r", expires_at=datetime(2026, 5, 1), actor="x",
                now=AS_OF,
            )  # fmt: skip
        with pytest.raises(NotFoundError, match="no contact 'p9'"):
            service.adjust(store, "p9", points=3, reason="r", expires_at=None, actor="x", now=AS_OF)
        for points in (1e20, -1001.0):  # 1e20 overflowed the stored points: an error 500
            with pytest.raises(RecordError, match=re.escape(f"points {points!r} is beyond ±1000")):
                service.adjust(
                    store, "p0", points=points, reason="r", expires_at=None, actor="x", now=AS_OF
                )
        assert service.adjustments(store, "p0") == []
        service.adjust(store, "p0", points=-1000, reason="r", expires_at=None, actor="x", now=AS_OF)


def test_history_has_a_point_per_snapshot_and_the_live_one(tmp_path: Path) -> None:
    with scored(tmp_path, ["CEO", "Analyst"], []) as store:
        later = AS_OF + timedelta(days=7)
        service.score(store, MODEL, as_of=later, known_at=later)
        fields = {"contact_id": "p1", "event_type": "meeting", "occurred_at": later.isoformat()}
        posted, _ = service.post_event(store, fields, actor="t", now=later + timedelta(hours=1))
        points = service.history(store, "p1")
        assert [(p.snapshot_id, p.as_of, p.live) for p in points] == [
            (1, AS_OF, False),
            (2, later, False),
            (2, later + timedelta(hours=1), True),
        ]
        assert (points[-1].total, points[-1].rank, points[-1].tier) == (
            posted.total,
            posted.rank,
            posted.tier,
        )
        with pytest.raises(NotFoundError):
            service.history(store, "p9")


def test_a_full_rescore_supersedes_live_rows_and_keeps_posts_made_while_it_ran(
    tmp_path: Path,
) -> None:
    with scored(tmp_path, ["CEO", "Analyst"], []) as store:
        fields = {"contact_id": "p1", "event_type": "meeting", "occurred_at": AS_OF.isoformat()}
        posted, _ = service.post_event(store, fields, actor="t", now=AS_OF + timedelta(minutes=5))
        # a rescore that started (known_at) before the post: the post is rescored live on it
        snapshot = service.rescore(store, MODEL, as_of=AS_OF, now=AS_OF + timedelta(minutes=1))
        assert snapshot.snapshot_id == 2
        again = service.history(store, "p1")[-1]
        assert (again.snapshot_id, again.live, again.total) == (2, True, posted.total)
        # a rescore after it: the snapshot has the event, no live row is needed
        service.rescore(store, MODEL, as_of=AS_OF, now=AS_OF + timedelta(minutes=10))
        assert [p.live for p in service.history(store, "p1")] == [False, False, False]


def test_a_rescore_is_refused_while_another_runs(tmp_path: Path) -> None:
    with scored(tmp_path, ["CEO"], []) as store:
        with service.RESCORE_LOCK, pytest.raises(BusyError, match="already running"):
            # the lock is what a running rescore holds
            service.rescore(store, MODEL, as_of=AS_OF, now=AS_OF)
        assert service.rescore(store, MODEL, as_of=AS_OF, now=AS_OF).snapshot_id == 2


def test_the_adjust_command_prints_the_new_score_and_explain_shows_it(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from execrank.cli import app

    db = tmp_path / "execrank.duckdb"
    with Store.open(db) as store:
        write_csv(tmp_path / "c.csv", ["contact_id", "title"], [["p1", "Analyst"]])
        service.import_file(store, "contacts", tmp_path / "c.csv", ingested_at=IMPORTED)
        service.score(store, MODEL, as_of=AS_OF, known_at=SNAPSHOT_KNOWN)
        before = service.explain(store, "p1").total
    runner = CliRunner()
    done = runner.invoke(
        app,
        ["adjust", "p1", "--points", "4", "--reason", "Asked for a demo", "--expires",
         "2099-01-01", "--actor", "maria", "--db", str(db)],
    )  # fmt: skip
    assert done.exit_code == 0, done.output
    # intent 0 + 4 below the cap: the total rises by 4
    assert f"total {before + 4:.2f}, rank 1" in done.output
    shown = runner.invoke(app, ["explain", "p1", "--db", str(db)])
    assert "Asked for a demo (by maria, until 2099-01-01)" in shown.output  # the contribution
    assert "adjustment +4 (active): Asked for a demo by maria on " in shown.output  # the audit
    bad = runner.invoke(
        app,
        ["adjust", "p1", "--points", "4", "--reason", "x", "--expires", "soon", "--db", str(db)],
    )
    assert bad.exit_code == 1
