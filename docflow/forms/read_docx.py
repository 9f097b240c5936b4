"""Read a filled Word form into a Submission: content controls, legacy fields, tables of labels."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from typing import Any

from docx import Document
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.exceptions import PackageNotFoundError
from lxml import etree

from docflow.errors import IntakeError
from docflow.forms.docx_xml import (MARKER_PREFIX, Control, Layout, Spot, box_value, qn,
                                    visible_text)
from docflow.config import FieldSpec, FormSpec, SheetSpec
from docflow.models import RawRow, RawValue, Submission
from docflow.text import clean, fold, parse_date

HEADER_SCAN_ROWS = 30
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Word 97-2003 files and password-protected .docx alike
_NUMBERING = re.compile(r"^(?:[IVXLC]+|[0-9]+|[a-zđ])[.)]\s+", re.IGNORECASE)  # "II. KẾT QUẢ"
# What Word shows in an untouched control, for when a re-save (LibreOffice) dropped the flag that
# says "this is the placeholder": the invitation is never an answer.
WORD_PROMPTS = frozenset(fold(p) for p in (
    "Click or tap here to enter text.", "Click here to enter text.", "Choose an item.",
    "Click or tap to enter a date.", "Click here to enter a date.",
    "Bấm hoặc gõ nhẹ vào đây để nhập văn bản.", "Bấm vào đây để nhập văn bản.", "Chọn một mục.",
    "Bấm hoặc gõ nhẹ để nhập ngày.", "Bấm vào đây để nhập ngày.", "Chọn", "dd/mm/yyyy"))


def prompt(spec: FieldSpec) -> str:
    """The grey invitation in a blank form's control for a label/value field: `Nhập mã đơn vị`."""
    first = spec.label.split(" ", 1)[0]
    # An acronym such as "UBND" keeps its capitals; an ordinary first word does not.
    acronym = len(first) > 1 and first.isupper()
    label = spec.label if acronym else spec.label[:1].lower() + spec.label[1:]
    text = ("Chọn " if spec.type == "choice" else "Nhập ") + label
    return f"{text} ({spec.help})" if spec.help else text


def read_document(path: Path, unit_folder: str, forms: dict[str, FormSpec]) -> Submission:
    """Read a .docx form; raise IntakeError when it is not a Word file or not one of our forms."""
    doc = _open(path)
    layout = Layout(doc.element.body)
    form, notes = _detect_form(_marks(doc, layout), layout, forms)
    fields: dict[str, RawValue] = {}
    tables: dict[str, list[RawRow]] = {}
    found: set[str] = set()
    counts: list[tuple[str, int]] = []
    # Table number → its header row: from there down a table is a list, not label/value rows.
    # (Word merges two tables with nothing between them, so a list may sit under the fields.)
    claimed: dict[int, int] = {}
    for sheet in (s for s in form.sheets if s.layout == "table"):
        rows, used, sheet_notes = _read_list(layout, sheet, claimed)
        claimed.update(used)
        notes += sheet_notes
        if used:
            found.add(sheet.name)
            tables[sheet.name] = rows
            counts.append((f"Phần “{sheet.name}”: số dòng dữ liệu", len(rows)))
    for sheet in (s for s in form.sheets if s.layout == "fields"):
        got = _read_fields(layout, sheet, claimed)
        if got:
            found.add(sheet.name)
            fields.update(got)
            counts.append((f"Phần “{sheet.name}”: số mục đã đọc", len(got)))
    notes += _ignored(layout, form, claimed)
    return Submission(form.code, unit_folder, path.name, fields, tables, tuple(notes),
                      counts=tuple(counts),
                      sheets_found=tuple(s.name for s in form.sheets if s.name in found))


def _open(path: Path) -> Any:
    """The python-docx Document, or an IntakeError telling the unit what to send instead."""
    with open(path, "rb") as fh:
        if fh.read(8) == _OLE:
            raise IntakeError(
                f"Tệp “{path.name}” là văn bản Word kiểu cũ (.doc) hoặc đã đặt mật khẩu nên không "
                "đọc được. Hãy mở bằng Word, bỏ mật khẩu nếu có, chọn Lưu thành “Word Document "
                "(.docx)” rồi gửi lại.", "intake.not_docx")
    try:
        return Document(str(path))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError, etree.LxmlError,
            SyntaxError) as exc:
        raise IntakeError(
            f"Không mở được tệp “{path.name}” như một văn bản Word (.docx): tệp hỏng hoặc không "
            "phải Word. Hãy mở lại bằng Word, chọn Lưu thành “Word Document (.docx)” rồi gửi lại.",
            "intake.not_docx") from exc


_SAFE = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)


def _marks(doc: Any, layout: Layout) -> list[str]:
    """docflow marks: the custom document property, then content-control tags."""
    marks = []
    for part in doc.part.package.iter_parts():
        if part.content_type == CT.OFC_CUSTOM_PROPERTIES:
            try:
                root = etree.fromstring(part.blob, _SAFE)
            except etree.XMLSyntaxError:
                continue  # a broken properties part only loses the marker; labels still work
            marks += [t.strip() for t in root.itertext() if t.strip().startswith(MARKER_PREFIX)]
    return marks + [c.tag for _, c in layout.controls if c.tag.startswith(MARKER_PREFIX)]


def _detect_form(marks: list[str], layout: Layout,
                 forms: dict[str, FormSpec]) -> tuple[FormSpec, list[str]]:
    """The form a document is, by its docflow mark, else by the labels it shows; and notes."""
    for mark in marks:
        _, code, version = (mark.split(":") + ["", ""])[:3]
        form = forms.get(code.strip().upper())
        if form is not None and version.strip().isdigit() and int(version) != form.version:
            return form, [f"Tệp dùng biểu mẫu {form.code} phiên bản {version.strip()}; phiên bản "
                          f"hiện hành là {form.version}. Lần sau hãy dùng biểu mẫu mới."]
        if form is not None:
            return form, []
    words = _words(layout)
    score = {code: sum(fold(s.name) in words for s in f.sheets)
             + sum(spec.folded_label in words or spec.key.casefold() in words
                   for _, spec in f.all_fields())
             for code, f in forms.items()}
    best = max(score.values(), default=0)
    leaders = [code for code, n in score.items() if n == best]
    if best >= 3 and len(leaders) == 1:
        return forms[leaders[0]], []
    names = "; ".join(f"{f.code} ({f.title}): các phần "
                      + ", ".join(f"“{s.name}”" for s in f.sheets) for f in forms.values())
    raise IntakeError(
        "Không nhận ra biểu mẫu: văn bản Word không có dấu nhận biết của docflow và không có đủ "
        f"các mục của biểu mẫu nào. Các biểu mẫu và phần cần có: {names}. Mỗi mục là một dòng "
        "bảng hai cột (nhãn | giá trị) hoặc một ô nhập gắn thẻ mã mục. Hãy dùng biểu mẫu Word "
        "(hoặc Excel) trống do Ban Thi đua - Khen thưởng phát hành.", "intake.unknown_form")


def _words(layout: Layout) -> set[str]:
    """Every label-like text of the document, folded: cells, headings, `Label:` lines, tags."""
    words: set[str] = set()
    for text in [c.text for t in layout.tables for r in t.rows for c in r] + layout.paragraphs:
        words.add(_label_key(_NUMBERING.sub("", clean(text))))
        if inline := _inline(text):
            words.add(inline[0])
    words |= {c.tag.casefold() for _, c in layout.controls} | {f.name.casefold() for f in
                                                                 layout.legacy_fields}
    return words | {_label_key(c.alias) for _, c in layout.controls}


def _label_key(text: str) -> str:
    """A label as compared: folded, without a trailing colon or required-field star."""
    return fold(re.sub(r"[\s:*]+$", "", clean(text)))


def _inline(text: str) -> tuple[str, str] | None:
    """`Label: value` written on one line, as (folded label, value)."""
    label, colon, value = clean(text).partition(":")
    return (_label_key(label), value) if colon and label else None


def _value(text: str) -> str | bool | None:
    """A cell's or control's answer: cleaned text, ticked boxes, or None when nothing was given."""
    value = box_value(text)
    if isinstance(value, str):
        value = clean(value)
        return None if not value or fold(value) in WORD_PROMPTS else value
    return value


def _listed(spot: Spot, claimed: dict[int, int]) -> bool:
    """True when `spot` is in a list: at or under the header row of a table read as a list."""
    return spot.table in claimed and spot.row >= claimed[spot.table]


def _read_fields(layout: Layout, sheet: SheetSpec, claimed: dict[int, int]) -> dict[str, RawValue]:
    """Each field from, in this order: a tagged control, a legacy field, a label/value row, a
    `Label: value` line; the first that holds an answer wins, else the first found."""
    by_key = {f.key.casefold(): f for f in sheet.fields}
    by_label = {f.folded_label: f for f in sheet.fields}
    offers: dict[str, list[tuple[Any, Spot]]] = {}

    def offer(spec: FieldSpec, value: Any, spot: Spot) -> None:
        if _listed(spot, claimed):
            return
        if isinstance(value, str) and fold(value) == fold(prompt(spec)):
            value = None
        offers.setdefault(spec.key, []).append((value, spot))

    for sdt, props in layout.controls:
        spec = (by_key.get(props.tag.casefold())
                or by_label.get(_label_key(props.alias or props.tag)))
        if spec is not None:
            offer(spec, _control_value(sdt, props), layout.spot(sdt, props.alias or spec.label))
    for field in layout.legacy_fields:
        if (spec := by_key.get(field.name.casefold())) is not None:
            value = field.value if isinstance(field.value, bool) else _value(field.value)
            offer(spec, value, layout.spot(field.begin, spec.label))
    for table in layout.tables:
        for i, row in enumerate(table.rows):
            below = table.rows[i + 1] if i + 1 < len(table.rows) else []
            for j, cell in enumerate(row):
                spec = by_label.get(_label_key(cell.text))
                # A label's answer is in the next cell, or, for a one-cell row, in the row below.
                answer = (row[j + 1] if j + 1 < len(row)
                          else below[0] if len(row) == len(below) == 1 else None)
                if spec is not None and answer is not None:
                    offer(spec, _value(answer.text), answer.spot)
                elif (inline := _inline(cell.text)) and inline[0] in by_label:
                    offer(by_label[inline[0]], _value(inline[1]), cell.spot)
    for text in layout.paragraphs:
        if (inline := _inline(text)) and inline[0] in by_label:
            where = f"đoạn “{clean(text).partition(':')[0]}: …”"
            offer(by_label[inline[0]], _value(inline[1]), Spot(0, 0, where))
    out = {}
    for key in (f.key for f in sheet.fields if f.key in offers):
        value, spot = next(((v, s) for v, s in offers[key] if v is not None), offers[key][0])
        out[key] = RawValue(value, sheet.name, spot.where, spot.row)
    return out


def _control_value(sdt: Any, props: Control) -> Any:
    """A tagged control's answer; a date picker's stored date when its text is not a date."""
    content = sdt.find(qn("w:sdtContent"))
    if props.placeholder or content is None:
        return None
    if props.checked is not None:
        return props.checked
    cells = content.findall(f".//{qn('w:tc')}")  # a control around a row answers in its last cell
    value = _value(visible_text(cells[-1] if cells else content))
    if props.full_date and (value is None or isinstance(value, str) and not _is_date(value)):
        return props.full_date
    return value


def _is_date(text: str) -> bool:
    try:
        return parse_date(text) is not None
    except ValueError:  # an impossible date is still the clerk's answer, to be reported
        return True


def _ignored(layout: Layout, form: FormSpec, claimed: dict[int, int]) -> list[str]:
    """Answers under labels the form does not have: two-cell rows in tables that hold known
    labels, and named content controls outside the lists."""
    labels = {f.folded_label for s, f in form.all_fields() if s.layout == "fields"}
    keys = {f.key.casefold() for _, f in form.all_fields()} | {f.folded_label for _, f in
                                                                form.all_fields()}
    notes = []
    for table in layout.tables:
        above = [r for r in table.rows if r and not _listed(r[0].spot, claimed)]
        folded = [[_label_key(c.text) for c in row] for row in above]
        if not any(k in labels for row in folded for k in row):
            continue
        notes += [f"Bảng {table.number}: bỏ qua dòng “{clean(row[0].text)}” (không có trong biểu "
                  "mẫu)." for row, row_keys in zip(above, folded)
                  if len(row) == 2 and row_keys[0] and not set(row_keys) & labels
                  and _value(row[1].text) is not None]
    for sdt, props in layout.controls:
        name = props.alias or props.tag
        # A control around rows, cells or other controls groups them; it is not an answer.
        grouping = any(e.tag in (qn("w:tc"), qn("w:sdt")) for e in sdt.iterdescendants())
        if (name and not grouping and not props.tag.startswith(MARKER_PREFIX)
                and props.tag.casefold() not in keys and _label_key(name) not in keys
                and not _listed(layout.spot(sdt, ""), claimed)
                and _control_value(sdt, props) is not None):
            notes.append(f"Bỏ qua ô nhập “{clean(name)}” (không có trong biểu mẫu).")
    return notes


def _read_list(layout: Layout, sheet: SheetSpec,
               claimed: dict[int, int]) -> tuple[list[RawRow], dict[int, int], list[str]]:
    """Rows under the header row of every table whose header names the sheet's columns."""
    by_label = {f.folded_label: f for f in sheet.fields}
    stt = {f.key for f in sheet.fields if f.folded_label == "stt"}
    out: list[RawRow] = []
    used: dict[int, int] = {}
    notes: list[str] = []
    for table in (t for t in layout.tables if t.number not in claimed):
        heads = [{c.grid: by_label[k].key for c in row if (k := _label_key(c.text)) in by_label}
                 for row in table.rows[:HEADER_SCAN_ROWS]]
        header = next((i for i, h in enumerate(heads) if len(h) >= max(2, len(sheet.fields) // 2)),
                      None)
        if header is None:
            continue
        used[table.number] = header + 1
        columns = heads[header]
        notes += [f"Bảng {table.number} (phần “{sheet.name}”): bỏ qua cột “{clean(c.text)}” "
                  "(không có trong biểu mẫu)." for c in table.rows[header]
                  if c.grid not in columns and clean(c.text)]
        for row in (r for r in table.rows[header + 1:] if r):
            cells, row_no = {c.grid: c for c in row}, row[0].spot.row
            values = {key: RawValue(_value(cells[g].text), sheet.name, cells[g].spot.where, row_no)
                      if g in cells else RawValue(None, sheet.name,
                                                  f"Bảng {table.number}, dòng {row_no}", row_no)
                      for g, key in columns.items()}
            filled = {k for k, v in values.items() if v.value is not None}
            if filled - stt:  # a row with only its STT is a blank row
                out.append(RawRow(sheet.name, row_no, values))
    if len(used) > 1:
        listed = ", ".join(f"Bảng {n}" for n in sorted(used))
        notes.append(f"Phần “{sheet.name}” nằm ở nhiều bảng ({listed}): đã đọc tất cả các dòng.")
    return out, used, notes
