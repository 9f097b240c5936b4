"""A full disk while LibreOffice writes a PDF is the disk's fault, not the document's (issue 18,
item 16). The PDF scratch folder is a 1 MB tmpfs filled up, as the probe's full disk was."""

from __future__ import annotations

import subprocess

import pytest
from builders import dn_info, dn_workbook, person, workspace

from docflow.config import load
from docflow.pipeline import process_inbox_file
from docflow.workspace import Workspace

ROOM = 120_000  # enough for the receipt's .docx, not for its PDF with embedded fonts


@pytest.fixture
def full_scratch(tmp_path):
    scratch = tmp_path / "state" / "work" / ".pdf"
    scratch.mkdir(parents=True)
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(scratch)], check=True)
    try:
        filler = scratch / "filler"
        with filler.open("wb", buffering=0) as fh:
            try:
                fh.write(b"\0" * (1 << 20))
            except OSError:
                pass
        filler.write_bytes(b"\0" * (filler.stat().st_size - ROOM))
        yield scratch
    finally:
        subprocess.run(["umount", "-l", str(scratch)], check=True)


def test_a_full_disk_during_pdf_conversion_is_not_blamed_on_the_document(tmp_path, clock,
                                                                         full_scratch):
    ws = Workspace.open(load(workspace(tmp_path, pdf=True)), clock)
    try:
        path = dn_workbook(ws.inbox / "SNV" / "de-nghi.xlsx", dn_info("SNV"), [person("An")])
        outcome = process_inbox_file(path, ws)
    finally:
        ws.close()
    assert outcome.status == "failed"
    (report,) = (ws.outbox / "_quan-tri").glob("*Loi-xu-ly-de-nghi.txt")
    text = report.read_text(encoding="utf-8")
    assert "ổ đĩa đã đầy (ENOSPC)" in text, text
    assert "Đây không phải lỗi của văn bản" in text
    assert "Mở văn bản bằng LibreOffice hoặc Word để kiểm tra" not in text
    assert not list((ws.outbox / "SNV").glob("*")), "the unit got no answer it must not get"
    assert [p.name for p in ws.state("work").glob("SNV/*/*")] == ["de-nghi.xlsx"]


def test_a_full_disk_under_the_log_says_so_once_not_at_every_line(tmp_path, capsys):
    import logging

    from docflow.logs import configure

    logs = tmp_path / "state" / "logs"
    logs.mkdir(parents=True)
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(logs)], check=True)
    try:
        handlers = configure(tmp_path / "state")
        with (logs / "filler").open("wb", buffering=0) as fh:
            try:
                fh.write(b"\0" * (1 << 20))
            except OSError:
                pass
        try:
            for n in range(200):
                logging.getLogger("docflow").info("Tệp số %d: %s", n, "x" * 500)
        finally:
            for h in handlers:
                logging.getLogger().removeHandler(h)
                h.close()
    finally:
        subprocess.run(["umount", "-l", str(logs)], check=True)
    err = capsys.readouterr().err
    assert "--- Logging error ---" not in err and "Traceback" not in err
    assert err.count("Không ghi được nhật ký") == 1
    assert "ổ đĩa đã đầy (ENOSPC)" in err
