"""Every output also as PDF through the kept-running LibreOffice, and one dossier per award level."""

from __future__ import annotations

import datetime as dt

from builders import PRIME_MINISTER, collective, dn_info, dn_workbook, pdf_file, person
from pypdf import PdfReader

from docflow.pipeline import process_all


def test_each_document_comes_with_its_pdf_and_the_diacritics_survive(pdf_ws):
    ws = pdf_ws
    dn_workbook(ws.inbox / "SNV" / "dn.xlsx", dn_info("SNV"),
                [collective("Phòng Tổ chức cán bộ"), person("Nguyễn Thị Hoà", "Nữ")])
    assert [o.status for o in process_all(ws)] == ["accepted"]
    decision = ws.outbox / "_tong-hop" / "Quyet-dinh-tang-Bang-khen-cua-Chu-tich-UBND-tinh.pdf"
    reader = PdfReader(decision)
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert "QUYẾT ĐỊNH" in text and "Bà Nguyễn Thị Hoà" in text
    assert "Dự thảo Quyết định về việc tặng Bằng khen" in reader.metadata.title
    assert reader.metadata.author == "Ủy ban nhân dân tỉnh Thái Nguyên"
    assert list((ws.outbox / "SNV").glob("*Phieu-tiep-nhan-dn.pdf"))


def test_the_prime_minister_level_dossier_merges_the_draft_and_each_report(pdf_ws):
    ws = pdf_ws
    dn_workbook(ws.inbox / "SNV" / "dn.xlsx", dn_info("SNV"), [
        person("Nguyễn Văn An", award=PRIME_MINISTER, report_file="bc-an.pdf"),
        person("Trần Thị Bình", "Nữ", award=PRIME_MINISTER, report_file="bc-binh.pdf",
               birth_date=dt.date(1985, 3, 2))])
    pdf_file(ws.inbox / "SNV" / "bc-an.pdf", pages=2)
    pdf_file(ws.inbox / "SNV" / "bc-binh.pdf", pages=3)
    assert sorted(o.status for o in process_all(ws)) == ["accepted", "attachment", "attachment"]
    stem = "To-trinh-de-nghi-tang-Bang-khen-cua-Thu-tuong-Chinh-phu"
    draft = PdfReader(ws.outbox / "_tong-hop" / f"{stem}.pdf")
    dossier = PdfReader(ws.outbox / "_tong-hop" / f"{stem}-Ho-so.pdf")
    assert len(dossier.pages) == len(draft.pages) + 5
    titles = [item.title for item in dossier.outline if not isinstance(item, list)]
    assert titles == ["Dự thảo Tờ trình đề nghị tặng Bằng khen của Thủ tướng Chính phủ",
                      "Báo cáo thành tích: Nguyễn Văn An (Sở Nội vụ)",
                      "Báo cáo thành tích: Trần Thị Bình (Sở Nội vụ)"]
