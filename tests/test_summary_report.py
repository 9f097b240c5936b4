"""The provincial summary report goes upward: it is built on Kế hoạch 186 §V, gives figures with
their ratio to plan, gathers the units' statements without their "Không.", reports the awards
proposed by level, and never names the province's own late units (they stay with the office)."""

from __future__ import annotations

import datetime as dt

from builders import (bc_workbook, collective, dk_workbook, dn_info, dn_workbook, person)
from docx_reader import full_text, paragraphs_after, table_after
from openpyxl import load_workbook
from pypdf import PdfReader

from docflow.documents.summary_xlsx import GROUPED
from docflow.pipeline import process_all

REPORT = "_tong-hop/Bao-cao-tong-hop-ket-qua-Nam-2025"
HEALTH = "Khám bệnh miễn phí cho 1.200 cử tri tại các xã vùng cao."


def _send_round(ws) -> None:
    dk_workbook(ws.inbox / "SNV" / "dk.xlsx", "SNV", [
        [1, "Tổ chức hội nghị", 4, "hội nghị", dt.date(2025, 6, 30), None]])
    dn_workbook(ws.inbox / "SYT" / "dn.xlsx", dn_info("SYT"), [
        collective("Khoa Nội"), person("Trần Thị Bình", "Nữ"),
        person("Lê Văn Cường", award="Giấy khen")])
    bc_workbook(ws.inbox / "SNV" / "bc.xlsx", "SNV", [4, 500, 30, 2, 3, 10],
                planned=[8, 1000, 30, 2, 3, 10],
                review={"Kết quả nổi bật": "Không.", "Tồn tại, hạn chế": "Không có",
                        "Đề xuất, kiến nghị": "Đề nghị bổ sung kinh phí tuyên truyền."})
    bc_workbook(ws.inbox / "SYT" / "bc.xlsx", "SYT", [6, 5762, 20, 1, 2, 5], highlights=HEALTH,
                **{"Ngày báo cáo": dt.date(2025, 12, 12)})
    assert {o.status for o in process_all(ws)} == {"accepted"}


def test_the_report_follows_the_plan_and_names_no_late_unit(ws):
    _send_round(ws)
    report = ws.outbox / f"{REPORT}.docx"
    text = full_text(report)
    lines = text.splitlines()
    for heading in ("I. CÔNG TÁC CHỈ ĐẠO, TRIỂN KHAI", "1. Ban hành kế hoạch triển khai",
                    "2. Công tác thông tin, tuyên truyền",
                    "II. KẾT QUẢ THỰC HIỆN PHONG TRÀO THI ĐUA",
                    "2. Phát hiện, bồi dưỡng, nhân rộng điển hình tiên tiến",
                    "3. Sáng kiến, giải pháp", "III. CÔNG TÁC KHEN THƯỞNG",
                    "IV. TỒN TẠI, HẠN CHẾ", "V. ĐỀ XUẤT, KIẾN NGHỊ"):
        assert heading in lines, heading
    # plans issued, figures with their ratio to plan
    assert ("Có 01 cơ quan, đơn vị, địa phương đã ban hành kế hoạch triển khai phong trào thi "
            "đua phù hợp với chức năng, nhiệm vụ: Sở Nội vụ (Kế hoạch số 25/KH-SNV ngày "
            "05/03/2024).") in lines
    communication = paragraphs_after(report, "2. Công tác thông tin, tuyên truyền")[1]
    assert communication.startswith("Số hội nghị, buổi tuyên truyền đã tổ chức: 10 (đạt 71,4% "
                                     "kế hoạch); số lượt người tham gia: 6.262 (đạt 92,6% kế "
                                     "hoạch)")
    table = table_after(report, "1. Kết quả các chỉ tiêu chủ yếu")
    assert table[1] == ["1", "Số hội nghị, buổi tuyên truyền đã tổ chức", "14", "10", "71,4"]
    # statements gathered and attributed; "Không." never goes upward
    assert f"- {HEALTH[:-1]} (Sở Y tế)." in lines
    assert "- Kinh phí còn hạn chế (Sở Y tế)." in lines
    assert "- Đề nghị bổ sung kinh phí tuyên truyền (Sở Nội vụ)." in lines
    assert not any(line.strip().rstrip(".").endswith(": Không") for line in lines)
    assert "Không." not in lines and "Không có" not in text
    # awards proposed, by level
    assert ("Các cơ quan, đơn vị, địa phương đã đề nghị khen thưởng 01 tập thể và 02 cá nhân, "
            "theo các hình thức sau:") in lines
    awards = table_after(report, "III. CÔNG TÁC KHEN THƯỞNG")
    assert awards[1:] == [["1", "Bằng khen của Chủ tịch UBND tỉnh", "Chủ tịch UBND tỉnh", "1", "1"],
                          ["2", "Giấy khen", "Thủ trưởng cơ quan, đơn vị", "0", "1"]]
    # late units stay with the office
    for late in ("Sở Tài chính", "Sở Giáo dục và Đào tạo", "Hội Nông dân tỉnh"):
        assert late not in text
    assert "CHƯA GỬI BÁO CÁO" not in text
    assert "Năm 2025" not in lines[lines.index("BÁO CÁO") + 1]  # `năm 2025`, not `— Năm 2025`


def test_the_workbook_sums_with_formulas_groups_vietnamese_style_and_prints_one_page_wide(ws):
    _send_round(ws)
    wb = load_workbook(ws.outbox / f"{REPORT}.xlsx")
    assert wb.sheetnames == ["Chỉ tiêu", "Theo đơn vị", "Khen thưởng", "Chưa báo cáo (nội bộ)"]
    units = wb["Theo đơn vị"]
    assert [units.cell(4, c).value for c in range(1, 7)] == [
        "STT", "Mã đơn vị", "Tên đơn vị", "Số báo cáo", "Ngày báo cáo",
        "Số hội nghị, buổi tuyên truyền đã tổ chức"]
    assert [units.cell(5, c).value for c in (6, 7, 8)] == ["Kế hoạch", "Thực hiện", "Tỷ lệ"]
    assert [units.cell(r, 3).value for r in (6, 7, 8)] == ["Sở Nội vụ", "Sở Y tế", "Tổng cộng"]
    assert units["D7"].value == "30/BC-SYT" and units["E7"].value.date() == dt.date(2025, 12, 12)
    assert units["I7"].value == 5762 and units["I7"].number_format == GROUPED
    assert units["F8"].value == "=SUM(F6:F7)" and units["H8"].value.startswith("=IF(")
    assert units.row_dimensions[4].height >= 40
    assert units["F6"].border.left.style == "thin" and units["A4"].border.top.style == "thin"
    setup = units.page_setup
    assert units.sheet_properties.pageSetUpPr.fitToPage and setup.fitToWidth == 1
    assert setup.fitToHeight == 0 and setup.orientation == "landscape"

    indicators = wb["Chỉ tiêu"]
    assert indicators["C5"].value == "=SUM('Theo đơn vị'!F6:F7)"
    assert indicators["E5"].value == '=IF(C5>0,D5/C5,"")' and indicators["E5"].number_format == "0%"
    (chart,) = indicators._charts
    assert chart.y_axis.numFmt.formatCode == "0%"  # one scale for all: a large indicator flattens nothing

    awards = wb["Khen thưởng"]
    assert [awards.cell(r, 2).value for r in (5, 6, 7)] == [
        "Bằng khen của Chủ tịch UBND tỉnh", "Giấy khen", "Tổng cộng"]
    assert awards["E7"].value == "=SUM(E5:E6)"

    internal = wb["Chưa báo cáo (nội bộ)"]
    assert "NỘI BỘ" in internal["A2"].value and "không gửi" in internal["A2"].value
    names = [c.value for c in internal["C"][4:]]
    assert "Sở Tài chính" in names and "Sở Nội vụ" not in names


def test_libreoffice_prints_the_report_and_the_workbook_as_a_clerk_reads_them(pdf_ws, tmp_path):
    ws = pdf_ws
    _send_round(ws)
    report = "\n".join(p.extract_text() for p in PdfReader(ws.outbox / f"{REPORT}.pdf").pages)
    assert "CÔNG TÁC KHEN THƯỞNG" in report and "Sở Tài chính" not in report
    ws.converter.to_pdf(ws.outbox / f"{REPORT}.xlsx", tmp_path / "bang.pdf")
    pages = PdfReader(tmp_path / "bang.pdf").pages
    first, units = pages[0].extract_text(), pages[1].extract_text()
    assert "6.262" in first and "71%" in first  # SUM formulas computed, Vietnamese grouping
    assert "5.762" in units and "30/BC-SYT" in units and "12/12/2025" in units
    assert float(pages[1].mediabox.width) > float(pages[1].mediabox.height)  # landscape
    assert len(pages) == 4  # each sheet one page wide, one page long here


def test_a_nomination_accepted_after_the_summary_updates_its_award_counts(ws, clock):
    bc_workbook(ws.inbox / "SNV" / "bc.xlsx", "SNV", [4, 500, 30, 2, 3, 10])
    process_all(ws)
    report = ws.outbox / f"{REPORT}.docx"
    assert "Trong kỳ chưa có đề nghị khen thưởng." in full_text(report)
    clock.advance(600)
    dn_workbook(ws.inbox / "SYT" / "dn.xlsx", dn_info("SYT"), [person("Trần Thị Bình", "Nữ")])
    (outcome,) = process_all(ws)
    assert outcome.status == "accepted"
    awards = table_after(report, "III. CÔNG TÁC KHEN THƯỞNG")
    assert awards[1] == ["1", "Bằng khen của Chủ tịch UBND tỉnh", "Chủ tịch UBND tỉnh", "0", "1"]
