"""The import progress bar: rows done and rows/s on a terminal, nothing when output is not one."""

from __future__ import annotations

import io
from datetime import datetime
from pathlib import Path

import pytest
from rich.console import Console

from execrank import cli
from execrank.store import Store
from tests.conftest import write_csv

ROWS = cli.PROGRESS_THRESHOLD_ROWS + 1_000  # big enough to get a bar


def import_with(
    console: Console, store: Store, path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cli, "err", console)
    cli._progress_import(store, "contacts", path, ingested_at=datetime(2026, 1, 1))


@pytest.fixture
def contacts(tmp_path: Path) -> Path:
    rows = [[f"c{n}", "CEO"] for n in range(ROWS)]
    return write_csv(tmp_path / "contacts.csv", ["contact_id", "title"], rows)


def test_a_terminal_sees_rows_done_and_rows_per_second(
    store: Store, contacts: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shown = io.StringIO()
    import_with(Console(file=shown, force_terminal=True, width=120), store, contacts, monkeypatch)
    text = shown.getvalue()
    assert "importing contacts.csv" in text
    assert f"{ROWS}/{ROWS}" in text
    assert " rows/s" in text


def test_no_bar_when_output_is_not_a_terminal(
    store: Store, contacts: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shown = io.StringIO()
    import_with(Console(file=shown, force_terminal=False), store, contacts, monkeypatch)
    assert shown.getvalue() == ""
    assert store.count("contacts") == ROWS
