"""A ledger deleted under a running docflow is an error for the administrator, never an empty
new start (issue 18, item 2), and a ledger that cannot be written names the real cause (16)."""

from __future__ import annotations

import sqlite3

import pytest
from builders import dn_info, dn_workbook, person
from test_watch_live import open_workspace, service, wait_for

from docflow.cli import main
from docflow.errors import LedgerError
from docflow.pipeline import process_inbox_file
from docflow.store import Ledger
from docflow.store.ledger_messages import cause as _cause


def nomination(ws, unit: str, name: str):
    return dn_workbook(ws.inbox / unit / f"{name}.xlsx", dn_info(unit), [person(name)])


def test_a_ledger_deleted_while_open_stops_processing_and_is_not_recreated(ws):
    assert process_inbox_file(nomination(ws, "SNV", "An"), ws).status == "accepted"
    ledger = ws.config.path("state") / "ledger.sqlite3"
    ledger.unlink()
    with pytest.raises(LedgerError) as caught:
        process_inbox_file(nomination(ws, "SYT", "Bình"), ws)
    message = str(caught.value)
    assert "đã bị xóa hoặc bị thay bằng tệp khác" in message
    assert "khôi phục tệp ledger.sqlite3 từ bản sao lưu" in message
    assert not ledger.exists(), "no empty ledger was created"
    # a new process (a worker, `docflow run`) refuses to start on an empty ledger too
    with pytest.raises(LedgerError):
        Ledger(ledger)
    assert not ledger.exists()


def test_run_on_a_lost_ledger_ends_with_exit_2_and_takes_nothing(tmp_path, capsys):
    from builders import workspace

    config = workspace(tmp_path)
    dn_workbook(tmp_path / "inbox" / "SNV" / "a.xlsx", dn_info("SNV"), [person("An")])
    assert main(["--config", str(config), "run"]) == 0
    (tmp_path / "state" / "ledger.sqlite3").unlink()
    later = dn_workbook(tmp_path / "inbox" / "SYT" / "b.xlsx", dn_info("SYT"), [person("Bình")])
    capsys.readouterr()
    assert main(["--config", str(config), "run"]) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err and "đã bị xóa" in err
    assert later.exists(), "the file still waits in the inbox"


def test_the_service_stops_taking_files_and_tells_the_administrator(tmp_path):
    ws = open_workspace(tmp_path)
    try:
        with service(ws) as watcher:
            nomination(ws, "SNV", "An")
            wait_for(lambda: ws.ledger.files("accepted"), 60, "the first file was not accepted")
            (ws.config.path("state") / "ledger.sqlite3").unlink()
            nomination(ws, "SYT", "Bình")
            wait_for(lambda: watcher.halted, 60, "the service did not notice the lost ledger")
            wait_for(lambda: watcher.stopped.is_set(), 10, "the service did not stop")
        reports = list((ws.outbox / "_quan-tri").glob("*-Dung-nhan-tep-so-theo-doi.txt"))
        assert len(reports) == 1
        text = reports[0].read_text(encoding="utf-8")
        assert "docflow đã DỪNG nhận tệp" in text and "đã bị xóa" in text
        assert not (ws.config.path("state") / "ledger.sqlite3").exists()
        assert not list((ws.outbox / "SYT").glob("*Phieu-tiep-nhan*"))
    finally:
        ws.close()


@pytest.mark.parametrize("error, named, not_named", [
    ("database or disk is full", "đã đầy (ENOSPC)", "khóa"),
    ("attempt to write a readonly database", "chỉ cho đọc", "khóa"),
    ("database is locked", "đang khóa", "đầy"),
])
def test_a_ledger_error_names_its_real_cause(error, named, not_named):
    text = _cause(sqlite3.OperationalError(error))
    assert named in text and not_named not in text


def test_a_read_only_ledger_is_not_blamed_on_another_program(ws):
    db = ws.ledger._db
    db.execute("PRAGMA query_only = ON")  # SQLite answers as for a read-only file
    try:
        with pytest.raises(LedgerError) as caught:
            ws.ledger.begin_file("SNV", "a.xlsx", "0" * 64, ws.inbox / "a.xlsx", "2025-12-01")
    finally:
        db.execute("PRAGMA query_only = OFF")
    assert "chỉ cho đọc" in str(caught.value) and "khóa" not in str(caught.value)
