"""The award decisions read as the office signs them: legal bases with their dates, the proposal
they rest on, the head's authority on a Giấy khen, appendix lines as on the certificate, and
units that ended shown as former, the same way in the decision and in the summary."""

from __future__ import annotations

import datetime as dt

import pytest
from builders import bc_workbook, collective, dn_info, dn_workbook, person, workspace
from docx_reader import full_text

from docflow.config import load, name_on, units_on
from docflow.errors import ConfigError
from docflow.pipeline import process_all
from docflow.store.inbox import waiting
from docflow.pipeline import process_inbox_file

DECISION = "_tong-hop/Quyet-dinh-tang-Bang-khen-cua-Chu-tich-UBND-tinh.docx"
GIAY_KHEN = "SNV/Quyet-dinh-tang-Giay-khen.docx"


def lines(path):
    return [line.strip() for line in full_text(path).splitlines() if line.strip()]


def accept_all(ws):
    for path in waiting(ws.inbox):
        assert process_inbox_file(path, ws).status == "accepted", path


def test_every_legal_basis_names_its_number_date_and_issuer(ws):
    dn_workbook(ws.inbox / "SNV" / "dn.xlsx", dn_info("SNV"), [person("Nguyễn Văn An")])
    process_all(ws)
    text = lines(ws.outbox / DECISION)
    assert ("Căn cứ Nghị định số 152/2025/NĐ-CP ngày 14 tháng 6 năm 2025 của Chính phủ quy "
            "định chi tiết và hướng dẫn thi hành Luật Thi đua, khen thưởng;") in text
    assert "Căn cứ Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022;" in text
    assert "Căn cứ Luật Tổ chức chính quyền địa phương ngày 16 tháng 6 năm 2025;" in text
    assert not any("98/2023" in line for line in text)  # ended 30/6/2025, the draft is of 2025-12


def test_config_refuses_a_legal_basis_without_its_date(tmp_path):
    path = workspace(tmp_path)
    text = path.read_text(encoding="utf-8").replace("date = 2025-06-14\n", "", 1)
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load(path)
    message = str(caught.value)
    assert "khối [[legal_bases]] thứ 7, dòng" in message
    assert "khóa date: thiếu ngày ban hành của văn bản làm căn cứ" in message


def test_the_decision_rests_on_the_offices_proposal_with_number_and_date_blank(ws):
    dn_workbook(ws.inbox / "SNV" / "dn.xlsx", dn_info("SNV"), [person("Nguyễn Văn An")])
    process_all(ws)
    text = lines(ws.outbox / DECISION)
    basis_end = text.index("QUYẾT ĐỊNH:")
    assert text[basis_end - 1].replace("\u00a0", " ") == ("Theo đề nghị của Giám đốc Sở Nội vụ tại Tờ trình số /TTr-SNV "
                                   "ngày tháng năm 2025.".replace(" /", "      /")
                                   .replace("ngày tháng năm", "ngày      tháng      năm"))


def test_a_giay_khen_decision_cites_the_heads_authority_and_says_the_rounding(ws):
    dn_workbook(ws.inbox / "SNV" / "dn.xlsx", dn_info("SNV"),
                [collective("Phòng Tổ chức cán bộ", award="Giấy khen")])
    accept_all(ws)
    text = lines(ws.outbox / GIAY_KHEN)
    assert "GIÁM ĐỐC SỞ NỘI VỤ" in text
    assert ("Căn cứ Quyết định số 11/2018/QĐ-UBND ngày 11 tháng 6 năm 2018 của Ủy ban nhân dân "
            "tỉnh Thái Nguyên ban hành Quy định về thi đua, khen thưởng tỉnh Thái Nguyên;") in text
    assert any(line.startswith("Căn cứ Quyết định số 25/2025/QĐ-UBND") and "chức năng, nhiệm vụ"
               in line and "Sở Nội vụ" in line for line in text)
    body = " ".join(text)
    assert "Điều 1. Tặng Giấy khen của Giám đốc Sở Nội vụ cho 01 tập thể" in body
    assert ("mỗi tập thể được thưởng 1.410.000 đồng (0,6 × mức lương cơ sở 2.340.000 đồng = "
            "1.404.000 đồng, làm tròn theo quy định)") in body


def test_an_exact_amount_is_not_called_rounded(ws):
    dn_workbook(ws.inbox / "SNV" / "dn.xlsx", dn_info("SNV"), [person("Nguyễn Văn An")])
    process_all(ws)
    body = " ".join(lines(ws.outbox / DECISION))
    assert "mỗi cá nhân được thưởng 3.510.000 đồng (1,5 × mức lương cơ sở 2.340.000 đồng)" in body
    assert "làm tròn" not in body


def test_appendix_lines_read_as_the_certificate_does(ws):
    dn_workbook(ws.inbox / "SNV" / "dn.xlsx", dn_info("SNV"), [
        person("Nguyễn Văn An", position="Phó Giám đốc", workplace="Sở Nội vụ"),
        person("Lê Thị Hoa", gender="Nữ", position="Bí thư Đoàn", workplace="Xã Hùng Sơn"),
        person("Trần Xã Hùng", position="Chuyên viên", workplace="Phòng Tổ chức cán bộ")])
    process_all(ws)
    text = lines(ws.outbox / DECISION)
    assert "Phó Giám đốc Sở Nội vụ" in text
    assert "Bí thư Đoàn xã Hùng Sơn" in text
    assert "Chuyên viên Phòng Tổ chức cán bộ, Sở Nội vụ" in text
    assert "Ông Trần Xã Hùng" in text  # a person's name is never rewritten


def test_an_ended_unit_is_shown_as_former_in_the_decision_and_the_summary(ws, clock):
    clock.now = dt.datetime(2025, 6, 10, 9, 0)  # while the district still existed
    dn_workbook(ws.inbox / "UBND-DAITU" / "dn.xlsx",
                dn_info("UBND-DAITU", unit_name="Ủy ban nhân dân huyện Đại Từ",
                        proposal_date=dt.date(2025, 6, 5), council_date=dt.date(2025, 6, 2),
                        head_title="Chủ tịch", signer_title="Phó Chủ tịch"),
                [person("Hoàng Văn Nam", position="Chuyên viên",
                        workplace="Phòng Văn hóa và Thông tin")])
    bc_workbook(ws.inbox / "UBND-DAITU" / "bc.xlsx", "UBND-DAITU", [3, 300, 12, 1, 2, 5],
                **{"Tên đơn vị": "Ủy ban nhân dân huyện Đại Từ",
                   "Ngày báo cáo": dt.date(2025, 6, 20), "Chức danh thủ trưởng": "Chủ tịch",
                   "Chức vụ người ký": "Phó Chủ tịch"})
    dn_workbook(ws.inbox / "STTTT" / "dn.xlsx",
                dn_info("STTTT", unit_name="Sở Thông tin và Truyền thông",
                        proposal_date=dt.date(2025, 2, 20), council_date=dt.date(2025, 2, 18)),
                [person("Vũ Thị Lan", gender="Nữ", position="Trưởng phòng",
                        workplace="Phòng Bưu chính")])
    outcomes = process_all(ws)
    assert [o.status for o in outcomes] == ["accepted"] * 3, [o.problems for o in outcomes]
    clock.now = dt.datetime(2026, 1, 5, 9, 0)  # the drafts are remade after both units ended
    dn_workbook(ws.inbox / "SNV" / "dn.xlsx", dn_info("SNV", proposal_date=dt.date(2026, 1, 2)),
                [person("Nguyễn Văn An")])
    bc_workbook(ws.inbox / "SNV" / "bc.xlsx", "SNV", [4, 320, 15, 2, 1, 6],  # its own figures
                **{"Ngày báo cáo": dt.date(2026, 1, 3)})
    second = process_all(ws)
    assert [o.status for o in second] == ["accepted"] * 2, [o.problems for o in second]
    text = lines(ws.outbox / DECISION)
    groups = [line.split(". ", 1)[1] for line in text if line[:1].isdigit() and ". " in line]
    assert groups == ["Sở Nội vụ", "Sở Khoa học và Công nghệ",  # the successor config names
                      "Ủy ban nhân dân huyện Đại Từ (cũ)"]
    assert "Ủy ban nhân dân huyện Đại Từ" not in text  # never as a current unit
    assert ("nguyên Chuyên viên Phòng Văn hóa và Thông tin, Ủy ban nhân dân huyện Đại Từ (cũ)"
            in text)
    assert "nguyên Trưởng phòng Phòng Bưu chính, Sở Thông tin và Truyền thông (cũ)" in text
    summary = full_text(next((ws.outbox / "_tong-hop").glob("Bao-cao-tong-hop-*.docx")))
    assert "huyện Đại Từ (cũ)" in summary  # the summary's short form: UBND huyện Đại Từ (cũ)
    assert summary.count("Đại Từ") == summary.count("Đại Từ (cũ)")  # never as a current unit


def test_one_rule_says_which_units_count_and_how_they_are_named(ws):
    config = ws.config
    after = dt.date(2026, 1, 5)
    assert "UBND-DAITU" not in {u.code for u in units_on(config, after)}
    assert "UBND-DAITU" in {u.code for u in units_on(config, dt.date(2025, 6, 30))}
    assert name_on(config, "UBND-DAITU", after) == "Ủy ban nhân dân huyện Đại Từ (cũ)"
    assert name_on(config, "STTTT", after) == "Sở Khoa học và Công nghệ"
    assert name_on(config, "STTTT", dt.date(2025, 2, 1)) == "Sở Thông tin và Truyền thông"
