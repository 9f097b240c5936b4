"""On several machines each worker keeps its own LibreOffice: two `docflow worker`s with PDF on,
each given one file, convert it with a LibreOffice in its own process tree."""

from __future__ import annotations

import subprocess

from builders import dn_info, dn_workbook, person
from engine_helpers import celery_config, workers
from test_watch_live import finished, service, wait_for

from docflow.config import load
from docflow.engine import CeleryDispatcher
from docflow.models import Status
from docflow.workspace import Workspace


def test_two_workers_each_with_its_own_libreoffice_deliver_pdfs(tmp_path, postgres, redis_server):
    config_path = celery_config(tmp_path, redis_server.url.replace("/0", "/3"),
                                postgres.new_database(), pdf=True)
    config = load(config_path)
    (tmp_path / "logs").mkdir()
    ws = Workspace.open(config, converter=None)
    # Each worker takes one file and waits at validation until both hold one (LibreOffice starts
    # at a worker's first conversion): the campaign lease is the test's until then.
    assert ws.ledger.try_lease("campaign", ttl=600)
    try:
        with workers(config_path, 2, tmp_path / "logs") as running:
            with service(ws, dispatcher=CeleryDispatcher):
                for unit in ("SNV", "SYT"):
                    built = dn_workbook(tmp_path / "build" / unit / "de-nghi.xlsx",
                                        dn_info(unit, unit_name=config.unit(unit).name),
                                        [person(f"Đặng Thị Hương {unit}")])
                    (ws.inbox / unit).mkdir(parents=True, exist_ok=True)
                    built.rename(ws.inbox / unit / "de-nghi.xlsx")
                wait_for(lambda: len({h.split(":")[1] for n, h in ws.ledger.leases().items()
                                      if n.startswith("unit:")}) == 2, 120,
                         "the two workers did not take a file each")
                ws.ledger.release("campaign")
                wait_for(lambda: finished(ws, 2) and all(
                    list((tmp_path / "outbox" / u).glob("*-Phieu-tiep-nhan-de-nghi.pdf"))
                    for u in ("SNV", "SYT")), 180, "the two receipts were not delivered")
                # each worker runs its own LibreOffice (one being restarted after its quota of
                # jobs is a moment without one, hence the wait)
                wait_for(lambda: all(running.programs(i).count("soffice.bin") == 1
                                     for i in range(2)), 60,
                         f"each worker should run one LibreOffice: "
                         f"{[running.programs(i) for i in range(2)]}")
        assert {r.status for r in ws.ledger.files()} == {Status.ACCEPTED}
    finally:
        ws.close()
    for unit in ("SNV", "SYT"):
        pdfs = list((tmp_path / "outbox" / unit).glob("*-Phieu-tiep-nhan-de-nghi.pdf"))
        assert len(pdfs) == 1, list((tmp_path / "outbox" / unit).iterdir())
        text = subprocess.run(["pdftotext", str(pdfs[0]), "-"], capture_output=True,
                              text=True).stdout
        assert "PHIẾU TIẾP NHẬN" in text.upper() and config.unit(unit).name in text
