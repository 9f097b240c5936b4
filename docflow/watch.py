"""The hot-folder service: watchdog events or polling, a stability check, a rescan, a worker pool."""

from __future__ import annotations

import logging
import os
import threading
import time
import zipfile
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer
from watchdog.observers.polling import PollingObserver

from docflow.inbox import is_ignored, waiting
from docflow.pipeline import Outcome, process_inbox_file, resume
from docflow.workspace import Workspace

log = logging.getLogger("docflow.watch")
ZIP_TYPES = {".xlsx", ".docx", ".xlsm", ".docm"}


@dataclass
class Stability:
    """Decides when a file is fully written: size and mtime unchanged for `delay` seconds."""

    delay: float
    seen: dict[Path, tuple[int, float, float]] = field(default_factory=dict)

    def observe(self, path: Path, size: int, mtime: float, now: float) -> bool:
        """Record a look at the file; True once it has stood still long enough."""
        last = self.seen.get(path)
        if last is None or last[:2] != (size, mtime):
            self.seen[path] = (size, mtime, now)
            return False
        return now - last[2] >= self.delay

    def forget(self, path: Path) -> None:
        """Stop tracking a file (taken or gone)."""
        self.seen.pop(path, None)


def complete(path: Path) -> bool:
    """An Office file is complete when its zip directory reads; others when non-empty."""
    if path.suffix.lower() in ZIP_TYPES:
        try:
            with zipfile.ZipFile(path) as zf:
                return bool(zf.namelist())
        except (zipfile.BadZipFile, OSError):
            return False
    return path.stat().st_size > 0


class _Events(FileSystemEventHandler):
    def __init__(self, notify: Callable[[Path], None]) -> None:
        self.notify = notify

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.is_directory:
            return
        target = getattr(event, "dest_path", "") or event.src_path
        self.notify(Path(os.fsdecode(target)))


class Watcher:
    """Runs until stopped: every stable inbox file is processed exactly once."""

    def __init__(self, ws: Workspace, on_outcome: Callable[[Outcome], None] = lambda o: None,
                 monotonic: Callable[[], float] = time.monotonic) -> None:
        self.ws, self.on_outcome, self.monotonic = ws, on_outcome, monotonic
        settings = ws.config.watch
        self.stability = Stability(settings.stability_seconds)
        self.pool = ThreadPoolExecutor(max_workers=max(1, settings.workers),
                                       thread_name_prefix="docflow-worker")
        self.pending: set[Path] = set()
        self.in_flight: set[Path] = set()
        self.lock = threading.Lock()
        self.stopped = threading.Event()
        self.mode = "polling" if settings.mode == "polling" else "native"

    def notify(self, path: Path) -> None:
        """Note a path an event or a scan reported; checked on the next tick."""
        if not is_ignored(path.name):
            with self.lock:
                self.pending.add(path)

    def tick(self) -> None:
        """Check pending files; hand the stable, complete ones to the pool."""
        with self.lock:
            candidates = list(self.pending)
        now = self.monotonic()
        for path in candidates:
            try:
                st = path.stat()
            except OSError:
                self._drop(path)
                continue
            if path in self.in_flight:
                continue
            if self.stability.observe(path, st.st_size, st.st_mtime, now) and complete(path):
                self._drop(path)
                with self.lock:
                    self.in_flight.add(path)
                self.pool.submit(self._process, path).add_done_callback(self._log_crash)

    def rescan(self) -> None:
        """Reconcile with the folder itself, in case an event was missed."""
        for path in waiting(self.ws.inbox):
            self.notify(path)

    def run(self) -> None:
        """Block until `stop()`: resume claimed files, take what waits, then follow events."""
        for outcome in resume(self.ws):
            self.on_outcome(outcome)
        self.ws.inbox.mkdir(parents=True, exist_ok=True)
        observer = PollingObserver(timeout=self.ws.config.watch.poll_seconds) \
            if self.mode == "polling" else Observer()
        observer.schedule(_Events(self.notify), str(self.ws.inbox), recursive=True)
        observer.start()
        log.info("Đang theo dõi %s (chế độ %s)", self.ws.inbox, self.mode)
        self.rescan()
        last_scan = self.monotonic()
        try:
            while not self.stopped.wait(0.2):
                self.tick()
                if self.monotonic() - last_scan >= self.ws.config.watch.rescan_seconds:
                    self.rescan()
                    last_scan = self.monotonic()
        finally:
            observer.stop()
            observer.join()
            self.pool.shutdown(wait=True)

    def stop(self) -> None:
        """Ask `run()` to return after the files being processed finish."""
        self.stopped.set()

    def _process(self, path: Path) -> None:
        try:
            if path.exists():
                self.on_outcome(process_inbox_file(path, self.ws))
        finally:
            with self.lock:
                self.in_flight.discard(path)

    def _drop(self, path: Path) -> None:
        with self.lock:
            self.pending.discard(path)
        self.stability.forget(path)

    @staticmethod
    def _log_crash(future: Future) -> None:
        if future.exception():
            log.error("Lỗi khi xử lý tệp: %s", future.exception())
