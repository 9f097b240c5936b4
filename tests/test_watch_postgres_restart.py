"""A watcher on a PostgreSQL ledger lives through the database restarting: the rescan that meets
it away is tried again, and files dropped after it comes back are answered (a lost SQLite file,
by contrast, stops the service: tests/test_ledger_lost.py)."""

from __future__ import annotations

import time
from dataclasses import replace

from builders import dn_info, dn_workbook, person, workspace
from test_watch_live import FAST, service, wait_for

from docflow.config import load
from docflow.workspace import Workspace


def test_the_watcher_keeps_going_while_postgresql_restarts(tmp_path, postgres):
    path = workspace(tmp_path)
    url = postgres.new_database()
    path.write_text(path.read_text("utf-8") + f'\n[ledger]\nurl = "{url}"\n', "utf-8")
    config = load(path)
    config = replace(config, watch=replace(config.watch, **{**FAST, "rescan_seconds": 0.3}))
    ws = Workspace.open(config, converter=None)
    try:
        with service(ws) as watcher:
            dn_workbook(ws.inbox / "SNV" / "truoc.xlsx", dn_info("SNV"), [person("Nguyễn Văn An")])
            wait_for(lambda: ws.ledger.files("accepted"), 60, "the first file was not accepted")
            postgres.stop()
            time.sleep(1.5)  # several rescans meet the database away
            postgres.start()
            assert watcher.halted == "" and not watcher.stopped.is_set()
            dn_workbook(ws.inbox / "SYT" / "sau.xlsx", dn_info("SYT"), [person("Trần Thị Bình")])
            wait_for(lambda: len(ws.ledger.files("accepted")) == 2, 60,
                     "the file dropped after the restart was not accepted")
        assert watcher.halted == ""
    finally:
        ws.close()
