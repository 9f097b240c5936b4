"""Registrations become each unit's plan; results reports become the provincial summary."""

from __future__ import annotations

import datetime as dt

from builders import bc_workbook, dk_workbook
from docx_reader import full_text, paragraphs_after, table_after
from openpyxl import load_workbook

from docflow.pipeline import process_all

PLAN = "Ke-hoach-trien-khai-phong-trao-thi-dua.docx"
REPORT = "_tong-hop/Bao-cao-tong-hop-ket-qua-Nam-2025"


def test_a_registration_becomes_the_units_plan_with_its_targets(ws):
    dk_workbook(ws.inbox / "SNV" / "dang-ky.xlsx", "SNV", [
        [1, "Tổ chức hội nghị tuyên truyền", 4, "hội nghị", dt.date(2025, 6, 30), "Văn phòng"],
        [2, "Đăng tin, bài trên cổng thông tin", "1.500", "tin, bài", "31/12/2025", None]])
    (outcome,) = process_all(ws)
    assert outcome.status == "accepted", outcome.problems
    plan = ws.outbox / "SNV" / PLAN
    text = full_text(plan)
    for expected in ("UBND TỈNH THÁI NGUYÊN", "SỞ NỘI VỤ", "Số: 25/KH-SNV",
                     "Thái Nguyên, ngày 05 tháng 3 năm 2024", "KẾ HOẠCH",
                     "Căn cứ Kế hoạch số 186/KH-UBND ngày 09/10/2024 của Ủy ban nhân dân tỉnh",
                     "KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC", "Trần Văn Bình",
                     "từ ngày 01/01/2024 đến ngày 06/01/2026"):
        assert expected in text, expected
    targets = table_after(plan, "3. Các chỉ tiêu thi đua đăng ký thực hiện:")
    assert targets[1] == ["1", "Tổ chức hội nghị tuyên truyền", "4", "hội nghị", "30/06/2025",
                          "Văn phòng"]
    assert targets[2][2:5] == ["1.500", "tin, bài", "31/12/2025"]
    lines = paragraphs_after(plan, "Nơi nhận:")
    assert lines[1] == "- UBND tỉnh (để b/c);" and lines[4] == "- Lưu: VT."


def test_results_reports_are_summed_per_indicator_and_the_late_units_kept_for_the_office(ws):
    bc_workbook(ws.inbox / "SNV" / "bc.xlsx", "SNV", [4, 500, 30, 2, 3, 10])
    bc_workbook(ws.inbox / "SYT" / "bc.xlsx", "SYT", [6, 1500, 20, 1, 2, 5],
                highlights="Khám bệnh miễn phí cho cử tri.")
    assert [o.status for o in process_all(ws)] == ["accepted", "accepted"]
    report = ws.outbox / f"{REPORT}.docx"
    text = full_text(report)
    assert "Kính gửi: Bộ Nội vụ (Ban Thi đua - Khen thưởng Trung ương)" in text
    assert "- Khám bệnh miễn phí cho cử tri (Sở Y tế)." in text
    table = table_after(report, "1. Kết quả các chỉ tiêu chủ yếu")
    assert table[1] == ["1", "Số hội nghị, buổi tuyên truyền đã tổ chức", "10", "10", "100"]
    assert table[2][3] == "2.000"
    assert "trên cơ sở báo cáo của 2/" in text
    assert "Sở Tài chính" not in text  # a late unit is the office's business, not the ministry's

    wb = load_workbook(ws.outbox / f"{REPORT}.xlsx")
    sheet = wb["Theo đơn vị"]
    assert [sheet.cell(r, 3).value for r in (6, 7, 8)] == ["Sở Nội vụ", "Sở Y tế", "Tổng cộng"]
    assert sheet["F8"].value == "=SUM(F6:F7)"
    assert len(wb["Chỉ tiêu"]._charts) == 1
    # units valid on 31/12/2025 that sent nothing; districts ended on 30/6/2025
    names = [c.value for c in wb["Chưa báo cáo (nội bộ)"]["C"][4:]]
    assert "Sở Tài chính" in names and "Sở Nội vụ" not in names
    assert not any("huyện" in (name or "") for name in names)


def test_a_second_report_for_the_same_period_replaces_the_first(ws, clock):
    bc_workbook(ws.inbox / "SNV" / "bc.xlsx", "SNV", [4, 500, 30, 2, 3, 10])
    process_all(ws)
    clock.advance(600)
    bc_workbook(ws.inbox / "SNV" / "bc-sua.xlsx", "SNV", [7, 500, 30, 2, 3, 10])
    process_all(ws)
    table = table_after(ws.outbox / f"{REPORT}.docx", "1. Kết quả các chỉ tiêu chủ yếu")
    assert table[1][3] == "7"


def test_reports_of_another_period_do_not_touch_this_periods_summary(ws):
    bc_workbook(ws.inbox / "SNV" / "bc.xlsx", "SNV", [4, 500, 30, 2, 3, 10], period="Năm 2024",
                **{"Ngày báo cáo": dt.date(2024, 12, 20)})
    process_all(ws)
    assert (ws.outbox / "_tong-hop" / "Bao-cao-tong-hop-ket-qua-Nam-2024.docx").exists()
    assert not (ws.outbox / f"{REPORT}.docx").exists()


def test_text_that_looks_like_a_formula_stays_text_in_the_workbook(ws):
    bc_workbook(ws.inbox / "SNV" / "bc.xlsx", "SNV", [4, 500, 30, 2, 3, 10])
    process_all(ws)
    from docflow.documents.xlsx_safe import put
    from openpyxl import Workbook
    wb = Workbook()
    for i, text in enumerate(["=1+1", "+84 912", "-3", "@SUM(A1)"], start=1):
        put(wb.active, i, 1, text)
    path = ws.outbox / "thu.xlsx"
    wb.save(path)
    again = load_workbook(path)
    assert [again.active.cell(i, 1).value for i in range(1, 5)] == ["=1+1", "+84 912", "-3",
                                                                       "@SUM(A1)"]
    assert all(again.active.cell(i, 1).data_type == "s" for i in range(1, 5))
