"""Several machines, with the real servers: one watcher and two `docflow worker` processes over
Redis and PostgreSQL. A burst of 100 files is answered exactly once each, every current nominee
is in the drafts once, while one worker is killed mid-file, Redis is away for 10 seconds and
PostgreSQL restarts."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

from builders import assert_answered_once, assert_decision_lists_current_versions, nominations
from engine_helpers import celery_config, workers
from test_watch_live import finished, service, wait_for

from docflow.config import load
from docflow.engine import CeleryDispatcher, engine_status
from docflow.models import Status
from docflow.workspace import Workspace

UNITS = ("SNV", "STC", "SYT", "SGDDT")
FILES = 100


def answered(ws: Workspace) -> int:
    return sum(1 for r in ws.ledger.files() if r.status != Status.PROCESSING)


def test_a_burst_survives_a_killed_worker_a_broker_outage_and_a_database_restart(
        tmp_path, postgres, redis_server, capsys):
    config_path = celery_config(tmp_path, redis_server.url.replace("/0", "/1"),
                                postgres.new_database())
    # A file a worker held when it died with the broker away comes back after the broker's
    # visibility timeout (the file's limit + 60 s): keep that within the test's patience.
    config_path.write_text(config_path.read_text("utf-8").replace(
        "file_timeout_seconds = 60.0", "file_timeout_seconds = 30.0"), "utf-8")
    config = load(config_path)
    files = nominations(tmp_path / "build", config, FILES)
    staging = tmp_path / "staging"
    for name, data in files.items():
        (staging / name).parent.mkdir(parents=True, exist_ok=True)
        (staging / name).write_bytes(data)
    (tmp_path / "logs").mkdir()
    ws = Workspace.open(config, converter=None)
    killed: list[tuple[int, str]] = []

    with workers(config_path, 2, tmp_path / "logs") as running, \
            service(ws, dispatcher=CeleryDispatcher) as watcher:

        def waiting(condition, timeout: float, message: str) -> None:
            """wait_for, and if it times out, where every file is (for whoever reads CI)."""
            try:
                wait_for(condition, timeout, message)
            except AssertionError as exc:
                rows = ws.ledger.files()
                raise AssertionError(
                    f"{exc}: {len(rows)} rows, {answered(ws)} answered; processing "
                    f"{[(r.unit, r.name, r.work_path) for r in rows if r.status == 'processing']}"
                    f"; in the inbox {sorted(str(p) for p in ws.inbox.rglob('*.xlsx'))}; "
                    f"queued {watcher.pool.queued()}, busy {watcher.pool.busy()}; leases "
                    f"{ws.ledger.leases()}; workers' log {running.log_text()[-4000:]}") from None
        for name in files:  # every file appears whole, all at once
            (ws.inbox / name).parent.mkdir(parents=True, exist_ok=True)
            os.rename(staging / name, ws.inbox / name)

        # One worker process dies mid-file (SIGKILL): it holds a unit's lease on a claimed file.
        def holder_mid_file():
            kids = running.children()
            for lease, holder in ws.ledger.leases().items():
                pid = int(holder.split(":")[1])
                rows = [r for r in ws.ledger.files(Status.PROCESSING)
                        if lease == f"unit:{r.unit}"]
                if lease.startswith("unit:") and pid in kids and rows:
                    return pid, rows[-1].work_path
            return None
        pid, work = wait_for(holder_mid_file, 60, "no worker was seen mid-file")
        os.kill(pid, signal.SIGKILL)
        killed.append((pid, work))

        # Redis goes away for ten seconds in the middle of the burst, then comes back.
        waiting(lambda: answered(ws) >= 40, 90, "the burst stalled after the kill")
        redis_server.stop()
        time.sleep(10)
        redis_server.start()
        # Then PostgreSQL restarts: every pooled connection breaks.
        # (≥ 60: a worker killed just as Redis went away cannot give its file back until the
        # broker's visibility timeout, and its unit's later files wait behind it meanwhile)
        waiting(lambda: answered(ws) >= 60, 90, "work did not resume after Redis came back")
        postgres.stop()
        postgres.start()

        waiting(lambda: finished(ws, FILES), 180, "100 files were not all processed")
        wait_for(lambda: not ws.ledger.stale() and watcher.pool.idle(), 90,
                 "the drafts were not remade")
        print("\n".join(engine_status(config)))
        logs = running.log_text()
    status = capsys.readouterr().out
    assert "0 việc đang chờ trong hàng đợi, 2 tiến trình worker đang chạy." in status, status
    assert f"pid:{killed[0][0]} exited with 'signal 9 (SIGKILL)'" in logs  # the worker saw it die

    assert_answered_once(ws, files)
    assert [p for p in (tmp_path / "state" / "work").rglob("*") if p.is_file()] == []
    (pid, work), = killed
    redelivered = ws.ledger.by_work_path(Path(work))
    assert redelivered.status == Status.ACCEPTED and not Path(work).exists()

    assert_decision_lists_current_versions(ws, FILES, UNITS)
    ws.close()
