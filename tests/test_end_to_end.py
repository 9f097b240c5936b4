"""A nomination workbook dropped in inbox/<unit>/ becomes a draft award decision in outbox/."""

from __future__ import annotations

from builders import collective, dn_info, dn_workbook, person
from docx_reader import full_text, paragraphs_after, table_after

from docflow.inbox import waiting
from docflow.pipeline import process_inbox_file

DECISION = "_tong-hop/Quyet-dinh-tang-Bang-khen-cua-Chu-tich-UBND-tinh.docx"


def run_inbox(ws):
    return [process_inbox_file(p, ws) for p in waiting(ws.inbox)]


def drop_two_units(ws):
    dn_workbook(ws.inbox / "SNV" / "de-nghi-khen-thuong.xlsx", dn_info("SNV"), [
        collective("Phòng Tổ chức cán bộ"),
        person("Nguyễn Văn An", "Nam", position="Trưởng phòng", workplace="Phòng Tổ chức cán bộ"),
        collective("Văn phòng Sở"),
        person("Trần Thị Bình", "Nữ", position="Chuyên viên", workplace="Văn phòng Sở"),
    ])
    dn_workbook(ws.inbox / "SYT" / "de-nghi.xlsx", dn_info("SYT"), [
        collective("Bệnh viện Đa khoa tỉnh"),
        person("Lê Văn Cường", "Nam", position="Bác sĩ", workplace="Bệnh viện C"),
        person("Phạm Thị Dung", "Nữ", position="Điều dưỡng", workplace="Bệnh viện C"),
    ])


def test_accepted_nominations_appear_in_the_decision_by_section_and_unit(ws):
    drop_two_units(ws)
    outcomes = run_inbox(ws)
    assert [o.status for o in outcomes] == ["accepted", "accepted"]

    decision = ws.outbox / DECISION
    collectives = table_after(decision, "I. TẬP THỂ")
    individuals = table_after(decision, "II. CÁ NHÂN")
    names = lambda rows: [r[1].splitlines()[0] for r in rows]  # noqa: E731
    assert names(collectives)[1:] == [
        "1. Sở Nội vụ", "Phòng Tổ chức cán bộ", "Văn phòng Sở",
        "2. Sở Y tế", "Bệnh viện Đa khoa tỉnh", "Cộng"]
    assert names(individuals)[1:] == [
        "1. Sở Nội vụ", "Ông Nguyễn Văn An", "Bà Trần Thị Bình",
        "2. Sở Y tế", "Ông Lê Văn Cường", "Bà Phạm Thị Dung", "Cộng"]


def test_prize_money_per_line_and_total_in_figures_and_words(ws):
    drop_two_units(ws)
    run_inbox(ws)
    decision = ws.outbox / DECISION
    collectives = table_after(decision, "I. TẬP THỂ")
    individuals = table_after(decision, "II. CÁ NHÂN")
    # 3,0 and 1,5 × 2.340.000 đồng (mức lương cơ sở from 01/7/2024)
    assert {r[-1] for r in collectives[1:] if r[0].strip().isdigit()} == {"7.020.000"}
    assert {r[-1] for r in individuals[1:] if r[0].strip().isdigit()} == {"3.510.000"}
    assert collectives[-1][-1] == "21.060.000"
    assert individuals[-1][-1] == "14.040.000"
    text = full_text(decision)
    assert "Tổng cộng: 35.100.000 đồng" in text
    assert "Ba mươi lăm triệu một trăm nghìn đồng" in text
    assert "cho 03 tập thể và 04 cá nhân" in text


def test_decision_recipients_start_with_nhu_dieu_3_in_config_order(ws):
    drop_two_units(ws)
    run_inbox(ws)
    lines = paragraphs_after(ws.outbox / DECISION, "Nơi nhận:")
    assert lines[1:6] == ["- Như Điều 3;", "- Chủ tịch, các PCT UBND tỉnh;",
                          "- Ban Thi đua - Khen thưởng (Sở Nội vụ);",
                          "- Trung tâm Thông tin tỉnh;", "- Lưu: VT, NC."]


def test_each_unit_gets_a_receipt_and_the_original_is_archived(ws):
    drop_two_units(ws)
    run_inbox(ws)
    receipt = next((ws.outbox / "SNV").glob("*Phieu-tiep-nhan*.docx"))
    text = full_text(receipt)
    assert "PHIẾU TIẾP NHẬN" in text and "de-nghi-khen-thuong.xlsx" in text
    assert "Quyet-dinh-tang-Bang-khen-cua-Chu-tich-UBND-tinh.docx" in text
    assert list(ws.inbox.rglob("*.xlsx")) == []
    archived = sorted(p.name for p in ws.state("archive").rglob("*.xlsx"))
    assert archived == ["de-nghi-khen-thuong.xlsx", "de-nghi.xlsx"]


def test_five_distinct_errors_are_all_named_in_the_error_report(ws):
    dn_workbook(ws.inbox / "SNV" / "loi.xlsx",
                dn_info("SNV", proposal_date="31/02/2025"), [
                    collective("Phòng A", gender="Nam"),
                    person("Nguyễn Văn B", gender="Không rõ", achievements="Ngắn quá"),
                    person("Trần Văn C", award="Huân chương Lao động"),
                ])
    (outcome,) = run_inbox(ws)
    assert outcome.status == "rejected"
    cells = sorted(p.location for p in outcome.problems)
    assert cells == ["Danh sách!D2", "Danh sách!D3", "Danh sách!H4", "Danh sách!I3",
                     "Thông tin!B4"]
    report = next((ws.outbox / "SNV").glob("*Phieu-bao-loi*.docx"))
    problems = table_after(report, "Danh sách lỗi")
    assert [row[2].splitlines()[0] for row in problems[1:]] == [
        "Thông tin!B4", "Danh sách!D2", "Danh sách!D3", "Danh sách!I3", "Danh sách!H4"]
    assert any("31/02/2025" in row[4] for row in problems)
    assert list(ws.state("rejected").rglob("loi.xlsx"))
    assert not (ws.outbox / DECISION).exists()
