"""The hot-folder service: events or polling per folder, a rescan, the stability gate, the pool.

    observer threads ──notice──▶ Gate ──due──▶ Pool (worker processes) ──Report──▶ ledger, log
    rescan (timer) ────notice──▶

Nothing here decides what a file means; the pipeline does that inside the worker processes.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import threading
import time
from pathlib import Path
from typing import Any, Callable

from watchdog.observers import Observer
from watchdog.observers.api import BaseObserver

from docflow.watch import observers

from docflow.watch import status
from docflow.config import Config
from docflow.store import is_candidate, waiting
from docflow.logs import Progress
from docflow.pipeline import STATUS_WORDS, recover, Outcome
from docflow.watch.probe import Probe, probe, watched_roots
from docflow.watch.refresh import RefreshSchedule
from docflow.watch.reload import Reloader
from docflow.watch.settle import Gate
from docflow.jobs import REFRESH, Report, Setup, Task, give_up
from docflow.watch.worker_process import handle
from docflow.watch.pool import Pool
from docflow.workspace import Workspace

log = logging.getLogger("docflow.watch")
TICK = 0.2          # how often pending files are looked at; the stability delay is separate
SNAPSHOT_EVERY = 2.0
REFRESH_AT_LEAST_EVERY = 30.0  # drafts wait for the end of a burst, but not longer than this


class Watcher:
    """Runs until stopped: every stable inbox file is processed exactly once."""

    def __init__(self, ws: Workspace, on_outcome: Callable[[Outcome], None] = lambda o: None,
                 monotonic: Callable[[], float] = time.monotonic,
                 config_path: Path | None = None,
                 native_observer: Callable[[], BaseObserver] = Observer,
                 mounts: str | None = None, handler: Callable[..., Any] = handle) -> None:
        self.ws, self.on_outcome, self.monotonic = ws, on_outcome, monotonic
        self.config: Config = ws.config
        self.config_path, self.native_observer, self.mounts = config_path, native_observer, mounts
        self.handler = handler
        settings = self.config.watch
        self.gate = Gate(settings.stability_seconds)
        self.progress = Progress()
        self.probes: list[Probe] = []
        self.pool: Pool | None = None
        self.stopped = threading.Event()
        self.started_at = ws.clock()
        self._observers: list[BaseObserver] = []
        self._reloader: Reloader | None = None
        self._lock = threading.Lock()
        self._claimed: set[Path] = set()   # work paths queued or in progress (resumed files)
        self.drafts = RefreshSchedule(REFRESH_AT_LEAST_EVERY)

    @property
    def inbox(self) -> Path:
        """The inbox root being watched."""
        return self.config.path("inbox")

    def notice(self, path: Path, is_directory: bool = False) -> None:
        """An event or a scan reported a path; a new folder is read, since its files raise none."""
        if is_directory:
            if path.parent == self.inbox:
                for item in _files_in(path):
                    if is_candidate(item, self.inbox):
                        self.gate.notice(item)
        elif is_candidate(path, self.inbox):
            self.gate.notice(path)

    def tick(self) -> None:
        """Hand every file that is stable and complete to the pool."""
        if self.pool is None:
            return  # not running: a file marked taken here would wait for a release forever
        due = self.gate.due(self.monotonic())
        if due:
            with self._lock:
                self.progress.added(len(due), self.monotonic())
            for path in due:
                self.pool.submit(Task(path))
        self._maybe_refresh(self.monotonic())

    def rescan(self) -> None:
        """Reconcile with the folders themselves, in case an event was missed; forms whose
        attachments were awaited too long go back to the pipeline, which now rejects them."""
        for path in waiting(self.inbox):
            self.gate.notice(path)
        if self.pool is not None:
            wait = dt.timedelta(minutes=self.config.intake.attachment_wait_minutes)
            self._recheck(lambda row: dt.datetime.fromisoformat(row.received_at) + wait
                          <= self.ws.clock())
            if self.ws.ledger.stale():  # left by a stop, a crash or a failed refresh
                self.drafts.mark(self.monotonic())

    def run(self) -> None:
        """Block until `stop()`: resume claimed files, take what waits, then follow changes."""
        settings = self.config.watch
        self.inbox.mkdir(parents=True, exist_ok=True)
        if self.config_path is not None:
            self._reloader = Reloader(self.config_path, self.config, settings.stability_seconds,
                                      self.ws.clock)
            self.config = self._reloader.current.config
        self.pool = Pool(settings.workers, settings.file_timeout_seconds, self._setup(),
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

    def snapshot(self) -> dict[str, Any]:
        """The live state that `docflow status` shows."""
        pool = self.pool
        return {"pid": os.getpid(), "running": not self.stopped.is_set(),
                "started": self.started_at.isoformat(timespec="seconds"),
                "roots": [{"root": str(p.root), "mode": p.mode, "fstype": p.fstype,
                           "reason": p.reason} for p in self.probes],
                "pending": self.gate.pending(), "queued": pool.queued() if pool else 0,
                "busy": [str(t.path) for t in pool.busy() if t.kind == "file"] if pool else [],
                "workers": self.config.watch.workers,
                "refresh": self.drafts.state(),
                "config_version": self._reloader.current.label if self._reloader else ""}

    def _loop(self) -> None:
        settings = self.config.watch
        last_scan = last_reload = last_snapshot = self.monotonic()
        self._write_snapshot()
        while not self.stopped.wait(TICK):
            self.tick()
            now = self.monotonic()
            if now - last_scan >= self.config.watch.rescan_seconds:
                self.rescan()
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

    def _observe(self) -> None:
        settings = self.config.watch
        self.probes = [probe(root, settings.mode, settings.probe_seconds, self.mounts,
                             self.native_observer) for root in watched_roots(self.inbox)]
        self._observers = observers.start(self.probes, self.notice, settings.poll_seconds,
                                          self.native_observer)
        for p in self.probes:
            log.info("Theo dõi %s: %s — %s", p.root, "sự kiện" if p.mode == "native"
                     else f"quét mỗi {settings.poll_seconds:g} giây", p.reason,
                     extra={"event": "watch_mode", "root": str(p.root), "mode": p.mode,
                            "fstype": p.fstype})

    def _resume(self) -> None:
        """Files claimed before a stop or a crash go first (pipeline.resume's order and rule)."""
        tasks = [Task(work, unit) for work, unit in recover(self.ws)]
        if tasks:
            log.info("Tiếp tục %d tệp đã nhận nhưng chưa xử lý xong trước lần dừng trước.",
                     len(tasks), extra={"event": "resume", "count": len(tasks)})
        self._submit_claimed(tasks)
        # Always one refresh at start: besides drafts left stale, config.toml or a template
        # may have been edited while the service was stopped (the refresh marks exactly those).
        self.drafts.mark(self.monotonic())

    def _recheck(self, wanted: Callable[[Any], bool]) -> None:
        """Send forms left waiting for their PDF attachments back to the pipeline."""
        rows = [r for r in self.ws.ledger.files("waiting") if r.work_path and wanted(r)]
        self._submit_claimed([Task(Path(r.work_path), r.unit) for r in rows
                              if Path(r.work_path).is_file()])

    def _submit_claimed(self, tasks: list[Task]) -> None:
        with self._lock:
            tasks = [t for t in tasks if t.path not in self._claimed]
            self._claimed.update(t.path for t in tasks)
            if tasks:
                self.progress.added(len(tasks), self.monotonic())
        for task in tasks:
            self.pool.submit(task)

    def _maybe_refresh(self, now: float) -> None:
        """Queue one refresh of the drafts once the burst is taken (or it has waited long)."""
        quiet = self.pool.queued() == 0 and self.gate.pending() == 0
        if self.drafts.due(now, quiet):
            self.pool.submit(REFRESH)

    def _refreshed(self, report: Report) -> None:
        self.drafts.done()
        if report.kind == "refreshed":
            if report.made:
                log.info("Đã cập nhật %d văn bản tổng hợp.", len(report.made),
                         extra={"event": "refreshed", "outputs": [str(p) for p in report.made]})
        else:  # the drafts stay marked out of date; the next rescan tries again
            log.error("Lỗi khi cập nhật văn bản tổng hợp: %s", report.error,
                      extra={"event": "refresh_error", "kind": report.kind})

    def _report(self, report: Report) -> None:
        """Called by a pool slot when a task ends."""
        task = report.task
        if task.kind == "refresh":
            return self._refreshed(report)
        if task.resumed:
            with self._lock:
                self._claimed.discard(task.path)
        else:
            self.gate.release(task.path)
            # A new file dropped under the same name meanwhile raised events nobody heard; a
            # file left by an error waits for the rescan rather than failing again every tick.
            if report.kind in ("done", "gone") and task.path.exists():
                self.gate.notice(task.path)
        outcome = report.outcome
        if report.kind in ("timeout", "crash", "error"):
            log.error("Lỗi khi xử lý %s: %s", task.path, report.error,
                      extra={"event": "file_error", "file": str(task.path), "kind": report.kind})
            if report.work is not None:
                outcome = give_up(report, self.ws.ledger, self.config.path("outbox"),
                                  self.ws.clock())
        if outcome is not None:
            log.info("[%s] %s: %s", outcome.unit or "?", outcome.name,
                     STATUS_WORDS.get(outcome.status, outcome.status),
                     extra={"event": "file_done", "unit": outcome.unit, "file": outcome.name,
                            "status": outcome.status,
                            "outputs": [str(p) for p in outcome.outputs]})
            self.on_outcome(outcome)
            if outcome.status == "accepted":
                self.drafts.mark(self.monotonic())
            if outcome.status == "attachment":  # the PDF a waiting form of this unit named?
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
        return Setup(self.config, self.ws.clock, self.handler)

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
            for task in left:
                if not task.resumed:
                    self.gate.release(task.path)
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
