"""A nomination workbook dropped in inbox/<unit>/ becomes a draft award decision in outbox/."""

from __future__ import annotations

from builders import PRIME_MINISTER, collective, dn_info, dn_workbook, pdf_file, person
from docx_reader import full_text, list_entries, paragraphs_after, table_after

from docflow.store.inbox import waiting
from docflow.pipeline import process_inbox_file, refresh_aggregates

DECISION = "_tong-hop/Quyet-dinh-tang-Bang-khen-cua-Chu-tich-UBND-tinh.docx"


def run_inbox(ws):
    outcomes = [process_inbox_file(p, ws) for p in waiting(ws.inbox)]
    refresh_aggregates(ws)
    return outcomes


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
    names = lambda rows: [r[1].splitlines()[0] if len(r) > 1 else r[0] for r in rows]  # noqa
    assert names(list_entries(decision, "I. TẬP THỂ")) == [
        "1. Sở Nội vụ", "Phòng Tổ chức cán bộ", "Văn phòng Sở",
        "2. Sở Y tế", "Bệnh viện Đa khoa tỉnh", "Cộng"]
    assert names(list_entries(decision, "II. CÁ NHÂN")) == [
        "1. Sở Nội vụ", "Ông Nguyễn Văn An", "Bà Trần Thị Bình",
        "2. Sở Y tế", "Ông Lê Văn Cường", "Bà Phạm Thị Dung", "Cộng"]


def test_prize_money_per_line_and_total_in_figures_and_words(ws):
    drop_two_units(ws)
    run_inbox(ws)
    decision = ws.outbox / DECISION
    collectives = list_entries(decision, "I. TẬP THỂ")
    individuals = list_entries(decision, "II. CÁ NHÂN")
    # 3,0 and 1,5 × 2.340.000 đồng (mức lương cơ sở from 01/7/2024)
    assert {r[-1] for r in collectives if r[0].strip().isdigit()} == {"7.020.000"}
    assert {r[-1] for r in individuals if r[0].strip().isdigit()} == {"3.510.000"}
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
    assert ("Dự thảo Quyết định về việc tặng Bằng khen của Chủ tịch UBND tỉnh (tệp "
            "_tong-hop/Quyet-dinh-tang-Bang-khen-cua-Chu-tich-UBND-tinh.docx)") in text
    assert "Bằng khen của Chủ tịch UBND tỉnh: cá nhân\n2" in text
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
    assert [row[2].splitlines()[0].replace("\u00a0", " ") for row in problems[1:]] == [
        "Thông tin!B4", "Danh sách!D2", "Danh sách!D3", "Danh sách!I3", "Danh sách!H4"]
    assert any("31/02/2025" in row[4] for row in problems)
    assert list(ws.state("rejected").rglob("loi.xlsx"))
    assert not (ws.outbox / DECISION).exists()


def test_a_list_of_people_only_has_a_single_section_and_says_so_in_article_1(ws):
    dn_workbook(ws.inbox / "SNV" / "dn.xlsx", dn_info("SNV"),
                [person("Nguyễn Văn An"), person("Trần Thị Bình", "Nữ")])
    run_inbox(ws)
    text = full_text(ws.outbox / DECISION)
    assert "cho 02 cá nhân (có danh sách kèm theo)" in text
    assert "I. CÁ NHÂN" in text and "TẬP THỂ" not in text
    assert "mỗi cá nhân được thưởng 3.510.000 đồng (1,5 × mức lương cơ sở 2.340.000 đồng)" in text


def test_a_corrected_file_replaces_the_units_earlier_version_everywhere(ws, clock):
    dn_workbook(ws.inbox / "SNV" / "dn.xlsx", dn_info("SNV"),
                [person("Nguyễn Văn An"), person("Trần Thị Bình", "Nữ")])
    run_inbox(ws)
    clock.advance(3600)
    dn_workbook(ws.inbox / "SNV" / "dn-sua.xlsx", dn_info("SNV"), [person("Nguyễn Văn An")])
    run_inbox(ws)
    text = full_text(ws.outbox / DECISION)
    assert "Ông Nguyễn Văn An" in text and "Trần Thị Bình" not in text
    receipt = next((ws.outbox / "SNV").glob("*Phieu-tiep-nhan-dn-sua.docx"))
    assert "thay thế bản nộp ngày 01/12/2025 lúc 09:30" in full_text(receipt)
    assert len(list(ws.state("archive").rglob("*.xlsx"))) == 2


def test_giay_khen_rows_become_the_units_own_decision_signed_by_its_head(ws):
    dn_workbook(ws.inbox / "SNV" / "dn.xlsx", dn_info("SNV"), [
        collective("Phòng Cải cách hành chính", award="Giấy khen"),
        person("Hoàng Văn Em", award="Giấy khen")])
    run_inbox(ws)
    decision = ws.outbox / "SNV" / "Quyet-dinh-tang-Giay-khen.docx"
    text = full_text(decision)
    assert "GIÁM ĐỐC SỞ NỘI VỤ" in text
    assert "KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC" in text and "Trần Văn Bình" in text
    assert "Theo đề nghị của Hội đồng Thi đua - Khen thưởng tại Biên bản số 05/BB-HĐTĐKT" in text
    # 0,6 and 0,3 × 2.340.000 rounded up to tens of thousands: 1.410.000 and 710.000
    assert "1.410.000" in text and "710.000" in text
    assert not (ws.outbox / DECISION).exists()


def test_prime_minister_rows_become_the_provinces_proposal_with_kinh_gui(ws):
    dn_workbook(ws.inbox / "SNV" / "dn.xlsx", dn_info("SNV"), [
        person("Nguyễn Văn An", award=PRIME_MINISTER, report_file="bao-cao-an.pdf")])
    pdf_file(ws.inbox / "SNV" / "bao-cao-an.pdf")
    assert {o.status for o in run_inbox(ws)} == {"accepted", "attachment"}
    proposal = ws.outbox / "_tong-hop" / "To-trinh-de-nghi-tang-Bang-khen-cua-Thu-tuong-Chinh-phu.docx"
    text = full_text(proposal)
    assert "TỜ TRÌNH" in text and "Kính gửi: Thủ tướng Chính phủ" in text
    assert "TM. ỦY BAN NHÂN DÂN\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH" in text
    lines = paragraphs_after(proposal, "Nơi nhận:")
    assert lines[1] == "- Như trên;" and lines[5] == "- Lưu: VT, NC."


def test_every_output_records_the_hash_of_the_template_that_made_it(ws):
    import hashlib

    from docx import Document as open_docx

    dn_workbook(ws.inbox / "SNV" / "dn.xlsx", dn_info("SNV"), [person("Nguyễn Văn An")])
    run_inbox(ws)
    (row,) = ws.ledger.files("accepted")
    made = {o["template"]: o for o in ws.ledger.outputs_of(row.id)}
    assert made["phieu-tiep-nhan.docx"]["template_sha256"]
    made = {o["template"]: o for o in ws.ledger.draft_outputs("DN:BKUBND")}
    template = ws.config.path("templates") / "quyet-dinh-bang-khen.docx"
    digest = hashlib.sha256(template.read_bytes()).hexdigest()
    assert made["quyet-dinh-bang-khen.docx"]["template_sha256"] == digest
    decision = open_docx(made["quyet-dinh-bang-khen.docx"]["path"])
    assert digest in decision.core_properties.comments
