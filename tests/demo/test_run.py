"""End to end: the README's main command on the bundled real data."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from execrank import Store, service
from execrank.demo import DEMO_AS_OF


def test_demo_ranks_real_executives_and_prints_the_top_10(tmp_path: Path) -> None:
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "from execrank.cli import main; main()",
            "demo",
            "--dir",
            str(tmp_path / "execrank-demo"),
        ],
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
    )
    assert result.returncode == 0, result.stderr
    # progress lines on stderr are plain words, with no markup printed literally
    assert "importing contacts" in result.stderr
    assert "[" not in result.stderr
    printed = result.stdout
    assert "SYNTHETIC" in printed
    assert re.search(r"imported contacts\s+25759 rows: 25759 new, .* 0 rejected", printed)
    ranked_lines = re.findall(r"^\s+(\d+)\. \[([ABC-])\]", printed, flags=re.MULTILINE)
    assert [int(n) for n, _ in ranked_lines] == list(range(1, 11))
    # two reasons under each of the ten
    assert len(re.findall(r"^\s+\+\s*\d+\.\d\d \w+\.", printed, flags=re.MULTILINE)) == 20

    with Store.open(tmp_path / "execrank-demo" / "execrank.duckdb") as store:
        everyone = service.rank(store)
        snapshot = service.latest_snapshot(store)
    assert snapshot.as_of == DEMO_AS_OF
    assert snapshot.model_hash == service.default_model().content_hash
    titles = {c.title for c in everyone}
    assert len(everyone) >= 1000
    assert "CEO" in titles and "董事长/董事" in titles
    # every demo contact holds a senior title, so everyone reaches at least tier C
    assert {c.tier for c in everyone} == {"A", "B", "C"}

    # the README's library example runs on the inputs the demo wrote
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    example = re.search(r"```python\n(.*?)```", readme, flags=re.DOTALL)
    assert example is not None
    ran = subprocess.run(
        [sys.executable, "-c", example.group(1)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
    )
    assert ran.returncode == 0, ran.stderr
    assert "engagement.meeting" in ran.stdout


def test_running_the_demo_twice_gives_the_same_ranking(tmp_path: Path) -> None:
    from datetime import datetime

    from execrank.demo import run

    first = run(tmp_path, now=datetime(2026, 12, 1))
    second = run(tmp_path, now=datetime(2026, 12, 2))
    assert [(c.contact_id, c.total, c.tier) for c in first.top] == [
        (c.contact_id, c.total, c.tier) for c in second.top
    ]


def _demo(folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """`execrank demo --dir ...` run from folder, with this checkout's execrank."""
    return subprocess.run(
        [sys.executable, "-c", "from execrank.cli import main; main()", "demo", "--dir", *args],
        cwd=folder,
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])},
    )


def test_the_demo_refuses_a_folder_holding_a_store_or_its_input_files(tmp_path: Path) -> None:
    store_folder, inputs_folder = tmp_path / "d3", tmp_path / "mine"
    store_folder.mkdir()
    inputs_folder.mkdir()
    with Store.open(store_folder / "execrank.duckdb"):
        pass
    kept = (store_folder / "execrank.duckdb").read_bytes()
    (inputs_folder / "companies.csv").write_text("company_id\nmine\n", encoding="utf-8")
    for folder, clash in ((store_folder, "execrank.duckdb"), (inputs_folder, "companies.csv")):
        refused = _demo(tmp_path, folder.name)
        assert refused.returncode == 1
        assert f"already holds {clash}, which the demo would overwrite" in refused.stderr
        assert "--force" in refused.stderr and "Traceback" not in refused.stderr
    assert (store_folder / "execrank.duckdb").read_bytes() == kept
    assert sorted(p.name for p in store_folder.iterdir()) == ["execrank.duckdb"]
    assert (inputs_folder / "companies.csv").read_text(encoding="utf-8") == "company_id\nmine\n"


def test_a_previous_demo_folder_with_a_file_of_the_users_needs_force(tmp_path: Path) -> None:
    from datetime import datetime

    from execrank.demo import run
    from execrank.errors import InputError

    run(tmp_path, now=datetime(2026, 12, 1))
    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")
    try:
        run(tmp_path, now=datetime(2026, 12, 2))
    except InputError as refused:
        assert "already holds companies.csv, contacts.csv" in str(refused)
    else:
        raise AssertionError("a demo folder holding a user's file was replaced without force")
    forced = run(tmp_path, now=datetime(2026, 12, 2), force=True)
    assert len(forced.top) == 10 and (tmp_path / "notes.txt").read_text(encoding="utf-8") == "mine"
