"""The round's new documents through the real LibreOffice: PDFs that pass Nghị định 30, and a
signed decision returned as PDF matched by the Mã dự thảo in its footer."""

from __future__ import annotations

import datetime as dt

from builders import dn_info, dn_workbook, person
from pypdf import PdfReader
from test_issued_decisions import DECISION, sign

from docflow.convert import pdf_bytes
from docflow.layout.check import check_layout
from docflow.pipeline import process_all

PROPOSAL = "_tong-hop/To-trinh-cua-So-Noi-vu-de-nghi-tang-Bang-khen-cua-Chu-tich-UBND-tinh"
LETTER = "_tong-hop/Cong-van-don-doc-BC-Nam-2025"


def errors(path):
    return [(p.element, p.message) for p in check_layout(path) if p.severity.value == "lỗi"]


def test_the_round_s_documents_as_pdf_and_a_signed_pdf_matched_by_its_footer(pdf_ws, clock):
    ws = pdf_ws
    dn_workbook(ws.inbox / "SNV" / "dn.xlsx", dn_info("SNV"), [person("Nguyễn Thị Hoà", "Nữ")])
    clock.now = dt.datetime(2025, 12, 21, 8, 0)  # the BC deadline (20/12) has passed
    process_all(ws)
    for stem in (PROPOSAL, LETTER):
        assert errors(ws.outbox / f"{stem}.docx") == [], stem
        text = "\n".join(p.extract_text() for p in PdfReader(ws.outbox / f"{stem}.pdf").pages)
        assert "Sở Nội vụ" in text
    proposal = "\n".join(p.extract_text() for p in PdfReader(ws.outbox / f"{PROPOSAL}.pdf").pages)
    assert "Kính gửi: Chủ tịch Ủy ban nhân dân tỉnh" in proposal
    assert "Mã dự thảo: TTr-BKUBND-1" in proposal
    signed = sign(ws.outbox / DECISION, ws.state("work") / "signed" / "QD-2345.docx")
    pdf = pdf_bytes(ws.converter, signed.read_bytes(), signed.name, signed.parent)
    (ws.inbox / "_ban-hanh").mkdir()
    (ws.inbox / "_ban-hanh" / "QD-2345-da-ky.pdf").write_bytes(pdf)
    outcome, = process_all(ws)
    assert outcome.status == "accepted"
    assert ws.books.issued("DN-BKUBND-1").cited == "Quyết định số 2345/QĐ-UBND ngày 20/12/2025"
    notice = next((ws.outbox / "SNV").glob("Thong-bao-ket-qua-*.docx"))
    assert errors(notice) == []
    text = "\n".join(p.extract_text() for p in PdfReader(notice.with_suffix(".pdf")).pages)
    assert "THÔNG BÁO" in text and "Nguyễn Thị Hoà" in text
