"""python-docx helpers for Nghị định 30/2020/NĐ-CP layouts, shared by make_templates.py.

Every helper writes plain Word constructs (named paragraph styles, borderless or "Table Grid"
tables, paragraph borders as rules, one PAGE field) so an administrator can edit the result in
Word. Jinja tags are always written as whole runs, never split.
"""

import datetime
import re
import zipfile

from docx import Document
from docx.enum.section import WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt, RGBColor
from lxml import etree

FONT = "Times New Roman"
TEXT_MM = 165  # A4 width 210 mm - left 30 mm - right 15 mm
CELL_PAD_MM = 3.8  # Word's default left + right cell margins (2 × 108 twips)
HEADER_COLS = (66, 99)  # 40 % / 60 % of the text width
SIGNATURE_COLS = (74, 91)  # 45 % / 55 %
C, L, R, J = (WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.LEFT,
              WD_ALIGN_PARAGRAPH.RIGHT, WD_ALIGN_PARAGRAPH.JUSTIFY)

# name: (size pt, "b"old / "i"talic / "c"aps, alignment, first-line indent cm, before pt, after pt)
STYLES = {
    "Normal": (14, "", J, 1, 0, 6),
    "Legal Basis": (14, "i", J, 1, 0, 6),
    "Footer Note": (14, "i", J, 1, 0, 6),
    "Page Number Line": (14, "", C, 0, 0, 0),
    "Parent Body": (13, "c", C, 0, 0, 0),
    "Issuer": (13, "bc", C, 0, 0, 0),
    "National Title": (12, "bc", C, 0, 0, 0),
    "Motto": (13, "b", C, 0, 0, 0),
    "Rule": (2, "", C, 0, 6, 6),  # 6 pt before: the rule clears descenders and dots below
    "Spacer": (2, "", L, 0, 0, 6),
    "Number Line": (13, "", C, 0, 6, 0),
    "Summary Line": (12, "", C, 0, 2, 0),
    "Place Date": (14, "i", C, 0, 6, 0),
    "Doc Title": (14, "bc", C, 0, 18, 0),
    "Doc Summary": (14, "b", C, 0, 0, 0),
    "Appendix Reference": (14, "i", C, 0, 0, 0),
    "Center Bold": (14, "b", C, 0, 6, 6),
    "Kinh Gui": (14, "", C, 0, 0, 0),
    "Section Heading": (14, "b", L, 0, 6, 6),
    "Recipients Label": (12, "bi", L, 0, 0, 0),
    "Recipient": (11, "", L, 0, 0, 0),
    "Signer Title": (14, "bc", C, 0, 0, 0),
    "Signer Name": (14, "b", C, 0, 0, 0),
}
# Table paragraph styles, in a 13 pt ("Table …") and a 12 pt ("Small Table …") family.
for _prefix, _size in (("Table", 13), ("Small Table", 12)):
    for _kind, _fmt, _align in (("Text", "", L), ("Detail", "i", L), ("Center", "", C),
                                ("Number", "", R), ("Heading", "b", C), ("Group", "b", L),
                                ("Total", "b", R)):
        STYLES[f"{_prefix} {_kind}"] = (_size, _fmt, _align, 0, 2, 2)


def new_document(title):
    """A4 portrait document with ND30 margins, Times New Roman styles and page numbers."""
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    section.header_distance, section.footer_distance = Mm(10), Mm(10)
    _define_styles(doc)
    page_number_header(section)
    _drop_thumbnail(doc)
    props = doc.core_properties
    props.title, props.author, props.last_modified_by = title, "docflow", "docflow"
    props.created = props.modified = datetime.datetime(2026, 1, 1)
    props.revision, props.comments, props.keywords = 1, "", ""
    return doc


def _define_styles(doc):
    """Set Times New Roman (all four rFonts slots), Vietnamese and black defaults; add STYLES."""
    rpr = doc.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    fonts = rpr.find(qn("w:rFonts"))
    fonts.attrib.clear()
    for slot in ("ascii", "hAnsi", "eastAsia", "cs"):
        fonts.set(qn(f"w:{slot}"), FONT)
    for size in ("w:sz", "w:szCs"):
        rpr.find(qn(size)).set(qn("w:val"), "28")
    spacing = doc.styles.element.find(qn("w:docDefaults")).find(".//" + qn("w:spacing"))
    spacing.attrib.clear()
    spacing.set(qn("w:after"), "0")
    lang = rpr.find(qn("w:lang"))
    lang.set(qn("w:val"), "vi-VN")
    lang.set(qn("w:eastAsia"), "vi-VN")
    for name, spec in STYLES.items():
        if name in doc.styles:
            style = doc.styles[name]
        else:
            style = doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
            style.base_style, style.quick_style = doc.styles["Normal"], True
        _apply_style(style, *spec)
    normal = doc.styles["Normal"]
    normal.font.name, normal.font.color.rgb = FONT, RGBColor(0, 0, 0)
    for slot in ("eastAsia", "cs"):
        normal.element.rPr.rFonts.set(qn(f"w:{slot}"), FONT)
    normal.paragraph_format.line_spacing = 1.0
    normal.paragraph_format.widow_control = True
    rule_ppr = doc.styles["Rule"].element.get_or_add_pPr()
    rule_ppr.insert_element_before(
        _xml("w:pBdr", _xml("w:top", val="single", sz="6", space="1", color="000000")),
        "w:shd", "w:tabs", "w:spacing", "w:ind", "w:jc", "w:rPr")


def _apply_style(style, size, fmt, align, indent_cm, before, after):
    """Apply one STYLES row to a paragraph style."""
    font, para_format = style.font, style.paragraph_format
    font.size, font.bold, font.italic = Pt(size), "b" in fmt, "i" in fmt
    font.all_caps = True if "c" in fmt else None
    para_format.alignment, para_format.first_line_indent = align, Cm(indent_cm)
    para_format.space_before, para_format.space_after = Pt(before), Pt(after)


def _xml(tag, *children, **attrs):
    """An OXML element with w:-prefixed attributes and children."""
    el = OxmlElement(tag)
    for key, value in attrs.items():
        el.set(qn(f"w:{key}"), value)
    el.extend(children)
    return el


def _drop_thumbnail(doc):
    """Remove python-docx's stock preview picture from the package."""
    rels = doc.part.package.rels
    for rid in [rid for rid, rel in rels.items() if rel.reltype == RT.THUMBNAIL]:
        rels.pop(rid)


def page_number_header(section):
    """Centred PAGE field in the header; different first page whose header is empty."""
    section.different_first_page_header_footer = True
    section.first_page_header.is_linked_to_previous = False
    section.first_page_header.paragraphs[0].style = "Page Number Line"
    section.header.is_linked_to_previous = False
    p = section.header.paragraphs[0]
    p.style = "Page Number Line"
    instr, shown = _xml("w:instrText"), _xml("w:t")
    instr.text, shown.text = " PAGE ", "2"
    instr.set(qn("xml:space"), "preserve")
    for child in (_xml("w:fldChar", fldCharType="begin"), instr,
                  _xml("w:fldChar", fldCharType="separate"), shown,
                  _xml("w:fldChar", fldCharType="end")):
        p.add_run()._r.append(child)


def new_page_section(doc):
    """Start a new section on a new page whose page numbers restart at 1 (for an appendix)."""
    section = doc.add_section(WD_SECTION.NEW_PAGE)
    section._sectPr.find(qn("w:cols")).addprevious(_xml("w:pgNumType", start="1"))
    doc.paragraphs[-1].style = "Spacer"  # the paragraph that carries the section break
    return section


def para(box, style, *runs):
    """Append a paragraph to a document or cell; each run is text or (text, "b"/"i"/"bi")."""
    p = box.add_paragraph(style=None if style == "Normal" else style)
    for run in runs:
        text, fmt = (run, "") if isinstance(run, str) else run
        r = p.add_run(text)
        if fmt:
            r.bold, r.italic = ("b" in fmt) or None, ("i" in fmt) or None
    return p


def loop(box, seq, style, body="{{ line }}", var="line"):
    """Three paragraphs: `{%p for var in seq %}`, the repeated paragraph, `{%p endfor %}`."""
    para(box, style, f"{{%p for {var} in {seq} %}}")
    para(box, style, body)
    para(box, style, "{%p endfor %}")


def cond(box, test, style, *paras):
    """`{%p if test %}`, then (style, text) paragraphs, then `{%p endif %}`."""
    para(box, style, f"{{%p if {test} %}}")
    for p_style, text in paras:
        para(box, p_style, text)
    para(box, style, "{%p endif %}")


def rule(box, width_mm, space_mm):
    """A centred rule width_mm long in a box space_mm wide (top border of an empty paragraph)."""
    p = box.add_paragraph(style="Rule")
    side = Mm((space_mm - width_mm) / 2)
    p.paragraph_format.left_indent = p.paragraph_format.right_indent = side
    return p


def table(doc, widths_mm, rows=1, style=None, pad_twips=None):
    """A centred fixed-layout table with column widths in mm; borderless unless a style is given."""
    t = doc.add_table(rows=rows, cols=len(widths_mm))
    if style:
        t.style = doc.styles[style]
    t.alignment, t.autofit = WD_TABLE_ALIGNMENT.CENTER, False
    for col, grid_col in zip(t.columns, widths_mm):
        col.width = Mm(grid_col)
        for cell in col.cells:
            cell.width = Mm(grid_col)
    tbl_w = t._tbl.tblPr.find(qn("w:tblW"))
    tbl_w.set(qn("w:w"), str(round(sum(widths_mm) * 1440 / 25.4)))
    tbl_w.set(qn("w:type"), "dxa")
    if pad_twips is not None:
        cell_margins(t, left=pad_twips, right=pad_twips)
    return t


def cell_margins(t, **twips):
    """Set the table's default cell margins, e.g. cell_margins(t, top=240)."""
    mar = _xml("w:tblCellMar", *(_xml(f"w:{side}", w=str(value), type="dxa")
                                 for side, value in twips.items()))
    t._tbl.tblPr.find(qn("w:tblLook")).addprevious(mar)


def merged(row):
    """Merge all cells of a table row into one and return it."""
    return row.cells[0].merge(row.cells[-1])


def tidy(t, style):
    """Drop each cell's stock empty first paragraph when the cell got content; style empty cells."""
    for tc in t._tbl.iter_tcs():
        ps = tc.p_lst
        if len(ps) > 1 and not ps[0].r_lst:
            tc.remove(ps[0])
        elif len(ps) == 1 and not ps[0].r_lst:
            ps[0].style = style


def repeat_header(row):
    """Mark a table row as a heading row repeated on every page (and never split)."""
    keep_row(row)
    row._tr.get_or_add_trPr().append(_xml("w:tblHeader"))


def keep_row(row):
    """Forbid a page break inside a table row."""
    row._tr.get_or_add_trPr().append(_xml("w:cantSplit"))


def header_block(doc):
    """Issuing body (left) and Quốc hiệu / Tiêu ngữ (right); then Số and the date on one row."""
    t = table(doc, HEADER_COLS, rows=2)
    left, right = t.cell(0, 0), t.cell(0, 1)
    left_mm, right_mm = (w - CELL_PAD_MM for w in HEADER_COLS)
    cond(left, "header.parent", "Parent Body", ("Parent Body", "{{ header.parent }}"))
    loop(left, "header.issuer_lines", "Issuer")
    rule(left, 22, left_mm)
    para(right, "National Title", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
    para(right, "Motto", "Độc lập - Tự do - Hạnh phúc")
    rule(right, 56, right_mm)
    para(t.cell(1, 0), "Number Line", "{{ header.number }}")
    para(t.cell(1, 1), "Place Date", "{{ header.place_date }}")
    tidy(t, "Number Line")
    return t


def title_block(doc):
    """Type name and trích yếu, bold and centred, with a short rule under them."""
    para(doc, "Doc Title", "{{ title }}")
    para(doc, "Doc Summary", "{{ summary }}")
    rule(doc, 40, TEXT_MM)


def signature_block(doc, signed=True):
    """Nơi nhận (left) level with the signer's title, blank lines and name (right); an unsigned
    slip (`signed=False`) reserves no space for a signature. The paragraph before it keeps with
    it, so no page ever holds only Nơi nhận and the signature."""
    last = doc.paragraphs[-1]
    assert not last.text.startswith("{%"), "the paragraph before the signature must be text"
    last.paragraph_format.keep_with_next = True
    t = table(doc, SIGNATURE_COLS)
    cell_margins(t, top=240)
    keep_row(t.rows[0])
    left, right = t.cell(0, 0), t.cell(0, 1)
    para(left, "Recipients Label", "Nơi nhận:")
    loop(left, "recipients", "Recipient")
    loop(right, "signature.lines", "Signer Title")
    if signed:
        for _ in range(5):
            para(right, "Signer Title")
        para(right, "Signer Name", "{{ signature.name }}")
    tidy(t, "Signer Title")
    return t


def appendix_heading(doc):
    """New page (own numbering): DANH SÁCH, its summary, the italic reference and a short rule."""
    new_page_section(doc)
    para(doc, "Doc Title", "DANH SÁCH").paragraph_format.space_before = Pt(0)
    para(doc, "Doc Summary", "{{ appendix.summary }}")
    para(doc, "Appendix Reference", "{{ appendix.reference }}")
    rule(doc, 40, TEXT_MM)


def chunked_tables(doc, tables, columns, item_cells, total=None):
    """One bordered table per unit (long units split in chunks), each under its unit's label.

    LibreOffice lays out one long table in super-linear time (5,000 rows: 86 s), so the list
    is a run of short tables: `{%p for t in tables %}`, the label paragraph `t.label` (empty
    on a continuation), a table whose heading row repeats, then `{%p endfor %}`; then an optional
    one-row "Cộng" table. columns: [(heading, width_mm)]; item_cells: per column, a list of
    (style kind, text) paragraphs ("Text", "Detail", "Center", "Number" or "if <test>"/"endif"
    for {%p%} tags).
    """
    para(doc, "Table Text", f"{{%p for t in {tables} %}}")
    # Always a paragraph before each table, empty on a continuation: Word and LibreOffice join
    # tables that touch, and one joined long table is exactly what the chunks avoid.
    para(doc, "Table Group", "{{ t.label }}").paragraph_format.keep_with_next = True
    t = table(doc, [w for _, w in columns], rows=1, style="Table Grid", pad_twips=70)
    for cell, (heading, _) in zip(t.rows[0].cells, columns):
        para(cell, "Table Heading", heading)
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    repeat_header(t.rows[0])
    para(merged(t.add_row()), "Table Text", "{%tr for it in t['items'] %}")
    item = t.add_row()
    keep_row(item)
    for cell, paragraphs in zip(item.cells, item_cells):
        for kind, text in paragraphs:
            if kind.startswith(("if ", "endif")):
                para(cell, "Table Text", f"{{%p {kind} %}}")
            else:
                para(cell, f"Table {kind}", text)
    para(merged(t.add_row()), "Table Text", "{%tr endfor %}")
    tidy(t, "Table Text")
    para(doc, "Table Text", "{%p endfor %}")
    if total is not None:
        totals = table(doc, [w for _, w in columns], rows=1, style="Table Grid", pad_twips=70)
        row = totals.rows[0]
        para(row.cells[0].merge(row.cells[-2]), "Table Heading", "Cộng")
        para(row.cells[-1], "Table Total", total)
        tidy(totals, "Table Text")


def label_value_table(doc, seq, label_mm=60):
    """Bordered 2-column table, a row per {label, value} item (label bold), inside {%p if%}."""
    para(doc, "Table Text", f"{{%p if {seq} %}}")
    t = table(doc, (label_mm, TEXT_MM - label_mm), rows=0, style="Table Grid", pad_twips=70)
    para(merged(t.add_row()), "Table Text", f"{{%tr for row in {seq} %}}")
    cells = t.add_row().cells
    para(cells[0], "Table Group", "{{ row.label }}")
    para(cells[1], "Table Text", "{{ row.value }}")
    para(merged(t.add_row()), "Table Text", "{%tr endfor %}")
    tidy(t, "Table Text")
    para(doc, "Table Text", "{%p endif %}")
    return t


def save(doc, path):
    """Save with fixed zip dates; end the body with a paragraph (Word wants one after a table)."""
    body = doc.element.body
    if body[-2].tag == qn("w:tbl"):  # body[-1] is the final w:sectPr
        para(doc, "Spacer")
    doc.save(path)
    with zipfile.ZipFile(path) as z:
        members = lean_styles({info.filename: z.read(info) for info in z.infolist()})
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members.items():
            z.writestr(zipfile.ZipInfo(name, (2026, 1, 1, 0, 0, 0)), data, zipfile.ZIP_DEFLATED)


_WITH_EFFECTS = "word/stylesWithEffects.xml"
_STYLE_REF = re.compile(rb'<w:(?:pStyle|rStyle|tblStyle|numStyleLink|styleLink) w:val="([^"]+)"')


def lean_styles(parts):
    """The package without python-docx's stock ballast: the 200 built-in styles no template
    uses, their latent-style list and Word 2010's stylesWithEffects.xml (800 kB in all). Every
    document made from a template carried them: LibreOffice parsed them on each conversion (a
    third of a one-page PDF's time) and each render compressed them again. Kept: docflow's own
    styles (an administrator may use them when editing), every style a part refers to, what
    those are based on or linked to, and the defaults; Word adds any other built-in style
    again when someone applies it."""
    parts = dict(parts)
    if parts.pop(_WITH_EFFECTS, None) is not None:
        for name in ("word/_rels/document.xml.rels", "[Content_Types].xml"):
            parts[name] = re.sub(rb"<(?:Relationship|Override) [^>]*stylesWithEffects[^>]*/>",
                                 b"", parts[name])
    root = etree.fromstring(parts["word/styles.xml"], etree.XMLParser(remove_blank_text=True))
    styles = {s.get(qn("w:styleId")): s for s in root.iter(qn("w:style"))}
    wanted = [sid for name, data in parts.items() if name.endswith(".xml")
              and name != "word/styles.xml" for sid in _STYLE_REF.findall(data)]
    wanted = [w.decode() for w in wanted] + [
        sid for sid, s in styles.items() if s.get(qn("w:default")) == "1"
        or s.find(qn("w:name")).get(qn("w:val")) in STYLES]
    keep = set()
    while wanted:
        sid = wanted.pop()
        if sid in keep or sid not in styles:
            continue
        keep.add(sid)
        wanted += [el.get(qn("w:val")) for tag in ("w:basedOn", "w:link", "w:next")
                   if (el := styles[sid].find(qn(tag))) is not None]
    for sid, style in styles.items():
        if sid not in keep:
            root.remove(style)
    latent = root.find(qn("w:latentStyles"))
    if latent is not None:
        root.remove(latent)
    parts["word/styles.xml"] = etree.tostring(root, xml_declaration=True, encoding="UTF-8",
                                              standalone=True)
    return parts
