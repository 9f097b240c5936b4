"""Merge PDFs into one dossier: a bookmark per document, nested bookmarks per nominee, metadata.

Units' attachments are checked when their form is received (attachments.py), so a PDF that
still cannot be read here is not the sender's doing to report: the dossier is not made and
DossierError names the file, because a dossier silently missing a nominee's report would be
wrong.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from pypdf import PasswordType, PdfReader, PdfWriter
from pypdf.generic import IndirectObject

from docflow.convert.pdf_active import strip_active
from docflow.errors import DossierError


@dataclass(frozen=True)
class Mark:
    """A bookmark inside a part: its title, its page counted from 0 within the part, children."""

    title: str
    page: int = 0
    children: tuple[Mark, ...] = ()


@dataclass(frozen=True)
class Part:
    """One document of the dossier: its bookmark title, its PDF file, the bookmarks inside it."""

    title: str
    pdf: Path
    marks: tuple[Mark, ...] = ()


def build_dossier(parts: Sequence[Part], title: str, author: str) -> bytes:
    """The parts merged in order as one bookmarked PDF with this title and author."""
    if not parts:
        raise ValueError("a dossier needs at least one part")
    writer = PdfWriter()
    for part in parts:
        reader = _open(part.pdf)
        start = len(writer.pages)
        try:
            writer.append(reader, import_outline=False)
        except Exception as exc:  # pypdf raises many kinds on a damaged page tree
            raise DossierError(part.pdf, _unreadable(part.pdf)) from exc
        top = writer.add_outline_item(title=part.title, page_number=start)
        _add_marks(writer, part.marks, top, start, len(reader.pages), part)
    strip_active(writer)  # no unit's JavaScript, Launch or URI action reaches the province's file
    writer.add_metadata({"/Title": title, "/Author": author, "/Producer": "docflow"})
    writer.page_mode = "/UseOutlines"  # viewers open the bookmark panel: the dossier's index
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def _add_marks(writer: PdfWriter, marks: Sequence[Mark], parent: IndirectObject, start: int,
               pages: int, part: Part) -> None:
    for mark in marks:
        if not 0 <= mark.page < pages:
            raise ValueError(f"bookmark {mark.title!r} points at page {mark.page} of "
                             f"{part.pdf.name}, which has {pages} pages")
        item = writer.add_outline_item(title=mark.title, page_number=start + mark.page,
                                       parent=parent)
        _add_marks(writer, mark.children, item, start, pages, part)


def _open(path: Path) -> PdfReader:
    """A readable, decrypted PdfReader with pages, or DossierError saying what to do."""
    if not path.is_file():
        raise DossierError(path, f"Không tìm thấy tệp {path.name}. Đề nghị gửi kèm tệp này "
                                 "cùng thư mục với biểu mẫu.")
    try:
        reader = PdfReader(str(path))
        # An owner password only restricts printing or editing; such files open without one.
        if reader.is_encrypted and reader.decrypt("") == PasswordType.NOT_DECRYPTED:
            raise DossierError(path, f"Tệp {path.name} được đặt mật khẩu nên không ghép được "
                                     "vào hồ sơ. Đề nghị gỡ mật khẩu (hoặc xuất lại PDF không "
                                     "đặt mật khẩu) rồi gửi lại.")
        pages = len(reader.pages)
    except DossierError:
        raise
    except Exception as exc:  # pypdf raises many kinds on a broken or non-PDF file
        raise DossierError(path, _unreadable(path)) from exc
    if pages == 0:
        raise DossierError(path, f"Tệp {path.name} không có trang nào. Đề nghị gửi lại đúng "
                                 "tệp PDF.")
    return reader


def _unreadable(path: Path) -> str:
    # pypdf's own words stay on the chained exception, for the log; the sender reads only this.
    return (f"Tệp {path.name} bị hỏng hoặc không phải tệp PDF. Đề nghị mở tệp để kiểm tra, "
            "xuất lại PDF từ Word hoặc LibreOffice rồi gửi lại.")
