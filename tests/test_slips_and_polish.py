"""Polish a clerk sees on the page: slip numbers with the office's code, unsigned slips without a
signature gap, the signature never alone on a page, rules clear of the letters, error tables
that name the row and keep `Danh sách!M4` whole, a quota error listing the rows it counts, a
marked-up workbook opened where the marks are, `năm 2025`, a one-kind list named by its kind."""

from __future__ import annotations

import datetime as dt

from builders import bc_workbook, dn_info, dn_workbook, person
from docx import Document
from docx.shared import Pt
from docx_reader import full_text, table_after
from openpyxl import load_workbook
from pypdf import PdfReader

from docflow.pipeline import process_all

DECISION = "_tong-hop/Quyet-dinh-tang-Bang-khen-cua-Chu-tich-UBND-tinh"


def numbers(folder, pattern):
    return [Document(p).tables[0].cell(1, 0).text for p in sorted(folder.glob(pattern))]


def test_slips_are_numbered_in_the_year_with_the_offices_code(ws, clock):
    for i, unit in enumerate(("SNV", "SYT")):
        dn_workbook(ws.inbox / unit / "dn.xlsx", dn_info(unit), [person(f"Nguyễn Văn {i}")])
        process_all(ws)
    dn_workbook(ws.inbox / "STC" / "dn.xlsx", dn_info("STC", proposal_number=""),
                [person("Lê Văn Cường")])
    process_all(ws)
    assert numbers(ws.outbox / "SNV", "*Phieu-tiep-nhan*.docx") == ["Số: 01/PTN-BTĐKT"]
    assert numbers(ws.outbox / "SYT", "*Phieu-tiep-nhan*.docx") == ["Số: 02/PTN-BTĐKT"]
    assert numbers(ws.outbox / "STC", "*Phieu-bao-loi*.docx") == ["Số: 01/PBL-BTĐKT"]
    clock.now = dt.datetime(2026, 1, 2, 8, 0)
    dn_workbook(ws.inbox / "SNV" / "dn2.xlsx", dn_info("SNV", proposal_number="13/TTr-SNV"),
                [person("Nguyễn Văn An")])
    process_all(ws)
    assert numbers(ws.outbox / "SNV", "2026*Phieu-tiep-nhan*.docx") == ["Số: 01/PTN-BTĐKT"]


def test_an_unsigned_slip_reserves_no_signature_space(ws):
    dn_workbook(ws.inbox / "SNV" / "dn.xlsx", dn_info("SNV"), [person("Nguyễn Văn An")])
    process_all(ws)
    receipt = Document(next((ws.outbox / "SNV").glob("*Phieu-tiep-nhan*.docx")))
    signature = next(t for t in receipt.tables if t.cell(0, 0).text.startswith("Nơi nhận:"))
    assert [p.text for p in signature.cell(0, 1).paragraphs] == ["BAN THI ĐUA - KHEN THƯỞNG"]


def test_the_rules_clear_the_letters_and_the_last_article_keeps_with_the_signature(ws):
    dn_workbook(ws.inbox / "SNV" / "dn.xlsx", dn_info("SNV"), [person("Nguyễn Văn An")])
    process_all(ws)
    doc = Document(ws.outbox / f"{DECISION}.docx")
    assert doc.styles["Rule"].paragraph_format.space_before >= Pt(6)
    body = list(doc.element.body.iterchildren())
    signature = next(t for t in doc.tables if t.cell(0, 0).text.startswith("Nơi nhận:"))
    before = body[body.index(signature._tbl) - 1]
    paragraph = next(p for p in doc.paragraphs if p._p is before)
    assert paragraph.text.startswith("Điều 3.")
    assert paragraph.paragraph_format.keep_with_next is True


def test_the_error_table_names_the_row_keeps_locations_whole_and_a_quota_lists_its_rows(ws):
    rows = [person(f"Nguyễn Văn {name}") for name in ("An", "Bình", "Cường", "Dũng", "Giang",
                                                      "Hùng")]
    rows[1]["birth_date"] = "31/02/1980"
    dn_workbook(ws.inbox / "SNV" / "dn.xlsx", dn_info("SNV"), rows)
    (outcome,) = process_all(ws)
    assert outcome.status == "rejected"
    report = next((ws.outbox / "SNV").glob("*Phieu-bao-loi*.docx"))
    table = table_after(report, "Danh sách lỗi")[1:]
    assert all(" " not in row[2].splitlines()[0] for row in table)  # Danh sách!E3 never breaks
    birth = next(row for row in table if row[3].startswith("Dòng 3 (Nguyễn Văn Bình):"))
    assert birth[4] == "31/02/1980" and "31/02/1980" not in birth[3]  # the value shown once
    quota = next(row for row in table if "Vượt số lượng" in row[3])
    assert quota[3] == ("Dòng 7 (Nguyễn Văn Hùng): Vượt số lượng: đơn vị đề nghị Bằng khen của "
                        "Chủ tịch UBND tỉnh 6 trường hợp (các dòng 2, 3, 4, 5, 6, 7), quá 5 "
                        "trường hợp.")


def test_the_marked_up_workbook_opens_on_the_first_marked_sheet_with_comments_that_fit(ws):
    rows = [person("Nguyễn Văn An", birth_date="31/02/1980")]
    dn_workbook(ws.inbox / "SNV" / "dn.xlsx", dn_info("SNV"), rows)
    process_all(ws)
    marked = load_workbook(next((ws.outbox / "SNV").glob("*Danh-dau-loi*.xlsx")))
    assert marked.active.title == "Danh sách"
    commented = [c for row in marked.active.iter_rows() for c in row if c.comment]
    assert commented
    for cell in commented:
        lines = cell.comment.text.count("\n") + 1
        assert cell.comment.height >= 15 * lines


def test_a_period_reads_nam_2025_and_a_one_kind_list_names_its_kind(ws):
    bc_workbook(ws.inbox / "SNV" / "bc.xlsx", "SNV", [3, 300, 12, 1, 2, 5])
    dn_workbook(ws.inbox / "SNV" / "dn.xlsx", dn_info("SNV"), [person("Nguyễn Văn An")])
    process_all(ws)
    summary = full_text(next((ws.outbox / "_tong-hop").glob("Bao-cao-tong-hop-*.docx")))
    assert "(06/01/1946 - 06/01/2026) năm 2025" in summary and "— Năm" not in summary
    receipt = full_text(next((ws.outbox / "SNV").glob("*Phieu-tiep-nhan-bc.docx")))
    assert "Báo cáo tổng hợp kết quả năm 2025" in receipt
    decision = full_text(ws.outbox / f"{DECISION}.docx")
    assert "Cá nhân được tặng Bằng khen của Chủ tịch UBND tỉnh" in decision
    assert "Tập thể, cá nhân được tặng" not in decision


def test_through_libreoffice_no_page_holds_only_the_signature(pdf_ws):
    ws = pdf_ws
    dn_workbook(ws.inbox / "SNV" / "dn.xlsx", dn_info("SNV"),
                [person(f"Nguyễn Văn {n}", position="Phó Giám đốc", workplace="Sở Nội vụ")
                 for n in ("An", "Bình", "Cường")])
    process_all(ws)
    for pdf in (ws.outbox / f"{DECISION}.pdf",):
        pages = [page.extract_text() for page in PdfReader(pdf).pages]
        signed = next(p for p in pages if "Nơi nhận:" in p)
        assert "Điều 3." in signed or "thi hành Quyết định này./." in signed
        listing = " ".join(p for p in pages if "DANH SÁCH" in p)
        assert "Phó Giám đốc Sở Nội vụ" in listing
