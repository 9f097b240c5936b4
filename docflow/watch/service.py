"""The hot-folder service: events or polling per folder, a rescan, the stability gate, the pool.

    observer threads ──notice──▶ Gate ──due──▶ Pool (worker processes) ──Report──▶ ledger, log
    rescan (timer) ────notice──▶

Nothing here decides what a file means; the pipeline does that inside the worker processes.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import socket
import threading
import time
from pathlib import Path
from typing import Any, Callable

from watchdog.observers import Observer
from watchdog.observers.api import BaseObserver

from docflow.config import Config
from docflow.documents import reminders
from docflow.errors import LedgerError
from docflow.jobs import (REFRESH, Clock, Dispatcher, DispatcherFactory, Job, Report, Setup,
                          give_up, run_job)
from docflow.logs import Progress
from docflow.models import Status
from docflow.pipeline import Outcome, recover
from docflow.store import (Claims, Ledger, answer_nested, is_candidate, requeue_changed,
                           waiting)
from docflow.watch import journal, observers, status
from docflow.watch.pool import Pool
from docflow.watch.probe import Probe, probe, watched_roots
from docflow.watch.refresh import RefreshSchedule
from docflow.watch.reload import Reloader
from docflow.watch.retry import RetrySchedule
from docflow.watch.settle import Gate, open_for_writing

log = logging.getLogger("docflow.watch")
TICK = 0.2          # how often pending files are looked at; the stability delay is separate
SNAPSHOT_EVERY = 2.0
REFRESH_AT_LEAST_EVERY = 30.0  # drafts wait for the end of a burst, but not longer than this


class Watcher:
    """Runs until stopped: every stable inbox file is processed exactly once."""

    def __init__(self, config: Config, ledger: Ledger, clock: Clock = dt.datetime.now,
                 on_outcome: Callable[[Outcome], None] = lambda o: None,
                 monotonic: Callable[[], float] = time.monotonic,
                 config_path: Path | None = None,
                 native_observer: Callable[[], BaseObserver] = Observer,
                 mounts: str | None = None, handler: Callable[..., Any] = run_job,
                 dispatcher: DispatcherFactory = Pool) -> None:
        self.ledger, self.clock, self.dispatcher = ledger, clock, dispatcher
        self.on_outcome, self.monotonic = on_outcome, monotonic
        self.config: Config = config
        self.config_path, self.native_observer, self.mounts = config_path, native_observer, mounts
        self.handler = handler
        settings = self.config.watch
        self.gate = Gate(settings.stability_seconds)
        self.progress = Progress()
        self.probes: list[Probe] = []
        self.pool: Dispatcher | None = None
        self.stopped = threading.Event()
        self.started_at = clock()
        self._observers: list[BaseObserver] = []
        self._reloader: Reloader | None = None
        self._lock = threading.Lock()
        self._claimed: set[Path] = set()   # work paths queued or in progress (resumed files)
        self.drafts = RefreshSchedule(REFRESH_AT_LEAST_EVERY)
        self.halted = ""  # why the service stopped by itself (a lost ledger), for the exit code
        self.retries = RetrySchedule()  # failed files, tried again while running

    @property
    def inbox(self) -> Path:
        """The inbox root being watched."""
        return self.config.path("inbox")

    def notice(self, path: Path, is_directory: bool = False, closed: bool = False) -> None:
        """An event or a scan reported a path; a new folder is read, since its files raise none.
        The file's stability clock starts now (a close after writing restarts it)."""
        if is_directory:
            if path.parent == self.inbox:
                for item in _files_in(path):
                    if is_candidate(item, self.inbox):
                        self.gate.notice(item)
        elif is_candidate(path, self.inbox):
            now = self.monotonic()
            self.gate.notice(path, now if closed else None, seen_at=now)

    def tick(self) -> None:
        """Hand every file that is stable and complete to the pool."""
        if self.pool is None:
            return  # not running: a file marked taken here would wait for a release forever
        due = self.gate.due(self.monotonic())
        if due:
            with self._lock:
                self.progress.added(len(due), self.monotonic())
            for path in due:
                self.pool.submit(Job(path))
        self._retry_due(self.monotonic())
        self._maybe_refresh(self.monotonic())

    def _retry_due(self, now: float) -> None:
        """Send failed files whose back-off has passed back to the pipeline."""
        self._submit_claimed([Job(work, unit) for work, unit in self.retries.due(now)
                              if work.exists()])

    def _schedule_retry(self, report: Report, outcome: Outcome) -> None:
        """A failed file is tried again later; any other end forgets it."""
        work = report.work or (report.task.path if report.task.resumed else None)
        if work is None:
            return
        if outcome.status != "failed":
            return self.retries.ended(work)
        wait = self.retries.failed(work, outcome.unit, self.monotonic())
        if wait is not None:
            log.info("Sẽ thử lại tệp %s sau %g giây.", work.name, wait,
                     extra={"event": "retry", "file": str(work)})

    def rescan(self) -> None:
        """Reconcile with the folders themselves, in case an event was missed; forms whose
        attachments were awaited too long go back to the pipeline, which now rejects them."""
        for path in waiting(self.inbox):
            self.gate.notice(path)
        Claims(self.ledger).renew()  # files this watcher claimed stay its own on other machines
        try:
            for _, _, path in requeue_changed(self.config, self.ledger, self.clock(),
                                              writing=open_for_writing):
                self.gate.notice(path)
            for unit, name, _ in answer_nested(self.config):
                journal.nested(unit, name)
        except OSError as exc:  # the answer waits for the next rescan
            log.warning("Không ghi được thông báo tệp trong thư mục con: %s", exc)
        if self.pool is not None:
            wait = dt.timedelta(minutes=self.config.intake.attachment_wait_minutes)
            self._recheck(lambda row: dt.datetime.fromisoformat(row.received_at) + wait
                          <= self.clock())
            # left by a stop, a crash or a failed refresh; or a deadline passed (reminders)
            if self.ledger.stale() or reminders.overdue(self.config, self.clock().date()):
                self.drafts.mark(self.monotonic())

    def run(self) -> None:
        """Block until `stop()`: resume claimed files, take what waits, then follow changes."""
        settings = self.config.watch
        self.inbox.mkdir(parents=True, exist_ok=True)
        if self.config_path is not None:
            self._reloader = Reloader(self.config_path, self.config, settings.stability_seconds,
                                      self.clock)
            self.config = self._reloader.current.config
        self.pool = self.dispatcher(settings.workers, settings.file_timeout_seconds, self._setup(),
                         self._report)
        try:
            self.pool.start()
            self._resume()
            self._observe()
            self.rescan()
            self._loop()
        finally:
            self._shutdown()

    def stop(self) -> None:
        """Ask `run()` to return once the files being processed finish."""
        self.stopped.set()

    def halt(self, reason: str) -> None:
        """The ledger is lost: take no more files, tell the administrator, and stop."""
        if self.halted:
            return
        self.halted = reason
        self.stop()
        journal.halted(self.config, reason, self.clock())

    def snapshot(self) -> dict[str, Any]:
        """The live state that `docflow status` shows."""
        pool = self.pool
        return {"pid": os.getpid(), "host": socket.gethostname(),
                "running": not self.stopped.is_set(),
                "started": self.started_at.isoformat(timespec="seconds"),
                "roots": [{"root": str(p.root), "mode": p.mode, "fstype": p.fstype,
                           "reason": p.reason} for p in self.probes],
                "pending": self.gate.pending(), "queued": pool.queued() if pool else 0,
                "busy": [str(t.path) for t in pool.busy() if t.kind == "file"] if pool else [],
                "workers": self.config.watch.workers,
                "refresh": self.drafts.state(),
                "config_version": self._reloader.current.describe() if self._reloader else ""}

    def _loop(self) -> None:
        settings = self.config.watch
        last_scan = last_reload = last_snapshot = self.monotonic()
        self._write_snapshot()
        while not self.stopped.wait(self._wait()):
            now = self.monotonic()
            try:
                self.tick()
                if now - last_scan >= self.config.watch.rescan_seconds:
                    self.rescan()
                    last_scan = now
            except LedgerError as exc:
                if self.ledger.kind != "PostgreSQL":  # a SQLite ledger lost is lost for good
                    self.halt(str(exc))
                    break
                # a database server restarting: the files wait in the inbox, the next rescan
                # tries again (DESIGN: PostgreSQL restarted, work resumes by itself)
                log.warning("Sổ theo dõi (PostgreSQL) chưa dùng được; thử lại sau: %s", exc,
                            extra={"event": "ledger_away"})
                last_scan = now
            if self._reloader is not None and now - last_reload >= settings.poll_seconds:
                last_reload = now
                version = self._reloader.poll(now)
                if version is not None:
                    self._apply(version.config)
                    settings = self.config.watch
            if now - last_snapshot >= SNAPSHOT_EVERY:
                last_snapshot = now
                self._write_snapshot()

    def _wait(self) -> float:
        """Until the next tick, or sooner when a file becomes due before it (the stability
        delay, not the tick, decides when a file is taken)."""
        now = self.monotonic()
        due = self.gate.next_due(now)
        return TICK if due is None else min(TICK, max(0.0, due - now) + 0.001)

    def _observe(self) -> None:
        settings = self.config.watch
        self.probes = [probe(root, settings.mode, settings.probe_seconds, self.mounts,
                             self.native_observer) for root in watched_roots(self.inbox)]
        self._observers = observers.start(self.probes, self.notice, settings.poll_seconds,
                                          self.native_observer)
        for p in self.probes:
            journal.watching(p, settings.poll_seconds)

    def _resume(self) -> None:
        """Files claimed before a stop or a crash go first (pipeline.resume's order and rule)."""
        # only files whose claimer is gone: another live watcher or worker keeps its own
        jobs = [Job(work, unit) for work, unit in recover(self.config, self.ledger)]
        if jobs:
            log.info("Tiếp tục %d tệp đã nhận nhưng chưa xử lý xong trước lần dừng trước.",
                     len(jobs), extra={"event": "resume", "count": len(jobs)})
        self._submit_claimed(jobs)
        # Always one refresh at start: besides drafts left stale, config.toml or a template
        # may have been edited while the service was stopped (the refresh marks exactly those).
        self.drafts.mark(self.monotonic())

    def _recheck(self, wanted: Callable[[Any], bool]) -> None:
        """Send forms left waiting for their PDF attachments back to the pipeline."""
        rows = [r for r in self.ledger.files(Status.WAITING) if r.work_path and wanted(r)]
        self._submit_claimed([Job(Path(r.work_path), r.unit) for r in rows
                              if Path(r.work_path).is_file()])

    def _submit_claimed(self, jobs: list[Job]) -> None:
        with self._lock:
            jobs = [t for t in jobs if t.path not in self._claimed]
            self._claimed.update(t.path for t in jobs)
            if jobs:
                self.progress.added(len(jobs), self.monotonic())
        for job in jobs:
            self.pool.submit(job)

    def _maybe_refresh(self, now: float) -> None:
        """Queue one refresh of the drafts once the burst is taken (or it has waited long)."""
        quiet = self.pool.queued() == 0 and self.gate.pending() == 0
        if self.drafts.due(now, quiet):
            self.pool.submit(REFRESH)

    def _refreshed(self, report: Report) -> None:
        self.drafts.done()
        journal.refreshed(report)

    def _report(self, report: Report) -> None:
        """Called by a pool slot when a job ends."""
        job = report.job
        if job.kind == "refresh":
            return self._refreshed(report)
        if job.resumed:
            with self._lock:
                self._claimed.discard(job.path)
        else:
            self.gate.release(job.path)
            # A new file dropped under the same name meanwhile raised events nobody heard; a
            # file left by an error waits for the rescan rather than failing again every tick.
            if report.kind in ("done", "gone") and job.path.exists():
                self.gate.notice(job.path)
        outcome = report.outcome
        if report.kind == "error" and report.error.startswith("LedgerError"):
            return self.halt(report.error.split(": ", 1)[-1])
        if report.kind in ("timeout", "crash", "error"):
            journal.failed(report)
            if report.work is not None:
                outcome = give_up(report, self.ledger, self.config.path("outbox"),
                                  self.clock())
        if outcome is not None:
            journal.finished(outcome)
            self.on_outcome(outcome)
            self._schedule_retry(report, outcome)
            if outcome.status == Status.ACCEPTED:
                self.drafts.mark(self.monotonic())
                self._maybe_refresh(self.monotonic())  # the last file of a burst: not a tick later
            if outcome.status == Status.ATTACHMENT:  # the PDF a waiting form of this unit named?
                self._recheck(lambda row: row.unit == outcome.unit)
        with self._lock:
            line = self.progress.finished(outcome.status if outcome else report.kind,
                                          self.monotonic())
        if line:
            log.info(line, extra={"event": "progress"})

    def _apply(self, config: Config) -> None:
        """Swap in a config that passed its checks; mode and workers wait for a restart."""
        old = self.config.watch
        self.config = config
        self.gate.delay = config.watch.stability_seconds
        self.pool.reconfigure(self._setup(), config.watch.file_timeout_seconds)
        # Drafts made under the old config or templates are remade by the next refresh, which
        # runs in a worker already holding the new version and marks exactly those out of date.
        self.drafts.mark(self.monotonic())
        if (old.mode, old.workers) != (config.watch.mode, config.watch.workers):
            log.warning("watch.mode và watch.workers mới chỉ có hiệu lực khi khởi động lại "
                        "docflow.", extra={"event": "restart_needed"})

    def _setup(self) -> Setup:
        version = self._reloader.current.key if self._reloader else ""
        return Setup(self.config, self.clock, self.handler, version=version)

    def _write_snapshot(self) -> None:
        try:
            status.write_snapshot(self.config.path("state"), self.snapshot(),
                                  dt.datetime.now())
        except OSError as exc:  # status is a convenience; processing must go on
            log.warning("Không ghi được trạng thái dịch vụ: %s", exc)

    def _shutdown(self) -> None:
        self.stopped.set()
        observers.stop(self._observers)
        self._observers.clear()
        if self.pool is not None:
            left = self.pool.stop()
            for job in left:
                if not job.resumed:
                    self.gate.release(job.path)
            self._claimed.clear()
            if left:
                log.info("Dừng: %d tệp chưa bắt đầu vẫn nằm nguyên trong inbox/ hoặc vùng làm "
                         "việc, sẽ được xử lý khi chạy lại.", len(left))
        self._write_snapshot()
        log.info("docflow đã dừng.", extra={"event": "stopped"})


def _files_in(folder: Path) -> list[Path]:
    try:
        return [p for p in folder.iterdir() if p.is_file()]
    except OSError:
        return []
