"""`execrank token create` and `execrank serve`, and the schedule the served app runs."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from execrank.cli import app as cli
from execrank.schedule import ServiceConfig
from execrank.store import Store
from execrank.web import create_app
from tests.web.conftest import NOW, bearer, free_port

ROOT = Path(__file__).resolve().parents[2]
START_TIMEOUT_SECONDS = 60.0  # the CLI's imports take ~12 s on a loaded 2-core machine


@pytest.fixture
def store_copy(scored: tuple[Path, dict[str, str]], tmp_path: Path) -> Path:
    path = tmp_path / "copy.duckdb"
    shutil.copy(scored[0], path)
    return path


def test_token_create_prints_a_token_once_and_stores_its_hash(store_copy: Path) -> None:
    result = CliRunner().invoke(
        cli, ["token", "create", "--role", "rep", "--owner", "bob", "--db", str(store_copy)]
    )
    assert result.exit_code == 0, result.output
    token = result.stdout.strip()
    with Store.open(store_copy) as store:
        rows = store.query("SELECT * FROM tokens WHERE owner = 'bob'")
    assert len(rows) == 2 and not any(token in map(str, row) for row in rows)  # fixture's + new
    with TestClient(create_app(store_copy)) as client:
        top = client.get("/api/overview", headers=bearer(token)).json()["top"]
    assert {c["contact_id"] for c in top} == {"b", "d"}  # bob's contacts only


def test_token_create_refuses_an_unknown_role(store_copy: Path) -> None:
    result = CliRunner().invoke(
        cli, ["token", "create", "--role", "boss", "--owner", "x", "--db", str(store_copy)]
    )
    assert result.exit_code == 2


def test_the_app_runs_the_configured_schedule(store_copy: Path) -> None:
    clock = [NOW]
    config = ServiceConfig(schedule="0 6 * * 1")  # Mondays 06:00; 2026-11-30 is a Monday
    app = create_app(store_copy, config=config, clock=lambda: clock[0])
    clock[0] = NOW + timedelta(hours=7)  # the server started before 06:00 and runs past it
    scheduler = app.state.scheduler
    with TestClient(app):  # starts the scheduler's thread, which finds a due time passed
        deadline = time.monotonic() + START_TIMEOUT_SECONDS
        while not scheduler.runs and time.monotonic() < deadline:
            time.sleep(0.05)
    assert [(r.scheduled, r.outcome) for r in scheduler.runs] == [
        (datetime(2026, 11, 30, 6), "done")
    ]
    with Store.open(store_copy) as store:
        latest = store.snapshots()[0]
    assert latest[:2] == (4, datetime(2026, 11, 30, 6)) and latest[-1] == "schedule"


@pytest.mark.slow
def test_serve_answers_with_a_token_only(store_copy: Path, tokens: dict[str, str]) -> None:
    port = free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "from execrank.cli import main; main()",
            "serve",
            "--db",
            str(store_copy),
            "--port",
            str(port),
        ],
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        url = f"http://127.0.0.1:{port}/api/overview"
        deadline = time.monotonic() + START_TIMEOUT_SECONDS
        while True:
            try:
                refused = httpx.get(url)
                break
            except httpx.ConnectError:
                assert time.monotonic() < deadline and server.poll() is None, "serve did not start"
                time.sleep(0.1)
        assert refused.status_code == 401
        answered = httpx.get(url, headers=bearer(tokens["manager"]))
        assert answered.status_code == 200 and answered.json()["snapshot"]["snapshot_id"] == 3
    finally:
        server.terminate()
        server.communicate(timeout=START_TIMEOUT_SECONDS)
