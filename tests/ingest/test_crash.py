"""A `kill -9` in the middle of a large import leaves the store as it was; importing the same
file again leaves it as the first import did. Both compare a dump of every table."""

from __future__ import annotations

import csv
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.ingest.conftest import ROOT, dump, execrank

ROWS = 150_000  # enough that halfway is well inside the import, however fast it gets
EXISTING = 1_000
POLL_SECONDS = 0.002
KILLED = -signal.SIGKILL
CLI = (sys.executable, "-c", "from execrank.cli import main; main()")


def write_contacts(path: Path, count: int, title: str) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["contact_id", "name", "email", "title", "company_id"])
        writer.writerows(
            [f"c{n}", f"Person {n}", f"p{n}@example.com", f"{title} {n % 50}", f"co{n % 97}"]
            for n in range(count)
        )
    return path


@pytest.fixture(scope="module")
def stores(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """A store holding EXISTING contacts, the big file (which changes them and adds more), and
    a copy of the store after the big file was imported whole, with how long that took and how
    much of that was starting Python and execrank (timed as `execrank --help`)."""
    folder = tmp_path_factory.mktemp("crash")
    before = folder / "before.duckdb"
    small = write_contacts(folder / "small.csv", EXISTING, "Analyst")
    assert execrank("import", "contacts", str(small), "--db", str(before)).returncode == 0
    big = write_contacts(folder / "big.csv", ROWS, "Director")
    after = folder / "after.duckdb"
    shutil.copy(before, after)
    started = time.perf_counter()
    assert execrank("import", "contacts", str(big), "--db", str(after)).returncode == 0
    (folder / "seconds.txt").write_text(str(time.perf_counter() - started))
    started = time.perf_counter()
    assert execrank("--help").returncode == 0
    (folder / "startup.txt").write_text(str(time.perf_counter() - started))
    return {"before": before, "after": after, "big": big, "folder": folder}


def start_import(store: Path, file: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [*CLI, "import", "contacts", str(file), "--db", str(store)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
    )


@pytest.mark.slow
def test_kill_9_halfway_leaves_the_store_as_before(stores: dict[str, Path]) -> None:
    store = stores["folder"] / "halfway.duckdb"
    shutil.copy(stores["before"], store)
    seconds = float((stores["folder"] / "seconds.txt").read_text())
    startup = min(float((stores["folder"] / "startup.txt").read_text()), seconds)
    child = start_import(store, stores["big"])
    time.sleep(startup + (seconds - startup) / 2)  # halfway through the import, not the start
    child.send_signal(signal.SIGKILL)
    assert child.wait() == KILLED  # it was still importing
    assert dump(store) == dump(stores["before"])


@pytest.mark.slow
def test_kill_9_while_writing_leaves_the_store_before_or_after(stores: dict[str, Path]) -> None:
    """Killed as soon as the store file or its write-ahead log changes: the transaction is
    then being written, and must land whole or not at all."""
    store = stores["folder"] / "writing.duckdb"
    shutil.copy(stores["before"], store)
    wal = store.with_name(store.name + ".wal")
    size = store.stat().st_size
    child = start_import(store, stores["big"])
    while child.poll() is None and not wal.exists() and store.stat().st_size == size:
        time.sleep(POLL_SECONDS)
    child.send_signal(signal.SIGKILL)
    child.wait()
    assert dump(store) in (dump(stores["before"]), dump(stores["after"]))


@pytest.mark.slow
def test_reimporting_the_big_file_leaves_the_store_as_the_first_import(
    stores: dict[str, Path],
) -> None:
    store = stores["folder"] / "again.duckdb"
    shutil.copy(stores["after"], store)
    assert execrank("import", "contacts", str(stores["big"]), "--db", str(store)).returncode == 0
    assert dump(store) == dump(stores["after"])
