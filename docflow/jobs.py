"""The job seam: the work for one file as a plain function of picklable arguments, and the
Dispatcher that runs it.

    watcher ──Job──▶ Dispatcher (the embedded worker pool; a distributed engine later)
                        └─▶ worker: open its own workspace ─▶ run_job(job, ws) ─▶ Report

A job carries paths and names only. Everything that must be exclusive across processes (one file
of a unit at a time, validation against the campaign, remaking the province-wide drafts) is a
lease in the ledger's database (`pipeline`), never a lock of the process that runs the job, so
`docflow run`, `docflow watch` and several workers can share one campaign.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Protocol

from docflow.config import Config
from docflow.documents import notices
from docflow.errors import WorkerError
from docflow.models import Status
from docflow.pipeline import ADMIN, Outcome, process_claimed, refresh_aggregates, take_inbox_file
from docflow.store import Ledger, deliver
from docflow.workspace import Workspace

Clock = Callable[[], dt.datetime]


@dataclass(frozen=True)
class Job:
    """A file to process: an inbox path, or (`unit` set) a work path claimed before a stop;
    or, with kind "refresh", remaking the province-wide drafts that are out of date."""

    path: Path
    unit: str | None = None
    kind: str = "file"

    @property
    def resumed(self) -> bool:
        """True for a file claimed before a stop or crash."""
        return self.unit is not None

    @property
    def sender(self) -> str:
        """The unit folder the file came from; a dispatcher runs one job per sender at a time."""
        if self.kind != "file":
            return f"_{self.kind}"
        return self.unit if self.unit is not None else self.path.parent.name


REFRESH = Job(Path("."), kind="refresh")
Claimed = Callable[[Path, str], None]


def run_job(job: Job, ws: Workspace, claimed: Claimed) -> Outcome | None:
    """Claim an inbox file and process it, or finish a resumed one; None if it was gone."""
    if job.resumed:
        return process_claimed(job.path, job.unit or "", ws)
    return take_inbox_file(job.path, ws, claimed)


def refresh(ws: Workspace) -> list[Path]:
    """Remake the province-wide drafts the ledger marks as out of date."""
    return refresh_aggregates(ws)


@dataclass(frozen=True)
class Setup:
    """What a worker needs to open its own workspace and run jobs; sent to it pickled."""

    config: Config
    clock: Clock
    handler: Callable[[Job, Workspace, Claimed], Outcome | None] = run_job
    generation: int = 0
    version: str = ""  # the accepted config and templates under state/ (watch.reload's key)
    office: Any = None  # convert.Ticket of the service's shared LibreOffice, when it keeps one


@dataclass(frozen=True)
class Report:
    """How a job ended: done, gone (someone else took it), refreshed, error, timeout, crash."""

    job: Job
    kind: str
    outcome: Outcome | None = None
    work: Path | None = None
    unit: str = ""
    error: str = ""
    made: tuple[Path, ...] = ()


class Dispatcher(Protocol):
    """Runs jobs somewhere and calls back with a Report for each; the embedded pool is one."""

    def start(self) -> None:
        """Get ready to take jobs."""

    def submit(self, job: Job) -> None:
        """Queue a job."""

    def reconfigure(self, setup: Setup, time_limit: float) -> None:
        """Use a new config from the next job on."""

    def queued(self) -> int:
        """Jobs waiting to start."""

    def busy(self) -> list[Job]:
        """Jobs running now."""

    def idle(self) -> bool:
        """True when nothing is queued or running."""

    def stop(self) -> list[Job]:
        """Let running jobs finish, then stop; returns the jobs never started."""


DispatcherFactory = Callable[[int, float, Setup, Callable[[Report], None]], Dispatcher]


def give_up(report: Report, ledger: Ledger, outbox: Path, now: dt.datetime) -> Outcome:
    """A worker gave up mid-file: the file stays claimed for the next start, its ledger row says
    failed, and the administrator is told why in outbox/_quan-tri/."""
    work = report.work
    assert work is not None
    exc = WorkerError(report.kind, report.error)
    target, body = notices.failure_report(report.unit, work.name, exc, now, work.parent.name[:15])
    out = deliver(body.encode("utf-8"), outbox / ADMIN / target)
    row = ledger.by_work_path(work)
    if row is not None and row.status == Status.PROCESSING:
        ledger.finish(row.id, Status.FAILED, now.isoformat(timespec="seconds"),
                      outputs=[str(out)], note=str(exc))
    return Outcome(Status.FAILED, report.unit, work.name, (out,))


