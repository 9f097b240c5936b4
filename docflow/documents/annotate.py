"""A copy of the unit's own workbook with every problem cell highlighted and explained."""

from __future__ import annotations

import io
from pathlib import Path

from openpyxl import load_workbook
from openpyxl.comments import Comment
from openpyxl.styles import PatternFill

from docflow.models import Problem
from docflow.text import fold

ERROR_FILL = PatternFill("solid", fgColor="FFC7CE")
WARNING_FILL = PatternFill("solid", fgColor="FFEB9C")


def annotate_workbook(source: Path, problems: list[Problem]) -> bytes | None:
    """The workbook with problem cells filled and commented; None when no problem has a cell."""
    located = [p for p in problems if p.sheet and p.cell]
    if not located:
        return None
    wb = load_workbook(source)
    sheets = {fold(ws.title): ws for ws in wb.worksheets}
    notes: dict[tuple[str, str], list[Problem]] = {}
    for p in located:
        notes.setdefault((fold(p.sheet), p.cell), []).append(p)
    for (sheet, ref), items in notes.items():
        ws = sheets.get(sheet)
        if ws is None:
            continue
        cell = ws[ref]
        cell.fill = ERROR_FILL if any(p.is_error for p in items) else WARNING_FILL
        text = "\n".join(_note(p) for p in items)
        if cell.comment is not None:
            text = f"{cell.comment.text}\n---\n{text}"
        comment = Comment(text, "docflow")
        comment.width, comment.height = comment_size(text)
        cell.comment = comment
    marked = [ws for ws in wb.worksheets if fold(ws.title) in {s for s, _ in notes}]
    if marked:  # open where the first mark is, not on whatever sheet was last saved
        first = marked[0]
        wb.active = wb.worksheets.index(first)
        for ws in wb.worksheets:
            ws.sheet_view.tabSelected = ws is first
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def comment_size(text: str, width: int = 300) -> tuple[int, int]:
    """A comment box (points) tall enough for its wrapped text: about 50 characters a line at
    this width, 15 points a line, plus a margin."""
    per_line = max(1, width // 6)
    lines = sum(max(1, -(-len(line) // per_line)) for line in text.split("\n"))
    return width, 20 + 15 * lines


def _note(p: Problem) -> str:
    lines = [f"[{p.severity.value.upper()}] {p.message}"]
    if p.expected:
        lines.append(f"Yêu cầu: {p.expected}")
    return "\n".join(lines)
