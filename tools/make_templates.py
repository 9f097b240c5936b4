"""Build docflow's default Word templates (docxtpl/Jinja) into templates/.

Run: .venv/bin/python tools/make_templates.py [OUTPUT_DIR]

The .docx files it writes are committed; an administrator may edit them in Word afterwards.
Layout follows Nghị định 30/2020/NĐ-CP (see /work/shared/DOMAIN.md §1); the Jinja context each
template expects is listed in the docstring of its build function.
"""

import sys
from pathlib import Path

from docx.shared import Pt
from nd30_docx import (appendix_heading, chunked_tables, cond, header_block, keep_row,
                       label_value_table, loop, merged, new_document, para, repeat_header,
                       save, signature_block, table, tidy, title_block)
from plan_text import PLAN

ROOT = Path(__file__).resolve().parent.parent

ARTICLE_1 = ("Tặng {{ award_name }} cho {{ counts.phrase }} (có danh sách kèm theo) đã có"
             " thành tích xuất sắc trong {{ campaign_name }}.")
ARTICLE_2 = (
    "Kèm theo {{ award_name }}, {{ money.rates }}."
    " Tổng số tiền thưởng: {{ money.total }} (Bằng chữ: {{ money.total_words }})."
    " Nguồn kinh phí: {{ funding_source }}.")
ARTICLE_3 = ("Quyết định này có hiệu lực kể từ ngày ký. {{ executors }} chịu trách nhiệm"
             " thi hành Quyết định này./.")
PROPOSAL = ("Ủy ban nhân dân tỉnh kính đề nghị Thủ tướng Chính phủ xem xét, tặng {{ award_name }}"
            " cho {{ counts.phrase }} (có danh sách kèm theo) đã có thành tích xuất sắc trong"
            " {{ campaign_name }}.")
CLOSING = "Ủy ban nhân dân tỉnh kính trình Thủ tướng Chính phủ xem xét, quyết định./."

# Item-row cells of the appendix tables: per column, (style kind, text) paragraphs.
STT = [("Center", "{{ it.stt }}")]
NAME = [("Text", "{{ it.name }}")]
NAME_DETAIL = NAME + [("if it.detail", ""), ("Detail", "{{ it.detail }}"), ("endif", "")]
DETAIL = [("Text", "{{ it.detail }}")]
AMOUNT = [("Number", "{{ it.amount }}")]
SUMMARY = [("Text", "{{ it.summary }}")]


def decision(title):
    """Award decision + appendix (quyet-dinh-bang-khen, quyet-dinh-giay-khen).

    Context: header, title, summary, signature, recipients, authority, legal_bases, proposal_line,
    award_name, campaign_name, counts.{collective,individual,phrase}, money.{rates, total,
    total_words} (also collective_each, individual_each, collective_coefficient,
    individual_coefficient, base_salary), funding_source, executors, appendix.{summary,
    reference}, sections.{collective,individual} ("I. TẬP THỂ" …), collective_groups,
    individual_groups ({label, items: [{stt, name, detail, amount}]}), collective_total,
    individual_total.
    """
    doc = new_document(title)
    header_block(doc)
    title_block(doc)
    para(doc, "Center Bold", "{{ authority }}")
    loop(doc, "legal_bases", "Legal Basis")
    para(doc, "Legal Basis", "{{ proposal_line }}")
    para(doc, "Center Bold", "QUYẾT ĐỊNH:")
    for number, text in enumerate((ARTICLE_1, ARTICLE_2, ARTICLE_3), start=1):
        para(doc, "Normal", (f"Điều {number}. ", "b"), text)
    signature_block(doc)
    appendix_heading(doc)
    award_list(doc)
    total = para(doc, "Normal", ("Tổng cộng: ", "b"),
                 "{{ money.total }} (Bằng chữ: {{ money.total_words }}).")
    total.paragraph_format.space_before = Pt(6)
    return doc


def award_list(doc):
    """The annex's list of awarded collectives then individuals, unit by unit, with amounts
    (the Chairman's decision and the office's Tờ trình to him carry the same list)."""
    para(doc, "Section Heading", "{%p if collective_groups %}")
    para(doc, "Section Heading", "{{ sections.collective }}")
    chunked_tables(doc, "collective_tables",
                   [("STT", 12), ("Tên tập thể", 113), ("Số tiền thưởng (đồng)", 40)],
                   [STT, NAME_DETAIL, AMOUNT], total="{{ collective_total }}")
    para(doc, "Section Heading", "{%p endif %}")
    para(doc, "Section Heading", "{%p if individual_groups %}")
    para(doc, "Section Heading", "{{ sections.individual }}")
    chunked_tables(doc, "individual_tables",
                   [("STT", 12), ("Họ và tên", 47), ("Chức vụ, đơn vị công tác", 70),
                    ("Số tiền thưởng (đồng)", 36)],
                   [STT, NAME, DETAIL, AMOUNT], total="{{ individual_total }}")
    para(doc, "Section Heading", "{%p endif %}")


def kinh_gui(doc):
    """`Kính gửi:` before the first addressee, the others under it (an upward document)."""
    para(doc, "Kinh Gui", "{%p for line in kinh_gui %}")
    cond(doc, "loop.first", "Kinh Gui", ("Kinh Gui", "Kính gửi: {{ line }}"))
    cond(doc, "not loop.first", "Kinh Gui", ("Kinh Gui", "{{ line }}"))
    para(doc, "Kinh Gui", "{%p endfor %}")
    para(doc, "Kinh Gui")


def to_trinh():
    """Tờ trình proposing the Prime Minister's Bằng khen, with its list.

    Context: header, title, summary, signature, recipients, kinh_gui, legal_bases, award_name,
    campaign_name, counts.phrase, appendix.{summary,reference}, sections.{collective,individual},
    collective_groups, individual_groups ({label, items: [{stt, name, detail, summary}]}).
    """
    doc = new_document("Tờ trình đề nghị tặng Bằng khen của Thủ tướng Chính phủ")
    header_block(doc)
    title_block(doc)
    kinh_gui(doc)
    loop(doc, "legal_bases", "Normal")
    para(doc, "Normal", PROPOSAL)
    para(doc, "Normal", CLOSING)
    signature_block(doc)
    appendix_heading(doc)
    for heading, groups, name_col, detail_col in (
            ("{{ sections.collective }}", "collective_groups", "Tên tập thể", "Đơn vị"),
            ("{{ sections.individual }}", "individual_groups", "Họ và tên",
             "Chức vụ, đơn vị công tác")):
        para(doc, "Section Heading", f"{{%p if {groups} %}}")
        para(doc, "Section Heading", heading)
        chunked_tables(doc, groups.replace("_groups", "_tables"),
                       [("STT", 12), (name_col, 40), (detail_col, 45),
                        ("Tóm tắt thành tích", 68)], [STT, NAME, DETAIL, SUMMARY])
        para(doc, "Section Heading", "{%p endif %}")
    return doc


def phieu_tiep_nhan():
    """Receipt for a unit.

    Context: header, title, summary, signature, recipients, intro, info [{label, value}],
    counts [{label, value}], warnings [str], outputs [str], footer_note.
    """
    doc = new_document("Phiếu tiếp nhận")
    header_block(doc)
    title_block(doc)
    para(doc, "Normal", "{{ intro }}")
    label_value_table(doc, "info")
    cond(doc, "counts", "Section Heading", ("Section Heading", "Số lượng đã đọc"))
    label_value_table(doc, "counts", label_mm=120)
    for seq, heading in (("warnings", "Lưu ý (cảnh báo, không phải lỗi)"),
                         ("outputs", "Văn bản được lập, cập nhật từ hồ sơ này")):
        para(doc, "Section Heading", f"{{%p if {seq} %}}")
        para(doc, "Section Heading", heading)
        loop(doc, seq, "Normal", "- {{ line }}")
        para(doc, "Section Heading", "{%p endif %}")
    para(doc, "Footer Note", "{{ footer_note }}")
    signature_block(doc, signed=False)
    return doc


def phieu_bao_loi():
    """Error report for a unit.

    Context: header, title, summary, signature, recipients, intro, info [{label, value}],
    problems [{stt, severity, location, label, found, expected, message}], instructions [str],
    footer_note. (`sheet` and `cell` may be present; the table shows `location`.)
    """
    doc = new_document("Phiếu báo lỗi")
    header_block(doc)
    title_block(doc)
    para(doc, "Normal", "{{ intro }}")
    label_value_table(doc, "info")
    para(doc, "Section Heading", "Danh sách lỗi")
    problems_table(doc)
    para(doc, "Spacer")
    loop(doc, "instructions", "Normal")
    para(doc, "Footer Note", "{{ footer_note }}")
    signature_block(doc, signed=False)
    return doc


def problems_table(doc):
    """The problems table: one {%tr for%} row per problem, 12 pt, heading row repeated."""
    columns = [("STT", 11), ("Mức độ", 19), ("Vị trí", 27), ("Nội dung", 46),
               ("Giá trị đã nhập", 29), ("Yêu cầu", 33)]
    t = table(doc, [w for _, w in columns], rows=1, style="Table Grid", pad_twips=70)
    for cell, (heading, _) in zip(t.rows[0].cells, columns):
        para(cell, "Small Table Heading", heading)
    repeat_header(t.rows[0])
    para(merged(t.add_row()), "Small Table Text", "{%tr for p in problems %}")
    row = t.add_row()
    keep_row(row)
    cells = row.cells
    para(cells[0], "Small Table Center", "{{ p.stt }}")
    para(cells[1], "Small Table Text", "{{ p.severity }}")
    para(cells[2], "Small Table Text", "{{ p.location }}")
    cond(cells[2], "p.label", "Small Table Text", ("Small Table Detail", "({{ p.label }})"))
    para(cells[3], "Small Table Text", "{{ p.message }}")
    para(cells[4], "Small Table Text", "{{ p.found }}")
    para(cells[5], "Small Table Text", "{{ p.expected }}")
    para(merged(t.add_row()), "Small Table Text", "{%tr endfor %}")
    tidy(t, "Small Table Text")


def row_table(doc, seq, columns):
    """A bordered table, heading row repeated, one `{%tr for it in seq %}` row of `it.<key>`.

    columns: [(heading, width_mm, style kind, key)].
    """
    t = table(doc, [w for _, w, _, _ in columns], rows=1, style="Table Grid", pad_twips=70)
    for cell, (heading, *_) in zip(t.rows[0].cells, columns):
        para(cell, "Table Heading", heading)
    repeat_header(t.rows[0])
    para(merged(t.add_row()), "Table Text", f"{{%tr for it in {seq} %}}")
    row = t.add_row()
    keep_row(row)
    for cell, (_, _, kind, key) in zip(row.cells, columns):
        para(cell, f"Table {kind}", f"{{{{ it.{key} }}}}")
    para(merged(t.add_row()), "Table Text", "{%tr endfor %}")
    tidy(t, "Table Text")


def ke_hoach():
    """A unit's Kế hoạch triển khai thực hiện phong trào thi đua, with its targets table.

    Context: header, title, summary, signature, recipients, legal_bases, intro, unit.{name,
    kind}, words.{people, members, Members, standing}, campaign.{start, end, name}, targets
    [{stt, content, quantity, unit_of_measure, deadline, lead}], awards [{heading, lines}],
    conditions [str], deadlines [str], reporting, contact.
    """
    doc = new_document("Kế hoạch triển khai thực hiện phong trào thi đua")
    header_block(doc)
    title_block(doc)
    loop(doc, "legal_bases", "Legal Basis")
    para(doc, "Normal", "{{ intro }}")
    for heading, paragraphs in PLAN:
        para(doc, "Section Heading", heading)
        for item in paragraphs:
            plan_paragraph(doc, item)
            if item == ("targets",):  # the line announcing the table stays with it
                doc.paragraphs[-1].paragraph_format.keep_with_next = True
    signature_block(doc)
    return doc


def plan_paragraph(doc, item):
    """One entry of PLAN (see there)."""
    if isinstance(item, str):
        para(doc, "Normal", item)
    elif item[0] == "b":
        para(doc, "Normal", (item[1], "b"))
    elif item[0] == "loop":
        loop(doc, item[1], "Normal")
    elif item[0] == "loop2":  # headed lists: a) … then its lines
        para(doc, "Normal", f"{{%p for {item[2]} in {item[1]} %}}")
        para(doc, "Normal", f"{{{{ {item[2]}.heading }}}}")
        loop(doc, f"{item[2]}.lines", "Normal")
        para(doc, "Normal", "{%p endfor %}")
    elif item[0] == "if":
        cond(doc, item[1], "Normal", ("Normal", item[2]))
    else:
        row_table(doc, "targets", [("STT", 13, "Center", "stt"),
                                   ("Nội dung chỉ tiêu", 58, "Text", "content"),
                                   ("Số lượng", 20, "Number", "quantity"),
                                   ("Đơn vị tính", 20, "Center", "unit_of_measure"),
                                   ("Thời hạn", 24, "Center", "deadline"),
                                   ("Chủ trì", 30, "Text", "lead")])


def bao_cao():
    """The provincial Báo cáo tổng hợp kết quả of a period, built on Kế hoạch 186 §V. Units that
    have not reported are not in it: they stay with the office.

    Context: header, title, summary, signature, recipients, kinh_gui, intro, plans,
    communication, indicators [{stt, name, planned, achieved, rate}], exemplary, initiatives,
    highlights [str], shortcomings [str], proposals [str], awards_intro, awards [{stt, name,
    decider, collective, individual}], closing.
    """
    doc = new_document("Báo cáo tổng hợp kết quả phong trào thi đua")
    header_block(doc)
    title_block(doc)
    kinh_gui(doc)
    para(doc, "Normal", "{{ intro }}")
    para(doc, "Section Heading", "I. CÔNG TÁC CHỈ ĐẠO, TRIỂN KHAI")
    para(doc, "Normal", ("1. Ban hành kế hoạch triển khai", "b"))
    para(doc, "Normal", "{{ plans }}")
    para(doc, "Normal", ("2. Công tác thông tin, tuyên truyền", "b"))
    para(doc, "Normal", "{{ communication }}")
    para(doc, "Section Heading", "II. KẾT QUẢ THỰC HIỆN PHONG TRÀO THI ĐUA")
    para(doc, "Normal", ("1. Kết quả các chỉ tiêu chủ yếu", "b")).paragraph_format \
        .keep_with_next = True
    row_table(doc, "indicators", [("STT", 13, "Center", "stt"), ("Chỉ tiêu", 84, "Text", "name"),
                                  ("Kế hoạch", 22, "Number", "planned"),
                                  ("Thực hiện", 24, "Number", "achieved"),
                                  ("Tỷ lệ (%)", 22, "Number", "rate")])
    para(doc, "Normal", ("2. Phát hiện, bồi dưỡng, nhân rộng điển hình tiên tiến", "b"))
    cond(doc, "exemplary", "Normal", ("Normal", "{{ exemplary }}"))
    loop(doc, "highlights", "Normal")
    cond(doc, "initiatives", "Normal", ("Normal", ("3. Sáng kiến, giải pháp", "b")),
         ("Normal", "{{ initiatives }}"))
    para(doc, "Section Heading", "III. CÔNG TÁC KHEN THƯỞNG")
    para(doc, "Normal", "{{ awards_intro }}").paragraph_format.keep_with_next = True
    para(doc, "Normal", "{%p if awards %}")
    row_table(doc, "awards", [("STT", 13, "Center", "stt"),
                              ("Hình thức khen thưởng", 62, "Text", "name"),
                              ("Thẩm quyền quyết định", 46, "Text", "decider"),
                              ("Tập thể", 22, "Number", "collective"),
                              ("Cá nhân", 22, "Number", "individual")])
    para(doc, "Normal", "{%p endif %}")
    para(doc, "Section Heading", "IV. TỒN TẠI, HẠN CHẾ")
    loop(doc, "shortcomings", "Normal")
    para(doc, "Section Heading", "V. ĐỀ XUẤT, KIẾN NGHỊ")
    loop(doc, "proposals", "Normal")
    para(doc, "Normal", "{{ closing }}")
    signature_block(doc)
    return doc


def to_trinh_chu_tich():
    """The office's Tờ trình to the Chairman proposing one of his awards, with its list.

    Context: header, title, summary, signature, recipients, kinh_gui, legal_bases, intro,
    council, units [{stt, unit, collective, individual, amount}], unit_totals.{collective,
    individual, amount}, money.total_words, skipped [{stt, unit, who, reason}], closing,
    appendix.{summary,reference}, sections, collective_tables, individual_tables,
    collective_groups, individual_groups, collective_total, individual_total.
    """
    doc = new_document("Tờ trình đề nghị tặng Bằng khen của Chủ tịch UBND tỉnh")
    header_block(doc)
    title_block(doc)
    kinh_gui(doc)
    loop(doc, "legal_bases", "Normal")
    para(doc, "Normal", "{{ intro }}")
    para(doc, "Normal", "{{ council }}")
    para(doc, "Section Heading", "1. Số lượng đề nghị theo cơ quan, đơn vị")
    row_table(doc, "units", [("STT", 13, "Center", "stt"), ("Cơ quan, đơn vị", 70, "Text", "unit"),
                             ("Tập thể", 20, "Number", "collective"),
                             ("Cá nhân", 20, "Number", "individual"),
                             ("Số tiền thưởng (đồng)", 42, "Number", "amount")])
    para(doc, "Normal", ("Tổng cộng: ", "b"),
         "{{ unit_totals.collective }} tập thể, {{ unit_totals.individual }} cá nhân; tổng số"
         " tiền thưởng {{ unit_totals.amount }} (Bằng chữ: {{ money.total_words }}).")
    para(doc, "Section Heading", "2. Các trường hợp không đề nghị")
    para(doc, "Normal", "{%p if skipped %}")
    row_table(doc, "skipped", [("STT", 13, "Center", "stt"), ("Cơ quan, đơn vị", 45, "Text", "unit"),
                               ("Tập thể, cá nhân, hồ sơ", 45, "Text", "who"),
                               ("Lý do", 62, "Text", "reason")])
    para(doc, "Normal", "{%p else %}")
    para(doc, "Normal", "Không có trường hợp nào.")
    para(doc, "Normal", "{%p endif %}")
    para(doc, "Normal", "{{ closing }}")
    signature_block(doc)
    appendix_heading(doc)
    award_list(doc)
    return doc


def cong_van_don_doc():
    """The office's Công văn đôn đốc to the units late with a form.

    Context: header (number without type code), summary_line (`V/v đôn đốc …`), signature,
    recipients, kinh_gui, intro, units [{stt, unit}], request, closing.
    """
    doc = new_document("Công văn đôn đốc nộp hồ sơ thi đua, khen thưởng")
    t = header_block(doc)
    para(t.cell(1, 0), "Summary Line", "{{ summary_line }}")
    para(doc, "Spacer")
    kinh_gui(doc)
    para(doc, "Normal", "{{ intro }}")
    row_table(doc, "units", [("STT", 15, "Center", "stt"), ("Cơ quan, đơn vị", 150, "Text", "unit")])
    para(doc, "Normal", "{{ request }}")
    para(doc, "Normal", "{{ closing }}")
    signature_block(doc)
    return doc


def thong_bao_ket_qua():
    """The office's Thông báo kết quả xét khen thưởng to one unit.

    Context: header, title, summary, signature, recipients, intro, awarded [{stt, name, award,
    decision}], not_awarded [{stt, name, award, reason}], closing.
    """
    doc = new_document("Thông báo kết quả xét khen thưởng")
    header_block(doc)
    title_block(doc)
    para(doc, "Normal", "{{ intro }}")
    para(doc, "Section Heading", "1. Tập thể, cá nhân được khen thưởng")
    para(doc, "Normal", "{%p if awarded %}")
    row_table(doc, "awarded", [("STT", 13, "Center", "stt"), ("Tập thể, cá nhân", 50, "Text", "name"),
                               ("Hình thức", 47, "Text", "award"),
                               ("Quyết định", 55, "Text", "decision")])
    para(doc, "Normal", "{%p else %}")
    para(doc, "Normal", "Không có.")
    para(doc, "Normal", "{%p endif %}")
    para(doc, "Section Heading", "2. Tập thể, cá nhân chưa được khen thưởng")
    para(doc, "Normal", "{%p if not_awarded %}")
    row_table(doc, "not_awarded", [("STT", 13, "Center", "stt"),
                                   ("Tập thể, cá nhân", 50, "Text", "name"),
                                   ("Hình thức đề nghị", 47, "Text", "award"),
                                   ("Lý do", 55, "Text", "reason")])
    para(doc, "Normal", "{%p else %}")
    para(doc, "Normal", "Không có.")
    para(doc, "Normal", "{%p endif %}")
    para(doc, "Normal", "{{ closing }}")
    signature_block(doc)
    return doc


BUILDERS = {
    "ke-hoach-don-vi.docx": ke_hoach,
    "bao-cao-tong-hop.docx": bao_cao,
    "quyet-dinh-bang-khen.docx":
        lambda: decision("Quyết định tặng Bằng khen của Chủ tịch UBND tỉnh"),
    "to-trinh-bang-khen-thu-tuong.docx": to_trinh,
    "quyet-dinh-giay-khen.docx": lambda: decision("Quyết định tặng Giấy khen"),
    "phieu-tiep-nhan.docx": phieu_tiep_nhan,
    "phieu-bao-loi.docx": phieu_bao_loi,
    "to-trinh-chu-tich.docx": to_trinh_chu_tich,
    "cong-van-don-doc.docx": cong_van_don_doc,
    "thong-bao-ket-qua.docx": thong_bao_ket_qua,
}


def main(out_dir=ROOT / "templates"):
    """Write every template into out_dir and print their paths."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    for name, build in BUILDERS.items():
        save(build(), out_dir / name)
        print(out_dir / name)


if __name__ == "__main__":
    main(*sys.argv[1:])
