"""The ledger behaves the same on SQLite (the default) and on PostgreSQL (several machines): the
same rows, the same leases, the same pipeline answers; and an existing SQLite ledger moves to
PostgreSQL whole."""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from builders import collective, dn_info, dn_workbook, person, workspace
from docx_reader import full_text

from docflow import cli
from docflow.config import load
from docflow.models import Record, Status
from docflow.pipeline import process_all
from docflow.store import Ledger, copy_ledger
from docflow.workspace import Workspace

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(params=["sqlite", "postgresql"])
def target(request, tmp_path) -> str | Path:
    """Where a ledger lives: a SQLite file, or a fresh database on the test PostgreSQL."""
    if request.param == "sqlite":
        return tmp_path / "ledger.sqlite3"
    return request.getfixturevalue("postgres").new_database()


def test_files_versions_and_drafts_are_kept_alike(target):
    ledger = Ledger(target)
    first = ledger.begin_file("SNV", "de-nghi.xlsx", "h1", Path("/w/1/de-nghi.xlsx"), "2025-01-02")
    second = ledger.begin_file("SNV", "de-nghi-2.xlsx", "h2", Path("/w/2/de-nghi-2.xlsx"),
                               "2025-01-03")
    assert second == first + 1
    old = Record("DN", "SNV", "2025", {"so": "1/TTr", "ngay": dt.date(2025, 1, 2)},
                 {"ca_nhan": [{"name": "Nguyễn Văn A", "money": Decimal("1.5")}]})
    ledger.finish(first, Status.ACCEPTED, "2025-01-02T08:00:00", kind="DN", record=old,
                  outputs=[{"path": "/o/a.docx", "sha256": "t"}], stale=["DN:BKUBND"])
    new = Record("DN", "SNV", "2025", {"so": "2/TTr"}, {})
    ledger.finish(second, Status.ACCEPTED, "2025-01-03T08:00:00", kind="DN", record=new,
                  stale=["DN:BKUBND", "DN:CSTD"], problems=[{"code": "x", "text": "Ổn"}])

    assert [a.record for a in ledger.current("DN")] == [new]     # the newer version is current
    assert ledger.current_for("SNV", "DN", "2025").file_id == second
    assert ledger.stale() == {"DN:BKUBND": 2, "DN:CSTD": 1}       # marked twice: version 2
    ledger.refreshed("DN:BKUBND", 1, [{"path": "/o/qd.docx"}], "2025-01-03T09:00:00")
    assert ledger.stale() == {"DN:BKUBND": 2, "DN:CSTD": 1}       # made from older data: stays
    ledger.refreshed("DN:BKUBND", 2, [{"path": "/o/qd2.docx"}], "2025-01-03T09:01:00")
    ledger.refreshed("DN:BKUBND", 2, [{"path": "/o/qd3.docx"}], "2025-01-03T09:02:00")
    assert ledger.stale() == {"DN:CSTD": 1}
    assert ledger.draft_outputs("DN:BKUBND") == [{"path": "/o/qd3.docx"}]
    assert ledger.outputs_of(first) == [{"path": "/o/a.docx", "sha256": "t"}]

    row = ledger.by_work_path(Path("/w/1/de-nghi.xlsx"))
    assert (row.id, row.status, row.outputs) == (first, "accepted", ["/o/a.docx"])
    assert ledger.finished_with_hash("SNV", "h2").id == second
    assert ledger.finished_with_hash("STC", "h2") is None
    assert [r.name for r in ledger.files(Status.ACCEPTED)] == ["de-nghi.xlsx", "de-nghi-2.xlsx"]
    ledger.close()
    reopened = Ledger(target)                                     # a second open migrates nothing
    assert reopened.current_for("SNV", "DN", "2025").record == new
    assert old == Record("DN", "SNV", "2025", {"so": "1/TTr", "ngay": dt.date(2025, 1, 2)},
                         {"ca_nhan": [{"name": "Nguyễn Văn A", "money": Decimal("1.5")}]})
    reopened.close()


def test_a_lease_waits_for_its_holder_and_is_freed_when_the_holder_dies(target):
    ledger = Ledger(target)
    assert ledger.try_lease("campaign", ttl=60)
    assert ledger.try_lease("campaign", ttl=60)                   # the holder may take it again
    code = ("import sys; sys.path.insert(0, sys.argv[1]); from docflow.store import Ledger;"
            "l = Ledger(sys.argv[2]); print(l.try_lease('campaign', 60), flush=True);"
            "print(l.try_lease('unit:SNV', 3600), flush=True);"
            "import os, signal; os.kill(os.getpid(), signal.SIGKILL)")
    child = subprocess.run([sys.executable, "-c", code, str(ROOT), str(target)],
                           capture_output=True, text=True, timeout=60)
    assert child.stdout.split() == ["False", "True"], child.stderr  # campaign is ours; it dies
    assert child.returncode == -signal.SIGKILL
    assert set(ledger.leases()) == {"campaign", "unit:SNV"}       # written down, an hour to run
    assert ledger.try_lease("unit:SNV", ttl=60)                   # but its holder is gone
    ledger.release("campaign")
    ledger.release("unit:SNV")
    assert ledger.leases() == {}
    assert ledger.try_lease("refresh", ttl=-1)                    # an expired lease ...
    other = subprocess.run([sys.executable, "-c", code.replace("'campaign'", "'refresh'"),
                            str(ROOT), str(target)], capture_output=True, text=True, timeout=60)
    assert other.stdout.split()[0] == "True"                      # ... is anybody's
    ledger.close()


def test_the_pipeline_answers_the_same_on_postgresql(tmp_path, postgres):
    config_path = workspace(tmp_path)
    url = postgres.new_database()
    config_path.write_text(config_path.read_text("utf-8") + f'\n[ledger]\nurl = "{url}"\n',
                           "utf-8")
    config = load(config_path)
    for n, unit in enumerate(("SNV", "STC")):
        dn_workbook(tmp_path / "inbox" / unit / "de-nghi.xlsx",
                    dn_info(unit, unit_name=config.unit(unit).name,
                            proposal_number=f"{n + 1}/TTr-{unit}"),
                    [collective(f"Phòng Tổng hợp {unit}"), person(f"Trần Thị {unit}")])
    ws = Workspace.open(config, converter=None)
    try:
        assert ws.ledger.kind == "PostgreSQL"
        outcomes = process_all(ws)
        assert sorted(o.status for o in outcomes) == [Status.ACCEPTED, Status.ACCEPTED]
        assert ws.ledger.stale() == {}
    finally:
        ws.close()
    assert not (tmp_path / "state" / "ledger.sqlite3").exists()   # nothing written beside it
    decision = full_text(tmp_path / "outbox" / "_tong-hop" /
                         "Quyet-dinh-tang-Bang-khen-cua-Chu-tich-UBND-tinh.docx")
    assert decision.count("Trần Thị SNV") == 1 and decision.count("Trần Thị STC") == 1


def test_an_existing_sqlite_ledger_moves_to_postgresql_whole(tmp_path, postgres, capsys):
    config_path = workspace(tmp_path)
    config = load(config_path)
    dn_workbook(tmp_path / "inbox" / "SNV" / "de-nghi.xlsx",
                dn_info("SNV", unit_name=config.unit("SNV").name), [person("Lê Văn Bình")])
    ws = Workspace.open(config, converter=None)
    process_all(ws)
    before = ([(r.id, r.name, r.status, r.outputs) for r in ws.ledger.files()],
              [a.record for a in ws.ledger.current("DN")])
    ws.close()
    url = postgres.new_database()

    assert cli.main(["--config", str(config_path), "ledger-copy", "--to", url]) == 0
    assert "files: 1 dòng" in capsys.readouterr().out
    moved = Ledger(url)
    assert ([(r.id, r.name, r.status, r.outputs) for r in moved.files()],
            [a.record for a in moved.current("DN")]) == before
    later = moved.begin_file("SNV", "moi.xlsx", "h", Path("/w/moi.xlsx"), "2025-02-01")
    assert later == before[0][-1][0] + 1                          # ids go on after the copied
    moved.close()
    assert cli.main(["--config", str(config_path), "ledger-copy", "--to", url]) == 2
    assert "đã có dữ liệu" in capsys.readouterr().err             # never mixed into a used one
