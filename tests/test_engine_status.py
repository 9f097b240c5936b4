"""`docflow status` on several machines: how many jobs wait in the broker's queue, which workers
run, the file each is on and the ledger's leases it holds."""

from __future__ import annotations

from pathlib import Path

from builders import FixedClock, dn_info, dn_workbook, person
from engine_helpers import celery_config, workers
from test_watch_live import wait_for

from docflow import cli
from docflow.config import load
from docflow.engine import CeleryDispatcher
from docflow.jobs import Job, Setup
from docflow.models import Status
from docflow.workspace import Workspace


def test_status_shows_the_queue_the_workers_and_what_each_holds(tmp_path, postgres,
                                                                 redis_server, capsys):
    config_path = celery_config(tmp_path, redis_server.url.replace("/0", "/2"),
                                postgres.new_database())
    config = load(config_path)
    names = {}
    for unit in ("SNV", "STC"):
        path = dn_workbook(tmp_path / "inbox" / unit / f"de-nghi-{unit}.xlsx",
                           dn_info(unit, unit_name=config.unit(unit).name),
                           [person(f"Phạm Thị {unit}")])
        names[unit] = path
    ws = Workspace.open(config, converter=None)
    assert ws.ledger.try_lease("campaign", ttl=600)  # validation waits until the test lets go
    reports = []
    dispatcher = CeleryDispatcher(1, 60.0, Setup(config, FixedClock()), reports.append)
    dispatcher.start()
    try:
        for path in names.values():
            dispatcher.submit(Job(path))
        wait_for(lambda: dispatcher.queued() == 2 and not dispatcher._waiting, 30,
                 "the jobs were not sent")
        assert cli.main(["--config", str(config_path), "status"]) == 0
        out = capsys.readouterr().out
        assert "2 việc đang chờ trong hàng đợi, 0 tiến trình worker đang chạy." in out, out

        (tmp_path / "logs").mkdir()
        with workers(config_path, 1, tmp_path / "logs") as running:
            held = wait_for(lambda: [n for n, h in ws.ledger.leases().items()
                                     if n.startswith("unit:")
                                     and int(h.split(":")[1]) in running.children()], 60,
                            "the worker did not take a file")
            assert cli.main(["--config", str(config_path), "status"]) == 0
            out = capsys.readouterr().out
            assert "1 việc đang chờ trong hàng đợi, 1 tiến trình worker đang chạy." in out, out
            unit = held[0].split(":")[1]
            line = next(x for x in out.splitlines() if x.startswith("  docflow@"))
            assert line.endswith(f": de-nghi-{unit}.xlsx"), out  # the file it is on ...
            assert f"      giữ unit:{unit}" in out                 # ... and the lease it holds
            ws.ledger.release("campaign")
            wait_for(lambda: len(reports) == 2, 60, "the files were not answered")
    finally:
        dispatcher.stop()
        ws.close()
    assert sorted(r.outcome.status for r in reports) == [Status.ACCEPTED, Status.ACCEPTED]
    assert sorted(r.outcome.name for r in reports) == ["de-nghi-SNV.xlsx", "de-nghi-STC.xlsx"]
    assert all(not Path(r.work).exists() for r in reports)  # archived from state/work/
