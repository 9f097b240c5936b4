"""Build Word inputs in code, spelled the way Word, LibreOffice and clerks really write them."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from docx import Document
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from lxml import etree

NS = {"w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
      "w14": "http://schemas.microsoft.com/office/word/2010/wordml"}

# A report that passes every rule of the shipped BC form for unit SNV.
BC_FIELDS = {
    "unit_code": "SNV", "unit_name": "Sở Nội vụ", "report_number": "30/BC-SNV",
    "report_date": "15/12/2025", "period": "Năm 2025", "head_title": "Giám đốc",
    "signer": "Nguyễn Thị Hoà", "signer_title": "Phó Giám đốc",
    "highlights": "Tổ chức 12 hội nghị tuyên truyền, vượt kế hoạch năm.",
}
BC_ROWS = [
    {"stt": "1", "indicator": "Số hội nghị, buổi tuyên truyền đã tổ chức", "planned": "10",
     "achieved": "12", "note": ""},
    {"stt": "2", "indicator": "Số lượt người tham gia", "planned": "1.500", "achieved": "1.720",
     "note": "Vượt kế hoạch"},
]
BC_LABELS = {
    "unit_code": "Mã đơn vị", "unit_name": "Tên đơn vị", "report_number": "Số ký hiệu báo cáo",
    "report_date": "Ngày báo cáo", "period": "Kỳ báo cáo", "head_title": "Chức danh thủ trưởng",
    "signer": "Người ký", "signer_title": "Chức vụ người ký", "highlights": "Kết quả nổi bật",
    "shortcomings": "Tồn tại, hạn chế", "proposals": "Đề xuất, kiến nghị",
}
BC_HEADER = ["STT", "Chỉ tiêu *", "Kế hoạch", "Thực hiện *", "Ghi chú"]


def qn(name: str) -> str:
    prefix, local = name.split(":")
    return f"{{{NS[prefix]}}}{local}"


def el(name: str, attrs: dict[str, str] | None = None, *children: Any,
       text: str | None = None) -> Any:
    """An element with prefixed attributes (`w:val`, `w14:val`), children and text."""
    node = etree.Element(qn(name), nsmap=NS)
    for key, value in (attrs or {}).items():
        node.set(qn(key), value)
    node.extend(children)
    if text is not None:
        node.text = text
        node.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    return node


def run(text: str, kind: str = "w:t") -> Any:
    """A run of text; kind `w:delText` for the text of a tracked deletion."""
    return el("w:r", None, el(kind, None, text=text))


def para(*children: Any) -> Any:
    """A paragraph holding runs, controls or tracked changes; plain strings become runs."""
    return el("w:p", None, *(run(c) if isinstance(c, str) else c for c in children))


# --- content controls ----------------------------------------------------------------------------

def control(*content: Any, tag: str = "", alias: str = "", placeholder: bool = False,
            kind: Any = None) -> Any:
    """A content control (`w:sdt`) around `content`: runs inline, paragraphs, rows or cells."""
    props = [el("w:alias", {"w:val": alias})] if alias else []
    props += [el("w:tag", {"w:val": tag})] if tag else []
    props += [el("w:showingPlcHdr")] if placeholder else []
    props += [kind if kind is not None else el("w:text")]
    return el("w:sdt", None, el("w:sdtPr", None, *props), el("w:sdtContent", None, *content))


def text_control(tag: str, value: str, **kw: Any) -> Any:
    """An inline plain-text control holding `value`."""
    return control(run(value), tag=tag, **kw)


def checkbox_control(checked: str | None, glyph: str, tag: str = "") -> Any:
    """A Word 2010+ checkbox control: `w14:checked w14:val=…` and the ☒/☐ glyph it shows."""
    box = el("w14:checkbox", None, *([el("w14:checked", {"w14:val": checked})] if checked else []),
             el("w14:checkedState", {"w14:val": "2612", "w14:font": "MS Gothic"}),
             el("w14:uncheckedState", {"w14:val": "2610", "w14:font": "MS Gothic"}))
    return control(run(glyph), tag=tag, kind=box)


def wrap(node: Any, **kw: Any) -> Any:
    """Put an existing element (a row, a cell, a paragraph) inside a content control, in place."""
    parent, index = node.getparent(), node.getparent().index(node)
    sdt = control(tag=kw.pop("tag", ""), alias=kw.pop("alias", ""), kind=el("w:richText"), **kw)
    parent.insert(index, sdt)
    sdt.find(qn("w:sdtContent")).append(node)
    return sdt


# --- legacy form fields (Developer ▸ Legacy Tools) -----------------------------------------------

def _field(ff_data: Any, instruction: str, result: list[Any]) -> list[Any]:
    begin = el("w:r", None, el("w:fldChar", {"w:fldCharType": "begin"}, ff_data))
    code = el("w:r", None, el("w:instrText", None, text=f" {instruction} "))
    parts = [begin, code]
    if result:
        parts += [el("w:r", None, el("w:fldChar", {"w:fldCharType": "separate"})), *result]
    return parts + [el("w:r", None, el("w:fldChar", {"w:fldCharType": "end"}))]


def legacy_text(name: str, *pieces: str) -> list[Any]:
    """A FORMTEXT field named `name` whose result is `pieces`, one run each, as Word splits them."""
    ff = el("w:ffData", None, el("w:name", {"w:val": name}), el("w:enabled"),
            el("w:calcOnExit", {"w:val": "0"}), el("w:textInput"))
    return _field(ff, "FORMTEXT", [run(p) for p in pieces] or [run("\u2002" * 5)])


def legacy_checkbox(checked: str | None = None, default: str | None = None, name: str = "") -> list:
    """A FORMCHECKBOX; `checked`/`default` is the w:val ('' for present without a value)."""
    def prop(tag: str, val: str | None) -> list[Any]:
        return [] if val is None else [el(tag, {"w:val": val} if val else None)]
    box = el("w:checkBox", None, el("w:sizeAuto"), *prop("w:default", default),
             *prop("w:checked", checked))
    ff = el("w:ffData", None, *([el("w:name", {"w:val": name})] if name else []), el("w:enabled"),
            box)
    return _field(ff, "FORMCHECKBOX", [])


def symbol_box(checked: bool) -> Any:
    """A box drawn with Insert ▸ Symbol in Wingdings."""
    char = "F0FE" if checked else "F0A8"
    return el("w:r", None, el("w:sym", {"w:font": "Wingdings", "w:char": char}))


# --- tracked changes -----------------------------------------------------------------------------

def _revision(name: str, *children: Any) -> Any:
    stamp = {"w:id": "1", "w:author": "Văn thư", "w:date": "2025-12-15T08:00:00Z"}
    return el(name, stamp, *children)


def inserted(text: str) -> Any:
    return _revision("w:ins", run(text))


def deleted(text: str) -> Any:
    return _revision("w:del", run(text, "w:delText"))


def moved_from(text: str) -> Any:
    return _revision("w:moveFrom", run(text))


def moved_to(text: str) -> Any:
    return _revision("w:moveTo", run(text))


def delete_row(row: Any) -> None:
    """Mark a python-docx table row as deleted with Track Changes on."""
    row._tr.get_or_add_trPr().append(_revision("w:del"))
    for t in row._tr.iter(qn("w:t")):
        t.tag = qn("w:delText")
    for r in list(row._tr.iter(qn("w:r"))):
        r.getparent().replace(r, _revision("w:del", etree.fromstring(etree.tostring(r))))


# --- documents -----------------------------------------------------------------------------------

def document() -> Any:
    """An empty Word document."""
    return Document()


def add(doc: Any, *paragraphs: Any) -> None:
    """Append paragraphs (or other block elements) at the end of the body."""
    for p in paragraphs:
        doc.element.body.sectPr.addprevious(p)


def table(doc: Any, rows: list[list[Any]]) -> Any:
    """A table; a cell is text, or a list of elements put inside the cell's paragraph."""
    tbl = doc.add_table(rows=len(rows), cols=max(len(r) for r in rows))
    for row, values in zip(tbl.rows, rows):
        for cell, value in zip(row.cells, values):
            if isinstance(value, str):
                cell.text = value
            else:
                cell.paragraphs[0]._p.extend(run(v) if isinstance(v, str) else v for v in value)
    return tbl


def label_value_table(doc: Any, values: dict[str, str], labels: dict[str, str] = BC_LABELS) -> Any:
    """Two columns, label | value, one field per row, without any content control."""
    return table(doc, [[labels[key], value] for key, value in values.items()])


def list_table(doc: Any, rows: list[dict[str, str]], header: list[str] = BC_HEADER,
               keys: tuple[str, ...] = ("stt", "indicator", "planned", "achieved", "note")) -> Any:
    """A list with its header row, columns in the order of `header`/`keys`."""
    return table(doc, [header] + [[r.get(k, "") for k in keys] for r in rows])


def mark(doc: Any, value: str) -> None:
    """The custom document property docflow writes on its blank forms."""
    xml = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Properties xmlns="http://'
           'schemas.openxmlformats.org/officeDocument/2006/custom-properties" xmlns:vt="http://'
           'schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"><property fmtid="'
           '{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" pid="2" name="docflow"><vt:lpwstr>'
           f'{value}</vt:lpwstr></property></Properties>')
    package = doc.part.package
    package.relate_to(Part(PackURI("/docProps/custom.xml"), CT.OFC_CUSTOM_PROPERTIES,
                           xml.encode(), package), RT.CUSTOM_PROPERTIES)


def save(doc: Any, path: Path) -> Path:
    doc.save(str(path))
    return path


# --- the blank form, filled in as Word fills it --------------------------------------------------

def fill(sdt: Any, value: str, full_date: str = "") -> None:
    """Type into a content control: the placeholder goes, the answer replaces its content."""
    props, content = sdt.find(qn("w:sdtPr")), sdt.find(qn("w:sdtContent"))
    for flag in props.findall(qn("w:showingPlcHdr")):
        props.remove(flag)
    if full_date and props.find(qn("w:date")) is not None:
        props.find(qn("w:date")).set(qn("w:fullDate"), f"{full_date}T00:00:00Z")
    content.clear()
    content.append(run(value))


def controls(doc: Any) -> dict[str, Any]:
    """The blank's tagged content controls by tag."""
    return {s.find(f"{qn('w:sdtPr')}/{qn('w:tag')}").get(qn("w:val")): s
            for s in doc.element.body.iter(qn("w:sdt"))
            if s.find(f"{qn('w:sdtPr')}/{qn('w:tag')}") is not None}


def fill_blank(blank: bytes, fields: dict[str, str], rows: list[dict[str, str]],
               keys: tuple[str, ...] = ("stt", "indicator", "planned", "achieved", "note")) -> Any:
    """The blank Word form with `fields` typed into its controls and `rows` into its list table."""
    doc = Document(io.BytesIO(blank))
    tagged = controls(doc)
    for key, value in fields.items():
        parts = value.split("/")
        iso = f"{parts[2]}-{parts[1]}-{parts[0]}" if len(parts) == 3 else ""
        fill(tagged[key], value, iso)
    listing = next(t for t in doc.tables if "Chỉ tiêu" in t.rows[0].cells[1].text)
    for row, values in zip(listing.rows[1:], rows):
        for cell, key in zip(row.cells, keys):
            sdt = next(cell._tc.iter(qn("w:sdt")), None)
            if sdt is not None and values.get(key):
                fill(sdt, values[key])
            elif values.get(key):
                cell.paragraphs[0].add_run(values[key])
    return doc
