"""A results report copied from another unit is refused, naming that unit, so the province does
not count the same work twice."""

from __future__ import annotations

from builders import bc_workbook
from docx_reader import full_text, table_after

from docflow.pipeline import process_all

EDUCATION = {"Tên đơn vị": "Sở Giáo dục và Đào tạo"}
REPORT = "_tong-hop/Bao-cao-tong-hop-ket-qua-Nam-2025.docx"


def _error_report(ws, unit: str) -> str:
    (slip,) = (ws.outbox / unit).glob("*Phieu-bao-loi*.docx")
    return full_text(slip)


def test_a_report_with_another_units_figures_and_texts_is_refused_naming_that_unit(ws, clock):
    bc_workbook(ws.inbox / "SYT" / "bc.xlsx", "SYT", [6, 1500, 20, 1, 2, 5],
                highlights="Khám bệnh miễn phí cho cử tri.")
    process_all(ws)
    clock.advance(600)
    bc_workbook(ws.inbox / "SGDDT" / "bc.xlsx", "SGDDT", [6, 1500, 20, 1, 2, 5],
                highlights="Khám bệnh miễn phí cho cử tri.", **EDUCATION)
    (outcome,) = process_all(ws)
    assert outcome.status == "rejected"
    (problem,) = outcome.problems
    assert problem.code == "report.copied"
    assert "giống hệt báo cáo Năm 2025 của Sở Y tế (số 30/BC-SYT)" in problem.message
    assert "SYT" not in problem.message.replace("30/BC-SYT", "")
    assert "Sở Y tế" in _error_report(ws, "SGDDT")
    # the province still counts Sở Y tế's work once
    table = table_after(ws.outbox / REPORT, "1. Kết quả các chỉ tiêu chủ yếu")
    assert table[1][3] == "6"


def test_a_report_bearing_another_units_code_in_its_number_is_refused(ws):
    bc_workbook(ws.inbox / "SGDDT" / "bc.xlsx", "SGDDT", [3, 300, 12, 2, 1, 4], **EDUCATION,
                **{"Số ký hiệu báo cáo": "31/BC-SYT"})
    (outcome,) = process_all(ws)
    assert outcome.status == "rejected"
    (problem,) = outcome.problems
    assert (problem.code, problem.location, problem.found) == (
        "report.number_of_other", "Thông tin!B3", "31/BC-SYT")
    assert problem.message == "Số “31/BC-SYT” mang ký hiệu của Sở Y tế, không phải của đơn vị gửi."


def test_a_report_reusing_a_number_another_unit_already_sent_is_refused(ws, clock):
    bc_workbook(ws.inbox / "TINHDOAN" / "bc.xlsx", "TINHDOAN", [4, 500, 30, 2, 3, 10],
                **{"Tên đơn vị": "Tỉnh đoàn Thái Nguyên", "Chức danh thủ trưởng": "Bí thư",
                   "Số ký hiệu báo cáo": "56-BC/TĐTN"})
    process_all(ws)
    clock.advance(600)
    bc_workbook(ws.inbox / "SGDDT" / "bc.xlsx", "SGDDT", [3, 300, 12, 2, 1, 4], **EDUCATION,
                **{"Số ký hiệu báo cáo": "56-BC/TĐTN"})
    (outcome,) = process_all(ws)
    (problem,) = outcome.problems
    assert problem.code == "report.number_used"
    assert "báo cáo Năm 2025 của Tỉnh đoàn Thái Nguyên" in problem.message


def test_a_unit_correcting_its_own_report_and_units_with_their_own_symbols_pass(ws, clock):
    bc_workbook(ws.inbox / "SGDDT" / "bc.xlsx", "SGDDT", [3, 300, 12, 2, 1, 4], **EDUCATION,
                **{"Số ký hiệu báo cáo": "31/BC-SGDĐT"})
    bc_workbook(ws.inbox / "UBND-DAITU" / "bc.xlsx", "UBND-DAITU", [1, 100, 2, 0, 0, 1],
                period="Năm 2024", **{"Tên đơn vị": "Ủy ban nhân dân huyện Đại Từ",
                                      "Chức danh thủ trưởng": "Chủ tịch",
                                      "Ngày báo cáo": "15/12/2024",
                                      "Số ký hiệu báo cáo": "31/BC-UBND"})
    assert [o.status for o in process_all(ws)] == ["accepted", "accepted"]
    clock.advance(600)
    bc_workbook(ws.inbox / "SGDDT" / "bc-sua.xlsx", "SGDDT", [3, 300, 12, 2, 1, 5], **EDUCATION,
                **{"Số ký hiệu báo cáo": "31/BC-SGDĐT"})
    assert [o.status for o in process_all(ws)] == ["accepted"]
