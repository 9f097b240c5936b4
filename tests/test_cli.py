"""The `docflow` command as an administrator uses it."""

from __future__ import annotations

import shutil

from builders import dn_info, dn_workbook, person, workspace
from openpyxl import load_workbook

from docflow.cli import main


def test_run_processes_the_inbox_and_exits_0_when_all_were_accepted(tmp_path, capsys):
    config = workspace(tmp_path)
    dn_workbook(tmp_path / "inbox" / "SNV" / "dn.xlsx", dn_info("SNV"), [person("Nguyễn Văn An")])
    assert main(["--config", str(config), "run"]) == 0
    out = capsys.readouterr().out
    assert "[SNV] dn.xlsx: tiếp nhận" in out
    assert list((tmp_path / "outbox" / "_tong-hop").glob("Quyet-dinh-*.docx"))


def test_run_exits_1_when_a_file_was_rejected(tmp_path, capsys):
    config = workspace(tmp_path)
    dn_workbook(tmp_path / "inbox" / "SNV" / "dn.xlsx", dn_info("SNV"), [person("A", gender="?")])
    assert main(["--config", str(config), "run"]) == 1
    assert "trả lại (có lỗi), 1 lỗi" in capsys.readouterr().out


def test_the_same_bytes_dropped_twice_are_processed_once(tmp_path, capsys):
    config = workspace(tmp_path)
    first = dn_workbook(tmp_path / "dn.xlsx", dn_info("SNV"), [person("A")])
    shutil.copy(first, tmp_path / "inbox" / "SNV" / "dn.xlsx") if (
        tmp_path / "inbox" / "SNV").mkdir() is None else None
    assert main(["--config", str(config), "run"]) == 0
    shutil.copy(first, tmp_path / "inbox" / "SNV" / "dn-lan-2.xlsx")
    assert main(["--config", str(config), "run"]) == 0
    assert "dn-lan-2.xlsx: trùng, bỏ qua" in capsys.readouterr().out
    notice = next((tmp_path / "outbox" / "SNV").glob("*Tep-trung*.txt")).read_text("utf-8")
    assert "trùng hoàn toàn với tệp “dn.xlsx”" in notice
    assert len(list((tmp_path / "outbox" / "SNV").glob("*Phieu-tiep-nhan*.docx"))) == 1
    assert len(list((tmp_path / "state" / "archive").rglob("*.xlsx"))) == 2  # nothing deleted


def test_a_file_in_an_unknown_folder_is_reported_to_the_administrator(tmp_path):
    config = workspace(tmp_path)
    dn_workbook(tmp_path / "inbox" / "LA" / "dn.xlsx", dn_info("SNV"), [person("A")])
    assert main(["--config", str(config), "run"]) == 1
    report = next((tmp_path / "outbox" / "_quan-tri").glob("*Phieu-bao-loi*.txt"))
    assert "Thư mục “LA” không phải mã đơn vị" in report.read_text("utf-8")
    assert list((tmp_path / "state" / "rejected").rglob("dn.xlsx"))


def test_check_accepts_the_shipped_config_and_templates(tmp_path, capsys):
    assert main(["--config", str(workspace(tmp_path)), "check"]) == 0
    assert "hợp lệ" in capsys.readouterr().out


def test_check_reports_a_broken_config_and_exits_2(tmp_path, capsys):
    config = workspace(tmp_path)
    config.write_text(config.read_text("utf-8").replace("[watch]", "[watch]\nspeed = 2"),
                      encoding="utf-8")
    assert main(["--config", str(config), "check"]) == 2
    assert "watch.speed: khóa không được hỗ trợ" in capsys.readouterr().err


def test_check_names_a_template_that_uses_unknown_data(tmp_path, capsys):
    from docx import Document

    config = workspace(tmp_path)
    path = tmp_path / "templates" / "phieu-tiep-nhan.docx"
    doc = Document(str(path))
    doc.add_paragraph("{{ khong_co_bien_nay }}")
    doc.save(str(path))
    assert main(["--config", str(config), "check"]) == 2
    out = capsys.readouterr().out
    assert "phieu-tiep-nhan.docx" in out and "khong_co_bien_nay" in out


def test_forms_writes_the_blank_forms(tmp_path):
    config = workspace(tmp_path)
    assert main(["--config", str(config), "forms"]) == 0
    written = sorted(p.name for p in (tmp_path / "templates" / "forms").iterdir())
    assert written == ["BC-Bao-cao-ket-qua.docx", "BC-Bao-cao-ket-qua.xlsx",
                       "DK-Dang-ky-thi-dua.xlsx", "DN-De-nghi-khen-thuong.xlsx",
                       "LS-So-theo-doi-khen-thuong.xlsx"]
    wb = load_workbook(tmp_path / "templates" / "forms" / "DN-De-nghi-khen-thuong.xlsx")
    assert wb["_docflow"]["A1"].value == "DN"


def test_check_reports_a_template_whose_layout_breaks_nghi_dinh_30(tmp_path, capsys):
    from docx import Document
    from docx.shared import Mm

    config = workspace(tmp_path)
    path = tmp_path / "templates" / "phieu-bao-loi.docx"
    doc = Document(str(path))
    doc.sections[0].left_margin = Mm(20)
    doc.save(str(path))
    assert main(["--config", str(config), "check"]) == 2
    out = capsys.readouterr().out
    assert "Mẫu phieu-bao-loi.docx, thể thức Nghị định 30 — Lề trang" in out
