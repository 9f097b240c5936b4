"""Worker processes: each takes one job at a time, and one that overruns its time limit is killed.

Processes, not threads: a thread stuck in a huge workbook cannot be stopped, and two cores render
twice as fast. Each process opens its own workspace (worker_process.serve); the pipeline's locks
become file locks there, since an in-process lock no longer covers every writer.
"""

from __future__ import annotations

import collections
import logging
import multiprocessing
import threading
import time
from dataclasses import replace
from pathlib import Path
from typing import Any, Callable

from docflow.convert import SharedConverter
from docflow.jobs import Report, Setup, Job
from docflow.workspace import pdf_converter
from docflow.watch.worker_process import serve

log = logging.getLogger("docflow.workers")
BOOT_SECONDS = 120.0  # a worker opens its workspace (imports, ledger, LibreOffice check) in this


class Pool:
    """`size` slots, each a thread in this process driving one worker process."""

    def __init__(self, size: int, time_limit: float, setup: Setup,
                 on_report: Callable[[Report], None]) -> None:
        self.time_limit, self.setup, self.on_report = time_limit, setup, on_report
        self._queue: collections.deque[Job] = collections.deque()
        self._busy: dict[int, Job] = {}
        self._served: dict[str, int] = {}  # sender → the turn it was last given a slot
        self._turn = 0
        self._cond = threading.Condition()
        self._stopping = False
        self._office: SharedConverter | None = None
        self._ctx = multiprocessing.get_context("spawn")  # fork is unsafe with observer threads
        self._slots = [threading.Thread(target=self._slot, args=(i,), name=f"docflow-worker-{i}")
                       for i in range(max(1, size))]

    def start(self) -> None:
        """Start the slots; each starts its worker process at once. With PDF on, the
        LibreOffice processes are this service's, shared by every worker (convert/shared.py)."""
        converter = pdf_converter(self.setup.config)  # None with PDF off or no LibreOffice
        if converter is not None:
            self._office = SharedConverter(converter)
            self.setup = replace(self.setup, office=self._office.ticket)
        for slot in self._slots:
            slot.start()

    def submit(self, job: Job) -> None:
        """Queue a job; the first free slot takes it."""
        with self._cond:
            self._queue.append(job)
            self._cond.notify()

    def reconfigure(self, setup: Setup, time_limit: float) -> None:
        """Use a new config from the next file on: each worker is replaced between two files."""
        with self._cond:
            office = None
            if self._office is not None:
                # the shared LibreOffice keeps the [output] settings it started with
                office = self._office.ticket
                if replace(self.setup.config.output, pdf=True) != \
                        replace(setup.config.output, pdf=True):
                    log.warning("Các thiết lập LibreOffice trong [output] (trừ pdf) mới chỉ có "
                                "hiệu lực khi khởi động lại docflow.",
                                extra={"event": "restart_needed"})
            self.setup = replace(setup, generation=self.setup.generation + 1, office=office)
            self.time_limit = time_limit

    def queued(self) -> int:
        """Jobs waiting for a slot."""
        with self._cond:
            return len(self._queue)

    def busy(self) -> list[Job]:
        """Jobs being processed now."""
        with self._cond:
            return list(self._busy.values())

    def idle(self) -> bool:
        """True when nothing is queued or running."""
        with self._cond:
            return not self._queue and not self._busy

    def stop(self) -> list[Job]:
        """Let running files finish, stop every worker; returns the jobs never started."""
        with self._cond:
            self._stopping = True
            left = list(self._queue)
            self._queue.clear()
            self._cond.notify_all()
        for slot in self._slots:
            if slot.is_alive():
                slot.join()
        if self._office is not None:
            self._office.close()
            self._office = None
        return left

    def _next(self, index: int) -> Job | None:
        """The next job whose sender has no file in progress, senders taking turns; the slot is
        busy with it.

        Two versions from one unit processed side by side could finish out of order (the older
        becoming current), and two identical copies could both pass the duplicate check."""
        with self._cond:
            while not self._stopping:
                busy = {t.sender for t in self._busy.values()}
                free = [job for job in self._queue if job.sender not in busy]
                if free:
                    # Fair across units: the sender served longest ago goes first, so 500 files
                    # from one unit do not make a small unit's single file wait behind them.
                    job = min(free, key=lambda j: self._served.get(j.sender, -1))
                    self._queue.remove(job)
                    self._busy[index] = job
                    self._turn += 1
                    self._served[job.sender] = self._turn
                    return job
                self._cond.wait()
            return None

    def _slot(self, index: int) -> None:
        child = self._spawn(index)  # started before the first file arrives
        try:
            while True:
                job = self._next(index)
                if job is None:
                    break
                if child is not None and child.generation != self.setup.generation:
                    child.close()
                    child = None
                child = child or self._spawn(index)
                if child is None:
                    report = Report(job, "crash", error="không khởi động được tiến trình xử lý")
                else:
                    report = child.run(job, self.time_limit)
                if report.kind in ("timeout", "crash"):
                    child = None
                with self._cond:
                    self._busy.pop(index, None)
                    self._cond.notify_all()  # a job held back for this sender may go now
                try:
                    self.on_report(report)
                except Exception:  # a reporting fault must not stop the slot
                    log.exception("Lỗi khi ghi nhận kết quả xử lý %s", job.path)
        finally:
            if child is not None:
                child.close()


    def _spawn(self, index: int) -> "_Child | None":
        try:
            return _Child(self._ctx, self.setup, index)
        except Exception:  # the slot lives on; each file it gets is reported until this heals
            log.exception("Không khởi động được tiến trình xử lý số %d", index)
            return None


class _Child:
    """One worker process and the pipe to it."""

    def __init__(self, ctx: Any, setup: Setup, index: int) -> None:
        self.generation = setup.generation
        self.conn, theirs = ctx.Pipe()
        self.process = ctx.Process(target=serve, args=(theirs, setup), daemon=True,
                                   name=f"docflow-worker-{index}")
        self.process.start()
        theirs.close()
        self.ready = False

    def run(self, job: Job, limit: float) -> Report:
        """Send a job and wait for its end, killing the process past the time limit."""
        work, unit = (job.path, job.unit or "") if job.resumed else (None, "")
        try:
            # The limit is for the file, not for a worker still starting on a busy machine.
            if not self.ready and not self._await_ready():
                self.kill()
                return Report(job, "crash", error="tiến trình xử lý không khởi động được "
                              f"trong {BOOT_SECONDS:g} giây")
            deadline = time.monotonic() + limit
            self.conn.send(job)
            while True:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    self.kill()
                    return Report(job, "timeout", work=work, unit=unit,
                                  error=f"quá thời hạn {limit:g} giây cho một tệp")
                if not self.conn.poll(min(remaining, 0.5)):
                    continue
                message = self.conn.recv()
                if message[0] == "claimed":
                    work, unit = Path(message[1]), message[2]
                    continue
                if message[0] == "refreshed":
                    return Report(job, "refreshed", made=message[1])
                return Report(job, message[0], message[1], work, unit, message[2])
        except (EOFError, OSError):
            self.kill()
            return Report(job, "crash", work=work, unit=unit,
                          error=f"tiến trình xử lý dừng đột ngột (mã {self.process.exitcode})")

    def _await_ready(self) -> bool:
        if self.conn.poll(BOOT_SECONDS):
            self.ready = self.conn.recv() == ("ready",)
        return self.ready

    def kill(self) -> None:
        """Stop the process at once."""
        self.process.kill()
        self.process.join()
        self.conn.close()

    def close(self) -> None:
        """Ask the process to exit after its current file; kill it if it does not."""
        if self.conn.closed:
            return
        try:
            self.conn.send(None)
        except OSError:
            pass
        self.process.join(10)
        if self.process.is_alive():
            self.process.kill()
            self.process.join()
        self.conn.close()
