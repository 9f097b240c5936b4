"""`docflow worker`: a Celery worker for one campaign's config; its tasks run the same jobs as the
embedded pool, through jobs.run_job in a workspace each worker process opens for itself."""

from __future__ import annotations

import datetime as dt
import logging
import os
import socket
from dataclasses import replace
from pathlib import Path
from typing import Any

from docflow.config import Config
from docflow.engine.app import FILE_TASK, QUEUE, REFRESH_TASK, make_app
from docflow.engine.follow import accepted, follow
from docflow.errors import LedgerError
from docflow.jobs import Job, refresh, run_job
from docflow.pipeline import Outcome
from docflow.workspace import Workspace

log = logging.getLogger("docflow.engine")
RETRY_MAX_SECONDS = 30.0
_open: dict[str, Any] = {}   # this worker process's workspace, opened at its start


def outcome_data(outcome: Outcome) -> dict[str, Any]:
    """An Outcome as the JSON a task returns."""
    return {"kind": "done", "status": str(outcome.status), "unit": outcome.unit,
            "name": outcome.name, "outputs": [str(p) for p in outcome.outputs],
            "problems": len(outcome.problems)}


def build(config: Config) -> Any:
    """The Celery app with this campaign's two tasks registered."""
    app = make_app(config)

    @app.task(name=FILE_TASK, bind=True, acks_late=True, reject_on_worker_lost=True)
    def process_file(self: Any, work: str, unit: str, version: str = "") -> dict[str, Any]:
        """Process a claimed file (claimed by the watcher); safe to run again."""
        ws = _workspace(config, version)
        path = Path(work)
        try:
            if not path.exists():  # answered already: a redelivery after a lost acknowledgement
                row = ws.ledger.by_work_path(path)
                if row is None or row.status == "processing":
                    return {"kind": "gone"}
                return {"kind": "done", "status": row.status, "unit": row.unit, "name": row.name,
                        "outputs": row.outputs, "problems": 0}
            outcome = run_job(Job(path, unit), ws, lambda *_: None)
        except LedgerError as exc:  # the database is away: the file waits, claimed, and retries
            delay = min(2.0 ** self.request.retries, RETRY_MAX_SECONDS)
            log.warning("Sổ theo dõi chưa dùng được, thử lại %s sau %g giây: %s", path.name,
                        delay, exc)
            raise self.retry(exc=exc, countdown=delay, max_retries=None)
        return {"kind": "gone"} if outcome is None else outcome_data(outcome)

    @app.task(name=REFRESH_TASK, bind=True, acks_late=True, reject_on_worker_lost=True)
    def remake_drafts(self: Any, version: str = "") -> dict[str, Any]:
        """Remake the out-of-date drafts; the ledger's `refresh` lease serialises makers."""
        try:
            return {"kind": "refreshed",
                    "made": [str(p) for p in refresh(_workspace(config, version))]}
        except LedgerError as exc:
            raise self.retry(exc=exc, countdown=min(2.0 ** self.request.retries,
                                                    RETRY_MAX_SECONDS), max_retries=None)

    return app


def run_worker(config: Config, concurrency: int = 1) -> None:
    """Run a Celery worker for this config until stopped (SIGTERM lets running files finish)."""
    from celery.signals import worker_process_init, worker_process_shutdown

    app = build(config)
    worker_process_init.connect(lambda **_: _workspace(config), weak=False)
    worker_process_shutdown.connect(lambda **_: _close(), weak=False)
    app.worker_main(["worker", "--loglevel=INFO", f"--concurrency={max(1, concurrency)}",
                     "--pool=prefork", "-Q", QUEUE, "-O", "fair", "--without-gossip",
                     "--without-mingle", "-n", f"docflow@{socket.gethostname()}-{os.getpid()}"])


def _workspace(config: Config, version: str = "") -> Workspace:
    """This process's workspace, running the config and templates the watcher accepted as
    `version` (engine/follow.py); one LibreOffice per worker process is enough."""
    ws = _open.get("ws")
    if ws is None or _open.get("pid") != os.getpid():
        if config.output.pdf:
            config = replace(config, output=replace(config.output, instances=1))
        ws = Workspace.open(config, dt.datetime.now)
        _open.update(ws=ws, pid=os.getpid(), version="")
    if version and version != _open.get("version"):
        _open["version"] = version  # tried once: one that cannot be read is not read every job
        wanted = accepted(config, version)
        if wanted is not None:
            ws = follow(ws, wanted)
            _open["ws"] = ws
            log.info("Worker dùng cấu hình và mẫu Word đã được chấp nhận %s.", version,
                     extra={"event": "config_followed", "version": version})
    return ws


def _close() -> None:
    ws = _open.pop("ws", None)
    if ws is not None and _open.pop("pid", None) == os.getpid():
        ws.close()
