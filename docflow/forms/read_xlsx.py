"""Read a filled workbook into a Submission: fields found by label, table columns by header."""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from docflow.errors import IntakeError
from docflow.forms.spec import FormSpec, SheetSpec
from docflow.models import RawRow, RawValue, Submission
from docflow.text import clean, fold
from docflow.values import is_blank

META_SHEET = "_docflow"
HEADER_SCAN_ROWS = 30


def read_workbook(path: Path, unit_folder: str, forms: dict[str, FormSpec]) -> Submission:
    """Read an .xlsx form; raise IntakeError when it is not a workbook or not one of our forms."""
    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise IntakeError(
            "Không mở được tệp như một bảng tính Excel (.xlsx): tệp hỏng hoặc không phải "
            "Excel. Hãy mở lại bằng Excel, chọn Lưu thành .xlsx rồi gửi lại.",
            "intake.not_xlsx") from exc
    try:
        form = detect_form(wb, forms)
        sheets = {fold(ws.title): ws for ws in wb.worksheets}
        found, fields, tables, notes, counts = [], {}, {}, [], []
        for spec in form.sheets:
            ws = sheets.get(fold(spec.name))
            if ws is None:
                continue
            found.append(spec.name)
            if spec.layout == "fields":
                got, extra = _read_fields(ws, spec)
                fields.update(got)
                notes += [f"Trang “{spec.name}”: bỏ qua dòng “{label}” (không có trong biểu mẫu)."
                          for label in extra]
                counts.append((f"Trang “{spec.name}”: số mục đã đọc", len(got)))
            else:
                rows, ignored = _read_table(ws, spec)
                tables[spec.name] = rows
                notes += [f"Trang “{spec.name}”: bỏ qua cột “{label}” (không có trong biểu mẫu)."
                          for label in ignored]
                counts.append((f"Trang “{spec.name}”: số dòng dữ liệu", len(rows)))
        return Submission(form.code, unit_folder, path.name, fields, tables, tuple(notes),
                          counts=tuple(counts), date1904=bool(wb.epoch.year == 1904),
                          sheets_found=tuple(found))
    finally:
        wb.close()


def detect_form(wb: Any, forms: dict[str, FormSpec]) -> FormSpec:
    """The form a workbook is: its hidden `_docflow` sheet, else the sheet names it has."""
    titles = {fold(ws.title) for ws in wb.worksheets}
    if fold(META_SHEET) in titles:
        ws = next(ws for ws in wb.worksheets if fold(ws.title) == fold(META_SHEET))
        code = next(ws.iter_rows(min_row=1, max_row=1, max_col=1, values_only=True), (None,))[0]
        code = clean(str(code or "")).upper()
        if code in forms:
            return forms[code]
    overlap = {code: sum(fold(s.name) in titles for s in f.sheets) for code, f in forms.items()}
    best = max(overlap.values(), default=0)
    leaders = [code for code, n in overlap.items() if n == best]
    if best and len(leaders) == 1:
        return forms[leaders[0]]
    names = "; ".join(f"{f.code} ({f.title}): " + ", ".join(f"“{s.name}”" for s in f.sheets)
                      for f in forms.values())
    raise IntakeError(
        "Không nhận ra biểu mẫu: bảng tính không có trang “_docflow” và tên các trang tính "
        f"không khớp biểu mẫu nào. Các biểu mẫu và trang tính cần có: {names}. "
        "Hãy dùng biểu mẫu trống do Ban Thi đua - Khen thưởng phát hành.", "intake.unknown_form")


def _read_fields(ws: Any, sheet: SheetSpec) -> tuple[dict[str, RawValue], list[str]]:
    """Label in column A, value in column B; rows may be moved or inserted."""
    by_label = {f.folded_label: f for f in sheet.fields}
    found: dict[str, RawValue] = {}
    extra: list[str] = []
    for row_no, row in enumerate(ws.iter_rows(max_col=2, values_only=True), start=1):
        label = row[0] if row else None
        if is_blank(label) or not isinstance(label, str):
            continue
        spec = by_label.get(fold(label))
        value = row[1] if len(row) > 1 else None
        if spec is None:
            if not is_blank(value):
                extra.append(clean(label))
            continue
        if spec.key not in found:
            found[spec.key] = RawValue(value, sheet.name, f"B{row_no}", row_no)
    return found, extra


def _read_table(ws: Any, sheet: SheetSpec) -> tuple[list[RawRow], list[str]]:
    """Rows under the first row whose cells match the column labels; blank rows skipped."""
    by_label = {f.folded_label: f for f in sheet.fields}
    rows = ws.iter_rows(values_only=True)
    columns: dict[int, str] = {}
    ignored: list[str] = []
    header_row = 0
    for row_no, row in enumerate(rows, start=1):
        if row_no > HEADER_SCAN_ROWS:
            return [], []
        matches = {i: by_label[fold(v)].key for i, v in enumerate(row)
                   if isinstance(v, str) and fold(v) in by_label}
        if len(matches) >= max(2, len(sheet.fields) // 2):
            columns, header_row = matches, row_no
            ignored = [clean(str(v)) for i, v in enumerate(row)
                       if i not in matches and not is_blank(v)]
            break
    if not header_row:
        return [], []
    stt_keys = {f.key for f in sheet.fields if fold(f.label) == "stt"}
    out: list[RawRow] = []
    for row_no, row in enumerate(rows, start=header_row + 1):
        values = {key: RawValue(_strip(row[i]) if i < len(row) else None, sheet.name,
                                f"{get_column_letter(i + 1)}{row_no}", row_no)
                  for i, key in columns.items()}
        filled = [k for k, v in values.items() if not is_blank(v.value)]
        if not filled or set(filled) <= stt_keys:
            continue
        out.append(RawRow(sheet.name, row_no, values))
    return out, ignored


def _strip(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value
