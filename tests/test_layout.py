"""check-layout: documents are checked against Nghị định 30 (DOMAIN.md §1).

The shipped templates, rendered with sample data, pass; each kind of fault, introduced into a
correct rendered document, is reported under exactly the element it concerns.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

import pytest
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.text.paragraph import Paragraph
from test_templates import ALL, render, sample_context

from docflow.errors import DocflowError
from docflow.layout.check import check_layout, format_report
from docflow.models import Severity

DECISION, TO_TRINH, RECEIPT = ("quyet-dinh-bang-khen.docx", "to-trinh-bang-khen-thu-tuong.docx",
                               "phieu-tiep-nhan.docx")
TYPE_CODES = {"to-trinh": "TTr", "phieu-ti": "PTN", "phieu-ba": "PBL"}


def context(name: str) -> dict:
    """The sample context, with the type code in Số matching the template's type name."""
    ctx = sample_context(name)
    ctx["header"]["number"] = f"Số:        /{TYPE_CODES.get(name[:8], 'QĐ')}-UBND"
    return ctx


@pytest.fixture(scope="module")
def rendered(tmp_path_factory) -> Callable[[str], bytes]:
    """The bytes of a template rendered with its sample context, rendered once per module."""
    folder, cache = tmp_path_factory.mktemp("rendered"), {}

    def get(name: str) -> bytes:
        if name not in cache:
            render(name, folder, context(name))
            cache[name] = (folder / name).read_bytes()
        return cache[name]

    return get


def paragraph(doc, start: str) -> Paragraph:
    """The first paragraph (body or table cell) whose text starts with `start`."""
    for p in doc.element.body.iter(qn("w:p")):
        para = Paragraph(p, doc)
        if para.text.startswith(start):
            return para
    raise AssertionError(f"no paragraph starts with {start!r}")


def retext(doc, start: str, text: str) -> None:
    """Replace the text of the paragraph starting with `start`, keeping its first run's look."""
    runs = paragraph(doc, start).runs
    runs[0].text = text
    for run in runs[1:]:
        run._r.getparent().remove(run._r)


def restyle(start: str, **look) -> Callable:
    """A fault: direct formatting (bold=False, size=Pt(12) …) on every run of one paragraph."""
    def fault(doc):
        for run in paragraph(doc, start).runs:
            for name, value in look.items():
                setattr(run.font, name, value)
    return fault


def theme_font(doc) -> None:
    """A fault: Normal takes its font from the theme (Word's default for new documents)."""
    fonts = doc.styles["Normal"].element.rPr.rFonts
    fonts.set(qn("w:asciiTheme"), "minorHAnsi")
    fonts.set(qn("w:hAnsiTheme"), "minorHAnsi")


def drop(*starts: str) -> Callable:
    """A fault: the paragraphs starting with each of `starts` are deleted."""
    def fault(doc):
        for start in starts:
            p = paragraph(doc, start)._p
            p.getparent().remove(p)
    return fault


def landscape(section) -> None:
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Mm(297), Mm(210)


def check(data: bytes, tmp_path: Path, fault: Callable | None = None) -> list:
    """Open a rendered document, apply the fault, save it and check its layout."""
    doc = Document(io.BytesIO(data))
    if fault:
        fault(doc)
    path = tmp_path / "checked.docx"
    doc.save(path)
    return check_layout(path)


@pytest.mark.parametrize("name", ALL)
def test_every_shipped_template_rendered_with_sample_data_passes(name, rendered, tmp_path):
    problems = check(rendered(name), tmp_path)
    assert problems == [], format_report(Path(name), problems)


FAULTS = [  # (id, template, fault, element, a word the message must contain)
    ("letter paper", DECISION, lambda d: setattr(d.sections[0], "page_width", Mm(216)),
     "Khổ giấy", "216 × 297"),
    ("landscape main text", DECISION, lambda d: landscape(d.sections[0]), "Khổ giấy", "khổ ngang"),
    ("left margin 25 mm", DECISION, lambda d: setattr(d.sections[0], "left_margin", Mm(25)),
     "Lề trang", "Lề trái 25 mm"),
    ("top margin 30 mm", RECEIPT, lambda d: setattr(d.sections[0], "top_margin", Mm(30)),
     "Lề trang", "Lề trên 30 mm"),
    ("Arial in one run", DECISION, restyle("Điều 1.", name="Arial"), "Phông chữ", "Arial"),
    ("theme font", RECEIPT, theme_font, "Phông chữ", "chủ đề"),
    ("Quốc hiệu not bold", DECISION, restyle("CỘNG HÒA", bold=False), "Quốc hiệu", "chưa in đậm"),
    ("Quốc hiệu 14 pt", RECEIPT, restyle("CỘNG HÒA", size=Pt(14)), "Quốc hiệu", "cỡ chữ 14"),
    ("Tiêu ngữ 12 pt", DECISION, restyle("Độc lập", size=Pt(12)), "Tiêu ngữ", "cỡ chữ 12 pt"),
    ("Tiêu ngữ in all caps", TO_TRINH, restyle("Độc lập", all_caps=True), "Tiêu ngữ", "chữ hoa"),
    ("issuer not bold", DECISION, restyle("TỈNH THÁI NGUYÊN", bold=False), "Cơ quan ban hành",
     "chưa in đậm"),
    ("Số italic", DECISION, restyle("Số:", italic=True), "Số, ký hiệu", "nghiêng"),
    ("Số 5 not padded", DECISION, lambda d: retext(d, "Số:", "Số: 5/QĐ-UBND"), "Số, ký hiệu",
     "“05”"),
    ("Số with QD for QĐ", DECISION, lambda d: retext(d, "Số:", "Số: 15/QD-UBND"), "Số, ký hiệu",
     "“QĐ”"),
    ("Số code of another type", TO_TRINH, lambda d: retext(d, "Số:", "Số: 15/QĐ-UBND"),
     "Số, ký hiệu", "“TTr”"),
    ("date line not italic", DECISION, restyle("Thái Nguyên,", italic=False),
     "Địa danh, ngày tháng", "chưa in nghiêng"),
    ("tháng 03", DECISION, lambda d: retext(d, "Thái Nguyên,", "Thái Nguyên, ngày 15 tháng 03 "
                                            "năm 2026"), "Địa danh, ngày tháng", "“tháng 3”"),
    ("tháng 1", RECEIPT, lambda d: retext(d, "Thái Nguyên,", "Thái Nguyên, ngày 15 tháng 1 năm "
                                          "2026"), "Địa danh, ngày tháng", "“tháng 01”"),
    ("ngày 5", DECISION, lambda d: retext(d, "Thái Nguyên,", "Thái Nguyên, ngày 5 tháng 10 năm "
                                          "2026"), "Địa danh, ngày tháng", "“ngày 05”"),
    ("31 February", DECISION, lambda d: retext(d, "Thái Nguyên,", "Thái Nguyên, ngày 31 tháng 02 "
                                               "năm 2026"), "Địa danh, ngày tháng", "có thật"),
    ("title not bold", DECISION, restyle("QUYẾT ĐỊNH", bold=False), "Tên loại văn bản",
     "chưa in đậm"),
    ("title left-aligned", TO_TRINH, lambda d: setattr(
        paragraph(d, "TỜ TRÌNH").paragraph_format, "alignment", WD_ALIGN_PARAGRAPH.LEFT),
     "Tên loại văn bản", "căn giữa"),
    ("trích yếu not bold", DECISION, restyle("Về việc", bold=False), "Trích yếu", "chưa in đậm"),
    ("Nơi nhận entry without ;", DECISION, lambda d: retext(d, "- Chủ tịch", "- Chủ tịch, các PCT "
                                                            "UBND tỉnh"), "Nơi nhận", "“;”"),
    ("Nơi nhận entry without dash", RECEIPT,
     lambda d: retext(d, "- Chủ tịch", "Chủ tịch, các PCT UBND tỉnh;"), "Nơi nhận", "“- ”"),
    ("last Nơi nhận entry without .", DECISION, lambda d: retext(d, "- Lưu", "- Lưu: VT, NC"),
     "Nơi nhận", "dấu chấm"),
    ("no Lưu line", RECEIPT, lambda d: retext(d, "- Lưu", "- Ban Thi đua - Khen thưởng."),
     "Nơi nhận", "Lưu"),
    ("Nơi nhận entry 12 pt", RECEIPT, restyle("- Chủ tịch", size=Pt(12)), "Nơi nhận", "cỡ chữ 12"),
    ("Nơi nhận label not italic", DECISION, restyle("Nơi nhận", italic=False), "Nơi nhận",
     "chưa in nghiêng"),
    ("decision list not starting Như Điều 3", DECISION,
     lambda d: retext(d, "- Như Điều 3;", "- Như trên;"), "Nơi nhận", "“- Như Điều 3;”"),
    ("Tờ trình list not starting Như trên", TO_TRINH,
     lambda d: retext(d, "- Như trên;", "- Bộ Nội vụ;"), "Nơi nhận", "“- Như trên;”"),
    ("TM. on an award decision", DECISION,
     lambda d: retext(d, "KT. CHỦ TỊCH", "TM. ỦY BAN NHÂN DÂN"), "Chữ ký", "“TM.”"),
    ("signer title not bold", TO_TRINH, restyle("PHÓ CHỦ TỊCH", bold=False), "Chữ ký",
     "chưa in đậm"),
    ("honorific before the name", DECISION, lambda d: retext(d, "Nguyễn Văn A", "Ông Nguyễn Văn A"),
     "Chữ ký", "danh xưng"),
    ("page number on the first page", DECISION,
     lambda d: setattr(d.sections[0], "different_first_page_header_footer", False),
     "Số trang", "Trang đầu"),
    ("page number left-aligned", RECEIPT, lambda d: setattr(
        d.sections[0].header.paragraphs[0].paragraph_format, "alignment", WD_ALIGN_PARAGRAPH.LEFT),
     "Số trang", "căn giữa"),
    ("missing Quốc hiệu", DECISION, drop("CỘNG HÒA"), "Quốc hiệu", "Không tìm thấy"),
    ("missing Nơi nhận", DECISION, drop("Nơi nhận", "- Như Điều 3", "- Chủ tịch", "- Phòng A",
                                        "- Lưu"), "Nơi nhận", "Không tìm thấy"),
]


@pytest.mark.parametrize("name, fault, element, words", [f[1:] for f in FAULTS],
                         ids=[f[0] for f in FAULTS])
def test_each_fault_is_reported_under_its_element(name, fault, element, words, rendered,
                                                  tmp_path):
    problems = check(rendered(name), tmp_path, fault)
    assert {p.element for p in problems} == {element}, format_report(Path(name), problems)
    assert any(words in p.message for p in problems), format_report(Path(name), problems)
    assert all(p.severity is Severity.ERROR for p in problems)


@pytest.mark.parametrize("date_line", [
    "Thái Nguyên, ngày 05 tháng 01 năm 2025", "Thái Nguyên, ngày 29 tháng 6 năm 2025",
    "Hà Nội, ngày 10 tháng 02 năm 2026", "Thái Nguyên, ngày 31 tháng 12 năm 2025",
    "Thái Nguyên, ngày      tháng      năm 2026"])
def test_correct_and_draft_date_lines_pass(date_line, rendered, tmp_path):
    assert check(rendered(DECISION), tmp_path,
                 lambda d: retext(d, "Thái Nguyên,", date_line)) == []


@pytest.mark.parametrize("number", ["Số: 05/QĐ-UBND", "Số: 186/QĐ-UBND", "Số: 12/2025/QĐ-UBND"])
def test_correct_numbers_pass(number, rendered, tmp_path):
    assert check(rendered(DECISION), tmp_path, lambda d: retext(d, "Số:", number)) == []


def test_a_landscape_appendix_is_allowed(rendered, tmp_path):
    assert check(rendered(DECISION), tmp_path, lambda d: landscape(d.sections[1])) == []


def hand_made(path: Path, title: str | None, number: str) -> Path:
    """An ND30 document made by hand, unlike our templates: one-row header table with Số under
    the issuer and the date under the motto, direct formatting, no page numbers."""
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin = section.bottom_margin = Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    doc.styles["Normal"].font.name, doc.styles["Normal"].font.size = "Times New Roman", Pt(14)

    def line(box, text, size=14, bold=False, italic=False, centred=True):
        p = box.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER if centred else WD_ALIGN_PARAGRAPH.JUSTIFY
        run = p.add_run(text)
        run.font.size, run.bold, run.italic = Pt(size), bold, italic
        return p

    head = doc.add_table(rows=1, cols=2)
    head.alignment = WD_TABLE_ALIGNMENT.CENTER
    left, right = head.rows[0].cells
    line(left, "UBND TỈNH THÁI NGUYÊN", 13)
    line(left, "SỞ NỘI VỤ", 13, bold=True)
    line(left, number, 13)
    if title is None:
        line(left, "V/v triển khai phong trào thi đua", 12)
    line(right, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 12, bold=True)
    line(right, "Độc lập - Tự do - Hạnh phúc", 13, bold=True)
    line(right, "Thái Nguyên, ngày 09 tháng 10 năm 2024", 14, italic=True)
    if title:
        line(doc, title, bold=True)
        line(doc, "Triển khai thực hiện phong trào thi đua năm 2025", bold=True)
    line(doc, "Sở Nội vụ ban hành kế hoạch như sau.", centred=False)
    sign = doc.add_table(rows=1, cols=2)
    left, right = sign.rows[0].cells
    line(left, "Nơi nhận:", 12, bold=True, italic=True, centred=False)
    for entry in ("- UBND tỉnh (để b/c);", "- Các phòng thuộc Sở;", "- Lưu: VT, VP."):
        line(left, entry, 11, centred=False)
    for text in ("KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "", "", "", "Trần Văn Bình"):
        line(right, text, 14, bold=True)
    doc.save(path)
    return path


@pytest.mark.parametrize("title, number", [("KẾ HOẠCH", "Số: 12/KH-SNV"),
                                           (None, "Số: 12/SNV-VP")], ids=["kế hoạch", "công văn"])
def test_any_nd30_document_is_read_by_its_text_not_by_our_styles(title, number, tmp_path):
    problems = check_layout(hand_made(tmp_path / "hand.docx", title, number))
    # Only the page numbers are missing, and a one-page document may well have none.
    assert [(p.element, p.severity) for p in problems] == [("Số trang", Severity.WARNING)]


def test_a_kế_hoạch_without_its_type_code_is_reported(tmp_path):
    problems = check_layout(hand_made(tmp_path / "hand.docx", "KẾ HOẠCH", "Số: 12/SNV-VP"))
    assert [p.element for p in problems if p.severity is Severity.ERROR] == ["Số, ký hiệu"]


def test_report_says_đạt_or_lists_the_problems_by_element(rendered, tmp_path):
    assert format_report(Path("a.docx"), []) == (
        "Kiểm tra thể thức văn bản theo Nghị định 30/2020/NĐ-CP: a.docx\nKết quả: đạt.\n")
    problems = check(rendered(DECISION), tmp_path, restyle("CỘNG HÒA", bold=False))
    report = format_report(Path("qd.docx"), problems)
    assert report.splitlines()[1:] == [
        "Kết quả: chưa đạt (1 lỗi).", "Quốc hiệu:",
        "  - [lỗi] Quốc hiệu “CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM”: chưa in đậm; yêu cầu cỡ chữ "
        "12–13 pt, chữ in hoa, đậm."]


def test_a_file_that_is_not_a_word_document_cannot_be_checked(tmp_path):
    path = tmp_path / "not.docx"
    path.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(DocflowError, match="không mở được|Không mở được"):
        check_layout(path)
