"""Scheduled full rescores: the service config (`execrank.yaml`) and a scheduler the web server
starts.

The config file sits beside the store (`<store folder>/execrank.yaml`) or is named with
`--config`:

    schedule: "0 6 * * 1"   # cron (minute hour day month weekday, UTC): Mondays 06:00
    as_of: scheduled        # or `day`: the midnight that starts the scheduled day
    model: my-model.yaml    # optional, relative to the config file; default: the shipped one

A run scores as of its *scheduled* time (not the moment it got to run), so a late run gives
the same snapshot as a punctual one. Runs never overlap: a run due while a rescore is running
(the scheduler's own or one asked for through the API) is skipped and recorded as such; the
next due time runs as usual.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, time
from pathlib import Path
from typing import Literal

import yaml
from croniter import croniter
from pydantic import BaseModel, ConfigDict, ValidationError, field_validator

from execrank import service
from execrank.errors import BusyError, InputError
from execrank.store import Store

CONFIG_NAME = "execrank.yaml"
POLL_SECONDS = 30.0  # how often the scheduler looks at the clock at most
SCHEDULE_STARTER = "schedule"  # a scheduled snapshot's `started_by`


class ServiceConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")

    schedule: str | None = None
    as_of: Literal["scheduled", "day"] = "scheduled"
    model: Path | None = None

    @field_validator("schedule")
    @classmethod
    def _cron(cls, value: str | None) -> str | None:
        if value is not None and not croniter.is_valid(value):
            raise ValueError(f"{value!r} is not a cron expression (e.g. '0 6 * * 1')")
        return value


def config_path(db: Path, config: Path | None = None) -> Path:
    """The config named, which must exist, else `execrank.yaml` beside the store, if any."""
    if config is not None and not config.is_file():
        raise InputError(f"{config}: no such config file")
    return config if config is not None else db.resolve().parent / CONFIG_NAME


def load_config(path: Path) -> ServiceConfig:
    """The service config at path; the defaults (no schedule) when there is no such file."""
    if not path.exists():
        return ServiceConfig()
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        config = ServiceConfig.model_validate(data)
    except yaml.YAMLError as error:
        raise InputError(f"{path}: not YAML: {error}") from error
    except ValidationError as error:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc']) or '(top)'}: {e['msg']}" for e in error.errors()
        )
        raise InputError(f"{path}: {problems}") from error
    if config.model is not None and not config.model.is_absolute():
        config = config.model_copy(update={"model": path.parent / config.model})
    return config


def as_of_for(config: ServiceConfig, scheduled: datetime) -> datetime:
    return datetime.combine(scheduled.date(), time()) if config.as_of == "day" else scheduled


def utc_now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


Job = Callable[[datetime, datetime], object]  # (scheduled time, now) -> anything


def rescore_job(open_store: Callable[[], Store], config: ServiceConfig) -> Job:
    """The scheduled work: a connection from `open_store` (the server's: a session of its
    store), a full rescore as of the config's as_of recorded as started by the schedule, the
    connection closed."""
    model = service.load_model(config.model)

    def run(scheduled: datetime, now: datetime) -> service.Snapshot:
        store = open_store()
        try:
            snapshot = service.rescore(store, model, as_of=as_of_for(config, scheduled), now=now)
            store.set_snapshot_starter(snapshot.snapshot_id, SCHEDULE_STARTER)
            return snapshot
        finally:
            store.close()

    return run


@dataclass(frozen=True)
class Run:
    """One due time of the schedule and what became of it: done, skipped (a rescore was
    running) or failed (the error's message)."""

    scheduled: datetime
    started: datetime
    outcome: str


class Scheduler:
    """Runs `job` at each due time of a cron expression, on a background thread between
    `start()` and `stop()`. `clock` gives the time (UTC, naive): tests pass their own and call
    `run_due()` instead of waiting."""

    def __init__(
        self,
        schedule: str,
        job: Job,
        *,
        clock: Callable[[], datetime] = utc_now,
        poll_seconds: float = POLL_SECONDS,
    ) -> None:
        if not croniter.is_valid(schedule):
            raise InputError(f"schedule {schedule!r} is not a cron expression (e.g. '0 6 * * 1')")
        self.schedule = schedule
        self._job = job
        self._clock = clock
        self._poll = poll_seconds
        self._next = self._after(clock())
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.runs: list[Run] = []

    def _after(self, moment: datetime) -> datetime:
        found: datetime = croniter(self.schedule, moment).get_next(datetime)
        return found

    @property
    def next_run(self) -> datetime:
        return self._next

    def run_due(self) -> list[Run]:
        """Run the job once if a due time has passed (missed due times collapse into the
        latest one); return what ran."""
        now = self._clock()
        if now < self._next:
            return []
        due = self._next
        while (following := self._after(due)) <= now:
            due = following
        self._next = self._after(due)
        try:
            self._job(due, now)
            outcome = "done"
        except BusyError:
            outcome = "skipped: a rescore was running"
        except Exception as error:  # a failed run is recorded; it must not end the schedule
            outcome = f"failed: {error}"
        run = Run(due, now, outcome)
        self.runs.append(run)
        return [run]

    def _loop(self) -> None:
        while not self._stop.is_set():
            self.run_due()
            wait = (self._next - self._clock()).total_seconds()
            self._stop.wait(min(max(wait, 0.0), self._poll))

    def start(self) -> None:
        if self._thread is None:
            self._stop.clear()
            self._thread = threading.Thread(target=self._loop, name="execrank-scheduler")
            self._thread.daemon = True
            self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
            self._thread = None
