"""Routing through a real store: tier entry routes exactly once, accounts stay with one rep,
capacity holds, CRM owners are kept until the tier changes.

Contacts are made A by a CEO title at a company meeting every ICP criterion (role 10 + fit 10 =
profile 20 >= 14) with a meeting (12) and a reply (10) today (heat 22 >= 20); B by a CEO at a
company meeting some criteria (profile 15) with one meeting today (heat 12 >= 8).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import yaml

from execrank import export, service
from execrank import model as scoring_model
from execrank.model import ScoringModel
from execrank.store import Store
from tests.facts import ACME, COMPANY_HEADER, TINY, import_facts

AS_OF = datetime(2026, 6, 1)
NOW = datetime(2026, 6, 2)
COMPANIES = [ACME, ["globex", "Globex", "3000000000", "9000", "Technology", "US"], TINY]


def small_pools(capacity: int | None = None) -> ScoringModel:
    """The default model with pool A = reps a1, a2 (each `capacity`) and pool B = rep b1."""
    data: dict[str, Any] = yaml.safe_load(scoring_model.default_yaml())
    data["routing"] = {
        "A": {"seniority": "senior", "reps": [{"name": "a1"}, {"name": "a2"}]},
        "B": {"seniority": "mid", "reps": [{"name": "b1"}]},
    }
    if capacity is not None:
        for rep in data["routing"]["A"]["reps"]:
            rep["capacity"] = capacity
    return ScoringModel.model_validate(data)


def load(store: Store, folder: Path, contacts: Sequence[Sequence[str]], hot: Sequence[str]) -> None:
    """contacts: (contact_id, company_id, owner); every one is a CEO; `hot` ones met and replied
    today, the others only met today."""
    events = [[c, "meeting", "briefing", AS_OF.isoformat()] for c, _, _ in contacts]
    events += [[c, "reply_to_sales", "intro", AS_OF.isoformat()] for c in hot]
    files = {
        "companies": (COMPANY_HEADER, COMPANIES),
        "contacts": (
            ["contact_id", "title", "company_id", "owner"],
            [[c, "CEO", company, owner] for c, company, owner in contacts],
        ),
        "events": (["contact_id", "event_type", "asset", "occurred_at"], events),
    }
    import_facts(store, folder, files, ingested_at=AS_OF)


def reps(store: Store) -> dict[str, tuple[str, str]]:
    return {contact_id: (tier, rep) for contact_id, _, tier, rep in store.assignments()}


def test_entering_a_tier_routes_once_however_often_it_is_rescored(
    store: Store, tmp_path: Path
) -> None:
    model = small_pools()
    load(store, tmp_path, [("ceo", "acme", ""), ("other", "globex", "")], hot=["ceo", "other"])
    service.score(store, model, as_of=AS_OF, known_at=NOW)
    first = service.route(store, now=NOW)
    # both enter A: round robin a1, a2 in rank order (equal totals: contact_id "ceo" < "other")
    assert [(m.contact_id, m.rep) for m in first.moves] == [("ceo", "a1"), ("other", "a2")]
    service.score(store, model, as_of=AS_OF, known_at=NOW)
    assert service.route(store, now=NOW).moves == []  # rescored without change
    for day in range(1, 6):  # five live updates while it stays in A
        when = NOW + timedelta(hours=day)
        event = {"contact_id": "ceo", "event_type": "web_visit", "asset": f"/p{day}"}
        score, _ = service.post_event(
            store, {**event, "occurred_at": when.isoformat()}, actor="test", now=when
        )
        assert score.tier == "A"
        assert service.route(store, now=when).moves == []
    assert reps(store) == {"ceo": ("A", "a1"), "other": ("A", "a2")}
    logged = store.query("SELECT contact_id, rep FROM routing_log ORDER BY contact_id")
    assert logged == [("ceo", "a1"), ("other", "a2")]


def test_a_tier_change_routes_again_and_leaving_every_tier_releases(
    store: Store, tmp_path: Path
) -> None:
    model = small_pools()
    load(store, tmp_path, [("ceo", "acme", "")], hot=["ceo"])
    service.score(store, model, as_of=AS_OF, known_at=NOW)
    service.route(store, now=NOW)
    # 46 days later: heat (12 + 10) * 2^(-46/90) = 15.4 < 20, not A; profile 20 >= 18: B,
    # so the contact enters B and pool B takes it
    later = AS_OF + timedelta(days=46)
    service.score(store, model, as_of=later, known_at=NOW)
    (move,) = service.route(store, now=later).moves
    assert (move.previous_tier, move.previous_rep, move.tier, move.rep) == ("A", "a1", "B", "b1")
    # two years later: heat ~ 0, profile 20 >= 18: still B; no move
    service.score(store, model, as_of=AS_OF + timedelta(days=730), known_at=NOW)
    assert service.route(store, now=later).moves == []


def test_an_account_stays_with_one_rep(store: Store, tmp_path: Path) -> None:
    model = small_pools()
    contacts = [("acme-ceo", "acme", ""), ("acme-cto", "acme", ""), ("globex-ceo", "globex", "")]
    load(store, tmp_path, contacts, hot=[c for c, _, _ in contacts])
    service.score(store, model, as_of=AS_OF, known_at=NOW)
    done = service.route(store, now=NOW)
    # rank order acme-ceo, acme-cto, globex-ceo (equal totals, by id): a1 by round robin, a1
    # again for Acme, then the round robin goes on with a2
    assert {m.contact_id: m.rep for m in done.moves} == {
        "acme-ceo": "a1",
        "acme-cto": "a1",
        "globex-ceo": "a2",
    }
    assert "account acme is with a1" in next(
        m.reason for m in done.moves if m.rep == "a1" and m.contact_id == "acme-cto"
    )


def test_capacity_is_respected_and_the_overflow_waits(store: Store, tmp_path: Path) -> None:
    model = small_pools(capacity=1)
    contacts = [("p1", "acme", ""), ("p2", "acme", ""), ("p3", "globex", "")]
    load(store, tmp_path, contacts, hot=[c for c, _, _ in contacts])
    service.score(store, model, as_of=AS_OF, known_at=NOW)
    dry = service.route(store, now=NOW, dry_run=True)
    assert reps(store) == {}  # a dry run stores nothing
    done = service.route(store, now=NOW)
    assert [m.contact_id for m in done.moves] == [m.contact_id for m in dry.moves]
    # p1 -> a1 (full at 1); p2 (Acme) cannot join a1: round robin a2; p3: nobody has room
    assert reps(store) == {"p1": ("A", "a1"), "p2": ("A", "a2")}
    assert [m.contact_id for m in done.waiting] == ["p3"]
    # the waiting contact is tried again by the next run, not forgotten
    assert [m.contact_id for m in service.route(store, now=NOW).waiting] == ["p3"]


def test_crm_owners_are_kept_until_the_tier_changes(store: Store, tmp_path: Path) -> None:
    model = small_pools()
    load(store, tmp_path, [("owned", "acme", "maria"), ("quiet", "tiny", "")], hot=["owned"])
    service.score(store, model, as_of=AS_OF, known_at=NOW)
    done = {m.contact_id: m for m in service.route(store, now=NOW).moves}
    # owned: A, kept with its CRM owner; quiet: profile 15, heat 12 -> B -> pool B
    assert (done["owned"].rep, done["owned"].reason) == ("maria", "existing owner kept")
    assert done["quiet"].rep == "b1"
    later = AS_OF + timedelta(days=46)  # owned leaves A (see the tier-change test): pool B
    service.score(store, model, as_of=later, known_at=NOW)
    (move,) = service.route(store, now=later).moves
    assert (move.contact_id, move.previous_rep, move.rep) == ("owned", "maria", "b1")


def test_rank_and_explain_show_rep_and_playbook(store: Store, tmp_path: Path) -> None:
    load(store, tmp_path, [("ceo", "acme", "")], hot=["ceo"])
    service.score(store, small_pools(), as_of=AS_OF, known_at=NOW)
    assert service.rank(store)[0].rep is None
    service.route(store, now=NOW)
    (ranked,) = service.rank(store)
    assert (ranked.rep, ranked.playbook) == ("a1", "one-to-one")
    explained = service.explain(store, "ceo")
    assert explained.contact.rep == "a1" and explained.playbook_steps
    assert explained.playbook_steps[0].startswith("personal call from the senior account manager")
    (record,) = json.loads(export.export(store, export.ExportFormat.json).content)
    assert (record["rep"], record["playbook"]) == ("a1", "one-to-one")
    text = export.export(store, export.ExportFormat.csv).content.decode("utf-8-sig")
    (row,) = csv.DictReader(io.StringIO(text))
    assert (row["rep"], row["playbook"]) == ("a1", "one-to-one")


def test_route_summary_does_not_call_waiting_contacts_moves(store: Store, tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from execrank.cli import app

    contacts = [(f"p{i:02}", "globex", "") for i in range(60)]
    load(store, tmp_path, contacts, hot=[c for c, _, _ in contacts])
    service.score(store, small_pools(capacity=1), as_of=AS_OF, known_at=NOW)
    store.close()
    db = ["--db", str(tmp_path / "test.duckdb")]
    runner = CliRunner()
    runner.invoke(app, ["route", *db])  # a1 and a2 take one each (capacity 1); 58 wait
    again = runner.invoke(app, ["route", *db])
    assert again.exit_code == 0, again.output
    # 58 rows, 50 shown as a table: the 8 others are waiting contacts, not moves
    assert "... and 8 more rows (--format csv lists all)" in again.stdout
    assert "0 contacts moved to a rep, 58 waiting for capacity, 0 released" in again.stdout
