"""Scheduled full rescores: the service config, due times from cron with an injected clock,
and no two rescores at once (threads)."""

from __future__ import annotations

import threading
from datetime import datetime
from pathlib import Path

import pytest

from execrank import service
from execrank.errors import BusyError, InputError
from execrank.schedule import Scheduler, as_of_for, config_path, load_config, rescore_job
from execrank.store import Store
from tests.conftest import write_csv

MONDAYS_AT_SIX = "0 6 * * 1"
SUNDAY = datetime(2026, 11, 29, 12, 0)  # 2026-11-30 is a Monday


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


def test_the_config_beside_the_store_is_read_and_checked(tmp_path: Path) -> None:
    db = tmp_path / "execrank.duckdb"
    path = config_path(db)
    assert path == tmp_path / "execrank.yaml"
    assert load_config(path).schedule is None  # no file: no schedule
    path.write_text('schedule: "0 6 * * 1"\nas_of: day\nmodel: my.yaml\n', encoding="utf-8")
    config = load_config(path)
    assert (config.schedule, config.as_of, config.model) == (
        MONDAYS_AT_SIX,
        "day",
        tmp_path / "my.yaml",
    )
    assert as_of_for(config, datetime(2026, 11, 30, 6)) == datetime(2026, 11, 30)
    path.write_text('schedule: "every monday"\nspeed: fast\n', encoding="utf-8")
    with pytest.raises(InputError, match=r"schedule: .*'every monday' is not a cron") as error:
        load_config(path)
    assert "speed: Extra inputs are not permitted" in str(error.value)
    missing = tmp_path / "elsewhere.yaml"  # named, so it must be there: no silent no-schedule
    with pytest.raises(InputError, match=f"{missing}: no such config file"):
        config_path(db, missing)


def test_a_run_is_due_at_each_cron_time_and_scores_as_of_it() -> None:
    clock = Clock(SUNDAY)
    ran: list[tuple[datetime, datetime]] = []
    scheduler = Scheduler(MONDAYS_AT_SIX, lambda due, now: ran.append((due, now)), clock=clock)
    assert scheduler.next_run == datetime(2026, 11, 30, 6, 0)
    assert scheduler.run_due() == []
    clock.now = datetime(2026, 11, 30, 6, 3)  # three minutes late
    assert [r.outcome for r in scheduler.run_due()] == ["done"]
    assert ran == [(datetime(2026, 11, 30, 6, 0), datetime(2026, 11, 30, 6, 3))]
    assert scheduler.run_due() == []  # not twice
    clock.now = datetime(2026, 12, 22, 9, 0)  # three Mondays missed: one run, the latest
    assert [r.scheduled for r in scheduler.run_due()] == [datetime(2026, 12, 21, 6, 0)]
    assert scheduler.next_run == datetime(2026, 12, 28, 6, 0)


def test_a_run_due_while_a_rescore_runs_is_skipped_not_overlapped() -> None:
    clock = Clock(datetime(2026, 11, 30, 6, 0))
    started, release = threading.Event(), threading.Event()
    running = 0
    most = 0
    lock = threading.Lock()

    def job(due: datetime, now: datetime) -> None:
        nonlocal running, most
        if not service.RESCORE_LOCK.acquire(blocking=False):  # what service.rescore does
            raise BusyError("a full rescore is already running")
        try:
            with lock:
                running += 1
                most = max(most, running)
            started.set()
            release.wait(5)
            with lock:
                running -= 1
        finally:
            service.RESCORE_LOCK.release()

    first = Scheduler("* * * * *", job, clock=clock)
    second = Scheduler("* * * * *", job, clock=clock)
    clock.now = datetime(2026, 11, 30, 6, 1)
    worker = threading.Thread(target=first.run_due)
    worker.start()
    assert started.wait(5)
    assert [r.outcome for r in second.run_due()] == ["skipped: a rescore was running"]
    release.set()
    worker.join(5)
    assert [r.outcome for r in first.runs] == ["done"]
    assert most == 1


def test_the_scheduler_thread_rescores_the_store_on_time(tmp_path: Path) -> None:
    db = tmp_path / "execrank.duckdb"
    contacts = write_csv(tmp_path / "c.csv", ["contact_id", "title"], [["p1", "CEO"]])
    with Store.open(db) as store:
        service.import_file(store, "contacts", contacts, ingested_at=SUNDAY)
    config = load_config(config_path(db))
    clock = Clock(SUNDAY)
    job = rescore_job(lambda: Store.open(db, create=False), config)
    scheduler = Scheduler(MONDAYS_AT_SIX, job, clock=clock, poll_seconds=0.01)
    scheduler.start()
    try:
        clock.now = datetime(2026, 11, 30, 6, 0, 5)
        for _ in range(1000):
            if scheduler.runs:
                break
            threading.Event().wait(0.01)
    finally:
        scheduler.stop()
    assert [r.outcome for r in scheduler.runs] == ["done"]
    with Store.open(db) as store:
        snapshot = service.latest_snapshot(store)
    assert (snapshot.as_of, snapshot.known_at) == (
        datetime(2026, 11, 30, 6, 0),
        datetime(2026, 11, 30, 6, 0, 5),
    )


def test_a_bad_cron_expression_is_refused() -> None:
    with pytest.raises(InputError, match="'61 \\* \\* \\* \\*' is not a cron expression"):
        Scheduler("61 * * * *", lambda due, now: None, clock=Clock(SUNDAY))


def test_a_failed_run_is_recorded_and_the_schedule_goes_on() -> None:
    clock = Clock(SUNDAY)

    def broken(due: datetime, now: datetime) -> None:
        raise OSError("disk full")

    scheduler = Scheduler(MONDAYS_AT_SIX, broken, clock=clock)
    clock.now = datetime(2026, 11, 30, 6, 0)
    assert [r.outcome for r in scheduler.run_due()] == ["failed: disk full"]
    assert scheduler.next_run == datetime(2026, 12, 7, 6, 0)
