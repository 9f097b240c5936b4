"""Every document docflow delivers passes the Nghị định 30 layout checker."""

from __future__ import annotations

import re
import datetime as dt

from builders import (PRIME_MINISTER, bc_workbook, collective, dk_workbook, dn_info,
                      dn_workbook, pdf_file, person)

from docflow.cli import main
from docflow.layout.check import check_layout
from docflow.pipeline import process_all


def test_every_delivered_document_passes_the_layout_checker(ws):
    dn_workbook(ws.inbox / "SNV" / "dn.xlsx", dn_info("SNV"), [
        collective("Phòng Tổ chức cán bộ"), person("Nguyễn Văn An"),
        person("Trần Thị Bình", "Nữ", award=PRIME_MINISTER, report_file="bc-binh.pdf"),
        person("Lê Văn Cường", award="Giấy khen", birth_date=dt.date(1990, 1, 2))])
    pdf_file(ws.inbox / "SNV" / "bc-binh.pdf")
    dn_workbook(ws.inbox / "SYT" / "dn.xlsx", dn_info("SYT"), [person("X", gender="?")])
    dk_workbook(ws.inbox / "STC" / "dk.xlsx", "STC", [
        [1, "Tổ chức hội nghị", 2, "hội nghị", dt.date(2025, 6, 30), None]],
        **{"Tên đơn vị": "Sở Tài chính"})
    bc_workbook(ws.inbox / "SNV" / "bc.xlsx", "SNV", [4, 500, 30, 2, 3, 10])
    statuses = sorted(o.status for o in process_all(ws))
    assert statuses == ["accepted", "accepted", "accepted", "attachment", "rejected"]
    documents = sorted(ws.outbox.rglob("*.docx"))
    names = sorted(re.sub(r"^\d{8}-\d{6}-\d+-", "", p.name) for p in documents)
    assert names == [
        "Bao-cao-tong-hop-ket-qua-Nam-2025.docx", "Ke-hoach-trien-khai-phong-trao-thi-dua.docx",
        "Phieu-bao-loi-dn.docx", "Phieu-tiep-nhan-bc.docx", "Phieu-tiep-nhan-dk.docx",
        "Phieu-tiep-nhan-dn.docx", "Quyet-dinh-tang-Bang-khen-cua-Chu-tich-UBND-tinh.docx",
        "Quyet-dinh-tang-Giay-khen.docx",
        "To-trinh-cua-So-Noi-vu-de-nghi-tang-Bang-khen-cua-Chu-tich-UBND-tinh.docx",
        "To-trinh-de-nghi-tang-Bang-khen-cua-Thu-tuong-Chinh-phu.docx"]
    for path in documents:
        assert [(p.element, p.message) for p in check_layout(path)
                if p.severity.value == "lỗi"] == [], path.name


def test_check_layout_command_names_the_faulty_element(tmp_path, capsys):
    from docx import Document

    doc = Document()
    doc.add_paragraph("Một văn bản không theo thể thức")
    doc.save(str(tmp_path / "sai.docx"))
    assert main(["check-layout", str(tmp_path / "sai.docx")]) == 1
    out = capsys.readouterr().out
    assert "Quốc hiệu" in out and "chưa đạt" in out
