"""Read a signed decision the office drops into inbox/_ban-hanh/: its Số line, its date line,
the Mã dự thảo docflow wrote into the draft, and its text (for matching a PDF by its names).
A .docx, its PDF, or the small workbook for a decision signed on paper."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

from docflow.text import fold, nfc

NUMBER = re.compile(r"Số\s*:\s*(\d+\s*/\s*[0-9A-Za-zĐđ]+(?:-[0-9A-Za-zĐđ]+)*)")
DATE = re.compile(r",\s*ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})")
MARK = re.compile(r"Mã\s*dự\s*thảo\s*:\s*([A-Za-z]+(?:-[A-Za-z0-9]+)+)", re.IGNORECASE)
WORKBOOK_LABELS = {"mã bản dự thảo": "mark", "số quyết định": "number",
                   "ngày quyết định": "day"}


@dataclass(frozen=True)
class Issued:
    """What a dropped document says; empty strings and None where it says nothing."""

    number: str
    day: dt.date | None
    mark: str
    text: str


def read_issued(path: Path) -> Issued:
    """The number, date, mark and text of a signed .docx, .pdf or .xlsx."""
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        return _workbook(path)
    if suffix == ".pdf":
        text = _pdf_text(path)
        return _from_text(text, _find(MARK, text))
    if suffix == ".docx":
        return _docx(path)
    return Issued("", None, "", "")


def _from_text(text: str, mark: str) -> Issued:
    text = nfc(text)
    number = NUMBER.search(text)
    day = None
    for match in DATE.finditer(text):  # the first real date: the date line under the header
        try:
            day = dt.date(int(match[3]), int(match[2]), int(match[1]))
            break
        except ValueError:
            continue
    return Issued(re.sub(r"\s+", "", number[1]) if number else "", day, mark.upper(), text)


def _docx(path: Path) -> Issued:
    from docx import Document

    doc = Document(str(path))
    parts = []
    for table in doc.tables:  # the header (Số and the date) is a borderless table
        parts += [cell.text for row in table.rows for cell in row.cells]
    parts += [p.text for p in doc.paragraphs]
    footers = [p.text for s in doc.sections for f in (s.footer, s.first_page_footer)
               for p in f.paragraphs]
    mark = doc.core_properties.identifier or _find(MARK, "\n".join(footers))
    return _from_text("\n".join(parts + footers), mark)


def _pdf_text(path: Path) -> str:
    from pypdf import PdfReader

    reader = PdfReader(str(path))
    return "\n".join(page.extract_text() or "" for page in reader.pages)


def _workbook(path: Path) -> Issued:
    from openpyxl import load_workbook

    wb = load_workbook(path, read_only=True, data_only=True)
    values: dict[str, object] = {}
    for row in wb.worksheets[0].iter_rows(max_col=2, values_only=True):
        label = WORKBOOK_LABELS.get(fold(str(row[0] or "")).rstrip(": "))
        if label:
            values[label] = row[1]
    wb.close()
    day = values.get("day")
    if isinstance(day, dt.datetime):
        day = day.date()
    return Issued(re.sub(r"\s+", "", str(values.get("number") or "")),
                  day if isinstance(day, dt.date) else None,
                  str(values.get("mark") or "").strip().upper(), "")


def _find(pattern: re.Pattern[str], text: str) -> str:
    match = pattern.search(nfc(text))
    return match[1] if match else ""


def blank_issued_form() -> bytes:
    """The small workbook the office fills for a decision signed on paper."""
    import io

    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    sheet = wb.active
    sheet.title = "Ghi nhận quyết định"
    rows = [("Mã bản dự thảo", "", "ở chân trang của dự thảo, ví dụ DN-BKUBND-7"),
            ("Số quyết định", "", "ví dụ 2345/QĐ-UBND"),
            ("Ngày quyết định", None, "ngày ký, dạng ngày (dd/mm/yyyy)")]
    for r, (label, value, hint) in enumerate(rows, start=1):
        sheet.cell(r, 1, label).font = Font(bold=True)
        sheet.cell(r, 2, value)
        sheet.cell(r, 3, hint).font = Font(italic=True)
    sheet.cell(3, 2).number_format = "DD/MM/YYYY"
    sheet.cell(5, 1, "Điền cột B rồi đặt tệp vào inbox/_ban-hanh/.").font = Font(italic=True)
    for col, width in (("A", 22), ("B", 24), ("C", 48)):
        sheet.column_dimensions[col].width = width
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
