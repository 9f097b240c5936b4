"""Write the blank Word form: label/value tables of content controls, and a table per list."""

from __future__ import annotations

import io
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.shared import Mm, Pt, RGBColor
from lxml import etree

from docflow.forms.docx_xml import MARKER_PREFIX, NS, qn
from docflow.forms.read_docx import prompt
from docflow.config import FieldSpec, FormSpec, SheetSpec
from docflow.text import upper_vi

TABLE_ROWS = 10
MARKER_PROPERTY = "docflow"
TEXT_WIDTH_MM = 165  # A4 less the Nghị định 30 margins: 30 mm left, 15 mm right
WIDE_LIST = 7  # a list with more columns gets a landscape page of its own
_ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X")
_PLACEHOLDER_STYLE = "Placeholder Text"
_CUSTOM_PROPS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties" '
    'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
    '<property fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" pid="2" name=%s>'
    "<vt:lpwstr>%s</vt:lpwstr></property></Properties>")


def marker(form: FormSpec) -> str:
    """The hidden mark naming the form and its version, e.g. `docflow:BC:1`."""
    return f"{MARKER_PREFIX}{form.code}:{form.version}"


def blank_word_form(form: FormSpec, award_names: tuple[str, ...]) -> bytes:
    """The blank Word form (.docx bytes): one label/value table or list table per form sheet."""
    doc = Document()
    _page_and_styles(doc)
    ids = iter(range(1, 100_000))
    _title(doc, form, next(ids))
    for line in _guide(form):
        doc.add_paragraph(line).paragraph_format.first_line_indent = Mm(10)
    for i, sheet in enumerate(form.sheets):
        number = _ROMAN[i] if i < len(_ROMAN) else str(i + 1)
        heading = doc.add_paragraph()
        heading.paragraph_format.space_before = Pt(12)
        heading.paragraph_format.keep_with_next = True
        heading.add_run(f"{number}. {upper_vi(sheet.name)}").bold = True
        if sheet.layout == "fields":
            _fields_table(doc, sheet, award_names, ids)
        elif len(sheet.fields) > WIDE_LIST:
            _orientation(doc, WD_ORIENT.LANDSCAPE, heading)
            _list_table(doc, sheet, award_names, ids, TEXT_WIDTH_MM + 87)
            _orientation(doc, WD_ORIENT.PORTRAIT)
        else:
            _list_table(doc, sheet, award_names, ids, TEXT_WIDTH_MM)
    _custom_property(doc, MARKER_PROPERTY, marker(form))
    doc.core_properties.title = f"Biểu mẫu {form.code} — {form.title}"
    doc.core_properties.author = "docflow"
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def _page_and_styles(doc: Any) -> None:
    """A4 portrait with the Nghị định 30 margins; Times New Roman 13 pt, Vietnamese proofing."""
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin = section.bottom_margin = Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    normal = doc.styles["Normal"]
    normal.font.name, normal.font.size = "Times New Roman", Pt(13)
    fonts = normal.element.get_or_add_rPr().get_or_add_rFonts()
    for attr in ("w:eastAsia", "w:cs"):
        fonts.set(qn(attr), "Times New Roman")
    normal.element.get_or_add_rPr().append(_make("w:lang", {"w:val": "vi-VN"}))
    normal.paragraph_format.space_before = normal.paragraph_format.space_after = Pt(3)
    normal.paragraph_format.line_spacing = 1.0
    # Word's own name for the grey text of an untouched content control.
    placeholder = doc.styles.add_style(_PLACEHOLDER_STYLE, WD_STYLE_TYPE.CHARACTER)
    placeholder.font.color.rgb = RGBColor(0x80, 0x80, 0x80)


def _title(doc: Any, form: FormSpec, sdt_id: int) -> None:
    """The title, inside a locked content control whose tag is the form's hidden mark."""
    # Inline rather than around the paragraph: LibreOffice keeps an inline control's text intact.
    title = doc.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = title.add_run(f"BIỂU MẪU {form.code} — {upper_vi(form.title)}")
    run.bold, run.font.size = True, Pt(14)
    props = _make("w:sdtPr", None, _make("w:alias", {"w:val": "Biểu mẫu docflow"}),
                 _make("w:tag", {"w:val": marker(form)}), _make("w:id", {"w:val": str(sdt_id)}),
                 _make("w:lock", {"w:val": "sdtContentLocked"}))
    sdt = _make("w:sdt", None, props, _make("w:sdtContent"))
    run._r.addprevious(sdt)
    sdt[1].append(run._r)
    version = doc.add_paragraph(f"(phiên bản {form.version})")
    version.alignment = WD_ALIGN_PARAGRAPH.CENTER


def _guide(form: FormSpec) -> list[str]:
    lists = ", ".join(f"“{s.name}”" for s in form.sheets if s.layout == "table")
    lines = [
        "Bấm vào từng ô nhập màu xám rồi gõ nội dung; ô có danh sách thì chọn một mục trong danh "
        "sách thả xuống; ngày ghi dạng dd/mm/yyyy hoặc chọn trên lịch.",
        "Các mục có dấu * là bắt buộc. Không xóa hay đổi tên các nhãn ở cột bên trái.",
    ]
    if lists:
        lines.append(f"Bảng {lists}: mỗi dòng một mục; cần thêm dòng thì đặt con trỏ ở ô cuối "
                     "bảng rồi nhấn Tab; không đổi tên các cột.")
    lines.append("Lưu tệp dạng Word (.docx) rồi chép vào thư mục inbox/<MÃ ĐƠN VỊ>/.")
    return lines


def _label(spec: FieldSpec) -> str:
    return f"{spec.label} *" if spec.required else spec.label


def _choices(spec: FieldSpec, award_names: tuple[str, ...]) -> tuple[str, ...]:
    return spec.choices or (award_names if spec.choices_from == "awards" else ())


def _fields_table(doc: Any, sheet: SheetSpec, award_names: tuple[str, ...], ids: Any) -> None:
    table = doc.add_table(rows=len(sheet.fields), cols=2)
    table.style = doc.styles["Table Grid"]
    _widths(table, [60, TEXT_WIDTH_MM - 60])
    for row, spec in zip(table.rows, sheet.fields):
        row.cells[0].paragraphs[0].add_run(_label(spec)).bold = True
        row.cells[1].paragraphs[0]._p.append(
            _control(spec, _choices(spec, award_names), prompt(spec), next(ids), tag=spec.key))


def _list_table(doc: Any, sheet: SheetSpec, award_names: tuple[str, ...], ids: Any,
                width_mm: float) -> None:
    table = doc.add_table(rows=1 + TABLE_ROWS, cols=len(sheet.fields))
    table.style = doc.styles["Table Grid"]
    weights = [max(spec.width or len(spec.label) + 4, 11) for spec in sheet.fields]
    _widths(table, [width_mm * w / sum(weights) for w in weights])
    header = table.rows[0]
    header._tr.get_or_add_trPr().append(_make("w:tblHeader"))  # repeated on every page
    for cell, spec in zip(header.cells, sheet.fields):
        cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
        cell.paragraphs[0].add_run(_label(spec)).bold = True
    for row in table.rows[1:]:
        for cell, spec in zip(row.cells, sheet.fields):
            choices = _choices(spec, award_names)
            if choices or spec.type == "date":  # plain cells need no control: typing is enough
                shown = "Chọn" if choices else "dd/mm/yyyy"
                cell.paragraphs[0]._p.append(_control(spec, choices, shown, next(ids)))


def _orientation(doc: Any, orient: WD_ORIENT, move: Any = None) -> None:
    """Start a new page in `orient`, taking the just-written heading `move` along."""
    section = doc.add_section(WD_SECTION.NEW_PAGE)
    section.orientation = orient
    short, long = Mm(210), Mm(297)
    landscape = orient == WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = (long, short) if landscape else (short, long)
    if move is not None:  # the section break sits after the heading: put the heading after it
        doc.element.body.sectPr.addprevious(move._p)


def _control(spec: FieldSpec, choices: tuple[str, ...], shown: str, sdt_id: int,
             tag: str = "") -> Any:
    """An inline content control showing `shown` until filled: text, drop-down or date."""
    if choices:
        kind = _make("w:dropDownList", None, *(
            _make("w:listItem", {"w:displayText": c, "w:value": c}) for c in choices))
    elif spec.type == "date":
        kind = _make("w:date", None, _make("w:dateFormat", {"w:val": "dd/MM/yyyy"}),
                    _make("w:lid", {"w:val": "vi-VN"}),
                    _make("w:storeMappedDataAs", {"w:val": "dateTime"}),
                    _make("w:calendar", {"w:val": "gregorian"}))
    else:
        kind = _make("w:text", {"w:multiLine": "1"})
    props = _make("w:sdtPr", None, _make("w:alias", {"w:val": spec.label}),
                 *([_make("w:tag", {"w:val": tag})] if tag else []),
                 _make("w:id", {"w:val": str(sdt_id)}), _make("w:showingPlcHdr"), kind)
    run = _make("w:r", None, _make("w:rPr", None, _make("w:rStyle", {"w:val": "PlaceholderText"})),
               _make("w:t", None, text=shown))
    return _make("w:sdt", None, props, _make("w:sdtContent", None, run))


def _widths(table: Any, millimetres: list[float]) -> None:
    table.autofit = False
    # Word reads the cell widths, LibreOffice the grid: both are set.
    for grid_col, width in zip(table._tbl.tblGrid.gridCol_lst, millimetres):
        grid_col.w = Mm(width)
    for column, width in zip(table.columns, millimetres):
        for cell in column.cells:
            cell.width = Mm(width)


def _make(name: str, attrs: dict[str, str] | None = None, *children: Any,
         text: str | None = None) -> Any:
    """A new element `name` with prefixed attributes, children and text."""
    el = etree.Element(qn(name), nsmap={"w": NS["w"]})
    for key, value in (attrs or {}).items():
        el.set(qn(key), value)
    el.extend(children)
    if text is not None:
        el.text = text
        if text != text.strip():
            el.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    return el


def _custom_property(doc: Any, name: str, value: str) -> None:
    """A custom document property (File ▸ Properties), kept by Word and LibreOffice alike."""
    package = doc.part.package
    blob = (_CUSTOM_PROPS % (quoteattr(name), escape(value))).encode("utf-8")
    part = Part(PackURI("/docProps/custom.xml"), CT.OFC_CUSTOM_PROPERTIES, blob, package)
    package.relate_to(part, RT.CUSTOM_PROPERTIES)
