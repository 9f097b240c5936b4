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
        comment.width, comment.height = 320, 40 + 45 * len(items)
        cell.comment = comment
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _note(p: Problem) -> str:
    lines = [f"[{p.severity.value.upper()}] {p.message}"]
    if p.expected:
        lines.append(f"Yêu cầu: {p.expected}")
    return "\n".join(lines)
