"""Signed decisions come back into inbox/_ban-hanh/: matched to their draft, never guessed."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

from builders import bc_workbook, dk_workbook, dn_info, dn_workbook, person
from docx import Document
from docx_reader import full_text
from openpyxl import load_workbook

from docflow.forms import blank_issued_form
from docflow.pipeline import process_all
from docflow.validation import person_key

DECISION = "_tong-hop/Quyet-dinh-tang-Bang-khen-cua-Chu-tich-UBND-tinh.docx"
PROPOSAL = "_tong-hop/To-trinh-cua-So-Noi-vu-de-nghi-tang-Bang-khen-cua-Chu-tich-UBND-tinh.docx"
CHAIRMAN = "Bằng khen của Chủ tịch UBND tỉnh"
CITED = "Quyết định số 2345/QĐ-UBND ngày 20/12/2025"


def sign(draft: Path, dest: Path, number: str = "2345", mark: bool = True) -> Path:
    """What the văn thư does: the number and the date written in, saved as the signed copy."""
    doc = Document(str(draft))
    for cell in (c for t in doc.tables for row in t.rows for c in row.cells):
        for p in cell.paragraphs:
            if p.text.startswith("Số:"):
                p.runs[0].text = f"Số: {number}/{p.text.split('/', 1)[1]}"
                for r in p.runs[1:]:
                    r.text = ""
            if p.text.startswith("Thái Nguyên, ngày"):
                p.runs[0].text = "Thái Nguyên, ngày 20 tháng 12 năm 2025"
                for r in p.runs[1:]:
                    r.text = ""
    if not mark:
        doc.core_properties.identifier = ""
        for s in doc.sections:
            for f in (s.footer, s.first_page_footer):
                for p in f.paragraphs:
                    for r in p.runs:
                        r.text = ""
    dest.parent.mkdir(parents=True, exist_ok=True)
    doc.save(str(dest))
    return dest


def nominate(ws, unit, *names, file="dn.xlsx"):
    dn_workbook(ws.inbox / unit / file, dn_info(unit), [person(n) for n in names])


def test_a_whole_round_from_registration_to_the_results(ws, clock):
    # Registrations, reports and nominations come in.
    dk_workbook(ws.inbox / "SNV" / "dk.xlsx", "SNV",
                [[1, "Tổ chức hội nghị", 2, "hội nghị", dt.date(2025, 6, 30), None]])
    bc_workbook(ws.inbox / "SNV" / "bc.xlsx", "SNV", [4, 500, 30, 2, 3, 10])
    nominate(ws, "SNV", "Nguyễn Văn An")
    nominate(ws, "SYT", "Lê Văn Cường")
    assert sorted(o.status for o in process_all(ws)) == ["accepted"] * 4
    # The report deadline passes: the late units get the đôn đốc letter, SNV does not.
    clock.now = dt.datetime(2025, 12, 21, 8, 0)
    process_all(ws)
    letter = full_text(ws.outbox / "_tong-hop/Cong-van-don-doc-BC-Nam-2025.docx")
    assert "Sở Y tế" in letter and "V/v đôn đốc" in letter
    assert (ws.outbox / "SYT" / "Don-doc-BC-Nam-2025.txt").exists()
    # The Chairman signs; the office drops the numbered decision into inbox/_ban-hanh/.
    sign(ws.outbox / DECISION, ws.inbox / "_ban-hanh" / "QD-2345.docx")
    outcome, = [o for o in process_all(ws) if o.unit == "_ban-hanh"]
    assert outcome.status == "accepted"
    an = person_key("Nguyễn Văn An", dt.date(1980, 5, 17), "SNV", False)
    assert ws.books.awarded(an, CHAIRMAN).cited == CITED
    # Each unit is told who was awarded by which decision.
    notice = next((ws.outbox / "SNV").glob("Thong-bao-ket-qua-*.docx"))
    text = full_text(notice)
    assert "THÔNG BÁO" in text and "Nguyễn Văn An" in text and CITED in text
    assert "Số: 01/TB-SNV" in text
    assert "Số: 02/TB-SNV" in full_text(next((ws.outbox / "SYT").glob("Thong-bao-*.docx")))
    # The next draft is a new decision that does not repeat them.
    nominate(ws, "STC", "Phạm Văn Dũng")
    process_all(ws)
    draft = full_text(ws.outbox / DECISION)
    assert "Phạm Văn Dũng" in draft and "Nguyễn Văn An" not in draft
    assert Document(str(ws.outbox / DECISION)).core_properties.identifier != "DN-BKUBND-1"
    # A later nomination of an awarded person for the same campaign and award is refused.
    nominate(ws, "SNV", "Nguyễn Văn An", "Trần Thị Bình", file="dn-lan-2.xlsx")
    refused, = process_all(ws)
    assert refused.status == "rejected"
    assert any(f"đã được tặng {CHAIRMAN} theo {CITED}" in p.message for p in refused.problems)


def test_a_document_that_matches_no_draft_is_reported_never_guessed(ws):
    nominate(ws, "SNV", "Nguyễn Văn An")
    process_all(ws)
    (ws.inbox / "_ban-hanh").mkdir()
    Document().save(str(ws.inbox / "_ban-hanh" / "la.docx"))
    outcomes = process_all(ws)
    assert [o.status for o in outcomes] == ["rejected"]
    report = next((ws.outbox / "_quan-tri").glob("*Khong-khop-du-thao-la.txt")).read_text("utf-8")
    assert "không thấy mã dự thảo" in report and "docflow không tự đoán" in report
    assert ws.books.awards() == []


def test_a_signed_copy_without_its_mark_is_matched_by_its_names(ws):
    nominate(ws, "SNV", "Nguyễn Văn An")
    process_all(ws)
    sign(ws.outbox / DECISION, ws.inbox / "_ban-hanh" / "QD.docx", mark=False)
    outcome, = process_all(ws)
    assert outcome.status == "accepted"
    assert [a["name"] for a in ws.books.awards()] == ["Nguyễn Văn An"]


def test_a_decision_signed_on_paper_is_recorded_from_the_small_workbook(ws):
    nominate(ws, "SNV", "Nguyễn Văn An")
    process_all(ws)
    wb = load_workbook(io.BytesIO(blank_issued_form()))  # the shipped blank, filled in column B
    sheet = wb.active
    sheet["B1"], sheet["B2"], sheet["B3"] = "dn-bkubnd-1", "2345/QĐ-UBND", dt.date(2025, 12, 20)
    (ws.inbox / "_ban-hanh").mkdir()
    wb.save(ws.inbox / "_ban-hanh" / "ghi-nhan.xlsx")
    outcome, = process_all(ws)
    assert outcome.status == "accepted"
    assert ws.books.awards()[0]["number"] == "2345/QĐ-UBND"
    assert ws.books.awards()[0]["day"] == "2025-12-20"


def test_the_office_s_folder_for_signed_decisions_is_listed_and_claimed_but_no_other(ws):
    from docflow.pipeline import claim_inbox_file
    from docflow.store import is_candidate, waiting

    signed = ws.inbox / "_ban-hanh" / "QD.docx"
    other = ws.inbox / "_khac" / "QD.docx"
    for path in (signed, other):
        path.parent.mkdir()
        Document().save(str(path))
    assert is_candidate(signed, ws.inbox) and not is_candidate(other, ws.inbox)
    assert waiting(ws.inbox) == [signed]
    work, unit = claim_inbox_file(signed, ws)
    assert unit == "_ban-hanh" and work.name == "QD.docx"
