"""The Celery Dispatcher: the watcher claims each stable file (the rename into state/work/ is the
claim) and sends the claimed path as a task; answers come back through the result backend.

Like the embedded pool it sends one file of a unit at a time, so versions are accepted in the
order they were claimed; the ledger's `unit:` lease guards the same order across watchers. A job
whose sending fails (the broker away) is kept and sent again; nothing claimed is dropped.
"""

from __future__ import annotations

import collections
import logging
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

from docflow.engine.app import FILE_TASK, REFRESH_TASK, make_app
from docflow.errors import LedgerError
from docflow.jobs import Job, Report, Setup
from docflow.pipeline import Outcome, claim_inbox_file
from docflow.workspace import Workspace

log = logging.getLogger("docflow.engine")
POLL = 0.01         # how often answers are looked for while jobs are in flight (one MGET)
IDLE = 1.0          # how long to sleep with nothing in flight (a submit wakes it at once)
BROKER_PAUSE = 1.0  # how long to wait after the broker refused a message


@dataclass
class _Flight:
    """A job sent and not yet answered."""

    job: Job
    work: Path | None
    unit: str
    result: Any
    state: str = "PENDING"


class CeleryDispatcher:
    """Jobs.Dispatcher over Celery; `size` is unused (workers run elsewhere)."""

    def __init__(self, size: int, time_limit: float, setup: Setup,
                 on_report: Callable[[Report], None]) -> None:
        self.time_limit, self.setup, self.on_report = time_limit, setup, on_report
        self.app = make_app(setup.config)
        self._waiting: collections.deque[tuple[Job, Path | None, str]] = collections.deque()
        self._flights: dict[str, _Flight] = {}
        self._cond = threading.Condition()
        self._stopping = False
        self._ws: Workspace | None = None
        self._thread = threading.Thread(target=self._run, name="docflow-celery", daemon=True)

    def start(self) -> None:
        """Open the claiming workspace and start sending and collecting."""
        self._ws = Workspace.open(self.setup.config, self.setup.clock, converter=None)
        self._thread.start()

    def submit(self, job: Job) -> None:
        """Queue a job; it is claimed and sent when no file of its unit is in flight."""
        with self._cond:
            self._waiting.append((job, job.path if job.resumed else None, job.unit or ""))
            self._cond.notify()

    def reconfigure(self, setup: Setup, time_limit: float) -> None:
        """A new config and time limit from the next job sent on (each job names the accepted
        version; a worker takes it before running the job)."""
        with self._cond:
            self.setup, self.time_limit = setup, time_limit

    def queued(self) -> int:
        """Jobs not yet started: held here, or waiting in the broker for a worker."""
        with self._cond:
            return len(self._waiting) + sum(1 for f in self._flights.values()
                                            if f.state in ("PENDING", "RETRY"))

    def busy(self) -> list[Job]:
        """Jobs a worker has started."""
        with self._cond:
            return [f.job for f in self._flights.values() if f.state == "STARTED"]

    def idle(self) -> bool:
        """True when nothing is held, sent or running."""
        with self._cond:
            return not self._waiting and not self._flights

    def stop(self) -> list[Job]:
        """Stop sending; jobs never sent are returned (claimed ones resume at the next start).
        Sent jobs stay with the workers, who finish them."""
        with self._cond:
            self._stopping = True
            left = [job for job, work, _ in self._waiting if work is None]
            self._waiting.clear()
            self._cond.notify_all()
        if self._thread.is_alive():
            self._thread.join(30)
        if self._ws is not None:
            self._ws.close()
        return left

    def _run(self) -> None:
        while True:
            with self._cond:
                if self._stopping:
                    return
            try:
                ended = self._collect()
                sent = self._send_ready()
            except LedgerError as exc:  # the database restarting: claims wait for it
                log.warning("Sổ theo dõi chưa dùng được (%s); thử lại sau.", exc,
                            extra={"event": "ledger_away"})
                time.sleep(BROKER_PAUSE)
                continue
            except Exception:  # noqa: BLE001 - the broker or backend away: try again shortly
                log.warning("Chưa liên lạc được với hàng đợi (Redis); thử lại sau.",
                            exc_info=True, extra={"event": "broker_away"})
                time.sleep(BROKER_PAUSE)
                continue
            if not (ended or sent):
                with self._cond:
                    self._cond.wait(POLL if self._flights else IDLE)

    def _send_ready(self) -> bool:
        """Claim and send every job whose unit has nothing in flight; True if one was sent."""
        sent = False
        while True:
            with self._cond:
                busy = {f.job.sender for f in self._flights.values()}
                pick = next((i for i, (job, _, _) in enumerate(self._waiting)
                             if job.sender not in busy), None)
                if pick is None or self._stopping:
                    return sent
                job, work, unit = self._waiting[pick]
                del self._waiting[pick]
            if job.kind == "file" and work is None:
                try:
                    work, unit = claim_inbox_file(job.path, self._ws)
                except FileNotFoundError:  # taken by another watcher, `run`, or its sender
                    self._report(Report(job, "gone"))
                    continue
                except BaseException:  # the ledger away (claims live there): not claimed yet,
                    with self._cond:   # so it goes first again when the database is back
                        self._waiting.appendleft((job, None, unit))
                    raise
            try:
                result = self._send(job, work, unit)
            except BaseException:
                with self._cond:  # claimed or not, it goes first when the broker is back
                    self._waiting.appendleft((job, work, unit))
                raise
            with self._cond:
                self._flights[result.id] = _Flight(job, work, unit, result)
            sent = True

    def _send(self, job: Job, work: Path | None, unit: str) -> Any:
        # the config and templates the watcher accepted: a worker takes them before this job
        version = {"version": self.setup.version} if self.setup.version else {}
        if job.kind == "refresh":
            return self.app.send_task(REFRESH_TASK, kwargs=version, time_limit=self.time_limit)
        return self.app.send_task(FILE_TASK, args=(str(work), unit), kwargs=version,
                                  time_limit=self.time_limit)

    def _collect(self) -> bool:
        """Read every in-flight job's state in one MGET; report those that ended (True if any)."""
        with self._cond:
            flights = list(self._flights.items())
        if not flights:
            return False
        backend = self.app.backend
        raws = backend.mget([backend.get_key_for_task(task_id) for task_id, _ in flights])
        ended = False
        for (task_id, flight), raw in zip(flights, raws):
            meta = backend.decode_result(raw) if raw else {"status": "PENDING"}
            if meta["status"] not in ("SUCCESS", "FAILURE"):
                with self._cond:
                    flight.state = meta["status"]
                continue
            report = self._ended(flight, meta["status"], meta.get("result"))
            backend.forget(task_id)
            with self._cond:
                self._flights.pop(task_id, None)
                self._cond.notify_all()
            self._report(report)
            ended = True
        return ended

    def _ended(self, flight: _Flight, state: str, value: Any) -> Report:
        job, work, unit = flight.job, flight.work, flight.unit
        if state == "FAILURE":
            exc = value
            kind = "timeout" if type(exc).__name__ == "TimeLimitExceeded" else "error"
            error = (f"quá thời hạn {self.time_limit:g} giây cho một tệp" if kind == "timeout"
                     else f"{type(exc).__name__}: {exc}")
            return Report(job, kind, work=work, unit=unit, error=error)
        data = value or {}
        if data.get("kind") == "refreshed":
            return Report(job, "refreshed", made=tuple(Path(p) for p in data.get("made", ())))
        if data.get("kind") != "done":
            return Report(job, "gone", work=work, unit=unit)
        outcome = Outcome(data["status"], data.get("unit", unit), data.get("name", ""),
                          tuple(Path(p) for p in data.get("outputs", ())))
        return Report(job, "done", outcome, work, unit)

    def _report(self, report: Report) -> None:
        try:
            self.on_report(report)
        except Exception:  # noqa: BLE001 - a reporting fault must not stop the dispatcher
            log.exception("Lỗi khi ghi nhận kết quả xử lý %s", report.job.path)
