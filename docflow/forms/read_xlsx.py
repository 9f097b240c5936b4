"""Read a filled workbook into a Submission: fields found by label, table columns by header."""

from __future__ import annotations

import zipfile
from pathlib import Path
from xml.etree.ElementTree import ParseError
from typing import Any, Iterator

from lxml import etree
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from docflow.errors import IntakeError
from docflow.config import FormSpec, SheetSpec
from docflow.forms.xlsx_formulas import uncached_formulas
from docflow.forms.xlsx_values import CalamineError, ValuesBook
from docflow.models import Problem, RawValue, Submission, Table
from docflow.text import clean, fold
from docflow.values import is_blank

META_SHEET = "_docflow"
HEADER_SCAN_ROWS = 30
# Above this size a workbook is read for its values alone (calamine, columnar): 50,000-row lists
# in bounded time and memory, at the price of merged cells and hidden rows, which only openpyxl's
# full load exposes.
STREAM_BYTES = 300_000
STREAM_XML = 1_000_000  # or this much sheet XML unpacked: a list of some 3,000 rows
SHARED_VALUES = 2048


def read_workbook(path: Path, unit_folder: str, forms: dict[str, FormSpec]) -> Submission:
    """Read an .xlsx form; raise IntakeError when it is not a workbook or not one of our forms."""
    streaming = _long(path)
    try:
        wb = ValuesBook(path) if streaming else load_workbook(path, data_only=True)
        uncached = uncached_formulas(path)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError,
            etree.XMLSyntaxError, ParseError, CalamineError) as exc:
        raise IntakeError(
            "Không mở được tệp như một bảng tính Excel (.xlsx): tệp hỏng, có mật khẩu hoặc "
            "không phải Excel. Hãy mở lại bằng Excel, bỏ mật khẩu nếu có, chọn Lưu thành .xlsx "
            "rồi gửi lại.", "intake.not_xlsx") from exc
    try:
        form = detect_form(wb, forms)
        sheets = {fold(ws.title): ws for ws in wb.worksheets}
        found, fields, tables, notes, counts, problems = [], {}, {}, [], [], []
        for spec in form.sheets:
            ws = sheets.get(fold(spec.name))
            if ws is None:
                continue
            found.append(spec.name)
            grid = _Grid(ws, streaming)
            if spec.layout == "fields":
                got, extra = _read_fields(grid, spec)
                fields.update(got)
                notes += [f"Trang “{spec.name}”: bỏ qua dòng “{label}” (không có trong biểu mẫu)."
                          for label in extra]
                counts.append((f"Trang “{spec.name}”: số mục đã đọc", len(got)))
            else:
                rows, ignored = _read_table(grid, spec)
                tables[spec.name] = rows
                notes += [f"Trang “{spec.name}”: bỏ qua cột “{label}” (không có trong biểu mẫu)."
                          for label in ignored]
                counts.append((f"Trang “{spec.name}”: số dòng dữ liệu", len(rows)))
                hidden = sorted(n for n in rows.numbers if n in grid.hidden_rows)
                if hidden:
                    notes.append(f"Trang “{spec.name}”: các dòng đang bị ẩn {hidden} vẫn được đọc.")
            problems += [_uncached(spec.name, ref) for ref in uncached.get(ws.title, [])]
        return Submission(form.code, unit_folder, path.name, fields, tables, tuple(notes),
                          tuple(problems), tuple(counts), date1904=bool(wb.epoch.year == 1904),
                          sheets_found=tuple(found))
    finally:
        wb.close()


def _long(path: Path) -> bool:
    """True for a workbook read for its values alone: large, or holding much sheet XML (a
    long list compresses well)."""
    if path.stat().st_size > STREAM_BYTES:
        return True
    try:
        with zipfile.ZipFile(path) as zf:
            return sum(i.file_size for i in zf.infolist()
                       if i.filename.startswith("xl/worksheets/")) > STREAM_XML
    except (zipfile.BadZipFile, OSError):
        return False  # the reader says what is wrong with it


class _Grid:
    """Rows of a sheet as values, merged ranges filled from their top-left cell."""

    def __init__(self, ws: Any, streaming: bool) -> None:
        self.ws, self._merged = ws, {}
        self._starts: dict[int, list[tuple[int, int, int, int]]] = {}
        if streaming:  # values only (forms.xlsx_values), whatever dimension the file records
            self.hidden_rows = ws.hidden_rows()
            for rng in ws.merged():  # filled as the rows go by: no random access to cells
                self._starts.setdefault(rng[0], []).append(rng)
            return
        self.hidden_rows = {r for r, dim in ws.row_dimensions.items() if dim.hidden}
        for rng in ws.merged_cells.ranges:
            self._fill((rng.min_row, rng.min_col, rng.max_row, rng.max_col),
                       ws.cell(rng.min_row, rng.min_col).value)

    def rows(self, max_col: int | None = None) -> Iterator[tuple]:
        """Each row's values, in order, from row 1."""
        for r, row in enumerate(self.ws.iter_rows(max_col=max_col, values_only=True), start=1):
            for rng in self._starts.get(r, ()):
                self._fill(rng, row[rng[1] - 1] if rng[1] <= len(row) else None)
            if self._merged:
                row = tuple(self._merged.get((r, c), v) for c, v in enumerate(row, start=1))
            yield row

    def _fill(self, rng: tuple[int, int, int, int], value: Any) -> None:
        for row in range(rng[0], rng[2] + 1):
            for col in range(rng[1], rng[3] + 1):
                self._merged[(row, col)] = value


def _uncached(sheet: str, ref: str) -> Problem:
    return Problem("value.formula_uncached",
                   f"Ô {ref} chứa công thức chưa được tính (không có giá trị lưu kèm).",
                   sheet=sheet, cell=ref, found="(công thức)",
                   expected="mở tệp bằng Excel, để Excel tính xong rồi lưu lại; hoặc nhập giá trị")


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


def _read_fields(grid: _Grid, sheet: SheetSpec) -> tuple[dict[str, RawValue], list[str]]:
    """Label in column A, value in column B; rows may be moved or inserted."""
    by_label = {f.folded_label: f for f in sheet.fields}
    found: dict[str, RawValue] = {}
    extra: list[str] = []
    for row_no, row in enumerate(grid.rows(max_col=2), start=1):
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


def _read_table(grid: _Grid, sheet: SheetSpec) -> tuple[Table, list[str]]:
    """Rows under the first row whose cells match the column labels; blank rows skipped."""
    by_label = {f.folded_label: f for f in sheet.fields}
    rows = grid.rows()
    columns: dict[int, str] = {}
    ignored: list[str] = []
    header_row = 0
    for row_no, row in enumerate(rows, start=1):
        if row_no > HEADER_SCAN_ROWS:
            return Table(sheet.name, {}), []
        matches = {i: by_label[fold(v)].key for i, v in enumerate(row)
                   if isinstance(v, str) and fold(v) in by_label}
        if len(matches) >= max(2, len(sheet.fields) // 2):
            columns, header_row = matches, row_no
            ignored = [clean(str(v)) for i, v in enumerate(row)
                       if i not in matches and not is_blank(v)]
            break
    if not header_row:
        return Table(sheet.name, {}), []
    stt_keys = {f.key for f in sheet.fields if fold(f.label) == "stt"}
    at = {key: i for i, key in columns.items()}  # a label twice: its last column, as before
    table = Table(sheet.name, {key: get_column_letter(i + 1) for key, i in at.items()})
    positions = list(at.values())
    stt = [n for n, key in enumerate(at) if key in stt_keys]
    # Repeated values (award levels, kinds, units, dates) are kept once per column: a long list
    # repeats a few dozen of them, and its names are new anyway (hence the bound).
    shared: list[dict] = [{} for _ in positions]
    for row_no, row in enumerate(rows, start=header_row + 1):
        width = len(row)
        values = [_strip(row[i]) if i < width else None for i in positions]
        filled = [n for n, v in enumerate(values) if v is not None and not is_blank(v)]
        if not filled or all(n in stt for n in filled):
            continue
        for n, v in enumerate(values):
            if v is not None and len(shared[n]) < SHARED_VALUES:
                try:
                    values[n] = shared[n].setdefault((type(v), v), v)
                except TypeError:  # an unhashable value: kept as it is
                    pass
        table.append(row_no, values)
    return table, ignored


def _strip(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value
