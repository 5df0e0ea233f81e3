"""The rescore benchmark's hand-written reference (bench/reference.sql) scores the same model as
the product: on a small generated store, `bench/rescore.py` finds every contact's total, rank
and tier equal. When the default model changes, this fails until the reference follows, so the
benchmark's ratio keeps comparing like with like."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parent.parent / "bench"


@pytest.mark.slow  # three child processes: ~5 s
def test_the_reference_sql_gives_the_products_totals_ranks_and_tiers() -> None:
    done = subprocess.run(
        [sys.executable, str(BENCH / "rescore.py"), "--contacts", "2000"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    # the row: contacts | product s | reference s | ratio | MB | MB | total/rank/tier differing
    row = re.search(r"^\s*2000 \|.*\| (\d+)/(\d+)/(\d+)$", done.stdout, re.MULTILINE)
    assert row is not None, done.stdout
    assert row.groups() == ("0", "0", "0")
