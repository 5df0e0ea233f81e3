"""A small store scored at three weekly as_of times, tokens for every role, and a real app.

Contacts (owner): a CEO at a company that fits every criterion (alice), b CFO there (bob), c VP
at a company that fits none (alice), d a manager at the fitting one (bob), and e whose name and
title are markup (alice). Events: a meets sales on 11-10, replies on 11-12 and downloads a report
on 11-25; e replies on 11-28 and meets sales on 11-29.
"""

from __future__ import annotations

import shutil
import socket
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from execrank import service
from execrank.store import Store
from execrank.web import Role, create_app, create_token
from tests.conftest import write_csv

WEEKS = (datetime(2026, 11, 16), datetime(2026, 11, 23), datetime(2026, 11, 30))
INGESTED_AT = datetime(2026, 11, 1)
NOW = WEEKS[-1]  # the app's clock: writes happen at the last snapshot's as_of
TOP = 3  # the overview's top list in these tests: small enough that a newcomer changes it
SCRIPT_TITLE = "<script>alert(1)</script>"
MARKUP_NAME = "<b>Eve</b> & Co"

FILES = {
    "companies": (
        ["company_id", "name", "revenue_usd", "employees", "industry", "country"],
        [
            ["big", "Big Corp", 2_000_000_000, 5000, "Technology", "US"],
            ["small", "Small Shop", 1_000_000, 10, "Mining", "DE"],
        ],
    ),
    "contacts": (
        ["contact_id", "name", "title", "company_id", "owner"],
        [
            ["a", "Ada Lin", "CEO", "big", "alice"],
            ["b", "Bo Chen", "CFO", "big", "bob"],
            ["c", "Cy Park", "VP Sales", "small", "alice"],
            ["d", "Di Wu", "Sales Manager", "big", "bob"],
            ["e", MARKUP_NAME, SCRIPT_TITLE, "small", "alice"],
        ],
    ),
    "events": (
        ["event_id", "contact_id", "event_type", "asset", "occurred_at", "source"],
        [
            ["ev1", "a", "meeting", "m1", "2026-11-10", "test"],
            ["ev2", "a", "reply_to_sales", "r1", "2026-11-12", "test"],
            ["ev3", "e", "meeting", "m2", "2026-11-29", "test"],
            ["ev4", "e", "reply_to_sales", "r2", "2026-11-28", "test"],
            ["ev5", "a", "report_download", "d1", "2026-11-25", "test"],
        ],
    ),
}


def build_store(folder: Path) -> tuple[Path, dict[str, str]]:
    """The scored store and a token per name: admin, manager, alice (rep), bob (rep)."""
    path = folder / "web.duckdb"
    with Store.open(path) as store:
        for kind, (header, rows) in FILES.items():
            file = write_csv(folder / f"{kind}.csv", header, rows)
            service.import_file(store, kind, file, ingested_at=INGESTED_AT)
        for week in WEEKS:
            service.score(store, service.default_model(), as_of=week, known_at=week)
        roles = {"admin": Role.admin, "manager": Role.manager, "alice": Role.rep, "bob": Role.rep}
        tokens = {
            name: create_token(store, role, name, now=INGESTED_AT) for name, role in roles.items()
        }
    return path, tokens


@pytest.fixture(scope="session")
def scored(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    return build_store(tmp_path_factory.mktemp("web"))


@pytest.fixture
def tokens(scored: tuple[Path, dict[str, str]]) -> dict[str, str]:
    return scored[1]


@pytest.fixture(scope="session")
def reading_app(scored: tuple[Path, dict[str, str]]) -> Iterator[FastAPI]:
    """One app over the scored store for the tests that only read."""
    app = create_app(scored[0], top=TOP, clock=lambda: NOW)
    yield app
    app.state.store.close()


@pytest.fixture
def client(reading_app: FastAPI) -> TestClient:
    """A fresh client (no cookies) of the reading app."""
    return TestClient(reading_app)


@pytest.fixture
def writer(scored: tuple[Path, dict[str, str]], tmp_path: Path) -> Iterator[TestClient]:
    """A client of an app over a copy of the scored store, for tests that write."""
    path = tmp_path / "copy.duckdb"
    shutil.copy(scored[0], path)
    with TestClient(create_app(path, top=TOP, clock=lambda: NOW)) as test_client:
        yield test_client


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def free_port() -> int:
    """A TCP port nobody listens on now, for a server a test starts."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])
