"""Write the blank forms units download: labels, dropdowns, instructions, the hidden `_docflow` sheet."""

from __future__ import annotations

import io
from typing import Any

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation

from docflow.forms.read_xlsx import META_SHEET
from docflow.config import FieldSpec, FormSpec, SheetSpec

TABLE_ROWS = 500
_BOLD = Font(name="Times New Roman", bold=True, size=12)
_PLAIN = Font(name="Times New Roman", size=12)
_TITLE = Font(name="Times New Roman", bold=True, size=14)
_HEAD_FILL = PatternFill("solid", fgColor="DDEBF7")
_THIN = Side(style="thin", color="808080")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_FORMATS = {"date": "dd/mm/yyyy", "integer": "0", "number": "#,##0.##", "text": "@",
            "document_number": "@"}


def blank_form(form: FormSpec, award_names: tuple[str, ...]) -> bytes:
    """The blank workbook of a form, as .xlsx bytes."""
    wb = Workbook()
    guide = wb.active
    guide.title = "Hướng dẫn"
    meta = wb.create_sheet(META_SHEET)
    meta["A1"], meta["A2"] = form.code, form.version
    meta.sheet_state = "hidden"
    lists = _ChoiceLists(meta)
    for sheet in form.sheets:
        ws = wb.create_sheet(sheet.name)
        if sheet.layout == "fields":
            _fields_sheet(ws, sheet, lists, award_names)
        else:
            _table_sheet(ws, sheet, lists, award_names)
    _guide(guide, form)
    wb.active = 1
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


class _ChoiceLists:
    """Choice lists live in the hidden sheet: inline lists are capped at 255 characters."""

    def __init__(self, meta: Any) -> None:
        self.meta, self.column = meta, 3

    def validation(self, choices: tuple[str, ...], label: str) -> DataValidation:
        col = get_column_letter(self.column)
        for i, choice in enumerate(choices, start=1):
            self.meta[f"{col}{i}"] = choice
        self.column += 1
        ref = f"{quote_sheetname(META_SHEET)}!${col}$1:${col}${len(choices)}"
        dv = DataValidation(type="list", formula1=ref, allow_blank=True, showErrorMessage=True)
        dv.error = f"Chọn “{label}” trong danh sách thả xuống."
        dv.errorTitle = "Giá trị không hợp lệ"
        return dv


def _choices(spec: FieldSpec, award_names: tuple[str, ...]) -> tuple[str, ...]:
    return spec.choices or (award_names if spec.choices_from == "awards" else ())


def _label(spec: FieldSpec) -> str:
    return f"{spec.label} *" if spec.required else spec.label


def _fields_sheet(ws: Any, sheet: SheetSpec, lists: _ChoiceLists,
                  award_names: tuple[str, ...]) -> None:
    ws.column_dimensions["A"].width = 34
    ws.column_dimensions["B"].width = 60
    for row, spec in enumerate(sheet.fields, start=1):
        label, value = ws.cell(row, 1, _label(spec)), ws.cell(row, 2)
        label.font, value.font = _BOLD, _PLAIN
        label.border = value.border = _BOX
        value.alignment = Alignment(wrap_text=True, vertical="top")
        value.number_format = _FORMATS.get(spec.type, "General")
        if spec.help:
            label.comment = Comment(spec.help, "docflow")
        choices = _choices(spec, award_names)
        if choices:
            dv = lists.validation(choices, spec.label)
            ws.add_data_validation(dv)
            dv.add(value.coordinate)


def _table_sheet(ws: Any, sheet: SheetSpec, lists: _ChoiceLists,
                 award_names: tuple[str, ...]) -> None:
    header_row = 3 if sheet.title else 1
    if sheet.title:
        ws.cell(1, 1, sheet.title).font = _TITLE
        ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(sheet.fields))
        ws.cell(1, 1).alignment = Alignment(horizontal="center")
    for col, spec in enumerate(sheet.fields, start=1):
        letter = get_column_letter(col)
        cell = ws.cell(header_row, col, _label(spec))
        cell.font, cell.fill, cell.border = _BOLD, _HEAD_FILL, _BOX
        cell.alignment = Alignment(wrap_text=True, horizontal="center", vertical="center")
        if spec.help:
            cell.comment = Comment(spec.help, "docflow")
        ws.column_dimensions[letter].width = spec.width or max(12, len(spec.label) + 4)
        for row in range(header_row + 1, header_row + 1 + TABLE_ROWS):
            ws.cell(row, col).number_format = _FORMATS.get(spec.type, "General")
        choices = _choices(spec, award_names)
        if choices:
            dv = lists.validation(choices, spec.label)
            ws.add_data_validation(dv)
            dv.add(f"{letter}{header_row + 1}:{letter}{header_row + TABLE_ROWS}")
    ws.freeze_panes = ws.cell(header_row + 1, 1)


def _guide(ws: Any, form: FormSpec) -> None:
    ws.column_dimensions["A"].width = 30
    ws.column_dimensions["B"].width = 90
    ws["A1"] = f"BIỂU MẪU {form.code} — {form.title.upper()} (phiên bản {form.version})"
    ws["A1"].font = _TITLE
    row = 3
    for line in form.instructions:
        ws.cell(row, 1, f"• {line}").alignment = Alignment(wrap_text=False)
        row += 1
    row += 1
    for sheet in form.sheets:
        ws.cell(row, 1, f"Trang tính “{sheet.name}”").font = _BOLD
        row += 1
        for spec in sheet.fields:
            ws.cell(row, 1, _label(spec)).font = _PLAIN
            ws.cell(row, 2, _describe(spec, form)).font = _PLAIN
            row += 1
        row += 1


def _describe(spec: FieldSpec, form: FormSpec) -> str:
    kinds = {"text": "chữ", "number": "số", "integer": "số nguyên", "date": "ngày dd/mm/yyyy",
             "choice": "chọn trong danh sách",
             "document_number": "số, ký hiệu văn bản (25/KH-SNV hoặc 56-BC/TĐTN)"}
    parts = [kinds[spec.type], "bắt buộc" if spec.required else "không bắt buộc"]
    if spec.required_when:
        labels = {f.key: f.label for _, f in form.all_fields()}
        parts.append("bắt buộc khi " + ", ".join(f"{labels.get(k, k)} là “{v}”" for k, v in
                                                spec.required_when.items()))
    if spec.help:
        parts.append(spec.help)
    return "; ".join(parts)
