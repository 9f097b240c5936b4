"""The office's Tờ trình to the Chairman is drafted with his decision, from the same records."""

from __future__ import annotations

from builders import collective, dn_info, dn_workbook, person
from docx import Document
from docx_reader import full_text, table_after

from docflow.pipeline import process_all

PROPOSAL = "_tong-hop/To-trinh-cua-So-Noi-vu-de-nghi-tang-Bang-khen-cua-Chu-tich-UBND-tinh.docx"
DECISION = "_tong-hop/Quyet-dinh-tang-Bang-khen-cua-Chu-tich-UBND-tinh.docx"


def footers(path) -> str:
    doc = Document(str(path))
    return "\n".join(p.text for s in doc.sections for f in (s.footer, s.first_page_footer)
                     for p in f.paragraphs)


def a_round(ws):
    dn_workbook(ws.inbox / "SNV" / "dn.xlsx", dn_info("SNV"),
                [collective("Phòng Tổ chức cán bộ"), person("Nguyễn Văn An")])
    dn_workbook(ws.inbox / "SYT" / "dn.xlsx", dn_info("SYT"), [person("Lê Văn Cường")])
    dn_workbook(ws.inbox / "STC" / "dn.xlsx", dn_info("STC"), [person("X", gender="?")])
    return process_all(ws)


def test_the_tờ_trình_is_addressed_to_the_chairman_and_numbered_by_the_office(ws):
    a_round(ws)
    text = full_text(ws.outbox / PROPOSAL)
    assert "TỜ TRÌNH" in text
    assert "Về việc đề nghị tặng Bằng khen của Chủ tịch UBND tỉnh" in text
    assert "Kính gửi: Chủ tịch Ủy ban nhân dân tỉnh" in text
    assert "Số:       /TTr-SNV" in text
    assert "SỞ NỘI VỤ" in text
    assert ("Qua thẩm định, Sở Nội vụ kính trình Chủ tịch Ủy ban nhân dân tỉnh xem xét, tặng "
            "Bằng khen của Chủ tịch UBND tỉnh cho 01 tập thể và 02 cá nhân") in text
    assert "{" not in text
    assert "Sở Nội vụ kính trình Chủ tịch Ủy ban nhân dân tỉnh xem xét, quyết định./." in text


def test_the_tờ_trình_counts_and_prices_the_vetted_list_by_unit(ws):
    a_round(ws)
    rows = table_after(ws.outbox / PROPOSAL, "1. Số lượng đề nghị theo cơ quan, đơn vị")
    assert rows[1:] == [["1", "Sở Nội vụ", "1", "1", "10.530.000"],
                        ["2", "Sở Y tế", "0", "1", "3.510.000"]]
    text = full_text(ws.outbox / PROPOSAL)
    assert "Tổng cộng: 01 tập thể, 02 cá nhân; tổng số tiền thưởng 14.040.000 đồng" in text
    assert "Nguyễn Văn An" in text and "Lê Văn Cường" in text  # the list appended


def test_the_council_meeting_is_left_blank_unless_config_gives_it(ws):
    a_round(ws)
    text = full_text(ws.outbox / PROPOSAL)
    assert ("Hội đồng Thi đua - Khen thưởng tỉnh đã họp xét ngày      /      /2025 (Biên bản "
            "số       )") in text


def test_the_council_meeting_comes_from_config_when_the_office_gives_it(ws):
    import dataclasses
    import datetime as dt

    from docflow.config import Round
    ws.config = dataclasses.replace(ws.config, round=Round("10/BB-HĐTĐKT", dt.date(2025, 12, 16)))
    a_round(ws)
    text = full_text(ws.outbox / PROPOSAL)
    assert "đã họp xét ngày 16/12/2025 (Biên bản số 10/BB-HĐTĐKT)" in text


def test_a_refused_nomination_file_is_listed_as_not_proposed_with_its_reason(ws):
    a_round(ws)
    rows = table_after(ws.outbox / PROPOSAL, "2. Các trường hợp không đề nghị")
    assert rows[1][1] == "Sở Tài chính"
    assert rows[1][2] == "Hồ sơ đề nghị (tệp “dn.xlsx”)"
    assert rows[1][3].startswith("chưa được tiếp nhận: ")


def test_each_draft_carries_its_mark_in_footer_and_properties(ws):
    a_round(ws)
    decision, proposal = ws.outbox / DECISION, ws.outbox / PROPOSAL
    assert "Mã dự thảo: DN-DN-BKUBND-1" not in footers(decision)
    assert "Mã dự thảo: DN-BKUBND-1" in footers(decision)
    assert Document(str(decision)).core_properties.identifier == "DN-BKUBND-1"
    assert "Mã dự thảo: TTr-BKUBND-1" in footers(proposal)
    made = ws.books.mark("DN-BKUBND-1")
    assert [n.name for n in made.nominees] == ["Phòng Tổ chức cán bộ", "Nguyễn Văn An",
                                               "Lê Văn Cường"]
