"""The watcher's side of the Celery engine: a file it could not claim because the database was
away (a PostgreSQL restart) is not forgotten; it is claimed and sent once the ledger is back."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

from builders import dn_info, dn_workbook, person, workspace

from docflow.config import load
from docflow.engine import dispatcher as engine_dispatcher
from docflow.errors import LedgerError
from docflow.jobs import Job, Setup, run_job


def test_a_file_the_ledger_could_not_claim_is_sent_once_the_ledger_is_back(tmp_path, monkeypatch):
    config = load(workspace(tmp_path))
    path = dn_workbook(tmp_path / "inbox" / "SNV" / "de-nghi.xlsx", dn_info("SNV"),
                       [person("Nguyễn Văn An")])
    reports, sent = [], []
    pool = engine_dispatcher.CeleryDispatcher(1, 60, Setup(config, dt.datetime.now, run_job),
                                              reports.append)
    real_claim, refusals = engine_dispatcher.claim_inbox_file, []

    def claim_when_the_database_is_up(inbox_path, ws):
        if not refusals:  # the first try meets PostgreSQL restarting
            refusals.append(inbox_path)
            raise LedgerError("Không kết nối được PostgreSQL")
        return real_claim(inbox_path, ws)

    monkeypatch.setattr(engine_dispatcher, "claim_inbox_file", claim_when_the_database_is_up)
    monkeypatch.setattr(pool, "_send", lambda job, work, unit: (
        sent.append((work, unit)) or SimpleNamespace(id=f"task-{len(sent)}")))
    pool._ws = engine_dispatcher.Workspace.open(config, converter=None)
    try:
        pool.submit(Job(path))
        try:
            pool._send_ready()
        except LedgerError:
            pass  # the dispatcher's loop logs it and tries again a second later
        assert sent == [] and pool.queued() == 1  # still waiting, not lost
        assert pool._send_ready() is True
        assert len(sent) == 1 and sent[0][1] == "SNV" and sent[0][0].name == "de-nghi.xlsx"
        assert not path.exists() and sent[0][0].exists()  # claimed now, exactly once
        assert reports == []
    finally:
        pool._ws.close()
