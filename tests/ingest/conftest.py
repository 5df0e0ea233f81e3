"""Helpers for the ingestion tests: the CLI in a child process, and a dump of a whole store."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import duckdb

ROOT = Path(__file__).resolve().parents[2]


def execrank(*args: str, **options: Any) -> subprocess.CompletedProcess[str]:
    """Run the CLI of this working tree in a child process, as a user would."""
    return subprocess.run(
        [sys.executable, "-c", "from execrank.cli import main; main()", *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        **options,
    )


def dump(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table of a store file, sorted, to compare two states of it."""
    with duckdb.connect(str(path), read_only=True) as connection:
        tables = [row[0] for row in connection.execute("SHOW TABLES").fetchall()]
        return {
            table: sorted(connection.execute(f'SELECT * FROM "{table}"').fetchall(), key=repr)
            for table in tables
        }
