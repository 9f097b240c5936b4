"""PDF attachments named in a nomination list: where they are and whether they can be used."""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from pathlib import Path

from pypdf import PdfReader
from pypdf.errors import PdfReadError

from docflow.convert import active_content
from docflow.validation.awards import NOMINATION_SHEET
from docflow.store import store
from docflow.models import Problem, RawValue, Submission
from docflow.text import fold

KEY = "report_file"


@dataclass
class Attachments:
    """The outcome of looking for every named PDF."""

    found: dict[str, Path] = field(default_factory=dict)
    active: dict[str, list[str]] = field(default_factory=dict)  # name: kinds, to be stripped
    missing: list[RawValue] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def named(sub: Submission) -> list[RawValue]:
    """The cells naming an attachment, in row order."""
    cells = [row.values.get(KEY) for row in sub.tables.get(NOMINATION_SHEET, [])]
    return [c for c in cells if c is not None and isinstance(c.value, str) and c.value.strip()]


def find(sub: Submission, folders: list[Path]) -> Attachments:
    """Look for each named PDF in the folders (first match wins) and check it opens."""
    result = Attachments()
    index: dict[str, Path] = {}
    for folder in reversed(folders):
        if folder.is_dir():
            index.update({fold(p.name): p for p in folder.iterdir() if p.is_file()})
    for cell in named(sub):
        name = cell.value.strip()
        path = index.get(fold(name))
        if path is None:
            result.missing.append(cell)
            continue
        fault, active = pdf_check(path)
        if fault:
            result.problems.append(_problem(cell, "attachment.unusable",
                                            f"Tệp báo cáo thành tích “{name}” {fault}.",
                                            "một tệp PDF mở được, không đặt mật khẩu, có nội dung"))
        else:
            result.found[name] = path
            if active:
                result.active[name] = active
    return result


def notes(found: Attachments) -> list[str]:
    """What the receipt says about the attachments: which came, what was stripped from them."""
    if not found.found:
        return []
    lines = ["Tệp báo cáo thành tích đã nhận: " + ", ".join(sorted(found.found)) + "."]
    for name, kinds in sorted(found.active.items()):
        lines.append(f"Tệp “{name}” có nội dung tự chạy ({', '.join(kinds)}); nội dung này đã "
                     "được gỡ bỏ khi ghép vào hồ sơ của tỉnh, phần trang văn bản giữ nguyên.")
    return lines


def missing_problems(missing: list[RawValue], waited_minutes: float) -> list[Problem]:
    """After the wait, each attachment that never came is a problem on its cell."""
    return [_problem(c, "attachment.missing",
                     f"Chưa nhận được tệp báo cáo thành tích “{c.value.strip()}” sau "
                     f"{waited_minutes:g} phút chờ.",
                     "gửi tệp PDF cùng thư mục với biểu mẫu (hoặc nén chung trong một tệp .zip)")
            for c in missing]


def pdf_check(path: Path) -> tuple[str, list[str]]:
    """(what is wrong, or ""; the active content it holds, to be stripped)."""
    try:
        reader = PdfReader(path)
        # Only an owner password (printing/copying limits) still opens: that one is usable.
        if reader.is_encrypted and not reader.decrypt(""):
            return "có mật khẩu", []
        if len(reader.pages) < 1:
            return "không có trang nào", []
        return "", active_content(reader)
    except (PdfReadError, OSError, ValueError, KeyError, TypeError, AttributeError):
        return "không phải PDF hoặc bị hỏng", []


def _problem(cell: RawValue, code: str, message: str, expected: str) -> Problem:
    return Problem(code, message, sheet=cell.sheet, cell=cell.cell, label="Tệp báo cáo thành tích",
                   found=cell.display(), expected=expected, row=cell.row)



def keep(path: Path, folder: Path, archive: Path) -> Path:
    """Move a received PDF into the unit's attachments; an older one of that name is archived."""
    if (folder / path.name).exists():
        store(folder / path.name, archive)
    return store(path, folder)


def copy_in(found: dict[str, Path], folder: Path, archive: Path) -> None:
    """Keep PDFs that came inside a .zip with the unit's other attachments."""
    for path in found.values():
        if path.parent != folder:
            if (folder / path.name).exists():
                store(folder / path.name, archive)
            folder.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, folder / path.name)
