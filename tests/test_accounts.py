"""The account view and the generic comparison, through a real store and the CLI.

Default model numbers used below: CEO 10, CFO 10 (c_level), CIO 10, VP 7, director 4; fit all 10;
meeting 12 and reply 10 today; account score = best total + 0.5 x second + 0.25 x third; seats:
economic buyer (c_level or board x executive or finance, or a stated Economic Buyer / Budget
Holder / Decision Maker), product function head (c_level, vp or director x it, or a stated
Technical Buyer / Executive Sponsor); engaged = engagement >= 1. Generic model: +2 email click,
+5 download, +1 page view (web_visit), no decay.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner

from execrank import accounts, compare, service
from execrank.cli import app
from execrank.store import Store
from tests.facts import ACME, COMPANY_HEADER, import_facts

AS_OF = datetime(2026, 6, 1)
NOW = datetime(2026, 6, 2)


def load(store: Store, folder: Path) -> None:
    today = AS_OF.isoformat()
    files = {
        "companies": (COMPANY_HEADER, [ACME, ["globex", "Globex", *ACME[2:]]]),
        "contacts": (
            ["contact_id", "name", "title", "company_id"],
            [
                ["acme-ceo", "Ann", "CEO", "acme"],
                ["acme-cio", "Cy", "CIO", "acme"],
                ["acme-vp", "Vi", "VP Sales", "acme"],
                ["globex-dir", "Di", "Director of Sales", "globex"],
                ["clicker", "Kim", "Marketing Coordinator", "globex"],
            ],
        ),
        "events": (
            ["contact_id", "event_type", "asset", "occurred_at"],
            [
                ["acme-ceo", "meeting", "briefing", today],
                ["acme-ceo", "reply_to_sales", "intro", today],
                *[["clicker", "email_click", f"mail-{i}", today] for i in range(3)],
                ["clicker", "report_download", "guide", today],
            ],
        ),
    }
    import_facts(store, folder, files, ingested_at=AS_OF)
    service.score(store, service.default_model(), as_of=AS_OF, known_at=NOW)


def test_account_score_tier_committee_and_missing_executive(store: Store, tmp_path: Path) -> None:
    load(store, tmp_path)
    found = {a.company_id: a for a in accounts.accounts(store)}
    acme = found["acme"]
    # totals: acme-ceo 10 + 10 + 22 = 42 (A); acme-cio 10 + 10 = 20 (B by profile >= 18);
    # acme-vp 7 + 10 = 17 (C); score 42 + 0.5 * 20 + 0.25 * 17 = 56.25
    assert acme.score == pytest.approx(56.25)
    assert acme.tier == "A"
    assert [m.contact_id for m in acme.members] == ["acme-ceo", "acme-cio", "acme-vp"]
    seats = {s.seat: s for s in acme.seats}
    assert (seats["economic buyer"].contact_id, seats["economic buyer"].engaged) == (
        "acme-ceo",
        True,
    )
    assert (seats["product function head"].contact_id, seats["product function head"].engaged) == (
        "acme-cio",
        False,
    )
    assert acme.hints == [
        "product function head Cy is known but not engaged: invite them to a briefing"
    ]
    globex = found["globex"]
    assert any(h.startswith("missing economic buyer at Globex") for h in globex.hints)
    assert list(found) == ["acme", "globex"]  # best account score first


def test_compare_generic_lists_each_models_own_top(store: Store, tmp_path: Path) -> None:
    load(store, tmp_path)
    done = compare.compare_generic(store, top=1)
    # executive top 1: acme-ceo (42); generic top 1: clicker (3 clicks x 2 + download 5 = 11;
    # acme-ceo has 0 generic points: meetings and replies do not count there)
    assert [(c.contact.contact_id, c.generic_rank) for c in done.executive_only] == [
        ("acme-ceo", 2)
    ]
    assert [(c.contact.contact_id, c.generic_points) for c in done.generic_only] == [
        ("clicker", 11)
    ]
    assert done.both == 0


def test_cli_accounts_compare_and_route(store: Store, tmp_path: Path) -> None:
    load(store, tmp_path)
    store.close()
    db = ["--db", str(tmp_path / "test.duckdb")]
    runner = CliRunner()
    listed = runner.invoke(app, ["accounts", "--top", "1", "--format", "json", *db])
    assert listed.exit_code == 0, listed.output
    assert [a["company_id"] for a in json.loads(listed.output)] == ["acme"]
    compared = runner.invoke(app, ["compare", "--generic", "--top", "1", "--format", "csv", *db])
    assert compared.output.splitlines()[1].startswith("executive,acme-ceo,Ann,CEO,Acme,1,A,2,")
    assert runner.invoke(app, ["compare", *db]).exit_code == 2  # say what to compare with
    dry = runner.invoke(app, ["route", "--dry-run", *db])
    assert "would move" in dry.output
    routed = runner.invoke(app, ["route", "--format", "csv", *db])
    assert "acme-ceo,A,,,senior-am-1," in routed.output
    again = runner.invoke(app, ["route", *db])
    assert again.output.startswith("0 contacts moved to a rep")


def test_former_and_assistant_titles_fill_no_seat(store: Store, tmp_path: Path) -> None:
    files = {
        "companies": (COMPANY_HEADER, [ACME]),
        "contacts": (
            ["contact_id", "name", "title", "company_id"],
            [
                ["ex-cfo", "Ed", "ex-CFO", "acme"],
                ["ex-cio", "Flo", "Former CIO", "acme"],
                ["aide", "Al", "CEO Assistant", "acme"],
            ],
        ),
        "events": (
            ["contact_id", "event_type", "asset", "occurred_at"],
            [[c, "meeting", "briefing", AS_OF.isoformat()] for c in ("ex-cfo", "ex-cio", "aide")],
        ),
    }
    import_facts(store, tmp_path, files, ingested_at=AS_OF)
    service.score(store, service.default_model(), as_of=AS_OF, known_at=NOW)
    (acme,) = accounts.accounts(store)
    assert [(s.seat, s.contact_id) for s in acme.seats] == [
        ("economic buyer", None),
        ("product function head", None),
    ]
    assert [h.split(":")[0] for h in acme.hints] == [
        "missing economic buyer at Acme",
        "missing product function head at Acme",
    ]


def test_the_chair_is_the_economic_buyer_not_a_director_or_supervisor(
    store: Store, tmp_path: Path
) -> None:
    board = [["indep", "蒋刚芳", "独立董事"], ["super", "Su", "监事"], ["vice", "Vi", "副董事长"]]
    files = {
        "companies": (COMPANY_HEADER, [ACME]),
        "contacts": (
            ["contact_id", "name", "title", "company_id"],
            [
                [cid, name, title, "acme"]
                for cid, name, title in [*board, ["chair", "杨霞亚", "董事长"]]
            ],
        ),
        # the directors engage (meetings) and outrank the chair, who has no events
        "events": (
            ["contact_id", "event_type", "asset", "occurred_at"],
            [[cid, "meeting", "briefing", AS_OF.isoformat()] for cid, _, _ in board],
        ),
    }
    import_facts(store, tmp_path, files, ingested_at=AS_OF)
    service.score(store, service.default_model(), as_of=AS_OF, known_at=NOW)
    (acme,) = accounts.accounts(store)
    assert acme.members[-1].contact_id == "chair"
    buyer = next(s for s in acme.seats if s.seat == "economic buyer")
    assert (buyer.contact_id, buyer.engaged) == ("chair", False)


def test_a_director_who_is_also_general_manager_is_the_economic_buyer(
    store: Store, tmp_path: Path
) -> None:
    # no chair known: the director-general-manager fills the seat, the other director does not
    files = {
        "companies": (COMPANY_HEADER, [ACME]),
        "contacts": (
            ["contact_id", "name", "title", "company_id"],
            [["director", "Di", "董事", "acme"], ["gm", "Ge", "董事/总经理", "acme"]],
        ),
    }
    import_facts(store, tmp_path, files, ingested_at=AS_OF)
    service.score(store, service.default_model(), as_of=AS_OF, known_at=NOW)
    (acme,) = accounts.accounts(store)
    buyer = next(s for s in acme.seats if s.seat == "economic buyer")
    assert buyer.contact_id == "gm"
