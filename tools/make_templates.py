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
    total = para(doc, "Normal", ("Tổng cộng: ", "b"),
                 "{{ money.total }} (Bằng chữ: {{ money.total_words }}).")
    total.paragraph_format.space_before = Pt(6)
    return doc


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


PLAN_SECTIONS = [
    ("I. MỤC ĐÍCH, YÊU CẦU", [
        "- Tuyên truyền sâu rộng ý nghĩa quan trọng của cuộc Tổng tuyển cử đầu tiên bầu Quốc hội"
        " Việt Nam; sự hình thành, phát triển, vai trò, vị trí và những đóng góp to lớn của Quốc"
        " hội Việt Nam cho công cuộc xây dựng, bảo vệ Tổ quốc.",
        "- Khơi dậy niềm tự hào, cổ vũ, động viên cán bộ, công chức, viên chức, người lao động"
        " {{ unit.name }} nỗ lực thi đua, lập thành tích xuất sắc trong thực hiện nhiệm vụ được"
        " giao.",
        "- Phong trào thi đua được triển khai thường xuyên, thiết thực, gắn với trách nhiệm người"
        " đứng đầu; kịp thời biểu dương, khen thưởng các tập thể, cá nhân tiêu biểu, đảm bảo thực"
        " chất, công khai, minh bạch, khách quan."]),
    ("II. NỘI DUNG VÀ CHỈ TIÊU THI ĐUA", [
        "1. Cụ thể hóa nội dung phong trào thi đua phù hợp với chức năng, nhiệm vụ, quyền hạn"
        " của {{ unit.name }}; tổ chức các hoạt động hướng tới Kỷ niệm 80 năm Ngày Tổng tuyển cử"
        " đầu tiên bầu Quốc hội Việt Nam.",
        "2. Đẩy mạnh công tác thông tin, tuyên truyền; phát huy sáng kiến, giải pháp, mô hình"
        " tiên tiến, điển hình.",
        "3. Các chỉ tiêu thi đua đăng ký thực hiện:"]),
]
PLAN_CLOSING = [
    ("III. THỜI GIAN THI ĐUA", [
        "Phong trào thi đua được thực hiện từ ngày {{ campaign.start }} đến ngày"
        " {{ campaign.end }}."]),
    ("IV. TỔ CHỨC THỰC HIỆN", [
        "1. Các phòng, đơn vị thuộc {{ unit.name }} căn cứ Kế hoạch này xây dựng kế hoạch cụ"
        " thể, tổ chức triển khai thực hiện và báo cáo kết quả theo định kỳ.",
        "2. Bộ phận được giao chủ trì từng chỉ tiêu chịu trách nhiệm theo dõi, đôn đốc, tổng hợp"
        " kết quả; kịp thời đề xuất khen thưởng các tập thể, cá nhân tiêu biểu.",
        "Trong quá trình thực hiện, nếu có khó khăn, vướng mắc, báo cáo {{ unit.name }} (qua"
        " bộ phận thường trực thi đua, khen thưởng) để xem xét, giải quyết./."]),
]


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

    Context: header, title, summary, signature, recipients, legal_bases, intro, unit.name,
    campaign.{start,end}, targets [{stt, content, quantity, unit_of_measure, deadline, lead}].
    """
    doc = new_document("Kế hoạch triển khai thực hiện phong trào thi đua")
    header_block(doc)
    title_block(doc)
    loop(doc, "legal_bases", "Legal Basis")
    para(doc, "Normal", "{{ intro }}")
    for heading, paragraphs in PLAN_SECTIONS:
        para(doc, "Section Heading", heading)
        for text in paragraphs:
            para(doc, "Normal", text)
    row_table(doc, "targets", [("STT", 13, "Center", "stt"),
                               ("Nội dung chỉ tiêu", 58, "Text", "content"),
                               ("Số lượng", 20, "Number", "quantity"),
                               ("Đơn vị tính", 20, "Center", "unit_of_measure"),
                               ("Thời hạn", 24, "Center", "deadline"),
                               ("Chủ trì", 30, "Text", "lead")])
    for heading, paragraphs in PLAN_CLOSING:
        para(doc, "Section Heading", heading)
        for text in paragraphs:
            para(doc, "Normal", text)
    signature_block(doc)
    return doc


def bao_cao():
    """The provincial Báo cáo tổng hợp kết quả of a period, from the units' BC reports.

    Context: header, title, summary, signature, recipients, kinh_gui, intro, reported,
    indicators [{stt, name, planned, achieved, rate}], highlights [{unit, text}],
    shortcomings [{unit, text}], proposals [{unit, text}], missing [str], closing.
    """
    doc = new_document("Báo cáo tổng hợp kết quả phong trào thi đua")
    header_block(doc)
    title_block(doc)
    kinh_gui(doc)
    para(doc, "Normal", "{{ intro }}")
    para(doc, "Section Heading", "I. KẾT QUẢ THỰC HIỆN")
    para(doc, "Normal", "{{ reported }}")
    row_table(doc, "indicators", [("STT", 13, "Center", "stt"), ("Chỉ tiêu", 84, "Text", "name"),
                                  ("Kế hoạch", 22, "Number", "planned"),
                                  ("Thực hiện", 24, "Number", "achieved"),
                                  ("Tỷ lệ (%)", 22, "Number", "rate")])
    for heading, seq in (("II. KẾT QUẢ NỔI BẬT", "highlights"),
                         ("III. TỒN TẠI, HẠN CHẾ", "shortcomings"),
                         ("IV. ĐỀ XUẤT, KIẾN NGHỊ", "proposals")):
        para(doc, "Section Heading", heading)
        loop(doc, seq, "Normal", "- {{ item.unit }}: {{ item.text }}", var="item")
    cond(doc, "missing", "Section Heading",
         ("Section Heading", "V. ĐƠN VỊ CHƯA GỬI BÁO CÁO"))
    loop(doc, "missing", "Normal", "- {{ line }}")
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
