"""Two docflow processes on one inbox, scratch left by a crash, an unwritable state/ (issue 18,
items 7, 13 and 14)."""

from __future__ import annotations

import shutil
from pathlib import Path

from builders import dn_info, dn_workbook, person, workspace

import docflow.pipeline.flow
from docflow.cli import main
from docflow.pipeline import process_all


def test_the_pdf_converters_scratch_is_not_a_submission_after_a_crash(ws):
    scratch = ws.state("work") / ".pdf" / "pdf-k3j9x" / "20251201-Bien-nhan.docx"
    scratch.parent.mkdir(parents=True)
    scratch.write_bytes(b"PK half a docx")
    dn_workbook(ws.inbox / "SNV" / "de-nghi.xlsx", dn_info("SNV"), [person("Nguyễn Văn An")])
    outcomes = process_all(ws)
    assert [(o.unit, o.status) for o in outcomes] == [("SNV", "accepted")]
    assert not (ws.outbox / "_quan-tri").exists(), "no error slip about a unit “.pdf”"
    assert not (ws.outbox / ".pdf").exists()
    assert [r.unit for r in ws.ledger.files()] == ["SNV"]


def test_run_goes_on_when_another_process_takes_a_file_first(tmp_path, monkeypatch, capsys):
    config = workspace(tmp_path)
    first = dn_workbook(tmp_path / "inbox" / "SNV" / "a.xlsx", dn_info("SNV"), [person("An")])
    dn_workbook(tmp_path / "inbox" / "SYT" / "b.xlsx", dn_info("SYT"), [person("Bình")])
    elsewhere = tmp_path / "taken-by-watch"
    elsewhere.mkdir()
    real = docflow.pipeline.flow.waiting

    def listed_then_taken(inbox: Path) -> list[Path]:
        found = real(inbox)
        shutil.move(first, elsewhere / first.name)  # the watcher claims it after our listing
        return found
    monkeypatch.setattr(docflow.pipeline.flow, "waiting", listed_then_taken)
    code = main(["--config", str(config), "run"])
    out, err = capsys.readouterr()
    assert code == 0 and "Traceback" not in err
    assert "[SYT] b.xlsx: tiếp nhận" in out
    assert "Đã xử lý 1 tệp." in out
    # the refresh ran: the province's decision lists the unit that was processed
    assert (tmp_path / "outbox" / "_tong-hop").is_dir()
    assert not list((tmp_path / "state" / "work").glob("*/*")), "no empty claim folder left"


def test_an_unwritable_state_folder_is_a_vietnamese_message_and_exit_2(tmp_path, capsys):
    config = workspace(tmp_path)
    dn_workbook(tmp_path / "inbox" / "SNV" / "a.xlsx", dn_info("SNV"), [person("An")])
    # sysfs refuses new files to everyone, root included: a state/ nobody can write
    (tmp_path / "state").symlink_to("/sys/kernel")
    code = main(["--config", str(config), "run"])
    err = capsys.readouterr().err
    assert code == 2
    assert "Traceback" not in err
    assert "Lỗi: không ghi được vào" in err and "state/" in err
    assert "(EPERM)" in err or "(EACCES)" in err
    assert (tmp_path / "inbox" / "SNV" / "a.xlsx").exists()
