"""`docflow check-layout`: check a Word document against Nghị định 30/2020/NĐ-CP, Phụ lục I.

    check_layout(path)            → list[LayoutProblem], empty when the document passes
    format_report(path, problems) → the Vietnamese report a user reads

The work is split by job: layout_docx reads the file (formatting resolved through styles),
layout_elements finds each element by its text, and layout_rules / layout_header /
layout_closing hold the rules. Problems come back as data; only an unreadable file raises.
"""

from __future__ import annotations

from pathlib import Path

from docflow.layout.closing import closing_problems
from docflow.layout.reader import read_layout
from docflow.layout.elements import anatomy
from docflow.layout.header import header_problems
from docflow.layout.rules import LayoutProblem, page_problems
from docflow.models import Severity

__all__ = ["ELEMENTS", "LayoutProblem", "check_layout", "format_report"]

# Report order: the page first, then the elements as a reader meets them.
ELEMENTS = ("Khổ giấy", "Lề trang", "Phông chữ", "Số trang", "Quốc hiệu", "Tiêu ngữ",
            "Cơ quan ban hành", "Số, ký hiệu", "Địa danh, ngày tháng", "Tên loại văn bản",
            "Trích yếu", "Chữ ký", "Nơi nhận")


def check_layout(path: Path) -> list[LayoutProblem]:
    """Every departure of the .docx at path from Nghị định 30, page set-up first."""
    layout = read_layout(path)
    doc = anatomy(layout)
    problems = page_problems(layout) + header_problems(doc) + closing_problems(doc)
    return sorted(problems, key=lambda p: ELEMENTS.index(p.element))


def format_report(path: Path, problems: list[LayoutProblem]) -> str:
    """A readable Vietnamese report: `đạt`, or the problems grouped by element."""
    head = f"Kiểm tra thể thức văn bản theo Nghị định 30/2020/NĐ-CP: {Path(path).name}"
    errors = sum(p.severity is Severity.ERROR for p in problems)
    warnings = len(problems) - errors
    if not problems:
        return f"{head}\nKết quả: đạt.\n"
    counts = ", ".join(part for part in (f"{errors} lỗi" if errors else "",
                                         f"{warnings} cảnh báo" if warnings else "") if part)
    verdict = "chưa đạt" if errors else "đạt"
    lines = [head, f"Kết quả: {verdict} ({counts})."]
    for element in ELEMENTS:
        found = [p for p in problems if p.element == element]
        if found:
            lines.append(f"{element}:")
            lines += [f"  - [{p.severity.value}] {p.message}" for p in found]
    return "\n".join(lines) + "\n"
