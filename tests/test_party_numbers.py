"""Party bodies and the Youth Union number their documents `56-BC/TĐTN`: a Số in that style is
as valid as the state style `30/BC-SNV`, wherever docflow reads one."""

from __future__ import annotations

import datetime as dt

from builders import bc_workbook, dk_workbook
from docx_reader import full_text

from docflow.layout.check import check_layout
from docflow.pipeline import process_all
from docflow.values import as_document_number

YOUTH_UNION = {"Tên đơn vị": "Tỉnh đoàn Thái Nguyên", "Chức danh thủ trưởng": "Bí thư",
               "Chức vụ người ký": "Phó Bí thư", "Người ký": "Hoàng Thu Trang"}


def test_a_youth_union_report_numbered_in_the_party_style_is_accepted(ws):
    bc_workbook(ws.inbox / "TINHDOAN" / "bc.xlsx", "TINHDOAN", [4, 500, 30, 2, 3, 10],
                **YOUTH_UNION, **{"Số ký hiệu báo cáo": "56-BC/TĐTN"})
    (outcome,) = process_all(ws)
    assert outcome.status == "accepted", outcome.problems
    (current,) = ws.ledger.current("BC")
    assert current.record.fields["report_number"] == "56-BC/TĐTN"


def test_a_party_style_plan_number_heads_the_units_plan_and_passes_the_layout_check(ws):
    dk_workbook(ws.inbox / "TINHDOAN" / "dk.xlsx", "TINHDOAN", [
        [1, "Tổ chức diễn đàn thanh niên", 2, "diễn đàn", dt.date(2025, 6, 30), None]],
        **YOUTH_UNION, **{"Số ký hiệu kế hoạch": "12 - KH/TĐTN"})
    (outcome,) = process_all(ws)
    assert outcome.status == "accepted", outcome.problems
    plan = ws.outbox / "TINHDOAN" / "Ke-hoach-trien-khai-phong-trao-thi-dua.docx"
    assert "Số: 12-KH/TĐTN" in full_text(plan).splitlines()
    assert [p.message for p in check_layout(plan) if p.element == "Số, ký hiệu"] == []


def test_a_number_in_neither_style_is_refused_with_both_styles_as_the_example(ws):
    bc_workbook(ws.inbox / "SNV" / "bc.xlsx", "SNV", [4, 500, 30, 2, 3, 10],
                **{"Số ký hiệu báo cáo": "BC-SNV số 30"})
    (outcome,) = process_all(ws)
    assert outcome.status == "rejected"
    (problem,) = [p for p in outcome.problems if p.label == "Số ký hiệu báo cáo"]
    assert problem.cell == "B3" and problem.found == "BC-SNV số 30"
    assert "25/KH-SNV" in problem.expected and "56-BC/TĐTN" in problem.expected


def test_both_styles_are_read_as_numbers_and_other_text_is_not():
    for number in ("30/BC-SNV", "88/BC-MTTQ-BTT", "12/2025/QĐ-UBND", "56-BC/TĐTN", "12-KH/TU",
                   "05/BB-HĐTĐKT"):
        assert as_document_number(number).value == number, number
    assert as_document_number("186 /KH-UBND").value == "186/KH-UBND"
    for wrong in ("BC-SNV", "30", "30/", "56-BC", "số 30/BC-SNV"):
        assert not as_document_number(wrong).ok, wrong
