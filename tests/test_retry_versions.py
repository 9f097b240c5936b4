"""A file that failed for a system reason is tried again while the service runs, and an older
version never replaces a newer accepted one (issue 18, item 1)."""

from __future__ import annotations

import errno
import subprocess
from pathlib import Path

from builders import dn_info, dn_workbook, person
from docx_reader import full_text
from test_watch_live import open_workspace, service, wait_for

import docflow.delivery
from docflow.pipeline import process_all, process_inbox_file, refresh_aggregates
from docflow.watch.retry import RetrySchedule

DECISION = "_tong-hop/Quyet-dinh-tang-Bang-khen-cua-Chu-tich-UBND-tinh.docx"


def version(ws, name: str, file: str) -> Path:
    return dn_workbook(ws.inbox / "SNV" / file, dn_info("SNV"), [person(name)])


def test_an_older_version_retried_after_a_newer_one_is_answered_as_superseded(
        ws, clock, monkeypatch):
    real = docflow.delivery.stage

    def full(data, dest, staging=None):
        raise OSError(errno.ENOSPC, "No space left on device", str(dest))
    monkeypatch.setattr(docflow.delivery, "stage", full)
    assert process_inbox_file(version(ws, "Nguyễn Văn Cũ", "ban-1.xlsx"), ws).status == "failed"
    monkeypatch.setattr(docflow.delivery, "stage", real)  # the disk is freed
    clock.advance(600)
    assert process_inbox_file(version(ws, "Trần Văn Mới", "ban-2.xlsx"), ws).status == "accepted"
    clock.advance(600)
    (retried,) = process_all(ws)  # the failed older file is tried again
    assert (retried.status, retried.name) == ("superseded", "ban-1.xlsx")
    text = retried.outputs[0].read_text(encoding="utf-8")
    assert "Tệp “ban-1.xlsx” nhận lúc 09:30 ngày 01/12/2025 là bản CŨ HƠN tệp “ban-2.xlsx” " \
           "nhận lúc 09:40" in text
    decision = full_text(ws.outbox / DECISION)
    assert "Trần Văn Mới" in decision and "Nguyễn Văn Cũ" not in decision
    assert [a.record.tables["Danh sách"][0]["name"] for a in ws.ledger.current("DN")] \
        == ["Trần Văn Mới"]
    assert list(ws.state("archive").rglob("ban-1.xlsx")), "kept, never deleted"
    refresh_aggregates(ws)
    assert "Nguyễn Văn Cũ" not in full_text(ws.outbox / DECISION)


def test_a_file_failed_on_a_full_disk_is_retried_while_running(tmp_path):
    ws = open_workspace(tmp_path)
    unit_out = ws.outbox / "SNV"
    unit_out.mkdir(parents=True)
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(unit_out)], check=True)
    mounted = True
    try:
        with (unit_out / "filler").open("wb", buffering=0) as fh:
            try:
                fh.write(b"\0" * (1 << 20))
            except OSError:
                pass
        with service(ws) as watcher:
            watcher.retries = RetrySchedule(first_seconds=0.5)
            version(ws, "Nguyễn Văn An", "de-nghi.xlsx")
            wait_for(lambda: ws.ledger.files("failed"), 60, "the file did not fail")
            admin = list((ws.outbox / "_quan-tri").glob("*Loi-xu-ly-de-nghi.txt"))
            assert "ổ đĩa đã đầy (ENOSPC)" in admin[0].read_text(encoding="utf-8")
            subprocess.run(["umount", "-l", str(unit_out)], check=True)  # space is freed
            mounted = False
            wait_for(lambda: ws.ledger.files("accepted"), 60, "the file was not retried")
        assert list(unit_out.glob("*Phieu-tiep-nhan-de-nghi.docx"))
        assert [r.status for r in ws.ledger.files()] == ["accepted"]
    finally:
        if mounted:
            subprocess.run(["umount", "-l", str(unit_out)], check=False)
        ws.close()


def test_retries_back_off_and_end_after_their_tries():
    schedule = RetrySchedule(first_seconds=30, tries=3)
    work = Path("/state/work/SNV/x/a.xlsx")
    assert schedule.failed(work, "SNV", 0.0) == 30
    assert schedule.due(29.0) == [] and schedule.due(30.0) == [(work, "SNV")]
    assert schedule.due(1000.0) == [], "not offered twice while it runs"
    assert schedule.failed(work, "SNV", 100.0) == 60
    assert schedule.failed(work, "SNV", 200.0) == 120
    assert schedule.failed(work, "SNV", 400.0) is None and schedule.pending() == 0
